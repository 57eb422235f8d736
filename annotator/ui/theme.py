"""Colours of the article view, derived from the widget palette so light and dark themes both work.

Nothing here is a fixed text colour: muted text is the palette's text blended toward its base,
tints are the base blended toward the text, so a dark palette gives a dark page with light text and
the same hierarchy. Label colours come from the schema (#RRGGBB); backgrounds use them translucent
(stronger on a dark page, where a pale wash disappears) and lines use them opaque, lightened a
little on a dark page so they keep their contrast.

**Contrast is measured, not hoped for** (WCAG 2 relative luminance): a label's wash is never so
strong that body text on it falls under ``FILL_TEXT_CONTRAST`` (7:1), and the secondary colours
(``muted``, ``faint``: captions, credits, datelines, bylines…) are moved toward the text until they
reach ``AA_TEXT`` (4.5:1) on the page, on the tinted boxes and on every label's wash, selected or
not: captions and credits stay readable, tagged or not, in a light and a dark palette.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

FALLBACK_LABEL_COLOR = "#999999"
AA_TEXT = 4.5  # WCAG 2 AA, text below 18 pt
FILL_TEXT_CONTRAST = 7.0  # body text on a label's wash: leaves room for the muted text above AA

# Stacked underlines: one dash pattern per label (in pen widths), so that labels are never told
# apart by colour alone. The first label is solid; patterns repeat after the last one.
DASH_PATTERNS: tuple[tuple[float, ...] | None, ...] = (
    None,  # solid
    (3.0, 1.5),  # dashes
    (1.0, 1.0),  # dots
    (5.0, 1.5, 1.0, 1.5),  # dash-dot
    (7.0, 2.5),  # long dashes
    (1.0, 1.0, 1.0, 3.0),  # pairs of dots
)


def blend(a: QColor, b: QColor, amount: float) -> QColor:
    """``a`` moved ``amount`` (0..1) of the way toward ``b``."""
    amount = max(0.0, min(1.0, amount))
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
        1.0,
    )


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance of an opaque colour (0 black .. 1 white)."""
    return 0.2126 * _linear(colour.redF()) + 0.7152 * _linear(colour.greenF()) + 0.0722 * _linear(colour.blueF())


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two opaque colours, 1..21."""
    la, lb = relative_luminance(a), relative_luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def over(fill: QColor, base: QColor) -> QColor:
    """The opaque colour a translucent ``fill`` makes painted on ``base``."""
    return blend(base, fill, fill.alphaF())


def readable(colour: QColor, toward: QColor, backgrounds: Iterable[QColor], minimum: float = AA_TEXT) -> QColor:
    """``colour`` moved toward ``toward`` (the body text) just far enough to reach ``minimum``
    contrast on every background; ``toward`` itself if even that does not."""
    grounds = list(backgrounds)
    for step in range(51):
        candidate = blend(colour, toward, step / 50)
        if all(contrast_ratio(candidate, ground) >= minimum for ground in grounds):
            return candidate
    return QColor(toward)


def wash_alpha(colour: QColor, base: QColor, text: QColor, wanted: float, minimum: float = FILL_TEXT_CONTRAST) -> float:
    """The opacity of a label's wash: ``wanted``, or less where body text would lose ``minimum``."""
    alpha = wanted
    while alpha > 0.08:
        wash = QColor(colour)
        wash.setAlphaF(alpha)
        if contrast_ratio(text, over(wash, base)) >= minimum:
            break
        alpha -= 0.02
    return max(0.08, alpha)


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5


@dataclass(frozen=True)
class Theme:
    """The article view's colours for one palette (see theme_for)."""

    dark: bool
    base: QColor  # page background
    text: QColor  # body text
    muted: QColor  # secondary text: datelines, bylines, captions
    faint: QColor  # tertiary: credits, notes
    accent: QColor  # related-story lines
    tint: QColor  # background of image placeholders
    find_fill: QColor  # find hits (not a label colour: neutral, outlined)
    find_line: QColor
    highlight_alpha: float  # label background opacity (at most: see wash_alpha)
    selected_alpha: float  # label background opacity of the selected annotation (at most)
    labels: tuple[str, ...] = ()  # the label colours muted and faint were made readable on

    def label_fill(self, color: str, selected: bool = False) -> QColor:
        fill = QColor(color if QColor.isValidColorName(color) else FALLBACK_LABEL_COLOR)
        wanted = self.selected_alpha if selected else self.highlight_alpha
        fill.setAlphaF(wash_alpha(fill, self.base, self.text, wanted))
        return fill

    def backgrounds(self) -> list[QColor]:
        """Every opaque colour text of the article can stand on: the page, the tint, each wash."""
        grounds = [self.base, self.tint]
        for color in self.labels:
            grounds += [over(self.label_fill(color), self.base), over(self.label_fill(color, True), self.base)]
        return grounds

    def label_line(self, color: str) -> QColor:
        line = QColor(color if QColor.isValidColorName(color) else FALLBACK_LABEL_COLOR)
        if self.dark:
            return blend(line, QColor(Qt.GlobalColor.white), 0.15)
        return blend(line, QColor(Qt.GlobalColor.black), 0.12)


_THEMES: dict[tuple, Theme] = {}


def theme_for(palette: QPalette, labels: Iterable[str] = ()) -> Theme:
    """The article view's colours for ``palette``; ``labels`` (the schema's label colours) are the
    washes the secondary text must stay readable on. Kept per palette and labels: making one
    measures about a thousand contrasts, and the view asks again on every restyle."""
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    link = palette.color(QPalette.ColorRole.Link)
    labels = tuple(dict.fromkeys(labels))
    key = (base.rgba(), text.rgba(), link.rgba() if link.isValid() else None, labels)
    theme = _THEMES.get(key)
    if theme is None:
        theme = _THEMES[key] = _make_theme(base, text, link, labels)
    return theme


def _make_theme(base: QColor, text: QColor, link: QColor, labels: tuple[str, ...]) -> Theme:
    dark = base.lightnessF() < 0.5
    accent = blend(link, text, 0.5) if link.isValid() else blend(text, base, 0.3)
    find_fill = QColor("#8a8a8a")
    find_fill.setAlphaF(0.38 if dark else 0.30)
    find_line = blend(text, base, 0.45)
    draft = Theme(
        dark=dark,
        base=base,
        text=text,
        muted=blend(text, base, 0.38),
        faint=blend(text, base, 0.5),
        accent=accent,
        tint=blend(base, text, 0.06 if dark else 0.045),
        find_fill=find_fill,
        find_line=find_line,
        highlight_alpha=0.40 if dark else 0.30,
        selected_alpha=0.60 if dark else 0.48,
        labels=labels,
    )
    grounds = draft.backgrounds()
    return replace(
        draft,
        muted=readable(draft.muted, text, grounds),
        faint=readable(draft.faint, text, grounds),
        accent=readable(draft.accent, text, grounds),
    )


def with_readable_hints(palette: QPalette) -> QPalette:
    """A palette that sets only PlaceholderText: ``palette``'s (the panels' hints and empty-state lines) moved toward
    the text until it reaches AA on the window and on the base: Qt's default is half-transparent
    text, about 3.5:1 on a light window."""
    found = QPalette()  # only this role is set: every other one still follows the application's
    role = QPalette.ColorRole.PlaceholderText
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        window = palette.color(group, QPalette.ColorRole.Window)
        grounds = [window, palette.color(group, QPalette.ColorRole.Base)]
        hint = over(palette.color(group, role), window)
        found.setColor(group, role, readable(hint, palette.color(group, QPalette.ColorRole.WindowText), grounds))
    return found
