"""The annotation guidelines in the window: a Guidelines pane (a dock) and F2.

The text comes from the project's label schema (each label's, attribute's and value's
``guideline``, arranged by annotator/guidelines.py), so an edit in the schema editor or a
`annotator schema import` shows here at once (the side panel's `schemaChanged`). F2 opens the
pane at the guideline of the label that is in question: the label button under the mouse (or
with the keyboard focus), else the selected annotation's label, else that of an annotation under
the selected text, else the general rules. View ▸ Guidelines shows or hides the pane.

The pane renders Markdown with QTextBrowser.setMarkdown and loads no resources at all: an image
or link in a schema's guideline never reaches the network or the disk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtGui import QAction, QKeySequence, QTextDocument
from PySide6.QtWidgets import QComboBox, QDockWidget, QLabel, QTextBrowser, QVBoxLayout, QWidget

from ..guidelines import guidelines_markdown, label_markdown, label_summary, relation_markdown
from ..schema import Label, LabelSchema

if TYPE_CHECKING:  # pragma: no cover
    from .main_window import MainWindow

GENERAL = ""  # the chooser's topic for the schema's general rules
RELATIONS = "\x00relations"
EVERYTHING = "\x00all"
DOCK_WIDTH = 400


def markdown_html(markdown: str) -> str:
    """Markdown as the HTML fragment Qt renders (for tooltips, which take HTML, not Markdown)."""
    document = QTextDocument()
    document.setMarkdown(markdown)
    html = document.toHtml()
    start, end = html.find("<body"), html.rfind("</body>")
    if start < 0 or end < 0:
        return html
    return html[html.index(">", start) + 1 : end].strip()


def label_tooltip(label: Label) -> str:
    """The tooltip of a label's button: what the button does, the guideline's gist and where the rest is."""
    action = f"Tag the selected text as {label.name}"
    if label.hotkey:
        action += f" (key {label.hotkey}; Alt+{label.hotkey} keeps the exact characters)"
    hint = "F2: the whole guideline" if label.guideline.strip() else "No guideline yet (Edit ▸ Label schema…)"
    # a fixed width makes Qt wrap the text instead of drawing one screen-wide line
    return (
        f"<table width='420'><tr><td><p>{_escape(action)}</p>{markdown_html(label_summary(label))}"
        f"<p><i>{_escape(hint)}</i></p></td></tr></table>"
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class GuidelineBrowser(QTextBrowser):
    """A QTextBrowser for guideline Markdown that loads nothing: no images, no style sheets, from nowhere."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.document().setDocumentMargin(10)
        self.document().setIndentWidth(18)  # Qt's 40 px per list level leaves a narrow pane little room

    def loadResource(self, type: int, name: QUrl) -> object:  # noqa: A002, N802 - Qt's signature
        return None


class GuidelinesPane(QWidget):
    """A chooser (general rules, each label, relations, everything) over the rendered guideline."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.schema: LabelSchema | None = None
        self.chooser = QComboBox(self)
        self.chooser.setAccessibleName("Guideline to show")
        self.chooser.currentIndexChanged.connect(lambda _index: self._render())
        self.browser = GuidelineBrowser(self)
        self.browser.setAccessibleName("Guideline")
        self.empty = QLabel("No project open.", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self.chooser)
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.empty)
        self.empty.hide()

    def set_schema(self, schema: LabelSchema) -> None:
        """Show ``schema``'s guidelines, keeping the topic that was shown if the schema still has it."""
        topic = self.topic()
        self.schema = schema
        self.chooser.blockSignals(True)
        self.chooser.clear()
        self.chooser.addItem("General rules", GENERAL)
        for label in schema.labels:
            self.chooser.addItem(label.name, label.name)
        if schema.relations:
            self.chooser.addItem("Relations", RELATIONS)
        self.chooser.addItem("Everything", EVERYTHING)
        self.chooser.blockSignals(False)
        self.show_topic(topic if topic is not None else GENERAL)

    def topic(self) -> str | None:
        data = self.chooser.currentData()
        return data if isinstance(data, str) else None

    def show_topic(self, topic: str) -> None:
        """Show a label's guideline (its name), GENERAL, RELATIONS or EVERYTHING; unknown topics show GENERAL."""
        index = self.chooser.findData(topic)
        self.chooser.blockSignals(True)
        self.chooser.setCurrentIndex(index if index >= 0 else 0)
        self.chooser.blockSignals(False)
        self._render()

    def markdown(self) -> str:
        """What the pane shows, as Markdown."""
        schema, topic = self.schema, self.topic()
        if schema is None:
            return ""
        if topic == EVERYTHING:
            return guidelines_markdown(schema, title="Guidelines", note="")
        if topic == RELATIONS:
            return "\n\n".join(["## Relations"] + [relation_markdown(r, level=3) for r in schema.relations])
        if topic and topic in schema.names:
            label = schema.label(topic)
            text = label_markdown(label, level=2)
            if not label.guideline.strip():
                text += "\n\n*No guideline for this label yet: write one in Edit ▸ Label schema… (Guideline tab).*"
            return text
        general = schema.guideline.strip() or "*This schema has no general rules; each label's guideline is in the list above.*"
        return f"## General rules\n\n{general}"

    def _render(self) -> None:
        scroll = self.browser.verticalScrollBar()
        self.browser.setMarkdown(self.markdown())
        scroll.setValue(0)


class GuidelinesController(QObject):
    """The Guidelines dock of a main window, its View menu entry and the F2 key."""

    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self.window = window
        self._pane: GuidelinesPane | None = None
        self.dock = QDockWidget("Guidelines", window)
        self.dock.setObjectName("guidelinesDock")  # its place and visibility are kept with the window state
        self.dock.visibilityChanged.connect(self._dock_visibility)
        self.dock.setAllowedAreas(Qt.DockWidgetArea.LeftDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()
        self.toggle_action = self.dock.toggleViewAction()
        self.toggle_action.setText("&Guidelines")
        self.toggle_action.setShortcut(QKeySequence("Ctrl+Shift+G"))
        self.toggle_action.setToolTip("Show or hide the annotation guidelines")
        self.show_action = QAction("&Guideline of this label", window)
        self.show_action.setShortcut(QKeySequence(Qt.Key.Key_F2))
        self.show_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.show_action.setToolTip(
            "Show the guideline of the label under the mouse, of the selected annotation or of the selected text (F2)"
        )
        self.show_action.triggered.connect(lambda _checked=False: self.show_guideline())
        window.addAction(self.show_action)
        window.addAction(self.toggle_action)
        self._install_menus()

    @property
    def pane(self) -> GuidelinesPane:
        """The dock's content, built (and its Markdown rendered) when the dock is first shown."""
        if self._pane is None:
            window = self.window
            self._pane = GuidelinesPane(window)
            self.dock.setWidget(self._pane)
            window.side_panel.schemaChanged.connect(self._pane.set_schema)
            if window.side_panel.schema is not None:
                self._pane.set_schema(window.side_panel.schema)
        return self._pane

    def _dock_visibility(self, visible: bool) -> None:
        if visible:
            self.pane  # noqa: B018 - builds it

    def _install_menus(self) -> None:
        for action in self.window.menuBar().actions():
            menu = action.menu()
            title = action.text().replace("&", "")
            if menu is not None and title == "View":
                menu.addSeparator()
                menu.addAction(self.toggle_action)
            elif menu is not None and title == "Help":
                menu.insertAction(menu.actions()[0] if menu.actions() else None, self.show_action)

    def label_in_question(self) -> str | None:
        """The label F2 is about (see the module docstring), or None for the general rules."""
        window = self.window
        hovered = window.side_panel.label_button_in_focus()
        if hovered is not None:
            return hovered
        annotations = window.annotations
        selected = window.selected_id
        if selected and selected in annotations:
            return annotations[selected].label
        span = window.view.selection_span()
        if span is not None:
            for annotation_id in window.view.annotations_at(span[0]):
                if annotation_id in annotations:
                    return annotations[annotation_id].label
        return None

    def show_guideline(self, label: str | None = None) -> str:
        """Open the pane at ``label``'s guideline (default: the label in question); returns the topic shown."""
        topic = label if label is not None else self.label_in_question()
        self.pane.show_topic(topic or GENERAL)
        if self.dock.isHidden() and not self.dock.isFloating():
            self.dock.show()
            self.window.resizeDocks([self.dock], [DOCK_WIDTH], Qt.Orientation.Horizontal)
        self.dock.show()
        self.dock.raise_()
        return self.pane.topic() or GENERAL
