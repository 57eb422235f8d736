"""How fast the article view loads and takes one more annotation, against plain QPlainTextEdit.

Run by hand (``python benchmarks/bench_view.py``); prints figures, asserts nothing. It builds a
~1 MB article (~5000 paragraphs of news-like sentences, a few emoji) with 10,000 annotations
(dense: most overlap a neighbour; given in the store's order, by start) and times:

  a) baseline: ``QPlainTextEdit.setPlainText`` of the same text + the first paint (``grab``);
  b) ``ArticleView.set_article`` (document built, spans indexed) + first paint;
     a) and b) alternate on fresh widgets, seven times each, and the medians are compared;
  c) one ``add_annotation`` + repaint of the viewport, median and 95th percentile of 200
     (target: median under 16 ms, one frame at 60 Hz); baseline: a ``viewport().repaint()`` of
     the view before the additions (the page then shows a few of the 10,000 spans);
     then repaints with 100 added spans on screen, and with 100 more piled on a few lines;
  d) peak memory (ru_maxrss) after all of it;
  e) what the window reads before it draws: the article and its 10,000 annotations from the project
     (`OpenArticle`, with a store opened afresh each time, so nothing is cached), median of seven,
     next to bare sqlite3 SELECTs of the same rows.
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import sys
import time
import uuid
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QPlainTextEdit  # noqa: E402

from annotator import operations as ops  # noqa: E402
from annotator.model import Annotation, build_article  # noqa: E402
from annotator.schema import default_schema  # noqa: E402
from annotator.store import Store  # noqa: E402
from annotator.store.codecs import annotation_row  # noqa: E402
from annotator.ui.article_view import ArticleView  # noqa: E402
from annotator.ui.session import OpenArticle  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import sentence  # noqa: E402

def make_article(rng: random.Random, paragraphs: int = 5000):
    blocks = [("headline", "A generated article for measuring the view"), ("byline", "By Bench Mark | Wire")]
    for _ in range(paragraphs):
        blocks.append(("paragraph", " ".join(sentence(rng) for _ in range(rng.randint(1, 3)))))
    return build_article(blocks)


def make_annotations(rng: random.Random, article, count: int, ordered: bool = False) -> list[Annotation]:
    """Random spans; ``ordered``: made in the store's order (ORDER BY start, "end", created)."""
    labels = ["CLAIM", "SOURCE", "CAPTION"]
    text = article.text
    bounds = []
    for _ in range(count):
        start = rng.randrange(0, len(text) - 200)
        bounds.append((start, start + rng.randint(3, 160)))
    if ordered:
        bounds.sort()
    return [
        Annotation(str(uuid.uuid4()), article.id, start, end, rng.choice(labels), text[start:end])
        for start, end in bounds
    ]


LOAD_RUNS = 7


def dispose(widget) -> None:
    """Delete a widget now (deleteLater alone waits for an event loop this script never runs)."""
    widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    QApplication.processEvents()


def timed(fn) -> tuple[float, float]:
    """(wall, CPU) milliseconds of one call; CPU time is the steadier figure on a busy machine."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def medians(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


def peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak * (1 if sys.platform == "darwin" else 1024) / 1e6  # bytes on macOS, KiB elsewhere


def project_reads(article, annotations) -> tuple[tuple[float, float], tuple[float, float]]:
    """(OpenArticle, bare SELECTs) medians of LOAD_RUNS interleaved reads of a fresh project."""
    import sqlite3
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "view.annotator"
        with Store.open(path) as store:
            ops.add_articles(store, [article], annotator="bench-setup")
            with store.operation("bench-setup", "bench-setup", article_id=article.id) as op:
                op.insert_many("annotations", [annotation_row(a) for a in annotations])
        ours, bare = [], []
        for _ in range(LOAD_RUNS):
            with Store.open(path, readonly=True) as store:
                ours.append(timed(lambda: OpenArticle(store, article.id)))
            conn = sqlite3.connect(path)

            def select() -> None:
                conn.execute("SELECT * FROM articles WHERE id = ?", (article.id,)).fetchall()
                conn.execute("SELECT * FROM texts WHERE article_id = ?", (article.id,)).fetchall()
                conn.execute("SELECT * FROM annotations WHERE article_id = ? AND deleted = 0", (article.id,)).fetchall()
                conn.execute("SELECT * FROM relations WHERE article_id = ? AND deleted = 0", (article.id,)).fetchall()

            bare.append(timed(select))
            conn.close()
    return medians(ours), medians(bare)


def main() -> None:
    app = QApplication.instance() or QApplication([])
    rng = random.Random(7)
    article = make_article(rng)
    annotations = make_annotations(rng, article, 10_000, ordered=True)
    extra = make_annotations(rng, article, 200)
    schema = default_schema()
    size_mb = len(article.text.encode("utf-8")) / 1e6
    print(f"article: {size_mb:.2f} MB, {len(article.blocks)} blocks, {len(annotations)} annotations")
    start_mb = peak_mb()

    def load_plain() -> tuple[float, float]:
        plain = QPlainTextEdit()
        plain.resize(900, 900)
        plain.show()
        app.processEvents()
        ms = timed(lambda: (plain.setPlainText(article.text), plain.grab()))
        dispose(plain)
        return ms

    def load_view() -> tuple[tuple[float, float], ArticleView]:
        view = ArticleView()
        view.resize(900, 900)
        view.show()
        app.processEvents()
        ms = timed(lambda: (view.set_article(article, annotations, schema), view.grab()))
        return ms, view

    base_loads = [load_plain() for _ in range(LOAD_RUNS)]
    plain_mb = peak_mb()
    view_loads = []
    for _ in range(LOAD_RUNS):
        ms, view = load_view()
        view_loads.append(ms)
        dispose(view)
    _, view = load_view()
    view_mb = peak_mb()

    # scroll to the middle so the added spans are looked up among many
    view.set_scroll_position(len(article.text) // 2)
    app.processEvents()
    top = view.scroll_position()
    base_paint = [timed(view.viewport().repaint) for _ in range(50)]
    adds = []
    for i, ann in enumerate(extra):
        # half of them land on screen (spread over the visible text, as an analyst tags it), so
        # each repaint has more to paint than the one before; the others anywhere in the article
        if i % 2 == 0:
            ann.start = top + (i // 2) * 25
            ann.end = ann.start + 40
            ann.quote = article.text[ann.start : ann.end]
        adds.append(timed(lambda ann=ann: (view.add_annotation(ann), view.viewport().repaint())))
    full_paint = [timed(view.viewport().repaint) for _ in range(50)]
    # worst case: 100 more spans piled on the same few lines (up to 20 deep)
    for i in range(100):
        start = top + i * 2
        view.add_annotation(Annotation(str(uuid.uuid4()), article.id, start, start + 40, "CLAIM", ""))
    piled_paint = [timed(view.viewport().repaint) for _ in range(50)]
    app.processEvents()

    def row(name: str, value: tuple[float, float], base: tuple[float, float]) -> None:
        print(
            f"{name:<42} wall {value[0]:7.1f} ms (baseline {base[0]:6.1f}, {value[0] / base[0]:4.2f}x)"
            f"   CPU {value[1]:7.1f} ms (baseline {base[1]:6.1f}, {value[1] / base[1]:4.2f}x)"
        )

    print()
    print("baseline for loading: QPlainTextEdit.setPlainText + grab; for painting: a repaint before the additions")
    load, base_load = medians(view_loads), medians(base_loads)
    row(f"load + first paint, median of {LOAD_RUNS}", load, base_load)
    paint = medians(base_paint)
    add = medians(adds)
    row("add_annotation + repaint, median of 200", add, paint)
    p95 = (sorted(a[0] for a in adds)[int(len(adds) * 0.95)], sorted(a[1] for a in adds)[int(len(adds) * 0.95)])
    row("add_annotation + repaint, 95th percentile", p95, paint)
    row("repaint, 100 new spans on screen", medians(full_paint), paint)
    row("repaint, 100 more piled 20 deep", medians(piled_paint), paint)
    print(
        f"targets: median add < 16 ms: {'met' if add[1] < 16 else 'NOT met'} (CPU), "
        f"{'met' if add[0] < 16 else 'NOT met'} (wall); "
        f"load within 2x of setPlainText: {'met' if load[1] <= 2 * base_load[1] else 'NOT met'} (CPU), "
        f"{'met' if load[0] <= 2 * base_load[0] else 'NOT met'} (wall)"
    )
    opened, selected = project_reads(article, annotations)
    row("read from the project (OpenArticle), median", opened, selected)
    print("  (baseline: bare sqlite3 SELECTs of the article, its text, annotations and relations)")
    print(
        f"peak memory (ru_maxrss): {start_mb:.0f} MB with the data generated, "
        f"{plain_mb:.0f} MB after the QPlainTextEdit loads, {view_mb:.0f} MB after the ArticleView loads"
    )


if __name__ == "__main__":
    main()
