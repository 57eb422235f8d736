"""The window's panes make room for the text (issue 13): a line of the article keeps at least
``MIN_LINE_CHARACTERS`` characters, and a wide window gives the article list's titles the space the
capped text column does not use. A mixin of `MainWindow`.

At 1024 px the three panes left the article five to seven words a line. On every resize (and on the
first show) the fit runs once the layout has settled: while the text column is too narrow, the
article list folds away, else the side panel, else both (never review mode's comparisons); they come back by
themselves when the window is wide enough again. A pane the reader hides or shows is theirs: it is
never brought back, or collapsed again, by the fit until the next time it is needed. When the list
has the width the window gave it (the reader has not dragged it, nor was another width restored
from the last session), a wide window widens it up to ``WIDE_LIST_WIDTH``, as far as the text
column does not need the room.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, QTimer
from PySide6.QtGui import QScreen

FIRST_SIZE = QSize(1400, 900)
MIN_LINE_CHARACTERS = 60
WIDE_LIST_WIDTH = 420
PANES = ("list", "panel")
FOLDED = {
    "list": "The article list is folded away so the text keeps its width: View ▸ Article list (Ctrl+Shift+L)",
    "panel": "The side panel is folded away so the text keeps its width: View ▸ Side panel (Ctrl+Shift+P)",
}


def first_size(screen: QScreen | None) -> QSize:
    """The window's size before any is remembered: ``FIRST_SIZE``, or less on a smaller screen, so
    that the title bar and the status bar are on it (under Xvfb at 1024×768 the walk-through's
    first window was 1400×900, its side panel off the screen)."""
    if screen is None:
        return QSize(FIRST_SIZE)
    room = screen.availableGeometry().size()
    return QSize(min(FIRST_SIZE.width(), int(room.width() * 0.96)), min(FIRST_SIZE.height(), int(room.height() * 0.9)))


class PaneFitMixin:
    """Collapsing and widening the side panes to keep the text readable."""

    def _start_fitting_panes(self, list_width: int, panel_width: int) -> None:
        self._pane_widths = {"list": list_width, "panel": panel_width}
        self._auto_hidden: list[str] = []  # panes the fit collapsed, in the order it did
        self._fitting = False
        self._list_dragged = False
        self._list_set_width: int | None = list_width  # the list's width as the window last set it
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self.fit_panes)
        self.splitter.splitterMoved.connect(self._splitter_dragged)
        self.splitter.installEventFilter(self)
        for name in PANES:
            self._pane_action(name).toggled.connect(lambda _on, pane=name: self._pane_toggled(pane))

    def _pane_action(self, name: str):
        return self.toggle_list_action if name == "list" else self.toggle_panel_action

    def _pane_toggled(self, name: str) -> None:
        if not self._fitting and name in self._auto_hidden:
            self._auto_hidden.remove(name)  # the reader's choice from now on

    def _splitter_dragged(self, _position: int, _index: int) -> None:
        if not self._fitting:
            self._list_dragged = True

    def _schedule_fit(self) -> None:
        if hasattr(self, "_fit_timer"):
            self._fit_timer.start()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if watched is self.splitter and event.type() == QEvent.Type.Resize:
            self._schedule_fit()  # the splitter has its new width: the fit measures that
        return super().eventFilter(watched, event)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self._schedule_fit()

    def _set_pane(self, name: str, visible: bool) -> None:
        self._fitting = True
        try:
            self._pane_action(name).setChecked(visible)
            if name == "list" and visible:
                self._list_set_width = None  # whatever width the splitter gives it back is the window's
        finally:
            self._fitting = False

    def fit_panes(self) -> None:
        """Collapse, restore and widen the panes for the window's present width (see the module)."""
        if self._fitting:
            return
        need = self.view.width_for_characters(MIN_LINE_CHARACTERS)
        total = sum(self.splitter.sizes()) + self.splitter.handleWidth() * 2
        shown = {name: self._pane_action(name).isChecked() for name in PANES}

        def centre_with(panes: dict[str, bool]) -> int:
            return total - sum(self._pane_widths[n] + self.splitter.handleWidth() for n in PANES if panes[n])

        before = dict(shown)
        for name in reversed(list(self._auto_hidden)):  # the last collapsed comes back first
            trial = dict(shown, **{name: True})
            if centre_with(trial) >= need:
                self._auto_hidden.remove(name)
                self._set_pane(name, True)
                shown = trial
        if centre_with(shown) < need:  # fold as little as will do: the list, else the panel, else both
            review = getattr(self, "review", None)
            foldable = [n for n in PANES if shown[n] and not (n == "panel" and review is not None and review.active)]
            choices = [[n] for n in foldable] + ([foldable] if len(foldable) > 1 else [])
            fold = next((c for c in choices if centre_with(dict(shown, **{n: False for n in c})) >= need),
                        choices[-1] if choices else [])
            for name in fold:
                self._auto_hidden.append(name)
                self._set_pane(name, False)
                shown[name] = False
                self.show_message(FOLDED[name])
        if shown != before:  # the splitter lays the panes out on the next turn: widen the list then
            self._fit_timer.start()
            return
        self._widen_list(shown, total)

    def _widen_list(self, shown: dict[str, bool], total: int) -> None:
        """Give the list's titles what the capped text column leaves unused."""
        sizes = self.splitter.sizes()
        if self._list_set_width is None:
            self._list_set_width = sizes[0]
        if not shown["list"] or self._list_dragged or sizes[0] not in (self._list_set_width, 0):
            return  # a width the reader chose (dragged, or restored from the last session) stays
        column = self.view.width_for_characters(0) + int(self.view.max_column_width())
        base = self._pane_widths["list"]
        spare = sizes[0] + sizes[1] - base - column
        wanted = max(base, min(WIDE_LIST_WIDTH, base + spare))
        if wanted != sizes[0] and sizes[0] + sizes[1] - wanted >= self.view.width_for_characters(MIN_LINE_CHARACTERS):
            self._fitting = True
            try:
                self.splitter.setSizes([wanted, sizes[0] + sizes[1] - wanted, sizes[2]])
                self._list_set_width = wanted
            finally:
                self._fitting = False
