"""The widgets of review mode: the bar above the article, the comparisons page of the side panel and
the small editor of an "edit" decision. They show and ask; the review controller (review_mode.py)
does the work.

* ``ReviewBar``: annotator A and B (combo boxes), extra annotators to show, "Show gold", and the
  legend of what the view draws (A's half, B's half, the tabs of the comparison kinds).
* ``ReviewPage``: the article's comparisons, one row each (kind, label(s), quote, decision), walked
  with Up/Down or n/p; the decision buttons, a comment field and "Accept all agreed".
* ``EditDecisionDialog``: label and bounds of a gold span made by hand.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QFontMetricsF, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..review import ReviewItem, disagreements
from .review_layer import (
    KIND_MARKS,
    KIND_NAMES,
    decision_text,
    describe,
    kind_colours,
    labels_text,
    paint_tab,
    tab_colours,
    tab_font,
    tab_size,
    tab_text,
)
from .theme import theme_for

KeyRole = Qt.ItemDataRole.UserRole + 1
ItemRole = Qt.ItemDataRole.UserRole + 2
LEGEND_KINDS = (
    ("agreed", "agreed"),
    ("label_differs", "label"),
    ("boundaries_differ", "bounds"),
    ("overlap_label_differs", "label + bounds"),
    ("only_a", "only A"),
    ("only_b", "only B"),
)


def summary_text(items: list[ReviewItem]) -> str:
    """The line over the list: "7 comparisons · 4 disagreements (3 to decide) · 2 decided".

    "Disagreements" is `review.disagreements`, the number the agreement report gives the article.
    """
    if not items:
        return ""
    differ = disagreements(i.comparison for i in items)
    to_decide = sum(1 for i in items if i.decision is None and i.comparison.kind != "agreed")
    decided = sum(1 for i in items if i.decision is not None)
    plural = lambda n: "" if n == 1 else "s"  # noqa: E731
    return (f"{len(items)} comparison{plural(len(items))} · {differ} disagreement{plural(differ)}"
            f" ({to_decide} to decide) · {decided} decided")


def half_swatch(palette: QPalette, upper: bool, size: QSize = QSize(22, 16)) -> QPixmap:
    """The legend sign of A (upper half filled, the first underline) or B (lower half, the second)."""
    ratio = 2
    pixmap = QPixmap(size * ratio)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    theme = theme_for(palette)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    w, h = size.width(), size.height()
    fill = QColor(theme.text)
    fill.setAlphaF(0.30)
    line_box = h - 7.0  # the text line; under it the two underline tracks, as in the view
    painter.setPen(QPen(theme.faint, 1.0))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(QRectF(0.5, 0.5, w - 1, line_box))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(fill)
    half = line_box / 2
    painter.drawRect(QRectF(1, 1 if upper else 0.5 + half, w - 2, half - 0.5))
    painter.setPen(QPen(theme.text, 2.0))
    y = line_box + (2.5 if upper else 5.5)
    painter.drawLine(QPointF(1, y), QPointF(w - 1, y))
    painter.end()
    return pixmap


class KindLegend(QWidget):
    """The tabs the view puts on comparisons, each with its meaning, plus the gold outline."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Legend: " + ", ".join(f"{KIND_MARKS[k]} {KIND_NAMES[k]}" for k, _ in LEGEND_KINDS))
        self.setToolTip(
            "Each comparison has a tab at its start:\n"
            + "\n".join(f"{KIND_MARKS[k]}  {KIND_NAMES[k]}" for k, _ in LEGEND_KINDS)
            + "\nDark: still to decide; ✓: decided.\nGold spans are outlined in their label's colour."
        )

    def _entries(self) -> list[tuple[str, str, tuple]]:
        theme = theme_for(self.palette())
        entries = [(KIND_MARKS[k], text, kind_colours(k, False, theme)) for k, text in LEGEND_KINDS]
        entries.append(("✓", "decided", kind_colours("label_differs", True, theme)))
        return entries

    def _row_height(self) -> float:
        return QFontMetricsF(self.font()).height() + 8

    def _placed(self, width: float) -> list[tuple[float, int, float, tuple]]:
        """(x, row, entry width, entry) of each entry, wrapped onto more rows where one is too narrow:
        no entry is ever left out (the gold outline is the last one, with mark None)."""
        tab_metrics = QFontMetricsF(tab_font(self.font()))
        metrics = QFontMetricsF(self.font())
        entries = self._entries() + [(None, "gold", None)]
        placed, x, row = [], 0.0, 0
        for entry in entries:
            mark, text, _colours = entry
            tab_w = 22.0 if mark is None else max(tab_size(tab_metrics, mark)[0], 18.0)
            needed = tab_w + 4 + metrics.horizontalAdvance(text) + 14
            if x > 0 and x + needed > width:
                x, row = 0.0, row + 1
            placed.append((x, row, tab_w, entry))
            x += needed
        return placed

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        rows = 1 + max(row for _x, row, _w, _e in self._placed(width))
        return int(rows * self._row_height())

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(200, int(self._row_height()))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(60, int(self._row_height()))

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        small = tab_font(self.font())
        tab_metrics = QFontMetricsF(small)
        theme = theme_for(self.palette())
        row_h = self._row_height()
        for x, row, tab_w, (mark, text, colours) in self._placed(self.width()):
            top = row * row_h
            tab_h = tab_metrics.capHeight() + 6
            box = QRectF(x + (1 if mark is None else 0), top + (row_h - tab_h) / 2, tab_w, tab_h)
            if mark is None:  # the gold outline
                painter.setPen(QPen(theme.text, 1.6))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRoundedRect(box, 2.5, 2.5)
            else:
                box.setHeight(tab_size(tab_metrics, mark)[1])
                box.moveTop(top + (row_h - box.height()) / 2)
                painter.setFont(small)
                paint_tab(painter, box, mark, colours)
            painter.setFont(self.font())
            painter.setPen(theme.muted)
            painter.drawText(QRectF(box.right() + 4, top, self.width(), row_h), Qt.AlignmentFlag.AlignVCenter, text)
        painter.end()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        height = self.heightForWidth(self.width())
        if height != self.minimumHeight():
            self.setMinimumHeight(height)  # one row more or less: the bar grows or shrinks with it


class ReviewBar(QFrame):
    """Above the article in review mode: who is A, who is B, what else to show, and the legend."""

    pairChanged = Signal(str, str)
    extrasChanged = Signal(list)
    closeRequested = Signal()

    def __init__(self, show_gold_action: QAction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewBar")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Window)
        self._filling = False
        title = QLabel("Review", self)
        font = QFont(title.font())
        font.setBold(True)
        title.setFont(font)
        self.a_combo = QComboBox(self)
        self.a_combo.setAccessibleName("Annotator A")
        self.a_combo.setToolTip("Annotator A: the upper half of the line, and the first underline")
        self.b_combo = QComboBox(self)
        self.b_combo.setAccessibleName("Annotator B")
        self.b_combo.setToolTip("Annotator B: the lower half of the line, and the second underline")
        for combo in (self.a_combo, self.b_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setMinimumContentsLength(6)
            combo.currentIndexChanged.connect(self._combo_changed)
        self.a_sign = QLabel(self)
        self.b_sign = QLabel(self)
        self.a_sign.setPixmap(half_swatch(self.palette(), True))
        self.b_sign.setPixmap(half_swatch(self.palette(), False))
        self.a_sign.setToolTip("A: upper half of the line; its label's line is the first underline below the text")
        self.b_sign.setToolTip("B: lower half of the line; its label's line is the second underline, under A's")
        self.extras_button = QPushButton("Also show", self)  # a push button leaves room for the menu arrow
        self.extras_button.setToolTip("Show more annotators' spans, as thin underlines below the line")
        self.extras_menu = QMenu(self.extras_button)
        self.extras_button.setMenu(self.extras_menu)
        self.gold_button = QToolButton(self)
        self.gold_button.setDefaultAction(show_gold_action)
        self.gold_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.close_button = QToolButton(self)
        self.close_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_TitleBarCloseButton))
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Leave review mode (Ctrl+R)")
        self.close_button.setAccessibleName("Leave review mode")
        self.close_button.clicked.connect(self.closeRequested)
        self.legend = KindLegend(self)
        self.message = QLabel(self)
        self.message.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.message.setWordWrap(True)

        top = QHBoxLayout()
        top.setSpacing(6)
        top.addWidget(title)
        top.addSpacing(6)
        top.addWidget(QLabel("A:", self))
        top.addWidget(self.a_combo)
        top.addWidget(self.a_sign)
        top.addSpacing(10)
        top.addWidget(QLabel("B:", self))
        top.addWidget(self.b_combo)
        top.addWidget(self.b_sign)
        top.addSpacing(10)
        top.addWidget(self.extras_button)
        top.addWidget(self.gold_button)
        top.addStretch(1)
        top.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 8, 6)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.legend)
        layout.addWidget(self.message)
        self.message.hide()

    def set_annotators(self, names: list[str], a: str | None, b: str | None) -> None:
        self._filling = True
        try:
            for combo, chosen in ((self.a_combo, a), (self.b_combo, b)):
                combo.clear()
                combo.addItems(names)
                combo.setCurrentIndex(names.index(chosen) if chosen in names else -1)
        finally:
            self._filling = False

    def set_extras(self, names: list[str], chosen: list[str]) -> None:
        self.extras_menu.clear()
        for name in names:
            action = self.extras_menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(name in chosen)
            action.toggled.connect(lambda _checked: self.extrasChanged.emit(self.chosen_extras()))
        self.extras_button.setEnabled(bool(names))
        count = len([n for n in chosen if n in names])
        self.extras_button.setText(f"Also show ({count})" if count else "Also show")

    def chosen_extras(self) -> list[str]:
        return [a.text().replace("&", "") for a in self.extras_menu.actions() if a.isChecked()]

    def set_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _combo_changed(self, _index: int) -> None:
        if self._filling:
            return
        a, b = self.a_combo.currentText(), self.b_combo.currentText()
        self.pairChanged.emit(a, b)


class ComparisonModel(QAbstractListModel):
    """The comparisons of one article (optionally without the agreed ones), in text order."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.items: list[ReviewItem] = []
        self.shown: list[ReviewItem] = []
        self.text = ""
        self.a_name = self.b_name = ""
        self.hide_agreed = False

    def set_items(self, items: list[ReviewItem], text: str, a_name: str, b_name: str) -> None:
        self.beginResetModel()
        self.items, self.text, self.a_name, self.b_name = list(items), text, a_name, b_name
        self._filter()
        self.endResetModel()

    def set_hide_agreed(self, hide: bool) -> None:
        self.beginResetModel()
        self.hide_agreed = hide
        self._filter()
        self.endResetModel()

    def _filter(self) -> None:
        self.shown = [i for i in self.items if not (self.hide_agreed and i.comparison.kind == "agreed")]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.shown)

    def row_of(self, key: str | None) -> int:
        for row, item in enumerate(self.shown):
            if item.comparison.key == key:
                return row
        return -1

    def quote(self, item: ReviewItem) -> str:
        c = item.comparison
        text = self.text[c.start:c.end] if self.text else (c.a or c.b).quote  # type: ignore[union-attr]
        return " ".join(text.split())

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.shown):
            return None
        item = self.shown[index.row()]
        if role == Qt.ItemDataRole.DisplayRole or role == Qt.ItemDataRole.AccessibleTextRole:
            kind = KIND_NAMES.get(item.comparison.kind, item.comparison.kind)
            return f"{kind} · {labels_text(item)} · “{self.quote(item)}” · {decision_text(item, when=False)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return describe(item, self.a_name, self.b_name)
        if role == KeyRole:
            return item.comparison.key
        if role == ItemRole:
            return item
        return None


class ComparisonDelegate(QStyledItemDelegate):
    """Two lines a row: the kind's tab, its name and the label(s); the quote and the decision."""

    PAD = 6

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        metrics = QFontMetricsF(option.font)
        return QSize(200, int(metrics.height() * 2 + self.PAD * 2 + 3))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        item: ReviewItem | None = index.data(ItemRole)
        if item is None:
            return super().paint(painter, option, index)
        model: ComparisonModel = index.model()  # type: ignore[assignment]
        style = option.widget.style() if option.widget else None
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        ink = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        muted = QColor(ink)
        muted.setAlphaF(0.72)
        theme = theme_for(palette)
        rect = QRectF(option.rect).adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        metrics = QFontMetricsF(option.font)
        line_h = metrics.height()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        small = tab_font(option.font)
        tab_metrics = QFontMetricsF(small)
        mark = tab_text(item)
        tab_h = tab_size(tab_metrics, mark)[1]
        tab_w = tab_size(tab_metrics, "✓≠↔")[0]  # one width for all: the texts line up
        tab = QRectF(rect.left(), rect.top() + (line_h - tab_h) / 2, tab_w, tab_h + 1)
        painter.setFont(small)
        paint_tab(painter, tab, mark, tab_colours(item, theme))
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(ink)
        kind = KIND_NAMES.get(item.comparison.kind, item.comparison.kind)
        x = tab.right() + 8
        first = QRectF(x, rect.top(), rect.right() - x, line_h)
        painter.drawText(first, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, kind)
        kind_w = QFontMetricsF(bold).horizontalAdvance(kind) + 10
        painter.setFont(option.font)
        labels = metrics.elidedText(labels_text(item), Qt.TextElideMode.ElideRight, max(0.0, first.width() - kind_w))
        painter.drawText(first.adjusted(kind_w, 0, 0, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, labels)
        second = QRectF(x, rect.top() + line_h + 3, rect.right() - x, line_h)
        status = decision_text(item, when=False)
        status_font = QFont(option.font)
        status_font.setItalic(item.decision is None)
        status_w = QFontMetricsF(status_font).horizontalAdvance(status)
        quote = metrics.elidedText(f"“{model.quote(item)}”", Qt.TextElideMode.ElideRight, max(0.0, second.width() - status_w - 12))
        painter.setPen(muted)
        painter.drawText(second, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, quote)
        painter.setFont(status_font)
        painter.setPen(ink if item.decision is None and item.comparison.kind != "agreed" else muted)
        painter.drawText(second, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, status)
        painter.restore()


class ComparisonList(QListView):
    """The list of comparisons; Enter (or a double click) emits ``jumpRequested``."""

    jumpRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Comparisons of the two annotators")
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformItemSizes(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setItemDelegate(ComparisonDelegate(self))
        self.activated.connect(lambda index: self.jumpRequested.emit(index.data(KeyRole) or ""))


class ReviewPage(QWidget):
    """The side panel in review mode: the comparisons, their details and the decision buttons."""

    currentChanged = Signal(str)  # comparison key ("" none)

    def __init__(self, actions: dict[str, QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewPage")
        heading = QLabel("Comparisons", self)
        font = QFont(heading.font())
        font.setBold(True)
        heading.setFont(font)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)  # a narrow panel wraps the line rather than widening the window
        self.summary.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.hide_agreed = QCheckBox("Hide agreed", self)
        self.model = ComparisonModel(self)
        self.list = ComparisonList(self)
        self.list.setModel(self.model)
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.hide_agreed.toggled.connect(self._hide_agreed)
        self.empty = QLabel(self)
        self.empty.setWordWrap(True)
        self.empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setMinimumHeight(QFontMetricsF(self.font()).height() * 4)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.comment = QLineEdit(self)
        self.comment.setPlaceholderText("Comment for the next decision (optional)")
        self.comment.setAccessibleName("Decision comment")
        self.comment.setClearButtonEnabled(True)
        self.buttons: dict[str, QToolButton] = {}
        grid = QGridLayout()
        grid.setSpacing(4)
        for number, name in enumerate(("accept_a", "accept_b", "accept_both", "reject", "edit", "reopen")):
            button = QToolButton(self)
            button.setDefaultAction(actions[name])
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            grid.addWidget(button, number // 3, number % 3)
            self.buttons[name] = button
        self.agreed_button = QToolButton(self)
        self.agreed_button.setDefaultAction(actions["accept_agreed"])
        self.agreed_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.agreed_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.hint = QLabel(
            "In the list or the article: 1 accept A · 2 accept B · 3 both · 0 or X reject · E edit · "
            "n / p next / previous · Enter show in the text · Ctrl+Z undo", self)
        self.hint.setWordWrap(True)
        self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        head = QHBoxLayout()
        head.addWidget(heading)
        head.addStretch(1)
        head.addWidget(self.hide_agreed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(head)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.detail)
        layout.addLayout(grid)
        layout.addWidget(self.comment)
        layout.addWidget(self.agreed_button)
        layout.addWidget(self.hint)
        self.empty.hide()

    # -- contents ---------------------------------------------------------------------------------

    def set_items(self, items: list[ReviewItem], text: str, a_name: str, b_name: str, current: str | None) -> None:
        self.model.set_items(items, text, a_name, b_name)
        self.summary.setText(summary_text(items))
        self.select(current, emit=False)

    def set_empty_text(self, text: str) -> None:
        self.empty.setText(text)
        self.empty.setVisible(bool(text))

    def select(self, key: str | None, emit: bool = True) -> None:
        row = self.model.row_of(key)
        selection = self.list.selectionModel()
        if row < 0:
            blocked = selection.blockSignals(True)
            selection.clearCurrentIndex()
            selection.clearSelection()
            selection.blockSignals(blocked)
            self._show_detail(None)
            if emit:
                self.currentChanged.emit("")
            return
        index = self.model.index(row)
        blocked = selection.blockSignals(not emit)
        self.list.setCurrentIndex(index)
        selection.blockSignals(blocked)
        self.list.scrollTo(index)
        self._show_detail(self.model.shown[row])

    def current_key(self) -> str | None:
        index = self.list.currentIndex()
        return index.data(KeyRole) if index.isValid() else None

    def rows(self) -> list[str]:
        """The rows' texts, as the list shows them (for tests and accessibility)."""
        return [self.model.index(r).data() for r in range(self.model.rowCount())]

    def step(self, step: int) -> str | None:
        count = self.model.rowCount()
        if not count:
            return None
        row = self.list.currentIndex().row()
        row = (0 if step > 0 else count - 1) if row < 0 else max(0, min(count - 1, row + step))
        self.list.setCurrentIndex(self.model.index(row))
        return self.current_key()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item = current.data(ItemRole) if current.isValid() else None
        self._show_detail(item)
        self.currentChanged.emit(current.data(KeyRole) if current.isValid() else "")

    def _show_detail(self, item: ReviewItem | None) -> None:
        if item is None:
            self.detail.setText("Choose a comparison in the list (Up / Down, n / p) or click one in the text.")
            return
        text = describe(item, self.model.a_name, self.model.b_name)
        decision = item.decision
        if decision is not None and decision.gold_ids:
            text += f"\nGold: {len(decision.gold_ids)} span{'s' if len(decision.gold_ids) != 1 else ''}"
        self.detail.setText(text)

    def _hide_agreed(self, hide: bool) -> None:
        key = self.current_key()
        self.model.set_hide_agreed(hide)
        self.select(key, emit=True)


class EditDecisionDialog(QDialog):
    """An "edit" decision: the gold span's label and bounds (the text selected, A's, B's, or both)."""

    def __init__(
        self,
        text: str,
        labels: list[str],
        label: str,
        bounds: list[tuple[str, int, int]],
        comment: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit into gold")
        self._text = text
        self._bounds = bounds
        self.label_combo = QComboBox(self)
        self.label_combo.addItems(labels)
        self.label_combo.setCurrentIndex(max(0, labels.index(label) if label in labels else 0))
        self.label_combo.setAccessibleName("Gold label")
        self.bounds_combo = QComboBox(self)
        self.bounds_combo.setAccessibleName("Gold bounds")
        for title, start, end in bounds:
            self.bounds_combo.addItem(f"{title}: {start}–{end}")
        self.quote = QLabel(self)
        self.quote.setWordWrap(True)
        self.quote.setTextFormat(Qt.TextFormat.PlainText)
        self.quote.setMinimumWidth(380)
        self.comment = QLineEdit(comment, self)
        self.comment.setPlaceholderText("Why (optional)")
        self.comment.setAccessibleName("Decision comment")
        self.bounds_combo.currentIndexChanged.connect(self._show_quote)
        form = QFormLayout()
        form.addRow("Label:", self.label_combo)
        form.addRow("Bounds:", self.bounds_combo)
        form.addRow("Text:", self.quote)
        form.addRow("Comment:", self.comment)
        hint = QLabel("To use other bounds, select the text in the article first, then press E.", self)
        hint.setWordWrap(True)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Put into gold")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self._show_quote(0)

    def _show_quote(self, index: int) -> None:
        if 0 <= index < len(self._bounds):
            _, start, end = self._bounds[index]
            quote = " ".join(self._text[start:end].split())
            self.quote.setText(f"“{quote if len(quote) <= 300 else quote[:299] + '…'}”")

    def values(self) -> tuple[int, int, str, str]:
        """(start, end, label, comment) as chosen."""
        _, start, end = self._bounds[max(0, self.bounds_combo.currentIndex())]
        return start, end, self.label_combo.currentText(), self.comment.text().strip()


__all__ = ["ComparisonModel", "EditDecisionDialog", "KindLegend", "ReviewBar", "ReviewPage", "half_swatch"]
