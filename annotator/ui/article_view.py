"""The article view: a calm, read-only reader of one article that paints the annotations over it.

`ArticleView` is the widget and its API (articles, annotations, relations, selection, find, zoom,
events); its jobs live in mixins beside it:

* view_document.py — building the document from the article's blocks (never HTML: the text is
  untrusted; no resource is ever loaded);
* view_geometry.py — where positions are on screen, and the one walk over the visible lines
  (`line_pieces`) that highlights and review mode are both drawn from;
* view_paint.py — painting: highlights, find hits, markers, arrows, handles, the review layer;
* view_drag.py — dragging the selected annotation's boundary handles;
* view_ghosts.py — suggestions drawn as ghost spans (dashed outlines), `suggestionClicked`.

Positions: Qt counts UTF-16 units, the model code points; every conversion goes through
``annotator.textspan.Utf16Index`` (built once per article). Adding or removing a span is an index
update and a repaint of the lines it covers: the document is never rebuilt for it. Review mode:
``set_review_layer(layer)`` replaces the highlights with a ``ReviewLayer`` (review_layer.py); a click
then emits ``comparisonClicked`` rather than ``annotationClicked``. The text column is capped
(``MAX_COLUMN_EM``) and centred with viewport margins.
"""

from __future__ import annotations

import bisect
import logging
import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, Qt, QUrl, Signal
from PySide6.QtGui import QFontMetricsF, QKeyEvent, QMouseEvent, QTextCursor, QTextOption
from PySide6.QtWidgets import QApplication, QFrame, QTextEdit, QToolTip, QWidget

from annotator.model import Annotation, Article, Relation
from annotator.schema import LabelSchema
from annotator.textspan import Utf16Index
from annotator.ui.highlights import SpanIndex
from annotator.ui.theme import Theme
from annotator.gc_pause import paused_gc
from annotator.ui.view_document import DocumentMixin
from annotator.ui.view_drag import DragMixin
from annotator.ui.view_geometry import MAX_COLUMN_EM, GeometryMixin
from annotator.ui.view_ghosts import GhostMixin
from annotator.ui.view_paint import LabelStyle, PaintingMixin
from annotator.ui.wrappers import wrap_viewport

if TYPE_CHECKING:  # review mode's layer loads when review mode first needs it (start-up time)
    from annotator.ui.review_layer import ReviewLayer

log = logging.getLogger(__name__)

ZOOM_RANGE = (-6, 12)

__all__ = ["MAX_COLUMN_EM", "ArticleView"]


class ArticleView(DocumentMixin, GeometryMixin, PaintingMixin, DragMixin, GhostMixin, QTextEdit):
    """Read-only reader of one article with annotation highlights painted over the visible text."""

    annotationClicked = Signal(str)
    selectionSpanChanged = Signal(int, int)
    comparisonClicked = Signal(str)  # review mode: the key of the comparison clicked ("" for none)
    boundsDragged = Signal(str, int, int)  # a handle of the selected annotation was dragged: new (start, end)
    suggestionClicked = Signal(str)  # a click on a ghost span where no annotation is

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ready = False  # changeEvent fires during construction
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.setUndoRedoEnabled(False)
        self.setAcceptRichText(False)
        self.setAcceptDrops(False)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Always on: a scroll bar that appears once the text is laid out would narrow the text
        # and make Qt lay the whole document out a second time.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setAutoFillBackground(True)  # the margins around the column look like the page
        self.setBackgroundRole(wrap_viewport(self).backgroundRole())

        self._article: Article | None = None
        self._u16: Utf16Index = Utf16Index("")
        self._schema: LabelSchema | None = None
        self._theme: Theme = self._current_theme()
        self._label_styles: dict[str, LabelStyle] = {}
        self._annotations: dict[str, Annotation] = {}
        self._index = SpanIndex()
        self._kinds: list[str] = []  # kind of each document block, by block number
        self._rtl_blocks: dict[int, bool] = {}
        self._selected: str | None = None
        self._relations: dict[str, Relation] = {}  # live relations of the article, by id
        self._links: dict[str, set[str]] = {}  # annotation id -> ids of its relations
        self._link_from: str | None = None  # link mode: the annotation being linked
        self._link_candidates: set[str] = set()
        self._zoom = 0
        self._column_em = 16.0
        self._press: QPoint | None = None
        self._last_selection: tuple[int, int] = (-1, -1)
        self._rendering = False
        self._rendered_look: tuple[Theme, str, int | None] | None = None
        # find
        self._find_needle = ""
        self._find_case = False
        self._find_starts: list[int] = []  # UTF-16
        self._find_ends: list[int] = []
        self._find_current = -1
        self._review: ReviewLayer | None = None
        # review mode spaces the lines for its underlines and tabs: None, or the extra annotators' tracks
        self._review_spacing: int | None = None
        # dragging a boundary handle of the selected annotation
        self._drag_key: str | None = None
        self._drag_edge = ""  # "start" or "end"
        self._drag_bounds: tuple[int, int] = (0, 0)  # live preview, code points
        self._drag_press: QPoint | None = None
        self._drag_moved = False
        self._swallow_release = False  # a cancelled drag: the rest of the gesture does nothing
        self._hover_edge = False
        self._init_ghosts()
        self.viewport().setMouseTracking(True)

        self.selectionChanged.connect(self._on_selection_changed)
        self._install(self._new_document())
        self._ready = True

    @property
    def article(self) -> Article | None:
        return self._article

    def set_article(self, article: Article, annotations: list[Annotation], schema: LabelSchema) -> None:
        # A bulk load allocates tens of thousands of small acyclic objects: pausing the cyclic
        # garbage collector meanwhile avoids repeated full-heap passes (measured: 20-40 ms with
        # 10,000 annotations); whatever it would have found is collected right after.
        with paused_gc():
            self._load(article, annotations, schema)

    def _load(self, article: Article, annotations: list[Annotation], schema: LabelSchema) -> None:
        if self._review is not None and self._review.article_id != article.id:
            self._review = None  # a review layer belongs to one article
        self._end_drag()
        self._clear_ghosts()
        self._article = article
        self._u16 = Utf16Index(article.text)
        self._schema = schema
        self._selected = None
        self._relations, self._links = {}, {}
        self._link_from, self._link_candidates = None, set()
        self._reset_find()
        self._label_styles = self._make_label_styles(schema)
        length = len(article.text)
        spans = [(ann.id, ann.start, ann.end) for ann in annotations if not ann.deleted]
        try:
            if spans and max(span[2] for span in spans) > length:
                raise ValueError("a span ends after the text")
            self._index.rebuild(spans)  # refuses start < 0 and end < start
            self._annotations = {ann.id: ann for ann in annotations if not ann.deleted}
        except ValueError:
            live = []
            for ann in annotations:
                if ann.deleted:
                    continue
                if 0 <= ann.start <= ann.end <= length:
                    live.append(ann)
                else:
                    log.warning("annotation %s (%s..%s) lies outside the article (%s characters)",
                                ann.id, ann.start, ann.end, length)
            self._index.rebuild([(ann.id, ann.start, ann.end) for ann in live])
            self._annotations = {ann.id: ann for ann in live}
        self._render(keep_position=False)

    def clear_article(self) -> None:
        self._end_drag()
        self._article = None
        self._review = None
        self._clear_ghosts()
        self._u16 = Utf16Index("")
        self._annotations = {}
        self._index.clear()
        self._selected = None
        self._relations, self._links = {}, {}
        self._link_from, self._link_candidates = None, set()
        self._reset_find()
        self._render(keep_position=False)

    def set_schema(self, schema: LabelSchema) -> None:
        self._schema = schema
        if self._look() != self._rendered_look:  # other label colours: the muted text adapts to them
            self._restyle()
            return
        self._label_styles = self._make_label_styles(schema)
        self.viewport().update()

    # review mode ---------------------------------------------------------------------------

    def set_review_layer(self, layer: ReviewLayer | None) -> None:
        """Paint ``layer`` (review mode) instead of the annotations; None goes back to them."""
        if layer is not None and (self._article is None or layer.article_id != self._article.id):
            layer = None
        from annotator.ui.review_layer import EXTRA_TRACKS

        self._review = layer
        spacing = min(len(layer.extras), EXTRA_TRACKS) if layer is not None else None
        if spacing != self._review_spacing:  # entering or leaving review mode: re-space the lines
            self._review_spacing = spacing
            self._render(keep_position=True)
        self.viewport().update()

    def width_for_characters(self, characters: int) -> int:
        """The view's width that gives the text column ``characters`` average characters a line
        (body font, document margins, scroll bar and frame included)."""
        average = QFontMetricsF(self._body_font()).averageCharWidth()
        bar = self.verticalScrollBar().sizeHint().width()
        return int(characters * average + 2 * self.document().documentMargin() + bar + 2 * self.frameWidth()) + 1

    def max_column_width(self) -> float:
        """The width of the capped text column (``MAX_COLUMN_EM``), document margins excluded."""
        return MAX_COLUMN_EM * self._column_em

    def characters_per_line(self) -> float:
        """Average characters a line of the text column holds at the view's present width."""
        average = QFontMetricsF(self._body_font()).averageCharWidth()
        column = self.viewport().width() - 2 * self.document().documentMargin()
        return max(0.0, column / average) if average > 0 else 0.0

    def review_layer(self) -> ReviewLayer | None:
        return self._review

    def show_span(self, start: int, end: int) -> None:
        """Scroll code points start..end into view (if they are not on screen already)."""
        if self._article is None:
            return
        length = len(self._article.text)
        start, end = max(0, min(start, length)), max(0, min(end, length))
        self._scroll_into_view(*self._qt_range(start, max(start, end)))

    def add_annotation(self, ann: Annotation) -> None:
        bounds = self._checked_bounds(ann)
        if bounds is None:
            return
        old = self._index.get(ann.id)
        self._annotations[ann.id] = ann
        self._index.add(ann.id, *bounds)
        if old is not None:
            self._update_band(*self._qt_range(old.start, old.end))
        if ann.id in self._links:
            self.viewport().update()  # arrows to it may move
        else:
            self._update_band(*self._qt_range(*bounds))

    def update_annotation(self, ann: Annotation) -> None:
        if ann.deleted:
            self.remove_annotation(ann.id)
        else:
            self.add_annotation(ann)

    def remove_annotation(self, annotation_id: str) -> None:
        if self._drag_key == annotation_id:
            self._end_drag()
        self._annotations.pop(annotation_id, None)
        span = self._index.remove(annotation_id)
        if self._selected == annotation_id:
            self._selected = None
        if span is not None:
            self._update_band(*self._qt_range(span.start, span.end))

    # relations ---------------------------------------------------------------------------

    def set_relations(self, relations: list[Relation]) -> None:
        """The article's live relations (replaces what was shown)."""
        self._relations, self._links = {}, {}
        for relation in relations:
            self._store_relation(relation)
        self.viewport().update()

    def add_relation(self, relation: Relation) -> None:
        if relation.deleted:
            self.remove_relation(relation.id)
            return
        self._store_relation(relation)
        self.viewport().update()

    def remove_relation(self, relation_id: str) -> None:
        relation = self._relations.pop(relation_id, None)
        if relation is None:
            return
        for end in (relation.head, relation.tail):
            ids = self._links.get(end)
            if ids is not None:
                ids.discard(relation_id)
                if not ids:
                    del self._links[end]
        self.viewport().update()

    def _store_relation(self, relation: Relation) -> None:
        if relation.deleted or (self._article is not None and relation.article_id not in ("", self._article.id)):
            return
        self._relations[relation.id] = relation
        self._links.setdefault(relation.head, set()).add(relation.id)
        self._links.setdefault(relation.tail, set()).add(relation.id)

    def relations_of(self, annotation_id: str) -> list[Relation]:
        """The live relations with `annotation_id` at either end, oldest first."""
        found = [self._relations[r] for r in self._links.get(annotation_id, ())]
        return sorted(found, key=lambda r: (r.created, r.id))

    def set_link_mode(self, source: str | None, candidates: set[str] | frozenset[str] = frozenset()) -> None:
        """Link mode: outline the spans `source` can be linked to (None ends it)."""
        self._link_from = source
        self._link_candidates = set(candidates) if source else set()
        if source:
            self._end_drag()
        self._hover_edge = False
        self.viewport().setCursor(self._default_cursor())
        self.viewport().update()

    def link_mode(self) -> str | None:
        return self._link_from

    def point_for(self, cp: int) -> QPoint:
        """Viewport point at the middle of the character at code point ``cp`` (clicks in tests)."""
        u16 = self._u16.to_utf16(cp)
        block, line = self._line_for(u16)
        if line is None:
            return QPoint(-1, -1)
        relative = u16 - block.position()
        x1, x2 = line.cursorToX(relative)[0], line.cursorToX(relative + 1)[0]
        origin = block.layout().position() + self._offset()
        return QPoint(int(origin.x() + (x1 + x2) / 2), int(origin.y() + line.y() + line.height() / 2))

    def set_selected_annotation(self, annotation_id: str | None) -> None:
        previous = self._index.get(self._selected) if self._selected else None
        if (self._selected and self._selected in self._links) or (annotation_id and annotation_id in self._links):
            self.viewport().update()  # the arrows of the old and the new selection
        if self._drag_key is not None and self._drag_key != annotation_id:
            self._end_drag()
        self._selected = annotation_id or None
        if previous is not None:
            self._update_band(*self._qt_range(previous.start, previous.end))
        span = self._index.get(annotation_id) if annotation_id else None
        if span is not None:
            start, end = self._qt_range(span.start, span.end)
            self._scroll_into_view(start, end)
            self._update_band(start, end)

    def selected_annotation(self) -> str | None:
        return self._selected

    def selection_span(self) -> tuple[int, int] | None:
        cursor = self.textCursor()
        if self._article is None or not cursor.hasSelection():
            return None
        limit = self._u16.utf16_length
        start = self._u16.to_codepoint(min(cursor.selectionStart(), limit))
        end = self._u16.to_codepoint(min(cursor.selectionEnd(), limit))
        return (start, end) if end > start else None

    def select_span(self, start: int, end: int) -> None:
        if self._article is None:
            return
        length = len(self._article.text)
        start, end = sorted((max(0, min(start, length)), max(0, min(end, length))))
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._u16.to_utf16(start))
        if end > start:
            cursor.setPosition(self._u16.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def annotations_at(self, cp: int) -> list[str]:
        """Ids of the annotations covering code point ``cp``, innermost (shortest) first."""
        if self._article is None or not 0 <= cp < len(self._article.text):
            return []
        return [span.key for span in self._index.at(cp)]

    def scroll_position(self) -> int:
        """Code point where the first line fully at the top of the viewport starts."""
        if self._article is None or not self._article.text:
            return 0
        found = self._line_at_or_below(self.verticalScrollBar().value() - 0.5)
        if found is None:
            return len(self._article.text)
        block, line = found
        return self._u16.to_codepoint(min(block.position() + line.textStart(), self._u16.utf16_length))

    def set_scroll_position(self, cp: int) -> None:
        """Scroll so that the line holding code point ``cp`` is the first one at the top."""
        if self._article is None:
            return
        cp = max(0, min(cp, len(self._article.text)))
        block, line = self._line_for(self._u16.to_utf16(cp))
        if line is None:
            return
        top = block.layout().position().y() + line.y()
        first = block.blockNumber() == 0 and line.lineNumber() == 0
        self._sync_scroll_range()
        # a little air above the line (less than any line's height, so it stays the first line)
        self.verticalScrollBar().setValue(0 if first else int(top - round(self._column_em * 0.4)))

    def find(self, needle: str, case_sensitive: bool = False) -> int:
        """Mark every hit of ``needle``; a repeated call moves to the next hit. ``find("")`` clears."""
        if self._article is None or not needle:
            self._reset_find()
            self.viewport().update()
            return 0
        if needle != self._find_needle or case_sensitive != self._find_case or not self._find_starts:
            flags = 0 if case_sensitive else re.IGNORECASE
            self._find_needle, self._find_case = needle, case_sensitive
            self._find_starts, self._find_ends = [], []
            to_u16 = self._u16.to_utf16
            for match in re.finditer(re.escape(needle), self._article.text, flags):
                self._find_starts.append(to_u16(match.start()))
                self._find_ends.append(to_u16(match.end()))
            if not self._find_starts:
                self._find_current = -1
                self.viewport().update()
                return 0
            here = self.textCursor().selectionStart()
            self._find_current = bisect.bisect_left(self._find_starts, here) % len(self._find_starts)
        else:
            self._find_current = (self._find_current + 1) % len(self._find_starts)
        start, end = self._find_starts[self._find_current], self._find_ends[self._find_current]
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self._scroll_into_view(start, end)
        self.viewport().update()
        return len(self._find_starts)

    def find_hits(self) -> list[tuple[int, int]]:
        """Current find hits in code points (for tests and a status line)."""
        to_cp = self._u16.to_codepoint
        return [(to_cp(s), to_cp(e)) for s, e in zip(self._find_starts, self._find_ends)]

    def zoom(self, steps: int) -> None:
        zoom = max(ZOOM_RANGE[0], min(ZOOM_RANGE[1], self._zoom + steps))
        if zoom != self._zoom:
            self._zoom = zoom
            self._render(keep_position=True)

    def reset_zoom(self) -> None:
        if self._zoom:
            self._zoom = 0
            self._render(keep_position=True)

    def zoom_level(self) -> int:
        return self._zoom

    def loadResource(self, type: int, name: QUrl) -> object:  # noqa: A002 - Qt's signature
        """Never fetch anything: no remote (or local) resource is loaded into the view."""
        log.debug("blocked resource request %s", name.toString() if isinstance(name, QUrl) else name)
        return None

    def _checked_bounds(self, ann: Annotation) -> tuple[int, int] | None:
        if self._article is None or ann.deleted:
            return None
        if ann.article_id and ann.article_id != self._article.id:
            # most likely a late signal about the previous article: its offsets mean nothing here
            log.warning("annotation %s belongs to article %s, not %s", ann.id, ann.article_id, self._article.id)
            return None
        length = len(self._article.text)
        if not 0 <= ann.start <= ann.end <= length:
            log.warning("annotation %s (%s..%s) lies outside the article (%s)", ann.id, ann.start, ann.end, length)
            return None
        return ann.start, ann.end

    def _reset_find(self) -> None:
        self._find_needle = ""
        self._find_starts, self._find_ends = [], []
        self._find_current = -1

    def _tooltip_text(self, u16: int) -> str:
        lines = []
        for span in self._index.at(self._u16.to_codepoint(u16)):
            ann = self._annotations.get(span.key)
            if ann is None:
                continue
            text = ann.label
            if ann.annotator:
                text += f" \u2014 {ann.annotator}"
            if ann.origin == "suggested":
                text += " (suggested)"
            for relation in self.relations_of(ann.id):
                outgoing = relation.head == ann.id
                other = self._annotations.get(relation.tail if outgoing else relation.head)
                if other is not None:
                    quote = other.quote if len(other.quote) <= 40 else other.quote[:39] + "\u2026"
                    arrow = "\u2192" if outgoing else "\u2190"
                    text += f"\n  {arrow} {relation.type.replace('_', ' ')} {other.label} \u201c{quote}\u201d"
            if ann.note:
                note = " ".join(ann.note.split())
                text += f"\n  \u270e {note if len(note) <= 120 else note[:119] + chr(0x2026)}"
            lines.append(text)
        return "\n".join(lines + self._ghost_tooltip(self._u16.to_codepoint(u16)))

    def _on_selection_changed(self) -> None:
        if self._rendering:
            return
        span = self.selection_span() or (-1, -1)
        if span != self._last_selection:
            self._last_selection = span
            self.selectionSpanChanged.emit(*span)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._swallow_release = False
        if event.button() == Qt.MouseButton.LeftButton and self._article is not None:
            edge = self._edge_at(event.position())
            found = self._handle_bounds()
            if edge and found is not None:  # grab a handle of the selected annotation
                self._drag_key, self._drag_edge = found[0], edge
                self._drag_bounds = (found[1], found[2])
                self._drag_press = event.position().toPoint()
                self._drag_moved = False
                self._press = None
                self.viewport().setCursor(Qt.CursorShape.SizeHorCursor)
                event.accept()
                return
        self._press = event.position().toPoint() if event.button() == Qt.MouseButton.LeftButton else None
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        point = event.position().toPoint()
        if self._drag_key is not None:
            if self._drag_press is not None and (point - self._drag_press).manhattanLength() >= QApplication.startDragDistance():
                self._drag_moved = True
            if self._drag_moved:
                self._autoscroll(point)
                bounds = self._dragged_bounds(point, event.modifiers())
                if bounds != self._drag_bounds:
                    self._drag_bounds = bounds
                    self.viewport().update()
            event.accept()
            return
        if self._swallow_release and event.buttons() & Qt.MouseButton.LeftButton:
            event.accept()  # the rest of a cancelled drag
            return
        if not event.buttons():
            on_edge = bool(self._edge_at(point))
            if on_edge != self._hover_edge:
                self._hover_edge = on_edge
                self.viewport().setCursor(Qt.CursorShape.SizeHorCursor if on_edge else self._default_cursor())
        super().mouseMoveEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if self._drag_key is not None and event.key() == Qt.Key.Key_Escape:
            self._end_drag()  # cancelled: nothing is stored
            self.viewport().setCursor(self._default_cursor())
            self._hover_edge = False
            event.accept()
            return
        super().keyPressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._drag_key is not None and event.button() == Qt.MouseButton.LeftButton:
            self._finish_drag(event)
            event.accept()
            return
        if self._swallow_release and event.button() == Qt.MouseButton.LeftButton:
            self._swallow_release = False
            event.accept()
            return
        super().mouseReleaseEvent(event)
        press, self._press = self._press, None
        if press is None or event.button() != Qt.MouseButton.LeftButton or self._article is None:
            return
        point = event.position().toPoint()
        if (point - press).manhattanLength() >= QApplication.startDragDistance():
            return  # a drag: the user selected text
        self._emit_click(point)

    def _emit_click(self, point: QPoint) -> None:
        char = self._char_at(point)
        if self._review is not None:
            found = self._review.comparison_at(self._u16.to_codepoint(char)) if char is not None else None
            self.comparisonClicked.emit(found or "")
            return
        spans = self._index.at(self._u16.to_codepoint(char)) if char is not None else []
        if self._link_from and spans:  # in link mode a click means a span that can be linked
            spans = [s for s in spans if s.key in self._link_candidates] or spans
        ghost = self.suggestion_at(self._u16.to_codepoint(char)) if char is not None and not spans else None
        if ghost is not None:
            self.suggestionClicked.emit(ghost)
            return
        self.annotationClicked.emit(spans[0].key if spans else "")

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ToolTip:
            char = self._char_at(event.pos())
            text = self._tooltip_text(char) if char is not None else ""
            if self._review is not None:
                text = self._review.tooltip(self._u16.to_codepoint(char)) if char is not None else ""
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and self._drag_key is not None:
            if isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape:
                event.accept()  # Esc cancels the drag (keyPressEvent), not the window's deselect shortcut
                return True
        if event.type() == QEvent.Type.Resize:
            # set the margins before QAbstractScrollArea sizes the viewport, so that the viewport
            # is resized once, straight to its final width (a capped column: often unchanged)
            self._update_margins()
        return super().event(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange, QEvent.Type.StyleChange):
            if self._ready and not self._rendering and self._look() != self._rendered_look:
                self._restyle()

    def _restyle(self) -> None:
        """New colours or fonts: label styles and the document made again, where the reader was."""
        self._theme = self._current_theme()
        self._label_styles = self._make_label_styles(self._schema)
        self._render(keep_position=True)
