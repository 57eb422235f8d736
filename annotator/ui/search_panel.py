"""Searching the project from the window: a Search pane (a dock) opened with Ctrl+Shift+F.

The dock, its action and key are search_dock.py (built with the window); this pane is built when
the dock is first shown. The pane runs `Store.search` (store/search.py; the same query syntax as `annotator search`) and
lists the hits best first, each as its article's title, where it was found, and the hit marked in
its context (docked at the bottom, one line a hit, with as much context as the line holds; at a
side 60 code points either side, wrapped). Enter or a double-click opens the article at the hit and selects it (the matched
words; for a note hit the annotation). The hits follow the project: the window's `projectChanged`
(every edit, undo, import and every change made elsewhere, see docs/architecture.md "Live views")
runs the query again, a moment later so that a burst of edits runs it once.
"""

from __future__ import annotations

import html
from typing import Callable

from PySide6.QtCore import QModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QFont, QFontMetricsF, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QBoxLayout, QComboBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QStyle,
    QStyledItemDelegate, QStyleOptionViewItem, QVBoxLayout, QWidget,
)

from ..errors import AnnotatorError
from ..store import SearchHit, SearchResult
from ..store.search import BLOCK_MARK, RANK_CAP, SNIPPET_CONTEXT, snippet
from ..wording import plural
from .theme import over, readable

PANE_LIMIT = 200  # hits listed
HIT_ROLE = Qt.ItemDataRole.UserRole + 1
HTML_ROLE = Qt.ItemDataRole.UserRole + 2
TITLE_ROLE = Qt.ItemDataRole.UserRole + 3  # whether the row starts with its article's title
WIDE_CONTEXT = 200  # code points of context either side asked for: enough for one line of a 2,000 px pane
FIT_WIDTH = 640  # from this width of the list a hit is one line, its context cut to fill it
SCOPES = (("Everywhere", ("title", "text", "quotes", "notes")), ("Texts", ("text",)), ("Titles", ("title",)),
          ("Quotes", ("quotes",)), ("Notes", ("notes",)))
WHERE = {"text": "text", "title": "title", "quotes": "quote", "notes": "note"}
TITLE_CHARS = 70
WHERE_COLOR = "#7a7a7a"  # a stand-in: the delegate paints it in where_colour(), readable on the list's rows
WIDE_ROW = 720  # from this width the query and its filters share one row (the pane docked at the bottom)
MARK_STYLE = "background-color:#ffd54f; color:#1a1a1a; font-weight:600"  # readable on light and dark themes


def where_found(hit: SearchHit) -> str:
    """"text · 12–20", "quote · CLAIM · ana · 12–20": where a hit was found."""
    where = WHERE.get(hit.in_, hit.in_)
    if hit.annotation is not None:
        where += f" · {hit.label}" + (f" · {hit.annotator}" if hit.annotator else "")
    if hit.start is not None:
        where += f" · {hit.start}–{hit.end}"
    return where


def hit_html(hit: SearchHit, with_title: bool = True, fit: Callable[[str, str, str, str], tuple[str, str]] | None = None,
             ) -> str:
    """A hit as HTML: the article's title (`with_title`: the first of the article's hits in a row),
    then where it was found and the hit marked in its context, in one paragraph: one line per hit
    in the pane docked at the bottom (issue 13: three lines a hit left 3 hits in sight at 700 px).

    The context is SNIPPET_CONTEXT code points either side, or, with `fit(where, before, match,
    after)`, what of the hit's (wider) context fits beside it: (before, after) cut to one line."""
    where = where_found(hit)
    title = hit.title or "(untitled)"
    if len(title) > TITLE_CHARS:
        title = title[: TITLE_CHARS - 1].rstrip() + "…"
    match = hit.snippet[hit.snippet_start : hit.snippet_end]
    if fit is not None:
        before, after = fit(where, hit.snippet[: hit.snippet_start], match, hit.snippet[hit.snippet_end :])
    else:
        text, start, end = snippet(hit.snippet, hit.snippet_start, hit.snippet_end, SNIPPET_CONTEXT)
        before, after = text[:start], text[end:]
    head = f"<div><b>{html.escape(title)}</b></div>" if with_title else ""
    return (f"{head}<div><span style='color:{WHERE_COLOR}; font-size:small'>{html.escape(where)}</span>"
            f"&nbsp;&nbsp;{html.escape(before)}<span style='{MARK_STYLE}'>{html.escape(match)}</span>"
            f"{html.escape(after)}</div>")


def where_colour(palette: QPalette) -> QColor:
    """The quiet grey of "text · 12–20": the palette's hint colour, moved toward the text until it
    reaches WCAG AA on both of the list's row colours (a fixed mid grey was 4.3:1 on white and
    4:1 on a dark base)."""
    base, alternate = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.AlternateBase)
    hint = over(palette.color(QPalette.ColorRole.PlaceholderText), base)
    return readable(hint, palette.color(QPalette.ColorRole.Text), [base, over(alternate, base)])


class HitDelegate(QStyledItemDelegate):
    """Draws an item's HTML (HTML_ROLE) wrapped to the list's width."""

    PADDING = 6

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._fits: dict[tuple[str, float], _Fit] = {}

    def _document(self, option: QStyleOptionViewItem, index: QModelIndex, width: float,
                  selected: bool = False) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(0)
        hit = index.data(HIT_ROLE)
        if hit is not None and width >= FIT_WIDTH:  # one line, as much context as it holds
            text = hit_html(hit, bool(index.data(TITLE_ROLE)), self._fit(option.font, width - 2 * self.PADDING))
        else:
            text = index.data(HTML_ROLE) or ""
        if selected:  # the quiet grey would vanish on the selection's colour
            text = text.replace(WHERE_COLOR, option.palette.color(QPalette.ColorRole.HighlightedText).name())
        else:
            text = text.replace(WHERE_COLOR, where_colour(option.palette).name())
        document.setHtml(text)
        document.setTextWidth(max(80.0, width - 2 * self.PADDING))
        return document

    def _fit(self, font: QFont, width: float) -> "_Fit":
        """The fitting for this font and width, made once (every row's paint and size ask for it)."""
        key = (font.key(), width)
        found = self._fits.get(key)
        if found is None:
            if len(self._fits) > 8:  # widths of earlier sizes of the pane
                self._fits.clear()
            found = self._fits[key] = _Fit(font, width)
        return found

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:  # noqa: D401 - Qt's API
        options = QStyleOptionViewItem(option)
        self.initStyleOption(options, index)
        options.text = ""
        widget = options.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, options, painter, widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        document = self._document(option, index, option.rect.width(), selected)
        context = QAbstractTextDocumentLayout.PaintContext()
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        painter.save()
        painter.translate(option.rect.left() + self.PADDING, option.rect.top() + self.PADDING)
        painter.setClipRect(QRectF(0, 0, option.rect.width() - self.PADDING, option.rect.height()))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        widget = option.widget
        width = widget.viewport().width() if widget is not None else option.rect.width()
        document = self._document(option, index, width)
        return QSize(int(width), int(document.size().height()) + 2 * self.PADDING)


class _Fit:
    """Cuts a hit's context to what fits on one line of `width` beside where it was found and the
    match, as evenly as it can either side (the side with less text leaves the rest to the other)."""

    SLACK = 24.0  # the spaces between the parts, and rounding

    def __init__(self, font: QFont, width: float) -> None:
        self.width = width
        self.plain = QFontMetricsF(font)
        small = QFont(font)
        small.setPointSizeF(font.pointSizeF() * 0.83 if font.pointSizeF() > 0 else 8.0)
        self.small = QFontMetricsF(small)
        bold = QFont(font)
        bold.setWeight(QFont.Weight.DemiBold)
        self.bold = QFontMetricsF(bold)

    def __call__(self, where: str, before: str, match: str, after: str) -> tuple[str, str]:
        room = self.width - self.small.horizontalAdvance(where) - self.bold.horizontalAdvance(match) - self.SLACK
        room = max(0.0, room)
        left, right = self.plain.horizontalAdvance(before), self.plain.horizontalAdvance(after)
        if left + right <= room:
            return before, after
        half = room / 2
        left_room = max(half, room - right) if right < half else half
        right_room = room - min(left, left_room)
        before_shown = self.plain.elidedText(before, Qt.TextElideMode.ElideLeft, left_room)
        after_shown = self.plain.elidedText(after, Qt.TextElideMode.ElideRight, right_room)
        return _whole_words(before_shown, before, left=True), _whole_words(after_shown, after, left=False)


def _whole_words(shown: str, full: str, left: bool) -> str:
    """An elided side of the context without the part of a word the ellipsis cut (nor a block
    mark left beside the ellipsis)."""
    if shown == full or not shown.strip("…"):
        return shown
    if left:
        body = shown.lstrip("…")
        space = body.find(" ")
        return "…" + body[space + 1 :].removeprefix(BLOCK_MARK.lstrip()) if 0 <= space < len(body) - 1 else shown
    body = shown.rstrip("…")
    space = body.rfind(" ")
    return body[:space].removesuffix(BLOCK_MARK.rstrip()) + "…" if space > 0 else shown


class SearchPane(QWidget):
    """The query, where to search, and the hits."""

    hitActivated = Signal(object)  # a SearchHit

    def __init__(self, search: Callable[..., SearchResult], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._search = search
        self.result: SearchResult | None = None
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText('Search the project: words, "a phrase", minist*')
        self.edit.setAccessibleName("Search the project")
        self.edit.setClearButtonEnabled(True)
        self.edit.setToolTip('Words (all must be found), "a phrase", word* for any ending, OR, NOT, '
                             "NEAR(word word, 10), parentheses. Enter: search and go to the first hit.")
        self.edit.returnPressed.connect(self._search_and_focus)
        self.scope = QComboBox(self)
        self.scope.setAccessibleName("Where to search")
        for name, scopes in SCOPES:
            self.scope.addItem(name, scopes)
        self.label = QComboBox(self)
        self.label.setAccessibleName("Label of the annotations")
        self.label.setToolTip("Only quotes and notes of annotations with this label, and articles that have one")
        self.who = QComboBox(self)
        self.who.setAccessibleName("Annotator")
        self.who.setToolTip("Only quotes and notes of this annotator, and articles where they annotated")
        self.set_labels([])
        self.set_annotators([])
        for combo in (self.scope, self.label, self.who):
            combo.currentIndexChanged.connect(lambda _i: self.run())
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Search status")
        self.hits = QListWidget(self)
        self.hits.setAccessibleName("Search hits")
        self.hits.setItemDelegate(HitDelegate(self.hits))
        self.hits.setWordWrap(True)
        self.hits.setUniformItemSizes(False)
        self.hits.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.hits.setAlternatingRowColors(True)
        self.hits.itemActivated.connect(self._activated)
        self.hits.itemDoubleClicked.connect(self._activated)
        filters = QHBoxLayout()
        filters.setSpacing(6)
        for combo in (self.scope, self.label, self.who):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            filters.addWidget(combo)
        filters.addStretch(1)
        self.query_row = QBoxLayout(QBoxLayout.Direction.TopToBottom)  # one row when wide: see resizeEvent
        self.query_row.setSpacing(6)
        self.query_row.addWidget(self.edit, 1)
        self.query_row.addLayout(filters)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addLayout(self.query_row)
        layout.addWidget(self.status)
        layout.addWidget(self.hits, 1)
        self._show_status("Type words and press Enter.")

    def resizeEvent(self, event) -> None:  # noqa: N802
        """Docked at the bottom the pane is wide and short: the filters go beside the query, and
        the height they took goes to the hits; at a side they go under it."""
        super().resizeEvent(event)
        wide = event.size().width() >= WIDE_ROW
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self.query_row.direction() != direction:
            self.query_row.setDirection(direction)

    def set_labels(self, names: list[str]) -> None:
        self._fill(self.label, "Any label", names)

    def set_annotators(self, names: list[str]) -> None:
        self._fill(self.who, "Anyone", names)

    @staticmethod
    def _fill(combo: QComboBox, everyone: str, names: list[str]) -> None:
        current = combo.currentData()
        blocked = combo.blockSignals(True)
        combo.clear()
        combo.addItem(everyone, None)
        for name in names:
            combo.addItem(name, name)
        index = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(blocked)

    def query(self) -> str:
        return self.edit.text().strip()

    def run(self) -> SearchResult | None:
        """Run the query (keeping the hit that was selected, if it is still found)."""
        text = self.query()
        if not text:
            self.hits.clear()
            self.result = None
            self._show_status("Type words and press Enter.")
            return None
        label, who = self.label.currentData(), self.who.currentData()
        try:
            result = self._search(text, scopes=self.scope.currentData(), labels=[label] if label else [],
                                  annotators=[who] if who else [], limit=PANE_LIMIT, context=WIDE_CONTEXT)
        except AnnotatorError as exc:
            self.hits.clear()
            self.result = None
            self._show_status(str(exc), error=True)
            return None
        if result is None:  # the search cannot run yet: the index is being brought up to date
            self.hits.clear()
            self.result = None
            self._show_status("Indexing what the last import added for search… The hits follow.")
            return None
        selected = self.selected_hit()
        row = self.hits.currentRow()
        scroll = self.hits.verticalScrollBar().value()
        self.hits.clear()
        previous = None
        for hit in result.hits:
            item = QListWidgetItem()
            item.setData(HIT_ROLE, hit)
            item.setData(HTML_ROLE, hit_html(hit, with_title=hit.article != previous))
            item.setData(TITLE_ROLE, hit.article != previous)
            previous = hit.article
            item.setToolTip(hit.title or "(untitled)")
            self.hits.addItem(item)
        self.result = result
        if selected is not None:
            keep = next((i for i, h in enumerate(result.hits) if _same_place(h, selected)), min(row, len(result.hits) - 1))
            if keep >= 0:
                self.hits.setCurrentRow(keep)
                self.hits.verticalScrollBar().setValue(scroll)
        self._show_status(_summary(result))
        return result

    def selected_hit(self) -> SearchHit | None:
        item = self.hits.currentItem()
        return item.data(HIT_ROLE) if item is not None else None

    def _search_and_focus(self) -> None:
        result = self.run()
        if result is not None and result.hits:
            self.hits.setCurrentRow(0)
            self.hits.setFocus()

    def _activated(self, item: QListWidgetItem) -> None:
        hit = item.data(HIT_ROLE)
        if hit is not None:
            self.hitActivated.emit(hit)

    def _show_status(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #c62828;" if error else "")


def _same_place(a: SearchHit, b: SearchHit) -> bool:
    return (a.article, a.in_, a.annotation, a.field_start) == (b.article, b.in_, b.annotation, b.field_start)


def _summary(result: SearchResult) -> str:
    if not result.hits:
        return "No hits."
    text = f"{plural(len(result.hits), 'hit')} in {plural(len({h.article for h in result.hits}), 'article')}"
    if result.capped:
        text += f" (more than {RANK_CAP:,} matches: the best of the newest {RANK_CAP:,}; add words to narrow the search)"
    elif result.more:
        text += f" (the first {PANE_LIMIT}, best first: add words to narrow the search)"
    return text + ". Enter or double-click opens a hit."
