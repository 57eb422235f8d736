"""The article view: exact positions, incremental highlights, clicks, find, privacy, hostile text."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt, QUrl
from PySide6.QtGui import QColor, QHelpEvent, QImage, QPalette, QTextCursor, QTextDocument
from PySide6.QtWidgets import QToolTip

from annotator.model import Annotation, Article, Block, build_article
from annotator.schema import default_schema
from annotator.textspan import Utf16Index
from annotator.ui.article_view import ArticleView
from annotator.ui.theme import theme_for

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_4374cd0fa6f2fed4.txt"


def seed_article() -> Article:
    from annotator.importers.text import parse_text_page

    return parse_text_page(SEED.read_text("utf-8"))


def ann(article: Article, start: int, end: int, label: str = "CLAIM", key: str | None = None, **kw) -> Annotation:
    return Annotation(key or str(uuid.uuid4()), article.id, start, end, label, article.text[start:end], **kw)


def span_of(article: Article, quote: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = article.text.index(quote, start + 1)
    return start, start + len(quote)


@pytest.fixture
def make_view(qtbot):
    def make(article: Article, annotations=(), size=(700, 600)) -> ArticleView:
        view = ArticleView()
        qtbot.addWidget(view)
        view.resize(*size)
        view.show()
        qtbot.waitExposed(view)
        view.set_article(article, list(annotations), default_schema())
        return view

    return make


def raw_text(view: ArticleView) -> str:
    return view.document().toRawText().replace("\u2029", "\n")


def pixel_point(view: ArticleView, cp: int) -> QPoint:
    """A viewport point inside the character at code point ``cp``."""
    u16 = Utf16Index(view.article.text).to_utf16(cp)
    cursor = QTextCursor(view.document())
    cursor.setPosition(u16)
    left = view.cursorRect(cursor)
    cursor.setPosition(u16 + 1)
    right = view.cursorRect(cursor)
    x = (left.x() + right.x()) // 2 if right.y() == left.y() and right.x() > left.x() else left.x() + 2
    return QPoint(x, left.center().y())


# ------------------------------------------------------------------------------------------ text
def test_document_text_is_the_article_text(make_view) -> None:
    article = seed_article()
    view = make_view(article)
    assert raw_text(view) == article.text
    assert view.document().blockCount() == len(article.blocks)
    assert view.document().characterCount() - 1 == Utf16Index(article.text).utf16_length
    assert view.article is article


def test_article_text_that_looks_like_html_is_shown_literally(make_view) -> None:
    text = 'Says <b>bold</b> <img src="http://tracker.example/p.gif"> &amp; <script>x()</script>'
    article = build_article([("headline", "Markup"), ("paragraph", text)])
    view = make_view(article)
    assert raw_text(view) == article.text
    assert view.document().toHtml().count("<img") == 0


def test_characters_qt_treats_as_structure_keep_every_position(make_view) -> None:
    # U+2029, CR and U+FDD0/U+FDD1 would split a block in QTextCursor.insertText: shown as U+FFFD.
    # U+2028 (line separator) stays as it is: a line break inside the block, one position.
    # build_article refuses line breaks in blocks; an Article made another way may still have them.
    text = "a\u2029b\ufdd0c\ufdd1d\ne\u2028f"
    article = Article("x", text, [Block("paragraph", 0, 7), Block("paragraph", 8, 11)])
    view = make_view(article)
    raw = raw_text(view)
    assert len(raw) == len(article.text)
    assert raw == "a\ufffdb\ufffdc\ufffdd\ne\u2028f"
    assert view.document().blockCount() == 2
    view.select_span(*span_of(article, "f"))
    assert view.textCursor().selectedText() == "f"


# ------------------------------------------------------------------------------------- positions
def test_selection_after_an_emoji_is_reported_in_code_points(make_view, qtbot) -> None:
    article = build_article([("paragraph", "😀 Kim says")])
    view = make_view(article)
    cursor = QTextCursor(view.document())
    cursor.setPosition(3)  # UTF-16: the emoji takes two units
    cursor.setPosition(6, QTextCursor.MoveMode.KeepAnchor)
    with qtbot.waitSignal(view.selectionSpanChanged) as signal:
        view.setTextCursor(cursor)
    assert signal.args == [2, 5]
    assert view.selection_span() == (2, 5)
    assert article.text[2:5] == "Kim"
    with qtbot.waitSignal(view.selectionSpanChanged) as signal:
        view.setTextCursor(QTextCursor(view.document()))
    assert signal.args == [-1, -1]
    assert view.selection_span() is None


@pytest.mark.parametrize(
    "quote",
    ["Kim", "😀", "👍🏽 and", "Ünïcödé", "q\u0301", "🇺🇦 flag"],
)
def test_select_span_round_trips(make_view, quote) -> None:
    article = build_article(
        [("headline", "😀 Kim says 👍🏽 and"), ("paragraph", "Ünïcödé q\u0301 🇺🇦 flag 😀")]
    )
    view = make_view(article)
    start, end = span_of(article, quote)
    view.select_span(start, end)
    assert view.selection_span() == (start, end)
    assert view.textCursor().selectedText() == article.text[start:end]


def test_select_span_across_blocks_and_empty(make_view) -> None:
    article = build_article([("headline", "😀 Title"), ("paragraph", "Body 😀 text")])
    view = make_view(article)
    view.select_span(2, len(article.text))
    assert view.selection_span() == (2, len(article.text))
    view.select_span(4, 4)
    assert view.selection_span() is None


# ----------------------------------------------------------------------------------- annotations
def test_add_annotation_is_incremental(make_view, monkeypatch) -> None:
    article = seed_article()
    existing = [ann(article, *span_of(article, "Kim Jong Un", n)) for n in range(3)]
    view = make_view(article, existing)
    doc = view.document()
    changes = []
    doc.contentsChange.connect(lambda *args: changes.append(args))
    doc.contentsChanged.connect(lambda: changes.append("changed"))
    revision = doc.revision()
    monkeypatch.setattr(view, "_render", lambda *a, **k: pytest.fail("document rebuilt"))
    monkeypatch.setattr(view._index, "rebuild", lambda *a, **k: pytest.fail("index rebuilt"))
    start, end = span_of(article, "Korean Central News Agency")
    new = ann(article, start, end, "SOURCE")
    view.add_annotation(new)
    assert changes == [] and doc.revision() == revision and view.document() is doc
    assert view._index.get(new.id) == (new.id, start, end)
    assert view.annotations_at(start) == [new.id]
    assert view.annotations_at(end) == []
    for other in existing:
        assert view.annotations_at(other.start) == [other.id]


def test_annotation_positions_after_emoji_are_code_points(make_view) -> None:
    article = build_article([("paragraph", "😀😀 Kim says 😀 Putin")])
    start, end = span_of(article, "Putin")
    a = ann(article, start, end, "SOURCE")
    view = make_view(article, [a])
    assert view.annotations_at(start) == [a.id]
    assert view.annotations_at(start - 1) == []
    assert view.annotations_at(end - 1) == [a.id]
    assert view.annotations_at(end) == []


def test_remove_and_update(make_view) -> None:
    article = seed_article()
    a = ann(article, *span_of(article, "Greg Norman"), "SOURCE")
    view = make_view(article, [a])
    assert view.annotations_at(a.start + 1) == [a.id]
    moved = ann(article, *span_of(article, "Fox News"), "SOURCE", key=a.id)
    view.update_annotation(moved)
    assert view.annotations_at(a.start + 1) == []
    assert view.annotations_at(moved.start) == [a.id]
    view.remove_annotation(a.id)
    assert view.annotations_at(moved.start) == []
    view.remove_annotation("no-such-id")  # harmless


def test_overlapping_spans_innermost_first(make_view) -> None:
    article = seed_article()
    outer = ann(article, *span_of(article, "Kim Jong Un has sent a message to Russian President Vladimir Putin"))
    inner = ann(article, *span_of(article, "Russian President Vladimir Putin"), "SOURCE")
    partial = ann(article, *span_of(article, "a message to Russian"), "CLAIM")
    view = make_view(article, [outer, inner, partial])
    at = view.annotations_at(article.text.index("Russian President Vladimir Putin"))
    assert at == [partial.id, inner.id, outer.id]
    tracks = {view._index.track(x.id) for x in (outer, inner, partial)}
    assert len(tracks) == 3  # three stacked underlines, none hidden under another


def test_invalid_and_deleted_annotations_are_skipped(make_view) -> None:
    article = build_article([("paragraph", "short text")])
    bad = ann(article, 0, 4)
    bad.end = 999
    gone = ann(article, 0, 5)
    gone.deleted = True
    view = make_view(article, [bad, gone])
    assert view.annotations_at(1) == []
    view.add_annotation(bad)
    assert view.annotations_at(1) == []


# ---------------------------------------------------------------------------------------- clicks
def test_click_on_a_span_emits_its_id_and_plain_text_emits_empty(make_view, qtbot) -> None:
    article = seed_article()
    outer = ann(article, *span_of(article, "sent a message to Russian President Vladimir Putin"))
    inner = ann(article, *span_of(article, "Vladimir Putin"), "SOURCE")
    view = make_view(article, [outer, inner])
    with qtbot.waitSignal(view.annotationClicked) as signal:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pixel_point(view, inner.start + 2))
    assert signal.args == [inner.id]
    with qtbot.waitSignal(view.annotationClicked) as signal:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pixel_point(view, outer.start + 1))
    assert signal.args == [outer.id]
    plain = article.text.index("North Korean leader")
    with qtbot.waitSignal(view.annotationClicked) as signal:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pixel_point(view, plain + 3))
    assert signal.args == [""]


def test_drag_selects_text_and_does_not_click(make_view, qtbot) -> None:
    article = seed_article()
    a = ann(article, *span_of(article, "North Korean leader"))
    view = make_view(article, [a])
    clicks = []
    view.annotationClicked.connect(clicks.append)
    start = pixel_point(view, a.start)
    end = pixel_point(view, a.start + 12)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(view.viewport(), pos=QPoint((start.x() + end.x()) // 2, start.y()))
    qtbot.mouseMove(view.viewport(), pos=end)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=end)
    assert clicks == []
    span = view.selection_span()
    assert span is not None and span[0] == a.start and span[1] > a.start + 5


def test_tooltip_lists_labels_and_annotators(make_view, qtbot) -> None:
    article = seed_article()
    outer = ann(article, *span_of(article, "Kim Jong Un has sent a message"), "CLAIM", annotator="ana")
    inner = ann(article, *span_of(article, "Kim Jong Un has sent"), "SOURCE", annotator="bo")
    view = make_view(article, [outer, inner])
    point = pixel_point(view, inner.start + 1)
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    view.viewportEvent(event)
    text = QToolTip.text()
    assert "SOURCE" in text and "bo" in text and "CLAIM" in text and "ana" in text
    assert text.index("SOURCE") < text.index("CLAIM")  # innermost first
    QToolTip.hideText()


# ------------------------------------------------------------------------------ selection, scroll
def test_set_selected_annotation_scrolls_it_into_view(make_view) -> None:
    article = seed_article()
    last = ann(article, *span_of(article, "Fox News’ Michael Lee"), "SOURCE")
    view = make_view(article, [last], size=(600, 300))
    assert view.verticalScrollBar().value() == 0
    view.set_selected_annotation(last.id)
    assert view.verticalScrollBar().value() > 0
    assert view.viewport().rect().contains(pixel_point(view, last.start + 1))
    view.set_selected_annotation(None)
    view.set_selected_annotation("unknown")  # harmless


def test_scroll_position_round_trip(make_view) -> None:
    article = seed_article()
    view = make_view(article, size=(600, 300))
    assert view.scroll_position() == 0
    target = article.text.index("The message from Kim")
    view.set_scroll_position(target)
    assert view.verticalScrollBar().value() > 0
    assert view.scroll_position() == target  # a paragraph start is a line start
    middle = target + 40
    view.set_scroll_position(middle)
    assert view.scroll_position() <= middle
    assert view.viewport().rect().contains(pixel_point(view, middle))


# ------------------------------------------------------------------------------------------- find
def test_find_counts_hits_moves_through_them_and_clears(make_view) -> None:
    article = seed_article()
    view = make_view(article)
    expected = article.text.lower().count("putin")
    assert expected > 3
    assert view.find("putin") == expected
    first = view.selection_span()
    assert first is not None and article.text[first[0] : first[1]].lower() == "putin"
    assert view.find("putin") == expected
    second = view.selection_span()
    assert second is not None and second[0] > first[0]
    assert view.find("putin", case_sensitive=True) == article.text.count("putin")
    assert view.find("zzz-not-there") == 0
    assert view.find("") == 0 and view.find_hits() == []


def test_find_hits_are_code_points_after_emoji(make_view) -> None:
    article = build_article([("paragraph", "😀 Kim and 😀 kim")])
    view = make_view(article)
    assert view.find("KIM") == 2
    assert view.find_hits() == [(2, 5), (12, 15)]


def test_find_is_painted_distinct_from_selection(make_view) -> None:
    article = seed_article()
    view = make_view(article)
    plain = view.viewport().grab().toImage()
    view.find("Putin")
    view.setTextCursor(QTextCursor(view.document()))  # no selection over the hits
    view.verticalScrollBar().setValue(0)
    marked = view.viewport().grab().toImage()
    start, end = view.find_hits()[0]
    point = pixel_point(view, start + 2)
    # hits are a neutral grey wash (never a label colour): the page pixels there get darker
    assert _page_pixels(marked, point, view) < _page_pixels(plain, point, view)
    view.find("")
    assert view.viewport().grab().toImage() == plain


# ---------------------------------------------------------------------------------------- privacy
@pytest.mark.parametrize(
    "url",
    ["http://tracker.example/pixel.gif", "https://cdn.example/a.css", "file:///etc/passwd", "data:image/png;base64,AA=="],
)
def test_no_resource_is_ever_loaded(make_view, url) -> None:
    view = make_view(build_article([("paragraph", "text")]))
    for kind in (QTextDocument.ResourceType.ImageResource, QTextDocument.ResourceType.StyleSheetResource):
        assert view.loadResource(kind.value, QUrl(url)) is None
        assert view.document().loadResource(kind.value, QUrl(url)) is None
        assert view.document().resource(kind.value, QUrl(url)) is None


# ----------------------------------------------------------------------------------- hostile text
HOSTILE = [
    ("headline", "x" * 200_000),
    ("paragraph", "Latin then العربية مع English و עברית גם 123 then back"),
    ("paragraph", "zero\u200bwidth\u200djoiner\ufeffbom and a\u0301\u0308\u0323 q\u0300 Z\u0336\u0337\u0338"),
    ("paragraph", "family 👨\u200d👩\u200d👧 flags 🇺🇦🇯🇵 tones 👍🏽 and \u202etxet desrever\u202c done"),
    ("paragraph", "\t tabs \x00 nul \x7f del \u00ad soft hyphen"),
]


def test_hostile_text_renders_with_exact_positions(make_view) -> None:
    article = build_article(HOSTILE)
    annotations = [ann(article, *span_of(article, quote)) for quote in ("العربية مع", "עברית", "q\u0300", "👨\u200d👩\u200d👧")]
    annotations.append(ann(article, 100, 150_000, "CAPTION"))
    view = make_view(article, annotations)
    assert raw_text(view) == article.text
    image = view.grab()
    assert not image.isNull() and image.width() > 0
    for a in annotations:
        view.select_span(a.start, a.end)
        assert view.selection_span() == (a.start, a.end)
        assert view.annotations_at(a.start)[0] == a.id
    view.set_scroll_position(article.text.index("Latin"))
    assert not view.grab().isNull()
    view.set_selected_annotation(annotations[0].id)
    assert not view.grab().isNull()


def test_unbreakable_run_wraps_anywhere_and_prose_wraps_at_words(make_view) -> None:
    from PySide6.QtGui import QTextOption

    view = make_view(build_article([("paragraph", "x" * 60_000), ("paragraph", "words " * 50)]))
    assert view.wordWrapMode() == QTextOption.WrapMode.WrapAnywhere
    assert view.document().defaultTextOption().wrapMode() == QTextOption.WrapMode.WrapAnywhere
    view.set_article(seed_article(), [], default_schema())
    assert view.wordWrapMode() == QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere
    assert view.document().defaultTextOption().wrapMode() == QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere


def test_annotation_of_another_article_is_ignored(make_view) -> None:
    article = seed_article()
    view = make_view(article)
    stray = ann(article, 0, 5)
    stray.article_id = "another-article"
    view.add_annotation(stray)
    assert view.annotations_at(1) == []


def test_empty_article_and_clear(make_view) -> None:
    view = make_view(build_article([]))
    assert raw_text(view) == ""
    assert view.selection_span() is None and view.scroll_position() == 0 and view.find("x") == 0
    assert not view.grab().isNull()
    view.set_article(seed_article(), [], default_schema())
    view.clear_article()
    assert view.article is None and raw_text(view) == "" and view.annotations_at(0) == []
    assert not view.grab().isNull()


# ------------------------------------------------------------------------------------- painting
def _page_pixels(image: QImage, point: QPoint, view: ArticleView) -> int:
    """How many pixels in a small box around ``point`` have the page's own colour."""
    ratio = image.devicePixelRatio() or 1
    base = view.palette().color(QPalette.ColorRole.Base).rgb()
    count = 0
    for dx in range(-4, 5):
        for dy in range(-6, 7):
            x, y = int((point.x() + dx) * ratio), int((point.y() + dy) * ratio)
            if 0 <= x < image.width() and 0 <= y < image.height() and image.pixel(x, y) == base:
                count += 1
    return count


def _tinted(image: QImage, point: QPoint, view: ArticleView) -> bool:
    """Whether any pixel in a small box around ``point`` is a colour (not grey text, not page)."""
    ratio = image.devicePixelRatio() or 1
    base = view.palette().color(QPalette.ColorRole.Base)
    for dx in range(-4, 5):
        for dy in range(-6, 7):
            x, y = int((point.x() + dx) * ratio), int((point.y() + dy) * ratio)
            if 0 <= x < image.width() and 0 <= y < image.height():
                c = QColor(image.pixel(x, y))
                if c != base and (max(c.red(), c.green(), c.blue()) - min(c.red(), c.green(), c.blue())) > 12:
                    return True
    return False


def test_highlights_are_painted_and_removed(make_view) -> None:
    article = seed_article()
    view = make_view(article)
    start, end = span_of(article, "North Korean leader Kim Jong Un")
    point = pixel_point(view, start + 8)
    before = view.viewport().grab().toImage()
    assert not _tinted(before, point, view)
    a = ann(article, start, end, "CLAIM")
    view.add_annotation(a)
    after = view.viewport().grab().toImage()
    assert after != before
    assert _tinted(after, point, view)
    elsewhere = pixel_point(view, article.text.index("An article published") + 5)
    assert not _tinted(after, elsewhere, view)
    view.remove_annotation(a.id)
    assert view.viewport().grab().toImage() == before


def test_selected_annotation_is_drawn_differently(make_view) -> None:
    article = seed_article()
    a = ann(article, *span_of(article, "North Korean leader Kim Jong Un"), "SOURCE")
    view = make_view(article, [a])
    plain = view.viewport().grab().toImage()
    view.set_selected_annotation(a.id)
    assert view.viewport().grab().toImage() != plain


def test_schema_colour_change_repaints(make_view) -> None:
    from dataclasses import replace

    article = seed_article()
    a = ann(article, *span_of(article, "North Korean leader Kim Jong Un"), "CLAIM")
    view = make_view(article, [a])
    before = view.viewport().grab().toImage()
    schema = default_schema()
    labels = tuple(replace(label, color="#CC79A7") if label.name == "CLAIM" else label for label in schema.labels)
    view.set_schema(replace(schema, labels=labels))
    assert view.viewport().grab().toImage() != before


# --------------------------------------------------------------------------------- reading comfort
def test_text_column_is_capped_and_centred(make_view) -> None:
    view = make_view(seed_article(), size=(2400, 700))
    margins = view.viewportMargins()
    assert margins.left() > 300 and abs(margins.left() - margins.right()) <= 1
    narrow = make_view(seed_article(), size=(400, 700))
    assert narrow.viewportMargins().left() == 0


def test_zoom_keeps_text_and_position(make_view) -> None:
    article = seed_article()
    a = ann(article, *span_of(article, "Vladimir Putin"))
    view = make_view(article, [a], size=(600, 400))
    size = view.document().firstBlock().next().next().charFormat().font().pointSizeF()
    view.zoom(2)
    bigger = view.document().firstBlock().next().next().charFormat().font().pointSizeF()
    assert bigger > size
    assert raw_text(view) == article.text
    assert view.annotations_at(a.start) == [a.id]
    view.reset_zoom()
    assert view.document().firstBlock().next().next().charFormat().font().pointSizeF() == pytest.approx(size)


def test_block_kinds_are_typeset_differently(make_view) -> None:
    article = seed_article()
    view = make_view(article)
    doc = view.document()
    kinds = [b.kind for b in article.blocks]
    size = {}
    for number, kind in enumerate(kinds):
        size.setdefault(kind, doc.findBlockByNumber(number).charFormat().font().pointSizeF())
    assert size["headline"] > size["standfirst"] > size["paragraph"] > size["credit"]
    assert size["caption"] < size["paragraph"]
    paragraph = doc.findBlockByNumber(kinds.index("paragraph")).blockFormat()
    assert paragraph.lineHeight() == 150


def test_dark_palette_gives_a_dark_theme(make_view) -> None:
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#e6e6e6"))
    theme = theme_for(palette)
    assert theme.dark and theme.muted.lightness() < theme.text.lightness()
    view = make_view(seed_article())
    light_text = view.document().findBlockByNumber(6).charFormat().foreground().color()
    view.setPalette(palette)  # the formats carry colours: the document is rebuilt once
    dark_text = view.document().findBlockByNumber(6).charFormat().foreground().color()
    assert dark_text == QColor("#e6e6e6") != light_text
    assert not view.grab().isNull()
    assert raw_text(view) == view.article.text
    document = view.document()
    view.setPalette(palette)  # same look again: nothing to rebuild
    assert view.document() is document


def test_the_viewport_is_reached_by_its_name_without_type_discovery(qtbot):
    """wrappers.wrap_viewport finds the viewport as a typed child (PySide then creates no QWidget
    subclasses to identify it, ~20 ms at start); a view made by the app already has its wrapper."""
    from PySide6.QtWidgets import QTextEdit, QWidget

    from annotator.ui.wrappers import wrap_viewport

    plain = QTextEdit()
    qtbot.addWidget(plain)
    found = plain.findChild(QWidget, "qt_scrollarea_viewport", Qt.FindChildOption.FindDirectChildrenOnly)
    assert found is not None and found is wrap_viewport(plain) and found is plain.viewport()
    view = ArticleView()
    qtbot.addWidget(view)
    assert type(view.viewport()) is QWidget
