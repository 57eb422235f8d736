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

Each name is imported from its module when first asked for (PEP 562 `__getattr__`), so that a
command or the window loads only the operations it runs: `annotator import-annotations` needs
neither review's nor the assignments' modules.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

# eager: the module's name is also one of its functions, which importing the module would hide
from .history import UndoConflict, history, redo, redoable, replay, undo, undoable

if TYPE_CHECKING:
    from .annotations import (
        change_bounds, delete_annotation, relabel, restore_annotation, set_attributes, set_note, snap, tag,
    )
    from .articles import add_articles, set_article_note, set_status
    from .assignments import AssignReport, assign, unassign
    from .relations import LinkCandidate, first_candidate, link, link_candidates, nothing_to_link, unlink
    from .result import Done, DuplicateAnnotation
    from .review_ops import DECISIONS, accept, decide, decide_many, reopen
    from .schema_ops import SchemaChange, SchemaInUseError, change_schema, rename_label, set_guideline

_NAMES = {
    "annotations": ("change_bounds", "delete_annotation", "relabel", "restore_annotation", "set_attributes",
                    "set_note", "snap", "tag"),
    "articles": ("add_articles", "set_article_note", "set_status"),
    "assignments": ("AssignReport", "assign", "unassign"),
    "relations": ("LinkCandidate", "first_candidate", "link", "link_candidates", "nothing_to_link", "unlink"),
    "result": ("Done", "DuplicateAnnotation"),
    "review_ops": ("DECISIONS", "accept", "decide", "decide_many", "reopen"),
    "schema_ops": ("SchemaChange", "SchemaInUseError", "change_schema", "rename_label", "set_guideline"),
}
_MODULE_OF = {name: module for module, names in _NAMES.items() for name in names}

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


def __getattr__(name: str) -> object:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_MODULE_OF])
