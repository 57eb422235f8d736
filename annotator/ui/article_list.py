"""The project's articles as a filterable table: title, outlet, status, number of annotations.

Enter, a click or a double click on a row opens the article (`articleActivated`): the one under the
click, or the current one for Enter. Several rows can be selected (Ctrl+click, Shift+click,
Shift+arrows; such clicks only select), for what acts on many articles, such as the export
(`selected_article_ids`); opening an article keeps a selection it is part of. The filter box
matches title and outlet, case-insensitively, and - through `set_note_search` - the article's note
and its annotations' notes; Down in the filter box moves into the list. An article with a note
shows ✎ in its card.

Assignments (`set_assignments`): a card names who the article is assigned to ("for you, lee"), and
the "Assigned to me" box (shown once the project has assignments) keeps only the current analyst's
articles (the annotator name of the settings).
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QMouseEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from typing import Callable

from ..model import ArticleSummary

NOTE_MARK = "✎"

STATUS_TEXT = {"todo": "to do", "in_progress": "in progress", "done": "✓ done"}
ArticleIdRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2
NoteRole = Qt.ItemDataRole.UserRole + 3
AssignedRole = Qt.ItemDataRole.UserRole + 4


def assigned_text(analysts: list[str], me: str) -> str:
    """"for you, lee": who an article is assigned to, the current analyst first as "you"."""
    if not analysts:
        return ""
    names = (["you"] if me in analysts else []) + [n for n in analysts if n != me]
    return "for " + ", ".join(names)


class ArticleTableModel(QAbstractTableModel):
    TITLE, OUTLET, STATUS, COUNT = range(4)
    HEADERS = ("Title", "Outlet", "Status", "Tags")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ArticleSummary] = []
        self._row_of: dict[str, int] = {}
        self._notes: dict[str, str] = {}  # article notes (articles without one are absent)
        self._assigned: dict[str, list[str]] = {}  # article -> its analysts (assigned articles only)
        self.me = ""  # the current analyst

    # -- content -------------------------------------------------------------------------------

    def set_articles(self, articles: list[ArticleSummary]) -> None:
        self.beginResetModel()
        self._rows = list(articles)
        self._row_of = {a.id: i for i, a in enumerate(self._rows)}
        self.endResetModel()

    def set_notes(self, notes: dict[str, str]) -> None:
        self._notes = {k: v for k, v in notes.items() if v}
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1))

    def set_note(self, article_id: str, note: str) -> None:
        if note:
            self._notes[article_id] = note
        else:
            self._notes.pop(article_id, None)
        row = self._row_of.get(article_id)
        if row is not None:
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def set_assignments(self, assigned: dict[str, list[str]], me: str) -> None:
        self._assigned = {k: list(v) for k, v in assigned.items() if v}
        self.me = me
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1))

    def analysts(self, article_id: str) -> list[str]:
        return self._assigned.get(article_id, [])

    def has_assignments(self) -> bool:
        return bool(self._assigned)

    def note(self, article_id: str) -> str:
        return self._notes.get(article_id, "")

    def summary(self, article_id: str) -> ArticleSummary | None:
        row = self._row_of.get(article_id)
        return None if row is None else self._rows[row]

    def ids(self) -> list[str]:
        return [a.id for a in self._rows]

    def update_article(self, article_id: str, *, status: str | None = None, annotations: int | None = None) -> None:
        row = self._row_of.get(article_id)
        if row is None:
            return
        summary = self._rows[row]
        if status is not None:
            summary.status = status
        if annotations is not None:
            summary.annotations = annotations
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def row_of(self, article_id: str) -> int | None:
        return self._row_of.get(article_id)

    # -- Qt model ------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.TextAlignmentRole:
            if section == self.COUNT:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        article = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.TITLE:
                return article.title or "(untitled)"
            if column == self.OUTLET:
                return article.outlet
            if column == self.STATUS:
                return STATUS_TEXT.get(article.status, article.status)
            if column == self.COUNT:
                return str(article.annotations)
        elif role == Qt.ItemDataRole.ToolTipRole:
            lines = [article.title or "(untitled)"]
            if article.outlet:
                lines.append(article.outlet)
            lines.append(
                f"{STATUS_TEXT.get(article.status, article.status)} · {article.annotations} "
                f"annotation{'s' if article.annotations != 1 else ''} · {article.length:,} characters"
            )
            if article.id in self._assigned:
                lines.append(f"Assigned to {', '.join(self._assigned[article.id])}")
            note = self._notes.get(article.id)
            if note:
                lines.append(f"{NOTE_MARK} {note if len(note) <= 300 else note[:299] + '…'}")
            return "\n".join(lines)
        elif role == Qt.ItemDataRole.TextAlignmentRole and column == self.COUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif role == ArticleIdRole:
            return article.id
        elif role == NoteRole:
            return self._notes.get(article.id, "")
        elif role == AssignedRole:
            return assigned_text(self._assigned.get(article.id, []), self.me)
        elif role == SortRole:
            if column == self.COUNT:
                return article.annotations
            if column == self.STATUS:
                return ("todo", "in_progress", "done").index(article.status) if article.status in STATUS_TEXT else 9
            return self.data(index, Qt.ItemDataRole.DisplayRole).casefold()
        return None


def _two_lines(metrics: QFontMetrics, text: str, width: int) -> list[str]:
    """Break a title into at most two lines at spaces; the second is elided if it still does not fit."""
    if metrics.horizontalAdvance(text) <= width:
        return [text]
    words = text.split(" ")
    first = ""
    for count in range(len(words), 0, -1):
        candidate = " ".join(words[:count])
        if metrics.horizontalAdvance(candidate) <= width:
            first = candidate
            rest = " ".join(words[count:])
            break
    else:  # one very long word
        return [metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)]
    return [first, metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width)] if rest else [first]


class ArticleDelegate(QStyledItemDelegate):
    """A row as a small card: the title on up to two lines, then "outlet · status · n tags" muted."""

    PADDING = 6

    def _meta(self, index: QModelIndex) -> str:
        model = index.model()
        row = index.row()
        outlet = model.index(row, ArticleTableModel.OUTLET).data() or ""
        status = model.index(row, ArticleTableModel.STATUS).data() or ""
        count = int(model.index(row, ArticleTableModel.COUNT).data() or 0)
        assigned = model.index(row, ArticleTableModel.TITLE).data(AssignedRole) or ""
        parts = [p for p in (outlet, status, f"{count} tag{'s' if count != 1 else ''}", assigned) if p]
        if model.index(row, ArticleTableModel.TITLE).data(NoteRole):
            parts.append(f"{NOTE_MARK} note")
        return "  ·  ".join(parts)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        metrics = QFontMetrics(option.font)
        return QSize(120, metrics.lineSpacing() * 3 + 2 * self.PADDING + 2)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorGroup.Active if opt.state & QStyle.StateFlag.State_Active else QPalette.ColorGroup.Inactive
        ink = opt.palette.color(group, QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        muted = QColor(ink)
        muted.setAlphaF(0.72 if selected else 0.6)
        rect = opt.rect.adjusted(self.PADDING, self.PADDING, -self.PADDING, -self.PADDING)
        metrics = QFontMetrics(opt.font)
        line = metrics.lineSpacing()
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(ink)
        lines = _two_lines(metrics, text, rect.width())
        for number, piece in enumerate(lines):
            painter.drawText(QRect(rect.left(), rect.top() + number * line, rect.width(), line),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, piece)
        small = QFont(opt.font)
        small.setPointSizeF(max(7.0, opt.font.pointSizeF() * 0.9))
        painter.setFont(small)
        painter.setPen(muted)
        meta = QFontMetrics(small).elidedText(self._meta(index), Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(QRect(rect.left(), rect.top() + 2 * line, rect.width(), line),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, meta)
        painter.restore()


class ArticleFilterModel(QSortFilterProxyModel):
    """Matches the filter text against title and outlet."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setSortRole(SortRole)
        self._needle = ""
        self._also: set[str] = set()  # ids matched elsewhere (their notes)
        self._only: str | None = None  # "Assigned to me": only the articles of this analyst

    def set_only_analyst(self, analyst: str | None) -> None:
        self._change_filter(lambda: setattr(self, "_only", analyst))

    def _change_filter(self, change) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+: invalidateFilter() is deprecated
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older PySide6
            change()
            self.invalidateFilter()

    def set_needle(self, text: str, also: set[str] | None = None) -> None:
        def change() -> None:
            self._needle = text.strip().casefold()
            self._also = set(also or ())

        self._change_filter(change)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        model = self.sourceModel()
        if self._only is not None:
            article_id = model.data(model.index(source_row, 0, source_parent), ArticleIdRole)
            if self._only not in model.analysts(article_id):
                return False
        if not self._needle:
            return True
        if self._also and model.data(model.index(source_row, 0, source_parent), ArticleIdRole) in self._also:
            return True
        for column in (ArticleTableModel.TITLE, ArticleTableModel.OUTLET):
            value = model.data(model.index(source_row, column, source_parent)) or ""
            if self._needle in str(value).casefold():
                return True
        return False


class _FilterEdit(QLineEdit):
    """Down moves into the list; Enter opens the first match."""

    moveDown = Signal()
    accepted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Down:
            self.moveDown.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accepted.emit()
            return
        super().keyPressEvent(event)


class _ArticleTree(QTreeView):
    """The list's view; remembers the modifiers of the last click (Ctrl / Shift+click only select)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.click_modifiers = Qt.KeyboardModifier.NoModifier

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - `clicked` is emitted in here
        self.click_modifiers = event.modifiers()
        super().mouseReleaseEvent(event)


SELECTING = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.MetaModifier


class ArticleList(QWidget):
    """Filter box over a sortable list of the project's articles."""

    articleActivated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ArticleTableModel(self)
        self.proxy = ArticleFilterModel(self)
        self.proxy.setSourceModel(self.model)

        self.filter_edit = _FilterEdit(self)
        self.filter_edit.setPlaceholderText("Filter articles and notes")
        self.filter_edit.setToolTip("Matches titles, outlets, article notes and annotation notes")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Filter articles")
        self.note_search: Callable[[str], set[str]] | None = None
        self.filter_edit.textChanged.connect(self._filter_changed)
        self.filter_edit.moveDown.connect(self._focus_list)
        self.filter_edit.accepted.connect(self._open_first)

        self.view = _ArticleTree(self)
        self.view.setModel(self.proxy)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setHeaderHidden(True)
        self.view.setItemDelegateForColumn(ArticleTableModel.TITLE, ArticleDelegate(self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setAccessibleName("Articles")
        # One column drawn as a card (title, then outlet · status · tags): the list is narrow, and
        # titles matter more than a grid. The other columns stay in the model for sorting and tests.
        for column in (ArticleTableModel.OUTLET, ArticleTableModel.STATUS, ArticleTableModel.COUNT):
            self.view.setColumnHidden(column, True)
        self.view.activated.connect(self._activated)
        self.view.clicked.connect(self._clicked)

        self.count_label = QLabel(self)
        self.count_label.setObjectName("articleCount")
        self.mine_box = QCheckBox("Assigned to me", self)
        self.mine_box.setToolTip("Only the articles assigned to you (your annotator name)")
        self.mine_box.setVisible(False)
        self.mine_box.toggled.connect(self._mine_toggled)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.mine_box)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        self.model.dataChanged.connect(self._update_count)
        self._update_count()

    # -- API -----------------------------------------------------------------------------------

    def set_note_search(self, search: Callable[[str], set[str]] | None) -> None:
        """`search(text)` gives the ids of articles whose notes match (Store.search_notes)."""
        self.note_search = search
        self.refresh_filter()

    def refresh_filter(self) -> None:
        """Filter again (after a note changed, the matches may have too)."""
        if self.filter_edit.text().strip():
            self._filter_changed(self.filter_edit.text())

    def _filter_changed(self, text: str) -> None:
        also: set[str] = set()
        if text.strip() and self.note_search is not None:
            try:
                also = self.note_search(text)
            except Exception:  # noqa: BLE001 - a failed search (a locked file) must not break filtering
                also = set()
        self.proxy.set_needle(text, also)

    def set_notes(self, notes: dict[str, str]) -> None:
        self.model.set_notes(notes)

    def set_assignments(self, assigned: dict[str, list[str]], me: str) -> None:
        """Who each article is assigned to (Store.analysts_of) and who "me" is."""
        self.model.set_assignments(assigned, me)
        self.mine_box.setVisible(self.model.has_assignments() or self.mine_box.isChecked())
        self.mine_box.setToolTip(f"Only the articles assigned to you ({me})")
        if self.mine_box.isChecked():
            self.proxy.set_only_analyst(me)

    def _mine_toggled(self, checked: bool) -> None:
        self.proxy.set_only_analyst(self.model.me if checked else None)
        self._update_count()

    def set_note(self, article_id: str, note: str) -> None:
        self.model.set_note(article_id, note)

    def set_articles(self, articles: list[ArticleSummary]) -> None:
        current = self.current_id()
        self.model.set_articles(articles)
        if current:
            self.select_article(current)

    def update_article(self, article_id: str, *, status: str | None = None, annotations: int | None = None) -> None:
        self.model.update_article(article_id, status=status, annotations=annotations)

    def select_article(self, article_id: str | None) -> None:
        """Mark the open article in the list (without emitting articleActivated)."""
        if not article_id:
            self.view.clearSelection()
            return
        row = self.model.row_of(article_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():  # filtered out: show it anyway rather than hide the open article
            return
        selection = self.view.selectionModel()
        if selection.isRowSelected(index.row(), QModelIndex()):  # part of a selection of several: keep it
            selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
        else:
            # explicitly one row: view.setCurrentIndex would read the keyboard, and the Ctrl of a
            # Ctrl+Z that opened this article would add it to the selection instead
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            selection.setCurrentIndex(index, flags)
        self.view.scrollTo(index)

    def current_id(self) -> str | None:
        index = self.view.currentIndex()
        return index.data(ArticleIdRole) if index.isValid() else None

    def selected_article_ids(self) -> list[str]:
        """The ids of the articles selected in the list, in the list's order (filter and sort applied)."""
        selection = self.view.selectionModel()
        if selection is None:
            return []
        rows = sorted(selection.selectedRows(0), key=lambda index: index.row())
        return [str(article_id) for index in rows if (article_id := index.data(ArticleIdRole))]

    def visible_ids(self) -> list[str]:
        """Article ids in the order the list shows them (filter and sort applied)."""
        return [self.proxy.index(row, 0).data(ArticleIdRole) for row in range(self.proxy.rowCount())]

    def neighbour(self, article_id: str | None, step: int) -> str | None:
        """The article `step` rows away from `article_id` in the list's order, or None at the ends."""
        ids = self.visible_ids()
        if not ids:
            return None
        if article_id not in ids:
            return ids[0] if step > 0 else ids[-1]
        position = ids.index(article_id) + step
        return ids[position] if 0 <= position < len(ids) else None

    # -- slots ---------------------------------------------------------------------------------

    def _clicked(self, index: QModelIndex) -> None:
        if not self.view.click_modifiers & SELECTING:  # Ctrl / Shift+click: a selection, not an opening
            self._activated(index)

    def _activated(self, index: QModelIndex) -> None:
        article_id = index.data(ArticleIdRole) if index.isValid() else None
        if article_id:
            self.articleActivated.emit(article_id)

    def _focus_list(self) -> None:
        self.view.setFocus()
        if not self.view.currentIndex().isValid() and self.proxy.rowCount():
            self.view.setCurrentIndex(self.proxy.index(0, 0))

    def _open_first(self) -> None:
        if self.proxy.rowCount():
            index = self.proxy.index(0, 0)
            self.view.setCurrentIndex(index)
            self._activated(index)

    def _update_count(self, *args: object) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        done = sum(1 for article_id in self.model.ids() if (s := self.model.summary(article_id)) and s.status == "done")
        if total == 0:
            self.count_label.setText("No articles yet — File ▸ Import files…")
        elif shown == total:
            self.count_label.setText(f"{total} article{'s' if total != 1 else ''} · {done} done")
        else:
            self.count_label.setText(f"{shown} of {total} articles shown")
