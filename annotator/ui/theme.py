"""Colours of the article view, derived from the widget palette so light and dark themes both work.

Nothing here is a fixed text colour: muted text is the palette's text blended toward its base,
tints are the base blended toward the text, so a dark palette gives a dark page with light text and
the same hierarchy. Label colours come from the schema (#RRGGBB); backgrounds use them translucent
(stronger on a dark page, where a pale wash disappears) and lines use them opaque, lightened a
little on a dark page so they keep their contrast.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

FALLBACK_LABEL_COLOR = "#999999"

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


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5


@dataclass(frozen=True)
class Theme:
    dark: bool
    base: QColor  # page background
    text: QColor  # body text
    muted: QColor  # secondary text: datelines, bylines, captions
    faint: QColor  # tertiary: credits, notes
    accent: QColor  # related-story lines
    tint: QColor  # background of image placeholders
    find_fill: QColor  # find hits (not a label colour: neutral, outlined)
    find_line: QColor
    highlight_alpha: float  # label background opacity
    selected_alpha: float  # label background opacity of the selected annotation

    def label_fill(self, color: str, selected: bool = False) -> QColor:
        fill = QColor(color if QColor.isValidColorName(color) else FALLBACK_LABEL_COLOR)
        fill.setAlphaF(self.selected_alpha if selected else self.highlight_alpha)
        return fill

    def label_line(self, color: str) -> QColor:
        line = QColor(color if QColor.isValidColorName(color) else FALLBACK_LABEL_COLOR)
        if self.dark:
            return blend(line, QColor(Qt.GlobalColor.white), 0.15)
        return blend(line, QColor(Qt.GlobalColor.black), 0.12)


def theme_for(palette: QPalette) -> Theme:
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    dark = is_dark(palette)
    link = palette.color(QPalette.ColorRole.Link)
    accent = blend(link, text, 0.5) if link.isValid() else blend(text, base, 0.3)
    find_fill = QColor("#8a8a8a")
    find_fill.setAlphaF(0.38 if dark else 0.30)
    find_line = blend(text, base, 0.45)
    return Theme(
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
    )
