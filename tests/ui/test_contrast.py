"""Text in the article view is readable (issue 13): every kind of block — captions, photo credits,
datelines, bylines, related-story lines… — reaches WCAG AA contrast (4.5:1) on the page, in the
tinted boxes and on every label's wash, selected or not, in a light and in dark palettes. The
ratios are measured on the colours the document really uses."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette

from annotator.model import build_article
from annotator.schema import default_schema
from annotator.ui.article_view import ArticleView
from annotator.ui.theme import AA_TEXT, contrast_ratio, over, relative_luminance, theme_for
from annotator.ui.view_document import KIND_STYLES

PALETTES = {
    "light": ("#ffffff", "#000000"),
    "light grey text": ("#fcfcfc", "#232629"),  # Breeze light
    "dark": ("#1e1e1e", "#e6e6e6"),
    "dark white text": ("#2d2d2d", "#ffffff"),
    "dark navy": ("#232629", "#eff0f1"),  # Breeze dark
}


def palette(base: str, text: str) -> QPalette:
    found = QPalette()
    for role in (QPalette.ColorRole.Base, QPalette.ColorRole.Window):
        found.setColor(role, QColor(base))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText):
        found.setColor(role, QColor(text))
    return found


def test_the_contrast_ratio_is_wcag_s():
    assert contrast_ratio(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert contrast_ratio(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)  # the known AA edge
    assert relative_luminance(QColor("#ffffff")) == pytest.approx(1.0)


def every_kind_article():
    kinds = list(KIND_STYLES)
    return build_article([(kind, f"{kind} text, a line of it") for kind in kinds], title="Kinds"), kinds


@pytest.mark.parametrize("name", list(PALETTES))
def test_every_block_kind_reaches_aa_on_the_page_and_on_every_wash(qtbot, name):
    base, text = PALETTES[name]
    view = ArticleView()
    qtbot.addWidget(view)
    schema = default_schema()
    view.setPalette(palette(base, text))
    view.set_schema(schema)
    article, kinds = every_kind_article()
    view.set_article(article, [], schema)
    theme = view._theme
    assert theme.base == QColor(base)
    grounds = {"page": theme.base, "tint": theme.tint}
    for label in schema.labels:
        style = view._style_of_label(label.name)
        grounds[label.name] = over(style.fill, theme.base)
        grounds[label.name + " selected"] = over(style.selected_fill, theme.base)
    doc = view.document()
    worst = []
    for number, kind in enumerate(kinds):
        block = doc.findBlockByNumber(number)
        ink = block.begin().fragment().charFormat().foreground().color()
        for where, ground in grounds.items():
            ratio = contrast_ratio(ink, ground)
            worst.append((ratio, kind, where))
    ratio, kind, where = min(worst)
    assert ratio >= AA_TEXT, f"{name}: {kind} on {where} is {ratio:.2f}:1"
    # the hierarchy survives: captions and credits are still lighter than the body text
    body = doc.findBlockByNumber(kinds.index("paragraph")).begin().fragment().charFormat().foreground().color()
    caption = doc.findBlockByNumber(kinds.index("caption")).begin().fragment().charFormat().foreground().color()
    assert contrast_ratio(caption, theme.base) < contrast_ratio(body, theme.base)


@pytest.mark.parametrize("name", list(PALETTES))
def test_body_text_on_a_wash_keeps_more_than_aa(name):
    theme = theme_for(palette(*PALETTES[name]), [label.color for label in default_schema().labels])
    for color in theme.labels + ("#ffff00", "#ff00ff", "#999999"):  # any schema colour, even a loud one
        for selected in (False, True):
            wash = over(theme.label_fill(color, selected), theme.base)
            assert contrast_ratio(theme.text, wash) >= 7.0, (color, selected)


def test_the_old_greys_failed(qtbot):
    """What issue 13 saw: credits at 50% grey on white were 3.98:1, captions on a selected CAPTION 3.48:1."""
    white, black = QColor("#ffffff"), QColor("#000000")
    grey = QColor.fromRgbF(0.5, 0.5, 0.5)
    assert contrast_ratio(grey, white) < AA_TEXT
    theme = theme_for(palette("#ffffff", "#000000"), ["#009E73"])
    assert contrast_ratio(theme.faint, white) >= AA_TEXT
    assert contrast_ratio(theme.muted, over(theme.label_fill("#009E73", True), white)) >= AA_TEXT
    assert theme.muted != black  # still a grey


@pytest.mark.parametrize("name", ["light", "dark"])
def test_the_panels_grey_hints_reach_aa(qtbot, make_window, store, name):
    from PySide6.QtWidgets import QApplication

    from annotator.ui.theme import with_readable_hints

    app = QApplication.instance()
    before = app.palette()
    window = make_window(store)  # made before the switch: the desktop changes theme while it is open
    app.setPalette(palette(*PALETTES[name]))
    try:
        qtbot.wait(10)
        hint = window.side_panel.palette()
        assert hint.color(QPalette.ColorRole.Window) == QColor(PALETTES[name][0])
        ink = hint.color(QPalette.ColorRole.PlaceholderText)
        for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
            assert contrast_ratio(ink, hint.color(role)) >= AA_TEXT, role
        default = palette(*PALETTES[name]).color(QPalette.ColorRole.PlaceholderText)
        assert with_readable_hints(palette(*PALETTES[name])).color(QPalette.ColorRole.PlaceholderText) != default
    finally:
        app.setPalette(before)


def test_a_theme_is_made_once_per_palette_and_labels():
    light, dark = palette(*PALETTES["light"]), palette(*PALETTES["dark"])
    first = theme_for(light, ["#e69f00"])
    assert theme_for(light, ["#e69f00"]) is first  # kept: the view asks again on every restyle
    assert theme_for(light, ["#0072b2"]) is not first  # other washes: the muted text is made readable on them
    assert theme_for(dark, ["#e69f00"]).dark and not first.dark
    link = QPalette(light)
    link.setColor(QPalette.ColorRole.Link, QColor("#aa0000"))
    assert theme_for(link, ["#e69f00"]).accent != first.accent
