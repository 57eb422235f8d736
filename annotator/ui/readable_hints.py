"""The window's grey hints (placeholder text) kept at WCAG AA contrast, also after the desktop
switches between light and dark while the window is open (theme.with_readable_hints)."""

from __future__ import annotations

from PySide6.QtCore import QEvent


class ReadableHintsMixin:
    """For a QWidget: call `_readable_hints()` once built; palette changes call it again."""

    def _readable_hints(self) -> None:
        """The panels' grey hints at AA contrast, from the application's palette (and again when
        the desktop switches between light and dark)."""
        from PySide6.QtWidgets import QApplication

        from .theme import with_readable_hints

        wanted = with_readable_hints(QApplication.palette())
        role = wanted.ColorRole.PlaceholderText
        if self.palette().color(role) != wanted.color(role):  # also stops the PaletteChange it causes
            self.setPalette(wanted)

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)  # type: ignore[misc]
        if event.type() in (QEvent.Type.ApplicationPaletteChange, QEvent.Type.PaletteChange):
            self._readable_hints()
