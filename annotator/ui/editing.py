"""What the user asks of the article, turned into operations: tag, relabel, move bounds, notes,
links, status, the schema. A mixin of `MainWindow`.

Each intent calls one operation of the core (annotator/operations) — the rules (snapping,
duplicates, prefill, the relation-type rule, the link candidates) are the core's, the same the
command line applies — then hands the result to the window's `record`, which applies what changed
(the one `apply_changes` path), pushes the undo step and says "Saved".

Link mode: with an annotation selected, A (or "Link to…" in its details) lists what it can be
linked to (for a claim, the article's sources) in a small picker over the article and outlines
those spans; Enter in the list or a click on a span stores the relation (one undo step), Esc
cancels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from ..model import Annotation, Relation
from ..textspan import next_word_start, previous_word_end, word_end_after, word_start_before
from ..wording import elide
from .window_guard import guarded

if TYPE_CHECKING:  # the operations and the dialogs load when first used (start-up time)
    from .. import operations as ops
    from .dialogs import ArticleNoteDialog

STATUS_MESSAGE_MS = 8000


class EditingMixin:
    """The editing intents of the main window."""

    # -- tagging -----------------------------------------------------------------------------

    @guarded
    def tag(self, label: str, exact: bool = False) -> Annotation | None:
        """Tag the selected text with `label` (snapped to words unless `exact`); relabel if no text is selected."""
        from .. import operations as ops

        article = self.current_article
        if article is None:
            self.show_message("Open an article first.")
            return None
        span = self.view.selection_span()
        if span is None:
            if self.selected_id is not None:
                self.change_label(self.selected_id, label)
                return None
            self.show_message("Select some text first, then press a label's key.")
            return None
        try:
            done = ops.tag(self.store, article.id, *span, label, annotator=self._annotator(), exact=exact)
        except ops.DuplicateAnnotation as exc:
            self._clear_text_selection()
            self.select_annotation(exc.existing)
            self.show_message(f"Already tagged {self.store.schema.resolve_label(label)} here.")
            return self.annotations.get(exc.existing)
        annotation = done.value
        self.record(done, f"tag {annotation.label}", f"tag {annotation.label} '{elide(annotation.quote, 40)}'")
        self._clear_text_selection()
        self.select_annotation(annotation.id)
        return annotation

    def _clear_text_selection(self) -> None:
        cursor = self.view.textCursor()
        if cursor.hasSelection():
            cursor.clearSelection()
            self.view.setTextCursor(cursor)

    def _annotation(self, annotation_id: str | None) -> Annotation | None:
        return self.annotations.get(annotation_id) if annotation_id else None

    @guarded
    def delete_selected(self) -> None:
        if self.selected_id is None:
            self.show_message("Select an annotation first (click a highlight, or n / p).")
            return
        self.delete_annotation(self.selected_id)

    @guarded
    def delete_annotation(self, annotation_id: str) -> None:
        from .. import operations as ops

        annotation = self._annotation(annotation_id)
        if annotation is None:
            return
        done = ops.delete_annotation(self.store, annotation.id, annotator=self._annotator())
        self.record(done, f"delete {annotation.label}", f"delete {annotation.label} '{elide(annotation.quote, 40)}'")

    @guarded
    def change_label(self, annotation_id: str, label: str) -> None:
        from .. import operations as ops

        annotation = self._annotation(annotation_id)
        if annotation is None or annotation.label == label:
            return
        try:
            done = ops.relabel(self.store, annotation.id, label, annotator=self._annotator())
        except ops.DuplicateAnnotation as exc:
            self.show_message(str(exc).capitalize())
            return
        self.record(done, f"relabel {annotation.label} → {done.value.label}", f"relabel {annotation.label} → {done.value.label}")

    @guarded
    def change_attributes(self, annotation_id: str, values: dict) -> None:
        from .. import operations as ops

        annotation = self._annotation(annotation_id)
        if annotation is None or dict(values) == annotation.attributes:
            return
        done = ops.set_attributes(self.store, annotation.id, dict(values), annotator=self._annotator())
        self.record(done, f"edit {annotation.label} attributes", f"{annotation.label} attributes")

    @guarded
    def change_note(self, annotation_id: str, note: str) -> None:
        from .. import operations as ops

        annotation = self._annotation(annotation_id)
        if annotation is None or annotation.note == note:
            return
        done = ops.set_note(self.store, annotation.id, note, annotator=self._annotator())
        self.record(done, f"edit {annotation.label} note", f"{annotation.label} note", kind="note", subject=annotation.id)

    @guarded
    def change_bounds(self, annotation_id: str, start: int, end: int, exact: bool = True) -> None:
        """Move an annotation's bounds; the view's drag and the word keys give finished bounds (exact)."""
        from .. import operations as ops

        annotation = self._annotation(annotation_id)
        if annotation is None or (annotation.start, annotation.end) == (start, end):
            return
        try:
            done = ops.change_bounds(self.store, annotation.id, start, end, annotator=self._annotator(), exact=exact)
        except ops.DuplicateAnnotation as exc:
            self.show_message(str(exc).capitalize())
            return
        self.record(done, f"resize {annotation.label}", f"resize {annotation.label} '{elide(done.value.quote, 40)}'")

    def adjust_bounds(self, edge: str, direction: int) -> None:
        """Move the selected annotation's start or end by one word; without one, extend the text selection."""
        annotation = self._annotation(self.selected_id)
        if annotation is None or self.current_article is None:
            self._move_text_selection(edge, direction)
            return
        text = self.current_article.text
        start, end = annotation.start, annotation.end
        if edge == "end":
            end = word_end_after(text, end) if direction > 0 else previous_word_end(text, end)
        else:
            start = word_start_before(text, start) if direction < 0 else next_word_start(text, start)
        if end <= start:
            self.show_message("The annotation cannot get any shorter.")
            return
        self.change_bounds(annotation.id, start, end)

    def _move_text_selection(self, edge: str, direction: int) -> None:
        if edge != "end":
            self.show_message("Select an annotation to move its start.")
            return
        cursor = self.view.textCursor()
        move = QTextCursor.MoveOperation.NextWord if direction > 0 else QTextCursor.MoveOperation.PreviousWord
        cursor.movePosition(move, QTextCursor.MoveMode.KeepAnchor)
        self.view.setTextCursor(cursor)

    def set_bounds_to_selection(self, exact: bool = False) -> None:
        annotation = self._annotation(self.selected_id)
        span = self.view.selection_span()
        if annotation is None or span is None or self.current_article is None:
            self.show_message("Select an annotation, then select its new text and press B.")
            return
        self.change_bounds(annotation.id, *span, exact=exact)
        self._clear_text_selection()

    @guarded
    def toggle_done(self) -> None:
        from .. import operations as ops

        article = self.current_article
        if article is None:
            self.show_message("Open an article first.")
            return
        after = "in_progress" if article.status == "done" else "done"
        done = ops.set_status(self.store, article.id, after, annotator=self._annotator())
        self.record(done, f"mark {after.replace('_', ' ')}", f"marked {after.replace('_', ' ')}")

    # -- links (relations) ---------------------------------------------------------------------

    def link_candidates(self, source: Annotation) -> list[ops.LinkCandidate]:
        """What `source` can be linked to: the core's candidate rule (operations/relations.py)."""
        from .. import operations as ops

        return ops.link_candidates(self.store, source.id)

    @guarded
    def start_link(self, annotation_id: str | None = None) -> bool:
        """Link mode for the selected annotation (or `annotation_id`): the picker and outlined targets."""
        from .. import operations as ops

        if annotation_id is not None and annotation_id != self.selected_id:
            self.select_annotation(annotation_id)
        source = self._annotation(self.selected_id)
        if source is None:
            self.show_message("Select an annotation first (click a highlight), then press A to link it.")
            return False
        candidates = self.link_candidates(source)
        if not candidates:
            self.show_message(ops.nothing_to_link(self.store, source))
            return False
        self.link_source = source.id
        self.link_targets = {c.other.id: (c.head, c.tail, c.type) for c in candidates}
        self.view.set_link_mode(source.id, set(self.link_targets))
        first = ops.first_candidate(source, candidates)
        self.link_picker.show_targets(source, [(c.other, c.type) for c in candidates], self.store.schema,
                                      first.other.id if first else None)
        self._place_link_picker()
        self.link_picker.show()
        self.link_picker.raise_()
        self.link_picker.list.setFocus()
        names = " or ".join(sorted({c.other.label for c in candidates}))
        self.statusBar().showMessage(
            f"Link this {source.label}: click a {names} in the text, or choose one in the list (Enter). Esc cancels.",
            STATUS_MESSAGE_MS * 3,
        )
        return True

    def _place_link_picker(self) -> None:
        """At the article's top right, or its bottom right where the top would hide the annotation
        being linked (the walk-through at 1024×700 saw the picker over the claim's first line)."""
        corner = self.view.mapTo(self, QPoint(self.view.width(), 0))
        picker = self.link_picker
        picker.adjustSize()
        x = max(0, corner.x() - picker.width() - 28)
        top, bottom = corner.y() + 12, corner.y() + self.view.height() - picker.height() - 12
        anchors = [self.view._anchor(self.link_source, end) for end in (True, False)] if self.link_source else []
        if bottom > top and all(a is not None for a in anchors) and anchors:
            offset = self.view.viewport().mapTo(self, QPoint(0, 0)).y()
            span_top, span_bottom = anchors[0].y() + offset, anchors[1].y() + offset
            if span_top < top + picker.height() and span_bottom > top:  # the picker would cover it
                top = bottom
        picker.move(x, top)

    def cancel_link(self, message: str = "") -> None:
        if self.link_source is None:
            return
        self.link_source = None
        self.link_targets = {}
        self.view.set_link_mode(None)
        had_focus = self.link_picker.isAncestorOf(QApplication.focusWidget()) if QApplication.focusWidget() else False
        self.link_picker.hide()
        if had_focus:
            self.view.setFocus()
        if message:
            self.show_message(message)

    def _link_clicked(self, annotation_id: str) -> None:
        if not annotation_id:
            self.cancel_link("Linking cancelled.")
            return
        if annotation_id == self.link_source:
            return
        if annotation_id not in self.link_targets:
            other = self._annotation(annotation_id)
            what = other.label if other is not None else "annotation"
            self.show_message(f"This {what} cannot be linked here; click an outlined span, or Esc to cancel.")
            return
        self.finish_link(annotation_id)

    @guarded
    def finish_link(self, target_id: str) -> Relation | None:
        """Store the relation between the link source and `target_id` (one undo step)."""
        from .. import operations as ops

        source_id = self.link_source
        target = self.link_targets.get(target_id)
        if source_id is None or target is None:
            return None
        head, tail, kind = target
        self.cancel_link()
        done = ops.link(self.store, head, tail, kind, annotator=self._annotator())
        self.record(done, f"link {kind.replace('_', ' ')}", f"link {kind.replace('_', ' ')}")
        self.select_annotation(source_id)
        self.view.setFocus()
        return done.value

    @guarded
    def delete_relation(self, relation_id: str) -> None:
        from .. import operations as ops

        relation = self.session.relations.get(relation_id) if self.session is not None else None
        if relation is None:
            return
        done = ops.unlink(self.store, relation.id, annotator=self._annotator())
        self.record(done, f"unlink {relation.type.replace('_', ' ')}", f"unlink {relation.type.replace('_', ' ')}")

    def escape(self) -> None:
        """Esc in the article: leave link mode, else deselect the annotation."""
        if self.link_source is not None:
            self.cancel_link("Linking cancelled.")
        else:
            self.select_annotation(None)

    # -- notes and the schema ------------------------------------------------------------------

    def edit_article_note(self) -> ArticleNoteDialog | None:
        """Open the article note editor; OK stores the note as one undo step."""
        article = self.current_article
        if article is None:
            self.show_message("Open an article first.")
            return None
        from .dialogs import ArticleNoteDialog

        dialog = ArticleNoteDialog(article.title or "(untitled)", article.note, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.set_article_note(article.id, dialog.text()))
        dialog.open()
        self.article_note_dialog = dialog
        return dialog

    @guarded
    def set_article_note(self, article_id: str, note: str) -> None:
        from .. import operations as ops

        if note == self.store.article_row(article_id)["note"]:
            return
        done = ops.set_article_note(self.store, article_id, note, annotator=self._annotator())
        title = "edit article note" if note else "remove article note"
        self.record(done, title, "article note" if note else "article note removed")

    def edit_schema(self):
        """Open the label schema editor; Save applies the changes as one undo step."""
        from .schema_dialog import SchemaDialog  # when first used: start-up time

        dialog = SchemaDialog(self.store.schema, self.store.label_usage, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.apply_schema(dialog))
        dialog.open()
        self.schema_dialog = dialog
        return dialog

    @guarded
    def apply_schema(self, dialog) -> None:
        from .. import operations as ops

        if not dialog.changed() or dialog.result_schema is None:
            return
        removed = sum(dialog.removed.values())
        what = "edit label schema"
        if dialog.renames:
            what = "rename " + ", ".join(f"{old} → {new}" for old, new in dialog.renames.items())
        done = ops.change_schema(self.store, dialog.result_schema, annotator=self._annotator(), renames=dialog.renames,
                                 force=True, title=what)
        extra = f"; deleted {removed} annotation{'s' if removed != 1 else ''}" if removed else ""
        self.record(done, what, what + extra)
