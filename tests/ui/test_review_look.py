"""Review mode as a reader sees it (issue 13): A's and B's lines below the text and the tabs above
it, never over a glyph; one count of disagreements in the panel and the report; A and B kept per
project between sessions."""

from __future__ import annotations

from PySide6.QtCore import QRectF

from annotator import review, settings
from annotator.ui.review_layer import ROLE_A, ROLE_B, underline_y
import support

try:
    from .test_review_mode import enter_review, other_article, review_path, rw, span, team_store, the_article  # noqa: F401
except ImportError:  # tests/ui is not a package
    from test_review_mode import enter_review, other_article, review_path, rw, span, team_store, the_article  # noqa: F401


def text_lines(view) -> list[QRectF]:
    """The ink box of every visible text line, in viewport coordinates."""
    return view._text_line_rects(view.viewport().rect())


def test_lines_and_tabs_never_cross_the_text(qtbot, rw):
    enter_review(qtbot, rw)
    view = rw.view
    layer = view.review_layer()
    pieces, _ = view._layout_review(layer, view.viewport().rect())
    lines = text_lines(view)
    assert lines
    checked = 0
    for key, found in pieces.items():
        span = layer.spans.get(key)
        if span is None or span.role not in (ROLE_A, ROLE_B):
            continue
        for piece in found:
            y = underline_y(piece.rect.bottom(), 0 if span.role == ROLE_A else 1)
            band = QRectF(piece.rect.left(), y - 1, piece.rect.width(), 2)  # the 2 px line
            assert not any(band.intersects(line) for line in lines), (span.role, span.annotation.quote)
            checked += 1
    assert checked >= 10  # every span of A and B on screen
    tabs = layer.tab_boxes(pieces, view._body_font())
    assert len(tabs) == len(layer.items)
    for box, item in tabs:
        assert not any(box.intersects(line) for line in lines), item.comparison.kind
    assert not rw.grab().isNull()


def test_leaving_review_mode_gives_the_normal_spacing_back(qtbot, rw):
    before = rw.view.document().size().height()
    enter_review(qtbot, rw)
    assert rw.view.document().size().height() > before
    rw.review.set_active(False)
    assert rw.view.document().size().height() == before


def test_the_panel_and_the_report_count_the_same_disagreements(qtbot, rw, team_store):
    enter_review(qtbot, rw)
    # one comparison of each kind: five are not agreed (spans without an exact partner would be 10)
    row = next(r for r in review.per_article(team_store, "ana", "ben") if r["article_id"] == the_article().id)
    assert row["disagreements"] == 5
    assert "6 comparisons · 5 disagreements (5 to decide) · 0 decided" == rw.review.page.summary.text()
    dialog = rw.review.show_report()
    qtbot.waitUntil(lambda: dialog.figures is not None and dialog.worker is None, timeout=20000)
    shown = next(r for r in dialog.article_model.rows if r["article_id"] == the_article().id)
    assert shown["disagreements"] == 5
    dialog.close()


def test_the_pair_is_kept_for_the_project_between_sessions(qtbot, make_window, team_store):
    # carla and ben tagged the other article: opened first, it would have suggested ben / carla
    storm = other_article().text
    support.tag(team_store, other_article().id, *span("Storm", storm), "CLAIM", annotator="carla")
    window = make_window(team_store)
    window.open_article(the_article().id)
    window.review.set_active(True)
    assert (window.review.a, window.review.b) == ("ana", "ben")
    key = window.project_key
    assert settings.current().for_project("review_pair", key) == ["ana", "ben"]
    window.close()

    again = make_window(team_store)
    again.open_article(other_article().id)
    again.review.set_active(True)
    assert (again.review.a, again.review.b) == ("ana", "ben")
    assert (again.review.bar.a_combo.currentText(), again.review.bar.b_combo.currentText()) == ("ana", "ben")
    # a pair the reader chooses is kept the same way
    again.review.bar.a_combo.setCurrentIndex(again.review.bar.a_combo.findText("ben"))
    assert (again.review.a, again.review.b) == ("ben", "ana")
    again.close()
    third = make_window(team_store)
    report = third.review.show_report()  # the report opens with the same pair, review mode off
    assert (report.a_combo.currentText(), report.b_combo.currentText()) == ("ben", "ana")
    report.close()
