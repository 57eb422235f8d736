"""The known hazard of docs/architecture.md: PySide6 6.12.0 on CPython <= 3.11 corrupts None's reference count on
every call of a method that returns nothing, and the interpreter aborts (none_dealloc) after some
thousands of calls. This soak test makes 100,000 such calls; it passes if the process survives.
(On 3.12+ None is immortal, and the dependency excludes 6.12.0 on older Pythons.)"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QTextCursor, QTextDocument  # noqa: E402
from PySide6.QtWidgets import QWidget  # noqa: E402

CALLS = 100_000


def test_100k_none_returning_calls_survive(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    document = QTextDocument("a few words of text")
    cursor = QTextCursor(document)
    for number in range(CALLS // 2):
        assert widget.setToolTip("tip") is None
        assert cursor.setPosition(number % 10) is None
    assert widget.toolTip() == "tip"
    assert cursor.position() == (CALLS // 2 - 1) % 10
