"""What the window remembers between sessions, per user (settings.py): the article last open in each
project and where it was scrolled to, the window's geometry, splitter and zoom. A mixin of
`MainWindow`.

The scroll position is saved as the reader scrolls (a second after the scrolling stops), not only
on a clean quit, so a crash does not forget where the reader was.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QTimer

from .. import settings

MAX_REMEMBERED_POSITIONS = 200
SCROLL_SAVE_MS = 1000


class WindowStateMixin:
    """Remembering and restoring the window's state."""

    def _start_remembering_scroll(self) -> None:
        self._scroll_timer = QTimer(self)
        self._scroll_timer.setSingleShot(True)
        self._scroll_timer.setInterval(SCROLL_SAVE_MS)
        self._scroll_timer.timeout.connect(self.save_session)
        self.view.verticalScrollBar().valueChanged.connect(lambda _value: self._scroll_timer.start())

    def _remembered(self, key: str) -> object:
        return settings.current().for_project(key, self.project_key)

    def _remember(self, key: str, value: object) -> None:
        if self.persist:
            settings.current().set_for_project(key, self.project_key, value)

    def _scroll_positions(self) -> dict:
        positions = self._remembered("scroll_positions")
        return dict(positions) if isinstance(positions, dict) else {}

    def save_session(self) -> None:
        """Remember the open article and where it is scrolled to."""
        if self.current_article is None or not self.persist:
            return
        try:
            positions = self._scroll_positions()
            position = self.view.scroll_position()
            if positions.get(self.current_article.id) == position and self._remembered("last_article") == self.current_article.id:
                return
            positions.pop(self.current_article.id, None)
            positions[self.current_article.id] = position
            while len(positions) > MAX_REMEMBERED_POSITIONS:
                positions.pop(next(iter(positions)))
            self._remember("scroll_positions", positions)
            if self._remembered("last_article") != self.current_article.id:  # one write per pause, not two
                self._remember("last_article", self.current_article.id)
        except OSError as exc:  # a read-only config folder must not stop the app
            self.show_message(f"Could not save settings: {exc}")

    def save_window_state(self) -> None:
        if not self.persist:
            return
        encode = lambda data: bytes(data.toBase64()).decode("ascii")  # noqa: E731
        state = {
            "geometry": encode(self.saveGeometry()),
            "state": encode(self.saveState()),
            "splitter": encode(self.splitter.saveState()),
            "auto_hidden": list(getattr(self, "_auto_hidden", [])),  # panes that come back when there is room
        }
        try:
            settings.current().set("window", state)
        except OSError:
            pass

    def restore_window_state(self) -> None:
        current = settings.current()
        state = current.get("window")
        if isinstance(state, dict):
            decode = lambda text: QByteArray.fromBase64(str(text).encode("ascii"))  # noqa: E731
            if state.get("geometry"):
                self.restoreGeometry(decode(state["geometry"]))
            if state.get("state"):
                self.restoreState(decode(state["state"]))
            if state.get("splitter"):
                self.splitter.restoreState(decode(state["splitter"]))
            hidden = state.get("auto_hidden")
            if isinstance(hidden, list) and hasattr(self, "_auto_hidden"):
                self._auto_hidden = [name for name in hidden if name in ("list", "panel")]
        self.toggle_list_action.setChecked(self.splitter.sizes()[0] > 0 or not self.list_pane.isHidden())
        self.toggle_panel_action.setChecked(self.splitter.sizes()[2] > 0 or not self.panel_pane.isHidden())
        zoom = current.get("zoom", 0)
        if isinstance(zoom, int) and zoom:
            self.view.zoom(zoom)
            self._zoom_steps = zoom

    def zoom(self, steps: int) -> None:
        if steps == 0:
            self.view.reset_zoom()
        else:
            self.view.zoom(steps)
        self._zoom_steps = self.view.zoom_level()
        if self.persist:
            settings.current().set("zoom", self._zoom_steps)
