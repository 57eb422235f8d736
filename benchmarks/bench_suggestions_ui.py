"""How long suggesting holds the window's UI thread, next to opening the same article.

Run by hand (``python benchmarks/bench_suggestions_ui.py``); prints figures, asserts nothing. An
article of ~400 paragraphs (~100 KB) and a stand-in suggester that proposes 1,000 spans over it (the
real suggesters live in annotator/suggest; their speed is theirs to measure). Seven interleaved
runs, medians:

  a) baseline: `MainWindow.open_article` of the article (the window's read and first draw);
  b) the UI thread's part of Article ▸ Suggest: storing the 1,000 proposals (one operation) and
     the window following it (`apply_changes`: ghosts loaded, panel figures, repaint);
  c) the worker's part, off the UI thread: `propose` (reading the article, running the suggester,
     leaving out what is known);
  d) one repaint of the viewport with the ghosts on screen, next to one with them hidden.

Target (issue 11): b) at most 100 ms.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator import operations as ops, settings  # noqa: E402
from annotator.model import build_article  # noqa: E402
from annotator.operations import suggestions as sug  # noqa: E402
from annotator.store import Store  # noqa: E402
from annotator.suggest import Proposals, SpanProposal, register  # noqa: E402

SENTENCE = ("Officials said on Tuesday that exports rose 4.5% in May, according to the ministry, "
            "while analysts told Reuters the figures were weaker than expected. ")
RUNS = 7


@dataclass
class EveryName:
    """Proposes every "Reuters", "ministry" and "Officials" (1,000 spans over the article below)."""

    name: str = "bench"
    version: str = "1"

    def suggest(self, source):
        found = Proposals()
        for match in re.finditer(r"\b(Reuters|ministry|Officials)\b", source.text):
            label = "SOURCE"
            found.spans.append(SpanProposal(match.start(), match.end(), label, 0.8, self.name, self.version))
            if len(found.spans) == 1000:
                break
        return found


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main() -> None:
    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp())
    os.environ["ANNOTATOR_CONFIG_DIR"] = str(folder / "cfg")
    settings.current().set("annotator", "bench")
    register(EveryName())
    store = Store.open(folder / "bench.annotator")
    article = build_article([("paragraph", SENTENCE * 3) for _ in range(400)], title="Bench")
    other = build_article([("paragraph", "Another article.")], title="Other")
    ops.add_articles(store, [article, other], annotator="bench")

    from annotator.ui.main_window import MainWindow

    window = MainWindow(store, restore_state=False)
    window.resize(1400, 900)
    window.show()
    app.processEvents()
    opening, ui_part, worker_part, paint_on, paint_off = [], [], [], [], []
    for _ in range(RUNS):
        window.open_article(other.id)
        app.processEvents()
        started = time.perf_counter()
        window.open_article(article.id)
        window.view.viewport().repaint()
        opening.append(time.perf_counter() - started)

        started = time.perf_counter()
        proposed = sug.propose(store, [article.id], annotator="bench")
        worker_part.append(time.perf_counter() - started)
        assert len(proposed.suggestions) == 1000, len(proposed.suggestions)

        started = time.perf_counter()
        done = sug.store_proposed(store, proposed, annotator="bench", article_id=article.id)
        window.watcher.own(done.op_id)
        window.apply_changes(done.changes)
        window.view.viewport().repaint()
        ui_part.append(time.perf_counter() - started)
        assert len(window.view.suggestions()) == 1000

        started = time.perf_counter()
        window.view.viewport().repaint()
        paint_on.append(time.perf_counter() - started)
        window.view.set_suggestions_visible(False)
        started = time.perf_counter()
        window.view.viewport().repaint()
        paint_off.append(time.perf_counter() - started)
        window.view.set_suggestions_visible(True)
        undone = ops.undo(store, done.op_id, annotator="bench")  # the next run suggests the same spans again
        window.watcher.own(undone.op_id)
        window.apply_changes(undone.changes)
    median = statistics.median
    print(f"article: {len(article.text):,} characters, 1,000 suggestions; medians of {RUNS} interleaved runs")
    print(f"a) open the article (baseline)                 {ms(median(opening))}")
    print(f"b) suggest, UI thread: store + show 1,000      {ms(median(ui_part))}  (target <= 100 ms)")
    print(f"c) suggest, worker: propose                    {ms(median(worker_part))}  (off the UI thread)")
    print(f"d) repaint with ghosts / hidden                {ms(median(paint_on))} / {ms(median(paint_off))}")
    window.close()
    store.close()


if __name__ == "__main__":
    main()
