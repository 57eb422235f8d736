"""Every change a user can make, as one function each: one transaction, one journal entry, and a
`Done` with the value and the `Changes` (the ids touched) for the views. The command line and the
window both call these; neither holds a rule of an edit of its own.

* annotations.py: tag, relabel, change_bounds, set_attributes, set_note, delete_annotation,
  restore_annotation (word snapping, duplicate refusal, prefill, the first-tag status rule);
* relations.py: the link candidate rule, link, unlink;
* assignments.py: assign, unassign (the balanced, seeded split among analysts);
* articles.py: set_status, set_article_note, add_articles;
* schema_ops.py: change_schema, rename_label, set_guideline;
* review_ops.py: decide, decide_many, accept, reopen (the gold layer);
* annotation_sets.py: import_annotation_set; merge.py: merge_from (a colleague's project);
* history.py: undo, redo, history (from the journal, for every front end).
"""

from .annotations import (
    change_bounds,
    delete_annotation,
    relabel,
    restore_annotation,
    set_attributes,
    set_note,
    snap,
    tag,
)
from .assignments import AssignReport, assign, unassign
from .articles import add_articles, set_article_note, set_status
from .history import UndoConflict, history, redo, redoable, replay, undo, undoable
from .relations import LinkCandidate, first_candidate, link, link_candidates, nothing_to_link, unlink
from .result import Done, DuplicateAnnotation
from .review_ops import DECISIONS, accept, decide, decide_many, reopen
from .schema_ops import SchemaChange, SchemaInUseError, change_schema, rename_label, set_guideline

__all__ = [
    "AssignReport",
    "DECISIONS",
    "Done",
    "DuplicateAnnotation",
    "LinkCandidate",
    "SchemaChange",
    "SchemaInUseError",
    "UndoConflict",
    "accept",
    "add_articles",
    "assign",
    "change_bounds",
    "change_schema",
    "decide",
    "decide_many",
    "delete_annotation",
    "first_candidate",
    "history",
    "link",
    "link_candidates",
    "nothing_to_link",
    "redo",
    "redoable",
    "relabel",
    "rename_label",
    "replay",
    "reopen",
    "restore_annotation",
    "set_article_note",
    "set_attributes",
    "set_guideline",
    "set_note",
    "set_status",
    "snap",
    "tag",
    "undo",
    "undoable",
    "unassign",
    "unlink",
]
