"""The journal holds every edit exactly: random sequences of operations by two annotators, then

* undoing everything (newest first, whoever made it) gives back the initial rows, to the byte;
* redoing everything gives back the final rows;
* replaying the journal onto a copy of the initial project gives the same final rows.

Assignments take part: assign, unassign, and the done mark that set_status keeps on them.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from annotator import operations as ops
from annotator.errors import AnnotatorError
from annotator.model import build_article
from annotator.review import Comparison
from annotator.store import UNDO_KINDS, Store
from annotator.store import search_index

import support

ANNOTATORS = ("maria", "ben")
LABELS = ("CLAIM", "SOURCE", "CAPTION")
TEXTS = (
    [("headline", "😀 Kim 👍🏽 says the economy grew 5% in May"), ("paragraph", "Officials said prices rose, AFP reported.")],
    [("paragraph", "Le ministre a dit que les prix ont augmenté de 3,5 %."), ("caption", "Kyiv at dawn (Reuters)")],
)


def copy_project(path: Path, to: Path) -> None:
    with Store.open(path) as store:
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(path, to)


class JournalMachine(RuleBasedStateMachine):
    @initialize()
    def project(self) -> None:
        self.folder = Path(tempfile.mkdtemp())
        self.path = self.folder / "p.annotator"
        self.store = Store.open(self.path)
        articles = [build_article(blocks, title=f"Article {n}") for n, blocks in enumerate(TEXTS)]
        support.add_articles(self.store, articles)
        self.articles = [a.id for a in articles]
        self.texts = {a.id: a.text for a in articles}
        copy_project(self.path, self.folder / "initial.annotator")
        self.initial = support.table_rows(self.store)
        self.start_seq = self.store.latest_seq()
        self.ops = 0

    def _ids(self, table: str) -> list[str]:
        return [r[0] for r in self.store.conn.execute(f"SELECT id FROM {table} ORDER BY rowid")]  # made-order: ids are random

    def _try(self, call, *args, **kwargs) -> None:
        try:
            done = call(self.store, *args, **kwargs)
        except AnnotatorError:
            return  # refused (a duplicate, a span of spaces, ...): nothing changed
        self.ops += bool(done.op_id)

    @rule(article=st.integers(0, 1), start=st.integers(0, 60), size=st.integers(1, 25), label=st.sampled_from(LABELS),
          who=st.sampled_from(ANNOTATORS), exact=st.booleans())
    def tag(self, article, start, size, label, who, exact):
        article_id = self.articles[article]
        length = len(self.texts[article_id])
        start = min(start, length - 1)
        self._try(ops.tag, article_id, start, min(length, start + size), label, annotator=who, exact=exact)

    @precondition(lambda self: self._ids("annotations"))
    @rule(pick=st.integers(0, 1000), label=st.sampled_from(LABELS), who=st.sampled_from(ANNOTATORS))
    def relabel(self, pick, label, who):
        ids = self._ids("annotations")
        self._try(ops.relabel, ids[pick % len(ids)], label, annotator=who)

    @precondition(lambda self: self._ids("annotations"))
    @rule(pick=st.integers(0, 1000), grow=st.integers(-3, 3), who=st.sampled_from(ANNOTATORS))
    def bounds(self, pick, grow, who):
        annotation = self.store.get_annotation(self._ids("annotations")[pick % len(self._ids("annotations"))])
        self._try(ops.change_bounds, annotation.id, annotation.start, annotation.end + grow, annotator=who)

    @precondition(lambda self: self._ids("annotations"))
    @rule(pick=st.integers(0, 1000), note=st.sampled_from(["", "check 🎉", "two\nlines"]), who=st.sampled_from(ANNOTATORS))
    def note(self, pick, note, who):
        ids = self._ids("annotations")
        self._try(ops.set_note, ids[pick % len(ids)], note, annotator=who)

    @precondition(lambda self: self._ids("annotations"))
    @rule(pick=st.integers(0, 1000), who=st.sampled_from(ANNOTATORS))
    def delete_or_restore(self, pick, who):
        annotation = self.store.get_annotation(self._ids("annotations")[pick % len(self._ids("annotations"))])
        verb = ops.restore_annotation if annotation.deleted else ops.delete_annotation
        self._try(verb, annotation.id, annotator=who)

    @precondition(lambda self: len(self._ids("annotations")) >= 2)
    @rule(a=st.integers(0, 1000), b=st.integers(0, 1000), who=st.sampled_from(ANNOTATORS))
    def link(self, a, b, who):
        ids = self._ids("annotations")
        self._try(ops.link, ids[a % len(ids)], ids[b % len(ids)], annotator=who)

    @precondition(lambda self: self._ids("relations"))
    @rule(pick=st.integers(0, 1000), who=st.sampled_from(ANNOTATORS))
    def unlink(self, pick, who):
        ids = self._ids("relations")
        self._try(ops.unlink, ids[pick % len(ids)], annotator=who)

    @rule(article=st.integers(0, 1), status=st.sampled_from(["todo", "in_progress", "done"]),
          note=st.sampled_from(["", "compare with Yonhap"]), who=st.sampled_from(ANNOTATORS))
    def article_row(self, article, status, note, who):
        self._try(ops.set_status, self.articles[article], status, annotator=who)
        self._try(ops.set_article_note, self.articles[article], note, annotator=who)

    @rule(article=st.integers(0, 2), analysts=st.sampled_from([["maria"], ["ben"], ["maria", "ben"]]),
          overlap=st.integers(1, 2), who=st.sampled_from(ANNOTATORS))
    def assign(self, article, analysts, overlap, who):
        chosen = self.articles if article == 2 else [self.articles[article]]
        self._try(ops.assign, chosen, analysts, assigned_by=who, overlap=overlap, seed=str(article))

    @rule(article=st.integers(0, 1), who=st.sampled_from(ANNOTATORS))
    def unassign(self, article, who):
        self._try(ops.unassign, [self.articles[article]], unassigned_by=who)

    @precondition(lambda self: self._ids("annotations"))
    @rule(pick=st.integers(0, 1000), decision=st.sampled_from(["accept_a", "reject"]))
    def decide(self, pick, decision):
        annotation = self.store.get_annotation(self._ids("annotations")[pick % len(self._ids("annotations"))])
        self._try(ops.decide, Comparison("only_a", annotation, None), decision, "lead")

    @rule(who=st.sampled_from(ANNOTATORS))
    def undo_one(self, who):
        self._try(ops.undo, annotator=who)

    @rule(who=st.sampled_from(ANNOTATORS))
    def redo_one(self, who):
        self._try(ops.redo, annotator=who)

    @invariant()
    def search_index_in_step(self) -> None:
        """The full-text index holds exactly the live quotes and notes and every title and text."""
        if hasattr(self, "store"):
            assert search_index.check(self.store.conn) == []

    def _newest_standing(self):
        entries = [e for e in self.store.history(limit=100_000) if e.kind not in UNDO_KINDS and e.seq > self.start_seq]
        state = self.store.standing([e.id for e in entries])
        return next((e for e in entries if state[e.id]), None)

    def teardown(self) -> None:
        """At the end of every run: undo all, redo all, replay."""
        final = support.table_rows(self.store)
        end_seq = self.store.latest_seq()
        undone = []
        while (entry := self._newest_standing()) is not None:
            ops.undo(self.store, entry.id, annotator=entry.annotator)
            undone.append(entry)
        assert support.table_rows(self.store) == self.initial
        assert search_index.check(self.store.conn) == []
        for entry in reversed(undone):
            ops.redo(self.store, entry.id, annotator=entry.annotator)
        assert support.table_rows(self.store) == final
        with Store.open(self.folder / "initial.annotator") as copy:
            replayed = ops.replay(self.store, copy, annotator="replayer", since=self.start_seq)
            assert replayed == len(self.store.journal_since(self.start_seq, limit=1_000_000)) >= end_seq - self.start_seq
            copy_rows = support.table_rows(copy)
            assert search_index.check(copy.conn) == []
        self.store.close()
        shutil.rmtree(self.folder, ignore_errors=True)
        # the replay ran through the undo and redo entries too: its rows are the final ones
        assert copy_rows == final


JournalMachine.TestCase.settings = settings(
    max_examples=40, stateful_step_count=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
test_journal_state_machine = JournalMachine.TestCase
