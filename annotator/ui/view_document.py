"""The article view's document: the article's blocks turned into one styled QTextDocument.

A mixin of `ArticleView` (article_view.py). The document is built block by block with
``QTextCursor`` (never HTML: article text is untrusted), one document block per article block, so
the document's text is the article's canonical text position for position. Qt reads five characters
inside inserted text as structure - CR, U+2029 (paragraph separator), U+FDD0/U+FDD1 (frame markers)
and lone surrogates - so those are shown as U+FFFD, one UTF-16 unit for one; no position moves.

Reading: headline and standfirst in a serif, datelines/bylines/captions smaller and muted, related
story lines in a muted accent, image alt text in a tinted box, body at 150% line height. All of it is
formatted: no character is added. A run of thousands of characters with no break opportunity makes
Qt's word wrapping quadratic (200,000: over 20 s); such an article wraps anywhere instead. No
resource is ever loaded (`SafeDocument`).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from PySide6.QtCore import QUrl
from PySide6.QtGui import QFont, QFontMetricsF, QTextBlockFormat, QTextCharFormat, QTextCursor, QTextDocument, QTextOption

from annotator.model import Article
from annotator.ui.theme import Theme, theme_for

log = logging.getLogger(__name__)

ZOOM_FACTOR = 1.1
# Characters QTextCursor.insertText treats as structure, shown as U+FFFD (same UTF-16 length).
_QT_STRUCTURAL = re.compile("[\r\u2029\ufdd0\ufdd1\ud800-\udfff]")


class SafeDocument(QTextDocument):
    """A document that never loads any resource (images, style sheets), remote or local."""

    def loadResource(self, type: int, name: QUrl) -> object:  # noqa: A002 - Qt's signature
        log.debug("blocked resource request %s", name.toString() if isinstance(name, QUrl) else name)
        return None


@dataclass(frozen=True)
class _KindStyle:
    """How one kind of block is set: size, weight, face, colour, spacing."""

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
    "caption": _KindStyle(0.92, colour="muted", line_height=145, bottom=0.15),
    "credit": _KindStyle(0.85, colour="faint", line_height=140, bottom=1.3),
    "note": _KindStyle(0.85, italic=True, colour="muted", line_height=140, top=0.8, bottom=0.5),
    "bio": _KindStyle(0.85, italic=True, colour="muted", line_height=140, top=0.4, bottom=0.5),
}
DEFAULT_STYLE = KIND_STYLES["paragraph"]
SERIF_FAMILIES = ["Charter", "Georgia", "Source Serif 4", "Source Serif Pro", "Noto Serif", "DejaVu Serif", "serif"]


UNBREAKABLE_RUN = 5000  # runs of 10,000+ are always caught; 10,000 costs Qt ~20 ms, 200,000 over 20 s
# whitespace, or scripts whose lines may break between any two characters (CJK, kana, hangul)
# Compiled when first needed (a run without a space): its large ranges take 4 ms to compile.
_BREAK_OPPORTUNITY = "[\\s\u2e80-\ua4cf\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]"


def has_unbreakable_run(text: str, run: int = UNBREAKABLE_RUN) -> bool:
    """Whether ``text`` has (roughly) ``2 * run`` characters in a row with nowhere to break a line.

    Any such run contains a whole aligned chunk of ``run`` characters, so checking the chunks is
    enough: a ``" " in chunk`` test (memchr) clears nearly all of them for about 1 ms a megabyte.
    """
    for i in range(0, len(text) - run + 1, run):
        chunk = text[i : i + run]
        if " " not in chunk and not re.search(_BREAK_OPPORTUNITY, chunk):
            return True
    return False


def qt_safe(text: str) -> str:
    """``text`` with the characters Qt would read as structure replaced by U+FFFD, one for one."""
    suspicious = "\r" in text or "\u2029" in text or "\ufdd0" in text or "\ufdd1" in text
    if not suspicious:
        try:
            text.encode("utf-8")  # fails only on a lone surrogate; far faster than a regex scan
        except UnicodeEncodeError:
            suspicious = True
    return _QT_STRUCTURAL.sub("\ufffd", text) if suspicious else text


class DocumentMixin:
    """Building (and rebuilding, on zoom and theme changes) the view's document."""

    def _new_document(self) -> QTextDocument:
        doc = SafeDocument(self)
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
        self._theme = self._current_theme()
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
        if self._article is not None and has_unbreakable_run(self._article.text):
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
        text = qt_safe(article.text)
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
        style = KIND_STYLES.get(kind, DEFAULT_STYLE)
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
        if self._review_spacing is not None:  # review mode: room below each line for underlines and tabs
            natural = QFontMetricsF(font).height()
            from annotator.ui.review_layer import review_leading  # review mode only (start-up time)

            extra = max(natural * (style.line_height - 100) / 100, review_leading(body, self._review_spacing))
            block_format.setLineHeight(extra, QTextBlockFormat.LineHeightTypes.LineDistanceHeight.value)
        else:
            block_format.setLineHeight(style.line_height, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        block_format.setTopMargin(style.top * em)
        block_format.setBottomMargin(style.bottom * em)
        if style.indent:
            block_format.setLeftMargin(style.indent * em)
        return block_format, char_format

    def _look(self) -> tuple[Theme, str, int | None]:
        """What the document's formats are made from: rebuild it only when this changes."""
        return self._current_theme(), self._body_font().toString(), self._review_spacing

    def _current_theme(self) -> Theme:
        """The palette's colours, with the secondary text readable on the schema's label washes."""
        labels = [label.color for label in self._schema.labels] if self._schema is not None else []
        return theme_for(self.palette(), labels)
