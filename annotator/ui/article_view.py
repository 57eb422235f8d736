"""The article view: a calm, read-only reader of one article that paints the annotations over it.

How it is built, and why:

* **Text.** The document is built block by block with ``QTextCursor`` (never HTML: article text is
  untrusted), one document block per article block, so the document's text is the article's
  canonical text position for position (a block boundary is one position in both). Qt reads five
  characters inside inserted text as structure - CR, U+2029 (paragraph separator), U+FDD0/U+FDD1
  (frame markers) and lone surrogates - so those are shown as U+FFFD, one UTF-16 unit for one; no
  position moves. Every other character is inserted as it is.
* **Positions.** Qt counts UTF-16 units, the model counts code points: every conversion goes
  through ``annotator.textspan.Utf16Index`` (built once per article).
* **Highlights** are *not* char formats or extra selections, which would make adding one span to
  an article with 10,000 re-apply all of them. Spans live in a ``SpanIndex`` (in code points, as
  stored: loading needs no conversion) and ``paintEvent`` converts and paints only those
  overlapping the visible lines: translucent label-colour backgrounds under the text (blending
  where spans overlap), then stacked underlines (one track per nesting depth, a dash pattern per
  label so colour is never the only cue) in the leading below each line, over the text; the
  selected annotation gets a stronger fill and an outline. Adding or removing a span is an index
  update and a repaint of the lines it covers. Find hits are painted the same way, in a neutral
  grey with a thin outline (never a label colour).
* **Reading.** Headline and standfirst in a serif, datelines/bylines/captions smaller and muted,
  related-story lines in a muted accent with a bar at their left, image alt text in a tinted
  placeholder box with a small picture sign, body at 150% line height. All of it is drawn or
  formatted: no character is added, so positions stay exact.
* **Hostile text.** A run of thousands of characters with no break opportunity makes Qt's
  word wrapping quadratic (200,000: over 20 s); such an article wraps anywhere instead.
* **Dragging bounds.** The selected annotation gets a handle at each end (a bar with a knob: on
  top at the start, below at the end). Near a handle the pointer becomes a sizing cursor; pressing
  and dragging it moves that boundary, previewed live (snapped to whole words, or with Alt held to
  characters, never past the other end: at least one character stays). Releasing emits
  ``boundsDragged(id, start, end)`` in code points (the window stores it as one undoable edit);
  Esc during the drag cancels it. A press anywhere else selects text or clicks a span as always.
* **Relations and notes.** A span with a relation gets a small dot just after its end, in its
  label's colour (like a superscript), and a span with a note a small dog-ear at its top-right
  corner. Only the *selected* annotation's relations are drawn as arrows (head to tail, arching
  above the text, with the type written small at the middle), so a page with many relations stays
  readable. In link mode (``set_link_mode``) the spans that can be linked are outlined, dashed.
* **Review mode.** ``set_review_layer(layer)`` replaces the annotation highlights with a
  ``ReviewLayer`` (review_layer.py): two annotators' spans over the same text, each comparison
  marked; the view only supplies the geometry (line pieces of the visible spans) and the layer
  paints them. A click then emits ``comparisonClicked`` rather than ``annotationClicked``.
  ``set_review_layer(None)`` goes back to the normal picture; nothing else is rebuilt.
* **Privacy.** No resource is ever loaded: the document class and the view both answer every
  ``loadResource`` with nothing, whatever the URL, and no HTML is ever inserted.
* **Measure.** The text column is capped (``MAX_COLUMN_EM``) and centred with viewport margins, so
  a resize of a wide window does not even re-lay out the text.
"""

from __future__ import annotations

import bisect
import gc
import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from PySide6.QtCore import QEvent, QLineF, QPoint, QPointF, QRect, QRectF, Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextLayout,
    QTextLine,
    QTextOption,
)
from PySide6.QtWidgets import QApplication, QFrame, QTextEdit, QToolTip, QWidget

from annotator.model import Annotation, Article, Relation
from annotator.schema import LabelSchema
from annotator.textspan import Utf16Index, grapheme_bounds, snap_to_graphemes, snap_to_words
from annotator.ui.highlights import Span, SpanIndex, merge_ranges, paint_order
from annotator.ui.review_layer import LayerPiece, ReviewLayer, ReviewLook
from annotator.ui.theme import DASH_PATTERNS, FALLBACK_LABEL_COLOR, Theme, theme_for

log = logging.getLogger(__name__)

MAX_COLUMN_EM = 40.0  # text column cap, in body font ems (~70 characters a line)
ZOOM_RANGE = (-6, 12)
ZOOM_FACTOR = 1.1
UNDERLINE_WIDTH = 2.0
UNDERLINE_PITCH = 3.0  # distance between stacked underlines
HANDLE_REACH = 5.0  # pixels either side of a selected span's edge where its handle can be grabbed
HANDLE_KNOB = 4.0  # radius of the knob on a boundary handle

# Characters QTextCursor.insertText treats as structure, shown as U+FFFD (same UTF-16 length).
_QT_STRUCTURAL = re.compile("[\r\u2029\ufdd0\ufdd1\ud800-\udfff]")
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u200f\u202b\u202e\u2067\U00010800-\U00010fff\U0001e800-\U0001efff]")


class _SafeDocument(QTextDocument):
    """A document that never loads any resource (images, style sheets), remote or local."""

    def loadResource(self, type: int, name: QUrl) -> object:  # noqa: A002 - Qt's signature
        log.debug("blocked resource request %s", name.toString() if isinstance(name, QUrl) else name)
        return None


@dataclass(frozen=True)
class _KindStyle:
    size: float = 1.0  # relative to the body font
    bold: bool = False
    italic: bool = False
    serif: bool = False
    colour: str = "text"  # Theme attribute
    line_height: int = 150  # percent
    top: float = 0.0  # margins in body ems
    bottom: float = 0.85
    indent: float = 0.0
    small_caps: bool = False
    spacing: float = 100.0  # letter spacing, percent


KIND_STYLES: dict[str, _KindStyle] = {
    "topic": _KindStyle(0.78, bold=True, colour="accent", line_height=130, bottom=0.2, small_caps=True, spacing=106),
    "dateline": _KindStyle(0.8, colour="muted", line_height=130, bottom=0.9),
    "headline": _KindStyle(1.95, bold=True, serif=True, line_height=118, bottom=0.55),
    "standfirst": _KindStyle(1.2, serif=True, colour="muted", line_height=140, bottom=1.1),
    "subheading": _KindStyle(1.2, bold=True, serif=True, line_height=130, top=0.6, bottom=0.5),
    "author": _KindStyle(0.85, bold=True, line_height=130, bottom=0.1),
    "byline": _KindStyle(0.85, colour="muted", line_height=130, bottom=1.6),
    "paragraph": _KindStyle(),
    "quote": _KindStyle(italic=True, serif=True, indent=1.6),
    "list_item": _KindStyle(indent=1.4, bottom=0.4),
    "related": _KindStyle(0.8, bold=True, colour="accent", line_height=135, top=0.25, bottom=1.1, indent=1.0, spacing=103),
    "image_alt": _KindStyle(0.85, italic=True, colour="muted", line_height=135, top=0.5, bottom=0.7, indent=2.4),
    "caption": _KindStyle(0.85, colour="muted", line_height=140, bottom=0.15),
    "credit": _KindStyle(0.75, colour="faint", line_height=135, bottom=1.3),
    "note": _KindStyle(0.85, italic=True, colour="muted", line_height=140, top=0.8, bottom=0.5),
    "bio": _KindStyle(0.85, italic=True, colour="muted", line_height=140, top=0.4, bottom=0.5),
}
_DEFAULT_STYLE = KIND_STYLES["paragraph"]
SERIF_FAMILIES = ["Charter", "Georgia", "Source Serif 4", "Source Serif Pro", "Noto Serif", "DejaVu Serif", "serif"]


@dataclass(frozen=True)
class _LabelStyle:
    fill: QColor
    selected_fill: QColor
    line: QColor
    pen: QPen  # the underline: label colour, label dash pattern


@dataclass
class _Piece:
    """One visual piece of a span on one line, in viewport coordinates."""

    key: str
    rect: QRectF
    underline_y: float
    last: bool = False  # the piece where the span ends (markers go there)


class ArticleView(QTextEdit):
    """Read-only reader of one article with annotation highlights painted over the visible text."""

    annotationClicked = Signal(str)
    selectionSpanChanged = Signal(int, int)
    comparisonClicked = Signal(str)  # review mode: the key of the comparison clicked ("" for none)
    boundsDragged = Signal(str, int, int)  # a handle of the selected annotation was dragged: new (start, end)

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
        self.setBackgroundRole(self.viewport().backgroundRole())

        self._article: Article | None = None
        self._u16: Utf16Index = Utf16Index("")
        self._schema: LabelSchema | None = None
        self._theme: Theme = theme_for(self.palette())
        self._label_styles: dict[str, _LabelStyle] = {}
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
        self._rendered_look: tuple[Theme, str] | None = None
        # find
        self._find_needle = ""
        self._find_case = False
        self._find_starts: list[int] = []  # UTF-16
        self._find_ends: list[int] = []
        self._find_current = -1
        self._review: ReviewLayer | None = None
        # dragging a boundary handle of the selected annotation
        self._drag_key: str | None = None
        self._drag_edge = ""  # "start" or "end"
        self._drag_bounds: tuple[int, int] = (0, 0)  # live preview, code points
        self._drag_press: QPoint | None = None
        self._drag_moved = False
        self._swallow_release = False  # a cancelled drag: the rest of the gesture does nothing
        self._hover_edge = False
        self.viewport().setMouseTracking(True)

        self.selectionChanged.connect(self._on_selection_changed)
        self._install(self._new_document())
        self._ready = True

    # ------------------------------------------------------------------------------------ API
    @property
    def article(self) -> Article | None:
        return self._article

    def set_article(self, article: Article, annotations: list[Annotation], schema: LabelSchema) -> None:
        # A bulk load allocates tens of thousands of small acyclic objects: pausing the cyclic
        # garbage collector meanwhile avoids repeated full-heap passes (measured: 20-40 ms with
        # 10,000 annotations); whatever it would have found is collected right after.
        with _gc_paused():
            self._load(article, annotations, schema)

    def _load(self, article: Article, annotations: list[Annotation], schema: LabelSchema) -> None:
        if self._review is not None and self._review.article_id != article.id:
            self._review = None  # a review layer belongs to one article
        self._end_drag()
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
        self._label_styles = self._make_label_styles(schema)
        self.viewport().update()

    # review mode ---------------------------------------------------------------------------
    def set_review_layer(self, layer: ReviewLayer | None) -> None:
        """Paint ``layer`` (review mode) instead of the annotations; None goes back to them."""
        if layer is not None and (self._article is None or layer.article_id != self._article.id):
            layer = None
        self._review = layer
        self.viewport().update()

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

    # ------------------------------------------------------------------------ building the text
    def _new_document(self) -> QTextDocument:
        doc = _SafeDocument(self)
        doc.setUndoRedoEnabled(False)
        return doc

    def _install(self, doc: QTextDocument) -> None:
        old = getattr(self, "_own_document", None)
        self.setDocument(doc)
        self._own_document = doc
        if old is not None and old is not doc:
            old.deleteLater()
        self._rtl_blocks = {}
        self._update_margins()

    def _render(self, keep_position: bool) -> None:
        """(Re)build the document from the article: on load, zoom and theme changes only."""
        top = self.scroll_position() if keep_position else 0
        selection = self.selection_span() if keep_position else None
        self._theme = theme_for(self.palette())
        self._rendered_look = self._look()
        doc = self._new_document()
        self._kinds = []
        body = self._body_font()
        em = QFontMetricsF(body).height() / 1.17  # ~ font pixel size, resolution independent
        self._column_em = em
        doc.setDocumentMargin(max(12.0, em * 1.6))
        doc.setDefaultFont(body)
        if self._article is not None and self._article.text:
            self._fill(doc, self._article, body, em)
        # Qt's word-boundary wrapping is quadratic in the length of a run without a break
        # opportunity (200,000 characters: over 20 s); such a text wraps anywhere instead.
        wrap = QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere
        if self._article is not None and _has_unbreakable_run(self._article.text):
            wrap = QTextOption.WrapMode.WrapAnywhere
        option = doc.defaultTextOption()
        option.setWrapMode(wrap)
        doc.setDefaultTextOption(option)
        self._rendering = True
        try:
            if self.wordWrapMode() != wrap:
                # QTextEdit imposes its own wrap mode on a document it is given: change it while
                # an empty document is shown, so that no text is laid out twice
                self._install(self._new_document())
                self.setWordWrapMode(wrap)
            self._install(doc)
        finally:
            self._rendering = False
        self._last_selection = (-1, -1)
        if keep_position and self._article is not None:
            if selection is not None:
                self.select_span(*selection)
            self.set_scroll_position(top)
        self.viewport().update()

    def _fill(self, doc: QTextDocument, article: Article, body: QFont, em: float) -> None:
        """Insert the whole text at once in paragraph style, then restyle the other blocks.

        One ``insertText`` lets Qt split the blocks itself (much faster than a call per block for
        long articles); the few headline/byline/caption... blocks are then given their formats.
        """
        text = _qt_safe(article.text)
        blocks = article.blocks
        if blocks and len(blocks) == text.count("\n") + 1 and blocks[0].start == 0 and blocks[-1].end == len(text):
            kinds = [block.kind for block in blocks]
        else:  # blocks that do not tile the text: style by where each line starts
            kinds_at = {block.start: block.kind for block in blocks}
            kinds = []
            position = 0
            for piece in text.split("\n"):
                kinds.append(kinds_at.get(position, "paragraph"))
                position += len(piece) + 1
        self._kinds = kinds
        formats: dict[str, tuple[QTextBlockFormat, QTextCharFormat]] = {}

        def formats_for(kind: str) -> tuple[QTextBlockFormat, QTextCharFormat]:
            pair = formats.get(kind)
            if pair is None:
                pair = formats[kind] = self._formats(kind, body, em)
            return pair

        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        block_format, char_format = formats_for("paragraph")
        cursor.setBlockFormat(block_format)
        cursor.setBlockCharFormat(char_format)
        cursor.insertText(text, char_format)
        for number, kind in enumerate(kinds):
            if kind == "paragraph":
                continue
            block_format, char_format = formats_for(kind)
            cursor.setPosition(doc.findBlockByNumber(number).position())
            cursor.setBlockFormat(block_format)
            cursor.setBlockCharFormat(char_format)
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
            if cursor.hasSelection():
                cursor.setCharFormat(char_format)
        cursor.endEditBlock()

    def _body_font(self) -> QFont:
        font = QFont(self.font())
        size = max(font.pointSizeF() * 1.2, 11.0) if font.pointSizeF() > 0 else 11.5
        font.setPointSizeF(size * ZOOM_FACTOR**self._zoom)
        return font

    def _formats(self, kind: str, body: QFont, em: float) -> tuple[QTextBlockFormat, QTextCharFormat]:
        style = KIND_STYLES.get(kind, _DEFAULT_STYLE)
        font = QFont(body)
        if style.serif:
            font.setFamilies(SERIF_FAMILIES)
            font.setStyleHint(QFont.StyleHint.Serif)
        font.setPointSizeF(body.pointSizeF() * style.size)
        font.setBold(style.bold)
        font.setItalic(style.italic)
        if style.small_caps:
            font.setCapitalization(QFont.Capitalization.SmallCaps)
        if style.spacing != 100.0:
            font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, style.spacing)
        char_format = QTextCharFormat()
        char_format.setFont(font)
        char_format.setForeground(getattr(self._theme, style.colour))
        block_format = QTextBlockFormat()
        block_format.setLineHeight(style.line_height, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        block_format.setTopMargin(style.top * em)
        block_format.setBottomMargin(style.bottom * em)
        if style.indent:
            block_format.setLeftMargin(style.indent * em)
        return block_format, char_format

    # ------------------------------------------------------------------------------ geometry
    def _offset(self) -> QPointF:
        """Document coordinates + offset = viewport coordinates."""
        return QPointF(-self.horizontalScrollBar().value(), -self.verticalScrollBar().value())

    def _update_margins(self) -> None:
        if self._column_em <= 0:
            return
        doc_margin = self.document().documentMargin()
        column = MAX_COLUMN_EM * self._column_em + 2 * doc_margin
        bar = self.verticalScrollBar()
        available = self.contentsRect().width() - (bar.sizeHint().width() if bar.isVisibleTo(self) else 0)
        side = int(max(0.0, (available - column) / 2))
        margins = self.viewportMargins()
        if margins.left() != side or margins.right() != side:
            self.setViewportMargins(side, 0, side, 0)

    def _sync_scroll_range(self) -> None:
        """Make the scroll bar's range cover the laid-out document (layout runs lazily)."""
        height = self.document().documentLayout().documentSize().height()
        bar = self.verticalScrollBar()
        wanted = max(0, int(height) - self.viewport().height())
        if bar.maximum() < wanted:
            bar.setRange(0, wanted)

    def _line_for(self, u16: int) -> tuple[QTextBlock, QTextLine | None]:
        doc = self.document()
        block = doc.findBlock(u16)
        if not block.isValid():
            block = doc.lastBlock()
        doc.documentLayout().blockBoundingRect(block)  # lays the block out if not done yet
        layout = block.layout()
        if layout is None or layout.lineCount() == 0:
            return block, None
        line = layout.lineForTextPosition(max(0, u16 - block.position()))
        if not line.isValid():
            line = layout.lineAt(layout.lineCount() - 1)
        return block, line

    def _line_at_or_below(self, y: float) -> tuple[QTextBlock, QTextLine] | None:
        """The first line whose top is at or below document y."""
        doc = self.document()
        position = doc.documentLayout().hitTest(QPointF(doc.documentMargin() + 1, y), Qt.HitTestAccuracy.FuzzyHit)
        block = doc.findBlock(max(0, position))
        if block.previous().isValid():
            block = block.previous()
        while block.isValid():
            doc.documentLayout().blockBoundingRect(block)  # lays it out if not done yet
            layout = block.layout()
            if layout is not None and layout.lineCount():
                relative = y - layout.position().y()
                lo, hi = 0, layout.lineCount()
                while lo < hi:
                    mid = (lo + hi) // 2
                    if layout.lineAt(mid).y() < relative:
                        lo = mid + 1
                    else:
                        hi = mid
                if lo < layout.lineCount():
                    return block, layout.lineAt(lo)
            block = block.next()
        return None

    def _char_at(self, point: QPoint | QPointF) -> int | None:
        """UTF-16 position of the character drawn at a viewport point, None off the text."""
        if self._article is None:
            return None
        offset = self._offset()
        doc_point = QPointF(point) - offset
        doc = self.document()
        position = doc.documentLayout().hitTest(doc_point, Qt.HitTestAccuracy.FuzzyHit)
        if position < 0:
            return None
        block = doc.findBlock(position)
        layout = block.layout()
        if layout is None or not layout.lineCount():
            return None
        origin = layout.position()
        y = doc_point.y() - origin.y()
        index = _first_line_below(layout, y)
        if index >= layout.lineCount():
            return None
        line = layout.lineAt(index)
        if y < line.y():
            return None  # in the space above the block's first line
        x = doc_point.x() - origin.x()
        if x < line.x() or x > line.x() + line.naturalTextWidth():
            return None
        char = line.xToCursor(x, QTextLine.CursorPosition.CursorOnCharacter)
        if isinstance(char, tuple):
            char = char[0]
        if not line.textStart() <= char < line.textStart() + line.textLength():
            return None
        position = block.position() + char
        return position if position < self._u16.utf16_length else None

    def _visible_blocks(self, rect: QRect) -> Iterator[tuple[QTextBlock, QTextLayout, int, int]]:
        """(block, layout, first line, end line) for the lines intersecting a viewport rect.

        Asks the document layout for each block's rectangle, which lays the block out if the lazy
        layout has not reached it yet (this runs before QTextEdit paints the text).
        """
        doc = self.document()
        doc_layout = doc.documentLayout()
        offset = self._offset()
        top, bottom = rect.top() - offset.y(), rect.bottom() + 1 - offset.y()
        position = doc_layout.hitTest(QPointF(doc.documentMargin() + 1, top), Qt.HitTestAccuracy.FuzzyHit)
        block = doc.findBlock(max(0, position))
        if block.isValid() and block.previous().isValid():
            block = block.previous()  # the leading of the previous block's last line may show
        while block.isValid():
            if doc_layout.blockBoundingRect(block).top() > bottom:
                break
            layout = block.layout()
            count = layout.lineCount() if layout is not None else 0
            if count:
                origin = layout.position().y()
                first = _first_line_below(layout, top - origin)
                end = first
                while end < count and layout.lineAt(end).y() + origin < bottom:
                    end += 1
                if end > first:
                    yield block, layout, first, end
            block = block.next()

    def _update_band(self, start: int, end: int) -> None:
        """Repaint the viewport band covering UTF-16 positions start..end (if any of it shows)."""
        if self._article is None:
            return
        first_block, first_line = self._line_for(start)
        last_block, last_line = self._line_for(max(start, end - 1))
        if first_line is None or last_line is None:
            self.viewport().update()
            return
        offset = self._offset()
        top = first_block.layout().position().y() + first_line.y() + offset.y() - 4 - 2 * HANDLE_KNOB
        bottom = last_block.layout().position().y() + last_line.y() + last_line.height() * 1.6 + offset.y() + 4
        band = QRect(0, int(top), self.viewport().width(), int(bottom - top) + 2)
        visible = band.intersected(self.viewport().rect())
        if not visible.isEmpty():
            self.viewport().update(visible)

    def _scroll_into_view(self, start: int, end: int) -> None:
        first_block, first_line = self._line_for(start)
        if first_line is None:
            return
        last_block, last_line = self._line_for(max(start, end - 1))
        top = first_block.layout().position().y() + first_line.y()
        bottom = last_block.layout().position().y() + last_line.y() + last_line.height() if last_line else top
        bar = self.verticalScrollBar()
        height = self.viewport().height()
        if top >= bar.value() and bottom <= bar.value() + height:
            return
        self._sync_scroll_range()
        bar.setValue(int(max(0.0, top - height / 3)))

    # ------------------------------------------------------------------------------ painting
    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self._article is None or not self._article.text:
            super().paintEvent(event)
            return
        if self._review is not None:
            self._paint_review(event)
            return
        pieces, tints, finds, current = self._layout_highlights(event.rect())
        with self._viewport_painter() as painter:
            self._paint_under(painter, pieces, tints, finds)
        super().paintEvent(event)
        with self._viewport_painter() as painter:
            self._paint_over(painter, pieces, current)

    @contextmanager
    def _viewport_painter(self) -> Iterator[QPainter]:
        """An antialiased painter on the viewport, ended before the text (or the next layer) paints."""
        painter = QPainter(self.viewport())
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            yield painter
        finally:
            painter.end()

    def _paint_review(self, event) -> None:
        """Review mode: the layer's fills under the text, its edges, outlines and tabs over it."""
        layer = self._review
        assert layer is not None
        # the tabs stand above their line: lay out a little more than the exposed rectangle
        reach = int(self._column_em * 1.2)
        pieces, tints = self._layout_review(layer, event.rect().adjusted(0, -reach, 0, reach))
        look = ReviewLook(self._theme, self._style_of_label, self._body_font())
        with self._viewport_painter() as painter:
            self._paint_under(painter, [], tints, [])
            layer.paint_under(painter, pieces, look)
        super().paintEvent(event)
        with self._viewport_painter() as painter:
            layer.paint_over(painter, pieces, look)

    def _layout_review(self, layer: ReviewLayer, rect: QRect) -> tuple[dict[str, list[LayerPiece]], list]:
        """Line pieces of the layer's spans on the lines intersecting ``rect`` (and the block tints)."""
        offset = self._offset()
        blocks = list(self._visible_blocks(rect))
        pieces: dict[str, list[LayerPiece]] = {}
        tints: list[tuple[str, QRectF]] = []
        if not blocks:
            return pieces, tints
        first_pos = blocks[0][0].position()
        last_block = blocks[-1][0]
        last_pos = last_block.position() + last_block.length()
        to_cp, to_u16 = self._u16.to_codepoint, self._u16.to_utf16
        limit = self._u16.utf16_length
        spans = [
            Span(span.key, to_u16(span.start), to_u16(span.end))
            for span in layer.overlapping(to_cp(min(first_pos, limit)), to_cp(min(last_pos, limit)) + 1)
        ]
        width = self.viewport().width()
        doc_margin = self.document().documentMargin()
        for block, layout, first, end in blocks:
            kind = self._kinds[block.blockNumber()] if block.blockNumber() < len(self._kinds) else "paragraph"
            origin = layout.position() + offset
            bpos = block.position()
            if kind in ("image_alt", "related"):
                head, tail = layout.lineAt(0), layout.lineAt(layout.lineCount() - 1)
                tints.append((kind, QRectF(doc_margin + offset.x(), origin.y() + head.y(), width - 2 * doc_margin,
                                           tail.y() + tail.height() - head.y())))
            bend = bpos + block.length() - 1
            block_spans = [s for s in spans if s.start < bend and s.end > bpos]
            if not block_spans:
                continue
            rtl = self._block_is_rtl(block)
            for index in range(first, end):
                line = layout.lineAt(index)
                line_start = bpos + line.textStart()
                line_end = line_start + line.textLength()
                top = origin.y() + line.y()
                gap = _leading(layout, index, line)
                for span in block_spans:
                    if span.start >= line_end or span.end <= line_start:
                        continue
                    a, b = max(span.start, line_start) - bpos, min(span.end, line_end) - bpos
                    ranges = _x_ranges(line, a, b, rtl)
                    starts_here, ends_here = span.start >= line_start, span.end <= line_end
                    for number, (left, right) in enumerate(ranges):
                        x1, x2 = round(origin.x() + left), round(origin.x() + right)
                        r = QRectF(x1, round(top), max(1, x2 - x1), round(line.height()))
                        pieces.setdefault(span.key, []).append(
                            LayerPiece(r, gap, starts_here and number == 0, ends_here and number == len(ranges) - 1)
                        )
        return pieces, tints

    def _layout_highlights(self, rect: QRect):
        offset = self._offset()
        blocks = list(self._visible_blocks(rect))
        pieces: list[_Piece] = []
        tints: list[tuple[str, QRectF]] = []
        finds: list[QRectF] = []
        current: list[QRectF] = []
        if not blocks:
            return pieces, tints, finds, current
        first_pos = blocks[0][0].position()
        last_block = blocks[-1][0]
        last_pos = last_block.position() + last_block.length()
        to_cp, to_u16 = self._u16.to_codepoint, self._u16.to_utf16
        limit = self._u16.utf16_length
        # the index is in code points; only the spans on screen are converted to Qt's units
        spans = [
            Span(span.key, to_u16(span.start), to_u16(span.end))
            for span in self._index.overlapping(to_cp(min(first_pos, limit)), to_cp(min(last_pos, limit)) + 1)
        ]
        if self._drag_key is not None:  # a boundary is being dragged: draw that span where it would go
            spans = [span for span in spans if span.key != self._drag_key]
            start, end = self._qt_range(*self._drag_bounds)
            if start < last_pos and end > first_pos:
                spans.append(Span(self._drag_key, start, end))
        find_lo = bisect.bisect_left(self._find_ends, first_pos + 1)
        find_hi = bisect.bisect_left(self._find_starts, last_pos)
        hits = [(self._find_starts[i], self._find_ends[i], i == self._find_current) for i in range(find_lo, find_hi)]
        width = self.viewport().width()
        doc_margin = self.document().documentMargin()
        for block, layout, first, end in blocks:
            kind = self._kinds[block.blockNumber()] if block.blockNumber() < len(self._kinds) else "paragraph"
            origin = layout.position() + offset
            bpos = block.position()
            if kind in ("image_alt", "related"):
                head = layout.lineAt(0)
                tail = layout.lineAt(layout.lineCount() - 1)
                box = QRectF(
                    doc_margin + offset.x(),
                    origin.y() + head.y(),
                    width - 2 * doc_margin,
                    tail.y() + tail.height() - head.y(),
                )
                tints.append((kind, box))
            bend = bpos + block.length() - 1
            block_spans = [s for s in spans if s.start < bend and s.end > bpos]
            block_hits = [h for h in hits if h[0] < bend and h[1] > bpos]
            if not block_spans and not block_hits:
                continue
            rtl = self._block_is_rtl(block)
            for index in range(first, end):
                line = layout.lineAt(index)
                line_start = bpos + line.textStart()
                line_end = line_start + line.textLength()
                top = origin.y() + line.y()
                gap = _leading(layout, index, line)
                tracks = max(1, int((gap - 1) // UNDERLINE_PITCH))
                for span in block_spans:
                    if span.start >= line_end or span.end <= line_start:
                        continue
                    a, b = max(span.start, line_start) - bpos, min(span.end, line_end) - bpos
                    track = min(self._index.track(span.key), tracks - 1)
                    # whole pixels: crisp edges, and a 2 px line centred on an integer fills 2 rows
                    underline = round(top + line.height()) + 2 + track * UNDERLINE_PITCH
                    ranges = _x_ranges(line, a, b, rtl)
                    ends_here = span.end <= line_end
                    for number, (left, right) in enumerate(ranges):
                        x1, x2 = round(origin.x() + left), round(origin.x() + right)
                        r = QRectF(x1, round(top), max(1, x2 - x1), round(line.height()))
                        pieces.append(_Piece(span.key, r, underline, ends_here and number == len(ranges) - 1))
                for start, stop, is_current in block_hits:
                    if start >= line_end or stop <= line_start:
                        continue
                    a, b = max(start, line_start) - bpos, min(stop, line_end) - bpos
                    for left, right in _x_ranges(line, a, b, rtl):
                        r = QRectF(origin.x() + left, top, right - left, line.height())
                        finds.append(r)
                        if is_current:
                            current.append(r)
        return pieces, tints, finds, current

    def _paint_under(self, painter: QPainter, pieces: list[_Piece], tints, finds: list[QRectF]) -> None:
        theme = self._theme
        em = self._column_em
        for kind, box in tints:
            if kind == "image_alt":
                padded = box.adjusted(0, -em * 0.45, 0, em * 0.45)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(theme.tint)
                painter.drawRoundedRect(padded, em * 0.3, em * 0.3)
                _draw_picture_glyph(painter, QRectF(padded.left() + em * 0.7, box.top(), em * 1.2, min(box.height(), em * 1.2)), theme.faint)
            elif kind == "related":
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(theme.accent)
                painter.drawRoundedRect(QRectF(box.left() + em * 0.1, box.top() + 1, 3.0, box.height() - 2), 1.5, 1.5)
        if finds:
            painter.setPen(QPen(theme.find_line, 1.0))
            painter.setBrush(theme.find_fill)
            for r in finds:
                painter.drawRoundedRect(r.adjusted(-1.5, 0.5, 1.5, -0.5), 2.5, 2.5)
        painter.setPen(Qt.PenStyle.NoPen)
        by_key: dict[str, list[QRectF]] = {}
        for piece in pieces:
            by_key.setdefault(piece.key, []).append(piece.rect)
        spans = [self._index.get(key) for key in by_key]
        for span in paint_order(s for s in spans if s is not None):  # code points: same order
            style = self._label_style(span.key)
            painter.setBrush(style.selected_fill if span.key == self._selected else style.fill)
            painter.drawRects(by_key[span.key])

    def _paint_over(self, painter: QPainter, pieces: list[_Piece], current: list[QRectF]) -> None:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        lines: dict[int, tuple[_LabelStyle, list[QLineF]]] = {}
        for piece in pieces:
            style = self._label_style(piece.key)
            y = piece.underline_y
            entry = lines.get(id(style))
            if entry is None:
                entry = lines[id(style)] = (style, [])
            entry[1].append(QLineF(piece.rect.left(), y, piece.rect.right(), y))
        for style, batch in lines.values():
            painter.setPen(style.pen)
            painter.drawLines(batch)
        for piece in pieces:
            if piece.key == self._selected:
                style = self._label_style(piece.key)
                pen = QPen(style.line, 2.0)
                painter.setPen(pen)
                painter.drawRoundedRect(piece.rect.adjusted(-1, -1, 1, 1), 2.5, 2.5)
        if current:
            painter.setPen(QPen(self._theme.text, 2.0))
            for r in current:
                painter.drawRoundedRect(r.adjusted(-2, -0.5, 2, 0.5), 3, 3)
        self._paint_markers(painter, pieces)
        self._paint_connectors(painter)
        self._paint_handles(painter)

    def _handle_bounds(self) -> tuple[str, int, int] | None:
        """(key, start, end) in code points of the span that has handles: the selected annotation
        (where a drag would put it while one is under way); None in review or link mode."""
        if self._drag_key is not None:
            return self._drag_key, *self._drag_bounds
        if self._selected is None or self._review is not None or self._link_from or self._article is None:
            return None
        span = self._index.get(self._selected)
        return (span.key, span.start, span.end) if span is not None else None

    def _edge_line(self, cp: int, end: bool) -> tuple[float, float, float] | None:
        """(x, top, bottom) in viewport coordinates of the boundary at code point ``cp``: the start
        of a span is drawn on the line of its first character, the end on the line of its last."""
        u16 = self._u16.to_utf16(cp)
        block, line = self._line_for(u16 - 1 if end and u16 > 0 else u16)
        if line is None:
            return None
        relative = max(0, min(u16 - block.position(), block.length() - 1))
        x = line.cursorToX(relative)[0]
        origin = block.layout().position() + self._offset()
        top = origin.y() + line.y()
        return origin.x() + x, top, top + line.height()

    def _paint_handles(self, painter: QPainter) -> None:
        """A bar at each end of the selected span, with a knob above its start and below its end."""
        found = self._handle_bounds()
        if found is None:
            return
        key, start, end = found
        style = self._label_style(key)
        outline = QPen(self._theme.base, 1.0)
        for cp, is_end in ((start, False), (end, True)):
            edge = self._edge_line(cp, is_end)
            if edge is None:
                continue
            x, top, bottom = edge
            x = round(x)
            bar = QRectF(x - 1.5, top - 3, 3.0, bottom - top + 6)  # stands out of the outline
            knob = QPointF(x, bottom + 2 + HANDLE_KNOB if is_end else top - 2 - HANDLE_KNOB)
            painter.setPen(outline)
            painter.setBrush(style.line)
            painter.drawRoundedRect(bar, 1.0, 1.0)
            painter.drawEllipse(knob, HANDLE_KNOB, HANDLE_KNOB)

    def _edge_at(self, point: QPoint | QPointF) -> str:
        """"start" or "end" if ``point`` is on a handle of the selected annotation, else ""."""
        found = self._handle_bounds()
        if found is None:
            return ""
        _key, start, end = found
        best, distance = "", HANDLE_REACH + 0.5
        for cp, name in ((start, "start"), (end, "end")):
            edge = self._edge_line(cp, name == "end")
            if edge is None:
                continue
            x, top, bottom = edge
            reach_top = top - (2 * HANDLE_KNOB + 3 if name == "start" else 3)
            reach_bottom = bottom + (2 * HANDLE_KNOB + 3 if name == "end" else 3)
            if reach_top <= point.y() <= reach_bottom and abs(point.x() - x) < distance:
                best, distance = name, abs(point.x() - x)
        return best

    def _dragged_bounds(self, point: QPoint, modifiers: Qt.KeyboardModifier) -> tuple[int, int]:
        """Where the dragged edge goes for a pointer at ``point``: word-snapped (the word under the
        pointer included), or with Alt the nearest character boundary; the other edge stays."""
        assert self._article is not None and self._drag_key is not None
        text = self._article.text
        span = self._index.get(self._drag_key)
        start, end = (span.start, span.end) if span is not None else self._drag_bounds
        exact = bool(modifiers & Qt.KeyboardModifier.AltModifier)
        limit = self._u16.utf16_length
        gap = self._u16.to_codepoint(min(max(0, self.cursorForPosition(point).position()), limit))
        char = None if exact else self._char_at(point)
        if self._drag_edge == "end":
            at = gap if char is None else self._u16.to_codepoint(char) + 1
            at = max(start, min(at, len(text)))
            snapped = (snap_to_graphemes if exact else snap_to_words)(text, start, at)[1]
            return start, max(snapped, grapheme_bounds(text, start)[1])
        at = gap if char is None else self._u16.to_codepoint(char)
        at = max(0, min(at, end))
        snapped = (snap_to_graphemes if exact else snap_to_words)(text, at, end)[0]
        return min(snapped, grapheme_bounds(text, max(0, end - 1))[0]), end

    def dragging_bounds(self) -> tuple[str, int, int] | None:
        """The drag under way: (annotation id, start, end) as previewed, or None."""
        return (self._drag_key, *self._drag_bounds) if self._drag_key is not None else None

    def _end_drag(self) -> None:
        """Forget a drag under way (the preview goes; nothing is emitted)."""
        if self._drag_key is None:
            return
        self._drag_key, self._drag_edge, self._drag_press = None, "", None
        self._drag_moved = False
        self._swallow_release = True
        self.viewport().update()

    def _default_cursor(self) -> Qt.CursorShape:
        return Qt.CursorShape.PointingHandCursor if self._link_from else Qt.CursorShape.IBeamCursor

    def _paint_markers(self, painter: QPainter, pieces: list[_Piece]) -> None:
        """Dog-ear for a note, superscript dot for relations; dashed outlines of link candidates."""
        last = {piece.key: piece.rect for piece in pieces if piece.last}
        base = QColor(self._theme.base)
        for key, rect in last.items():
            ann = self._annotations.get(key)
            if ann is None:
                continue
            style = self._label_style(key)
            if ann.note:
                size = max(4.0, min(7.0, rect.height() * 0.32))
                ear = QPolygonF([rect.topRight() + QPointF(-size, 0), rect.topRight(), rect.topRight() + QPointF(0, size)])
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(style.line)
                painter.drawPolygon(ear)
            if key in self._links:
                radius = max(2.2, min(3.2, rect.height() * 0.13))
                centre = QPointF(rect.right() + radius + 1.0, rect.top() + rect.height() * 0.22)
                painter.setPen(QPen(base, 1.0))
                painter.setBrush(style.line)
                painter.drawEllipse(centre, radius, radius)
        if self._link_from and self._link_candidates:
            pen = QPen(self._theme.text, 1.0, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for piece in pieces:
                if piece.key in self._link_candidates:
                    painter.drawRoundedRect(piece.rect.adjusted(-1.5, -1.5, 1.5, 1.5), 3, 3)

    def _anchor(self, key: str, top: bool = True) -> QPointF | None:
        """Middle of a span's first line piece at its top (or of its last one, just below the
        underlines), in viewport coordinates: where an arrow starts or ends."""
        span = self._index.get(key)
        if span is None:
            return None
        start, end = self._qt_range(span.start, span.end)
        block, line = self._line_for(start if top else max(start, end - 1))
        if line is None:
            return None
        bpos = block.position()
        line_start = bpos + line.textStart()
        line_end = line_start + line.textLength()
        a, b = max(start, line_start) - bpos, max(max(start, line_start) + 1, min(end, line_end)) - bpos
        ranges = _x_ranges(line, a, b, self._block_is_rtl(block))
        origin = block.layout().position() + self._offset()
        x = (ranges[0][0] + ranges[-1][1]) / 2 if ranges else line.cursorToX(a)[0]
        y = line.y() if top else line.y() + line.height() + 2 + UNDERLINE_PITCH * 2
        return QPointF(origin.x() + x, origin.y() + y)

    def _paint_connectors(self, painter: QPainter) -> None:
        """Arrows from head to tail for the selected annotation's relations only.

        Spans on one line are joined by an arc above them; otherwise the arrow leaves one span and
        enters the other by the edges facing each other (top of the lower, bottom of the upper).
        """
        selected = self._selected
        if not selected or selected not in self._links:
            return
        small = QFont(self._body_font())
        small.setPointSizeF(small.pointSizeF() * 0.72)
        metrics = QFontMetricsF(small)
        painter.setFont(small)
        for relation in self.relations_of(selected):
            head_span, tail_span = self._index.get(relation.head), self._index.get(relation.tail)
            if head_span is None or tail_span is None:
                continue
            head_top, tail_top = self._anchor(relation.head, True), self._anchor(relation.tail, True)
            if head_top is None or tail_top is None:
                continue
            if abs(head_top.y() - tail_top.y()) < 4:  # the same line: an arc above
                head, tail = head_top, tail_top
                lift = max(18.0, min(46.0, abs(tail.x() - head.x()) * 0.22))
                head_control, tail_control = head + QPointF(0, -lift), tail + QPointF(0, -lift)
            elif tail_top.y() < head_top.y():  # the tail is above: leave the head's top, enter the tail's bottom
                head, tail = head_top, self._anchor(relation.tail, False) or tail_top
                bend = max(14.0, min(44.0, abs(head.y() - tail.y()) * 0.45))
                head_control, tail_control = head + QPointF(0, -bend), tail + QPointF(0, bend)
            else:  # the tail is below
                head, tail = self._anchor(relation.head, False) or head_top, tail_top
                bend = max(14.0, min(44.0, abs(head.y() - tail.y()) * 0.45))
                head_control, tail_control = head + QPointF(0, bend), tail + QPointF(0, -bend)
            colour = QColor(self._label_style(relation.head).line)
            colour.setAlphaF(0.85)
            path = QPainterPath(head)
            path.cubicTo(head_control, tail_control, tail)
            pen = QPen(colour, 1.6)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawEllipse(head, 2.6, 2.6)
            direction = tail - tail_control
            length = (direction.x() ** 2 + direction.y() ** 2) ** 0.5 or 1.0
            ux, uy = direction.x() / length, direction.y() / length
            back = tail - QPointF(ux * 8.0, uy * 8.0)
            side = QPointF(-uy * 4.5, ux * 4.5)
            painter.drawPolygon(QPolygonF([tail, back + side, back - side]))
            middle = (head + head_control * 3 + tail_control * 3 + tail) / 8
            text = relation.type.replace("_", " ")
            width = metrics.horizontalAdvance(text) + 10
            box = QRectF(middle.x() - width / 2, middle.y() - metrics.height() / 2 - 1, width, metrics.height() + 2)
            plate = QColor(self._theme.base)
            plate.setAlphaF(0.92)
            painter.setPen(QPen(colour, 1.0))
            painter.setBrush(plate)
            painter.drawRoundedRect(box, box.height() / 2, box.height() / 2)
            painter.setPen(self._theme.muted)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def _block_is_rtl(self, block: QTextBlock) -> bool:
        number = block.blockNumber()
        found = self._rtl_blocks.get(number)
        if found is None:
            found = self._rtl_blocks[number] = bool(_RTL.search(block.text()))
        return found

    # ------------------------------------------------------------------------------ labels
    def _make_label_styles(self, schema: LabelSchema | None) -> dict[str, _LabelStyle]:
        styles: dict[str, _LabelStyle] = {}
        if schema is None:
            return styles
        for number, label in enumerate(schema.labels):
            styles[label.name] = self._style_for(label.color, number)
        return styles

    def _style_for(self, color: str, number: int) -> _LabelStyle:
        theme = self._theme
        line = theme.label_line(color)
        pen = QPen(line, UNDERLINE_WIDTH)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        dashes = DASH_PATTERNS[number % len(DASH_PATTERNS)]
        if dashes:
            pen.setDashPattern(list(dashes))
        return _LabelStyle(
            fill=theme.label_fill(color),
            selected_fill=theme.label_fill(color, selected=True),
            line=line,
            pen=pen,
        )

    def _label_style(self, key: str) -> _LabelStyle:
        ann = self._annotations.get(key)
        return self._style_of_label(ann.label if ann is not None else "")

    def _style_of_label(self, label: str) -> _LabelStyle:
        style = self._label_styles.get(label)
        if style is None:
            style = self._label_styles[label] = self._style_for(FALLBACK_LABEL_COLOR, len(self._label_styles))
        return style

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

    def _qt_range(self, start: int, end: int) -> tuple[int, int]:
        return self._u16.to_utf16(start), self._u16.to_utf16(end)

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
        return "\n".join(lines)

    # ------------------------------------------------------------------------------ events
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

    def _autoscroll(self, point: QPoint) -> None:
        """Scroll a little when a dragged handle is taken above or below the viewport."""
        bar = self.verticalScrollBar()
        if point.y() < 0:
            bar.setValue(bar.value() + max(-40, point.y()))
        elif point.y() > self.viewport().height():
            bar.setValue(bar.value() + min(40, point.y() - self.viewport().height()))

    def _finish_drag(self, event: QMouseEvent) -> None:
        key, moved = self._drag_key, self._drag_moved
        assert key is not None
        bounds = self._dragged_bounds(event.position().toPoint(), event.modifiers()) if moved else self._drag_bounds
        self._end_drag()
        self._swallow_release = False
        self._hover_edge = bool(self._edge_at(event.position()))
        self.viewport().setCursor(Qt.CursorShape.SizeHorCursor if self._hover_edge else self._default_cursor())
        span = self._index.get(key)
        if not moved:
            self._emit_click(event.position().toPoint())  # a click on a handle is still a click
        elif span is not None and bounds != (span.start, span.end):
            self.boundsDragged.emit(key, *bounds)

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
                self._theme = theme_for(self.palette())
                self._label_styles = self._make_label_styles(self._schema)
                self._render(keep_position=True)

    def _look(self) -> tuple[Theme, str]:
        """What the document's formats are made from: rebuild it only when this changes."""
        return theme_for(self.palette()), self._body_font().toString()


# ---------------------------------------------------------------------------------- helpers
UNBREAKABLE_RUN = 5000  # runs of 10,000+ are always caught; 10,000 costs Qt ~20 ms, 200,000 over 20 s
# whitespace, or scripts whose lines may break between any two characters (CJK, kana, hangul)
_BREAK_OPPORTUNITY = re.compile("[\\s\u2e80-\ua4cf\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


def _has_unbreakable_run(text: str, run: int = UNBREAKABLE_RUN) -> bool:
    """Whether ``text`` has (roughly) ``2 * run`` characters in a row with nowhere to break a line.

    Any such run contains a whole aligned chunk of ``run`` characters, so checking the chunks is
    enough: a ``" " in chunk`` test (memchr) clears nearly all of them for about 1 ms a megabyte.
    """
    for i in range(0, len(text) - run + 1, run):
        chunk = text[i : i + run]
        if " " not in chunk and not _BREAK_OPPORTUNITY.search(chunk):
            return True
    return False


@contextmanager
def _gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _qt_safe(text: str) -> str:
    """``text`` with the characters Qt would read as structure replaced by U+FFFD, one for one."""
    suspicious = "\r" in text or "\u2029" in text or "\ufdd0" in text or "\ufdd1" in text
    if not suspicious:
        try:
            text.encode("utf-8")  # fails only on a lone surrogate; far faster than a regex scan
        except UnicodeEncodeError:
            suspicious = True
    return _QT_STRUCTURAL.sub("\ufffd", text) if suspicious else text


def _first_line_below(layout: QTextLayout, y: float) -> int:
    """Index of the first line of ``layout`` whose box plus leading reaches below layout-y ``y``."""
    lo, hi = 0, layout.lineCount()
    while lo < hi:
        mid = (lo + hi) // 2
        line = layout.lineAt(mid)
        if mid + 1 < layout.lineCount():
            bottom = layout.lineAt(mid + 1).y()
        else:
            bottom = line.y() + line.height() * 1.6
        if bottom <= y:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _leading(layout: QTextLayout, index: int, line: QTextLine) -> float:
    """Free space below a line: up to the next line, or the line-height share for the last one."""
    if index + 1 < layout.lineCount():
        return layout.lineAt(index + 1).y() - line.y() - line.height()
    if layout.lineCount() > 1:
        return layout.lineAt(1).y() - layout.lineAt(0).y() - layout.lineAt(0).height()
    return line.height() * 0.5


def _x_ranges(line: QTextLine, a: int, b: int, rtl: bool) -> list[tuple[float, float]]:
    """Visual x ranges (layout coordinates) of block positions a..b on one line."""
    if b <= a:
        return []
    if not rtl:
        left = line.cursorToX(a)[0]
        right = line.cursorToX(b)[0]
        if right < left:
            left, right = right, left
        return [(left, right)] if right - left > 0.25 else []
    ranges = []
    for run in line.glyphRuns(a, b - a):
        box = run.boundingRect()
        if box.width() > 0.25:
            ranges.append((box.left(), box.right()))
    return merge_ranges(ranges)


def _draw_picture_glyph(painter: QPainter, box: QRectF, colour: QColor) -> None:
    """A small 'image' pictogram (frame, sun, hill) in the placeholder of an image's alt text."""
    side = min(box.width(), box.height())
    if side < 6:
        return
    frame = QRectF(box.left(), box.top() + (box.height() - side * 0.8) / 2, side, side * 0.8)
    pen = QPen(colour, max(1.0, side / 12))
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(frame, side / 10, side / 10)
    painter.setBrush(colour)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(QPointF(frame.left() + side * 0.3, frame.top() + side * 0.27), side * 0.08, side * 0.08)
    hill = QPainterPath()
    hill.moveTo(frame.left() + side * 0.1, frame.bottom() - side * 0.1)
    hill.lineTo(frame.left() + side * 0.45, frame.top() + side * 0.38)
    hill.lineTo(frame.left() + side * 0.62, frame.top() + side * 0.52)
    hill.lineTo(frame.left() + side * 0.72, frame.top() + side * 0.45)
    hill.lineTo(frame.right() - side * 0.1, frame.bottom() - side * 0.1)
    hill.closeSubpath()
    painter.drawPath(hill)
