"""Reaching Qt's own child widgets without PySide's type discovery (start-up time).

When a Qt call returns a ``QWidget*`` that has no Python wrapper yet (a scroll area's viewport,
made by Qt), PySide works out its most derived Python class by trying the subclasses of QWidget,
and creates every one of them, with all their enums (QWizard, QCalendarWidget, QMdiArea, ...):
about 20 ms, paid once per process by whichever call comes first. ``findChild`` with a type
returns that type at once; once a wrapper exists, ``viewport()`` returns it without discovery.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

_VIEWPORT_NAME = "qt_scrollarea_viewport"  # the object name QAbstractScrollArea gives its viewport


def wrap_viewport(area: QAbstractScrollArea) -> QWidget:
    """The viewport of `area`, wrapped as a plain QWidget, so that `area.viewport()` costs nothing."""
    found = area.findChild(QWidget, _VIEWPORT_NAME, Qt.FindChildOption.FindDirectChildrenOnly)
    return found if found is not None else area.viewport()
