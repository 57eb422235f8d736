"""What the article view paints in review mode: two annotators' spans over the same text.

A ``ReviewLayer`` is plain data about one article (the comparisons of annotators A and B with their
decisions, the gold spans, any extra annotators to show) plus the painting of it. The article view
owns the geometry: it finds the visible lines, turns each span of the layer that is on screen into
line pieces (``LayerPiece``: the rectangle of the text line it covers) and hands them to
``paint_under`` (before the text is drawn) and ``paint_over`` (after). The layer never touches the
store and the view never reads the comparisons, so either can change without the other.

How it looks (each cue has a second, non-colour form, and the review bar carries the legend):

* **A** fills the *upper* half of the line in its label's colour and draws the label's line (colour
  and dash pattern) as the first underline below the text; **B** fills the *lower* half and draws
  its line as the second underline, under A's. No line crosses a glyph. Where they agree the two
  halves make one full highlight over two underlines; where they do not, the halves and the lines
  visibly differ in extent or colour.
* While review mode is on the view spaces the lines further apart (``review_leading``): the
  underlines and, above the next line, the tabs each have their own room, so no tab covers a word.
* Every comparison carries a small **tab** at its start, just above the text: ``=`` agreed, ``≠``
  label differs, ``↔`` boundaries differ, ``≠↔`` both, ``A`` / ``B`` only that annotator. A
  disagreement still to decide is a dark tab; agreed ones are light; decided ones are light with
  a tick. The current comparison (the row chosen in the list) is outlined, dashed.
* **Gold** spans (when shown) are outlined in their label's colour, full line height.
* **Extra annotators** are drawn as thin underlines in the space below the line, one track each.
* The tooltip over any character names every comparison there: kind, A's and B's label and quote,
  and the decision (who, when, comment).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from ..model import Annotation
from .formatting import local_time
from .highlights import Span, SpanIndex
from .theme import Theme

if TYPE_CHECKING:  # the review core loads with review mode, not with the article view
    from ..review import ReviewItem
from ..wording import elide

ROLE_A, ROLE_B, ROLE_GOLD, ROLE_EXTRA = "a", "b", "gold", "extra"
COMPARISON = "cmp"

KIND_MARKS: dict[str, str] = {
    "agreed": "=",
    "label_differs": "≠",
    "boundaries_differ": "↔",
    "overlap_label_differs": "≠↔",
    "only_a": "A",
    "only_b": "B",
}
KIND_NAMES: dict[str, str] = {
    "agreed": "agreed",
    "label_differs": "label differs",
    "boundaries_differ": "boundaries differ",
    "overlap_label_differs": "overlap, label differs",
    "only_a": "only A",
    "only_b": "only B",
}
DECISION_NAMES: dict[str, str] = {
    "accept_a": "accepted A",
    "accept_b": "accepted B",
    "accept_both": "accepted both",
    "reject": "rejected",
    "edit": "edited",
}
EDGE_WIDTH = 2.0
TRACK_TOP = 2.0  # from the bottom of the text line to the centre of A's underline
TRACK_PITCH = 4.0  # A's underline to B's: a 2 px line, 2 px clear
EXTRA_PITCH = 3.0
EXTRA_TRACKS = 2  # extra annotators that get room of their own (more share the last one)
TAB_CLEARANCE = 1.0  # between a tab and the text line under it


def underline_y(line_bottom: float, track: int) -> float:
    """Where underline ``track`` goes (0 A, 1 B, 2… extra annotators) below a text line."""
    y = round(line_bottom) + TRACK_TOP
    if track <= 1:
        return y + track * TRACK_PITCH
    return y + TRACK_PITCH + 1.0 + (track - 1) * EXTRA_PITCH


def review_leading(body: QFont, extras: int = 0) -> float:
    """The free space review mode needs below each text line: the underline tracks of A, B and
    ``extras`` extra annotators, then the tabs of the next line's comparisons, each clear of the
    other."""
    _, tab_height = tab_size(QFontMetricsF(tab_font(body)), "=")
    tracks = underline_y(0.0, 1 + min(extras, EXTRA_TRACKS)) + EDGE_WIDTH / 2 + 1.0
    return tracks + tab_height + TAB_CLEARANCE


@dataclass
class LayerPiece:
    """One visual piece of a layer span on one text line, in viewport coordinates."""

    rect: QRectF  # the part of the text line the span covers (full line height)
    gap: float  # free space below the line (its leading)
    first: bool = False  # the piece where the span starts
    last: bool = False  # the piece where it ends


@dataclass
class ReviewLook:
    """What the layer paints with, supplied by the view (derived from its palette and font)."""

    theme: Theme
    label_style: Callable[[str], object]  # label name -> the view's style (fill, line, pen)
    font: QFont  # the body font; tabs use a smaller one


@dataclass(frozen=True)
class LayerSpan:
    key: str  # "<role>:<annotation id>"
    role: str
    annotation: Annotation
    track: int = 0  # extras: which underline track


@dataclass
class ReviewLayer:
    """The review picture of one article (see the module docstring)."""

    article_id: str
    a_name: str
    b_name: str
    items: list[ReviewItem]
    gold: list[Annotation] = field(default_factory=list)
    extras: dict[str, list[Annotation]] = field(default_factory=dict)
    show_gold: bool = True
    current: str | None = None  # comparison key of the row chosen in the list

    def __post_init__(self) -> None:
        self.spans: dict[str, LayerSpan] = {}
        self.by_key: dict[str, ReviewItem] = {}
        self._index = SpanIndex()
        entries: list[tuple[str, int, int]] = []

        def add(role: str, annotation: Annotation, track: int = 0) -> None:
            key = f"{role}:{annotation.id}"
            self.spans[key] = LayerSpan(key, role, annotation, track)
            entries.append((key, annotation.start, annotation.end))

        for item in self.items:
            comparison = item.comparison
            self.by_key[comparison.key] = item
            entries.append((f"{COMPARISON}:{comparison.key}", comparison.start, comparison.end))
            if comparison.a is not None:
                add(ROLE_A, comparison.a)
            if comparison.b is not None:
                add(ROLE_B, comparison.b)
        if self.show_gold:
            for annotation in self.gold:
                add(ROLE_GOLD, annotation)
        for track, name in enumerate(sorted(self.extras)):
            for annotation in self.extras[name]:
                add(ROLE_EXTRA, annotation, track)
        self._index.rebuild(entries)

    # -- queries (code points) -----------------------------------------------------------------

    def overlapping(self, start: int, end: int) -> list[Span]:
        """Every span and comparison extent of the layer that touches start..end."""
        return self._index.overlapping(start, end)

    def extent(self, key: str) -> tuple[int, int] | None:
        span = self._index.get(f"{COMPARISON}:{key}")
        return (span.start, span.end) if span is not None else None

    def comparison_at(self, cp: int) -> str | None:
        """The comparison under code point ``cp``: the current one if it is there, else the innermost."""
        found = [s.key.split(":", 1)[1] for s in self._index.at(cp) if s.key.startswith(COMPARISON + ":")]
        if self.current in found:
            return self.current
        return found[0] if found else None

    def tooltip(self, cp: int) -> str:
        parts: list[str] = []
        for span in self._index.at(cp):
            role, _, rest = span.key.partition(":")
            if role == COMPARISON:
                item = self.by_key.get(rest)
                if item is not None:
                    parts.append(describe(item, self.a_name, self.b_name))
            elif role in (ROLE_GOLD, ROLE_EXTRA):
                annotation = self.spans[span.key].annotation
                who = "gold" if role == ROLE_GOLD else annotation.annotator
                parts.append(f"{who}: {annotation.label} “{elide(annotation.quote, 60)}”")
        return "\n\n".join(parts)

    # -- painting ----------------------------------------------------------------------------------

    def paint_under(self, painter: QPainter, pieces: dict[str, list[LayerPiece]], look: ReviewLook) -> None:
        """The A and B fills (upper and lower half of the line), under the text."""
        painter.setPen(Qt.PenStyle.NoPen)
        for key, found in pieces.items():
            span = self.spans.get(key)
            if span is None or span.role not in (ROLE_A, ROLE_B):
                continue
            painter.setBrush(look.label_style(span.annotation.label).fill)
            for piece in found:
                r = piece.rect
                half = r.height() / 2
                top = r.top() if span.role == ROLE_A else r.top() + half
                painter.drawRect(QRectF(r.left(), top, r.width(), half))

    def paint_over(self, painter: QPainter, pieces: dict[str, list[LayerPiece]], look: ReviewLook) -> None:
        """Edges of A and B, gold outlines, extra annotators' underlines, the current outline, tabs."""
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for key, found in pieces.items():
            span = self.spans.get(key)
            if span is None:
                continue
            style = look.label_style(span.annotation.label)
            if span.role in (ROLE_A, ROLE_B, ROLE_EXTRA):
                painter.setPen(style.pen)
                for piece in found:
                    r = piece.rect
                    if span.role == ROLE_EXTRA:
                        room = max(0, int((piece.gap - underline_y(0.0, 2) - 1) // EXTRA_PITCH))
                        track = 2 + min(span.track, room)
                    else:
                        track = 0 if span.role == ROLE_A else 1
                    y = underline_y(r.bottom(), track)
                    painter.drawLine(QLineF(r.left(), y, r.right(), y))
            elif span.role == ROLE_GOLD:
                pen = QPen(style.line, 1.6)
                pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
                painter.setPen(pen)
                for piece in found:
                    painter.drawRoundedRect(piece.rect.adjusted(-1.5, -1.0, 1.5, 1.0), 2.5, 2.5)
        if self.current is not None:
            current = pieces.get(f"{COMPARISON}:{self.current}", [])
            if current:
                pen = QPen(look.theme.text, 1.4, Qt.PenStyle.DashLine)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                below = underline_y(0.0, 1) + EDGE_WIDTH / 2 + 1.5  # around both underlines
                for piece in current:
                    painter.drawRoundedRect(piece.rect.adjusted(-3.0, -1.5, 3.0, below), 3.5, 3.5)
        self._paint_tabs(painter, pieces, look)

    def _paint_tabs(self, painter: QPainter, pieces: dict[str, list[LayerPiece]], look: ReviewLook) -> None:
        painter.setFont(tab_font(look.font))
        for box, item in self.tab_boxes(pieces, look.font):
            paint_tab(painter, box, tab_text(item), tab_colours(item, look.theme))

    def tab_boxes(self, pieces: dict[str, list[LayerPiece]], body: QFont) -> list[tuple[QRectF, ReviewItem]]:
        """Where each comparison's tab goes: just above its first character, clear of the text line;
        two starting close together sit side by side."""
        metrics = QFontMetricsF(tab_font(body))
        tabs: list[tuple[QRectF, ReviewItem]] = []
        for key, found in pieces.items():
            if not key.startswith(COMPARISON + ":"):
                continue
            item = self.by_key.get(key.split(":", 1)[1])
            first = next((p for p in found if p.first), None)
            if item is None or first is None:
                continue
            width, height = tab_size(metrics, tab_text(item))
            box = QRectF(first.rect.left() - 1, first.rect.top() - height - TAB_CLEARANCE, width, height)
            tabs.append((box, item))
        tabs.sort(key=lambda t: (round(t[0].top()), t[0].left()))
        placed: list[QRectF] = []
        for box, item in tabs:
            for other in placed:  # two comparisons starting close together: side by side
                if abs(other.top() - box.top()) < 1 and box.left() < other.right() + 2:
                    box.moveLeft(other.right() + 2)
            placed.append(box)
        return tabs


# -- shared with the list and the legend ----------------------------------------------------------


def tab_font(body: QFont) -> QFont:
    font = QFont(body)
    size = body.pointSizeF()
    if size > 0:
        font.setPointSizeF(max(7.5, size * 0.68))
    else:
        font.setPixelSize(max(9, int(body.pixelSize() * 0.68)))
    font.setBold(True)
    font.setItalic(False)
    return font


def tab_text(item: ReviewItem) -> str:
    mark = KIND_MARKS.get(item.comparison.kind, "?")
    return f"✓{mark}" if item.decision is not None else mark


def tab_colours(item: ReviewItem, theme: Theme) -> tuple[QColor, QColor, QColor]:
    """(fill, edge, ink) of a comparison's tab: dark while a disagreement waits, light otherwise."""
    return kind_colours(item.comparison.kind, item.decision is not None, theme)


def kind_colours(kind: str, decided: bool, theme: Theme) -> tuple[QColor, QColor, QColor]:
    if decided:
        return theme.tint, theme.muted, theme.muted
    if kind == "agreed":
        return theme.base, theme.muted, theme.muted
    return theme.text, theme.text, theme.base


def tab_size(metrics: QFontMetricsF, text: str) -> tuple[float, float]:
    """Width and height of a tab: the marks are symbols and capitals, so the box hugs the cap height."""
    return metrics.horizontalAdvance(text) + 7, round(metrics.capHeight() + 6)


def paint_tab(painter: QPainter, box: QRectF, text: str, colours: tuple[QColor, QColor, QColor]) -> None:
    """A small rounded tab with ``text`` centred on its cap height (the current font)."""
    fill, edge, ink = colours
    painter.setPen(QPen(edge, 1.0))
    painter.setBrush(fill)
    painter.drawRoundedRect(box, 3.0, 3.0)
    metrics = QFontMetricsF(painter.font())
    x = box.center().x() - metrics.horizontalAdvance(text) / 2
    baseline = box.top() + (box.height() + metrics.capHeight()) / 2
    painter.setPen(ink)
    painter.drawText(QPointF(x, baseline), text)


def decision_text(item: ReviewItem, when: bool = True) -> str:
    """"to decide", or "accepted A · lead 2025-06-13 14:02" (without the time if not ``when``)."""
    decision = item.decision
    if decision is None:
        return "to decide"
    what = DECISION_NAMES.get(decision.decision, decision.decision)
    stamp = f" {local_time(decision.decided_at)}" if when else ""
    return f"{what} · {decision.decided_by}{stamp}".rstrip()


def labels_text(item: ReviewItem) -> str:
    a, b = item.comparison.a, item.comparison.b
    if a is not None and b is not None:
        return a.label if a.label == b.label else f"{a.label} / {b.label}"
    return (a or b).label if (a or b) is not None else ""  # type: ignore[union-attr]


def describe(item: ReviewItem, a_name: str, b_name: str) -> str:
    """The tooltip of a comparison: kind, both sides, and the decision."""
    comparison = item.comparison
    kind = KIND_NAMES.get(comparison.kind, comparison.kind)
    lines = [f"{kind[:1].upper()}{kind[1:]} — {decision_text(item)}"]  # not capitalize(): "Only A", never "Only a"
    for side, name, span in (("A", a_name, comparison.a), ("B", b_name, comparison.b)):
        if span is None:
            lines.append(f"{side} {name}: —")
        else:
            lines.append(f"{side} {name}: {span.label} “{elide(span.quote, 60)}”")
    if item.decision is not None and item.decision.comment:
        lines.append(f"“{elide(item.decision.comment, 100)}”")
    return "\n".join(lines)


def extras_of(annotations: Iterable[Annotation], names: Sequence[str]) -> dict[str, list[Annotation]]:
    wanted = set(names)
    found: dict[str, list[Annotation]] = {name: [] for name in names}
    for annotation in annotations:
        if annotation.annotator in wanted:
            found[annotation.annotator].append(annotation)
    return found


__all__ = [
    "KIND_MARKS",
    "KIND_NAMES",
    "DECISION_NAMES",
    "LayerPiece",
    "ReviewLayer",
    "ReviewLook",
    "decision_text",
    "describe",
    "review_leading",
    "underline_y",
    "labels_text",
    "tab_text",
]
