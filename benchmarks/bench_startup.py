"""How long the app takes to start, against the bare minimum measured in the same run.

Run by hand (``python benchmarks/bench_startup.py [--runs 15]``); prints figures, asserts nothing.
Every figure is the wall time of a fresh process, from spawn to the moment it is done; the runs of
a figure and of its baseline alternate (ABAB...), so a busy machine slows both alike, and the
medians are compared:

  command line  baseline ``python -c "import click, sqlite3"`` (the interpreter and the two
                libraries any CLI of this kind needs) against ``annotator --version`` and
                ``annotator list`` on a project of 200 sample-like articles; target: 1.5x;
  window        baseline: a bare ``QMainWindow`` shown (offscreen) until its first frame is painted,
                against ``annotator gui`` on the same project until its first frame is painted, with
                the last article (the sample, 30 annotations) open in that frame; target: 1.5x;
                and, to show what PySide6 alone costs, the bare window after importing the Qt
                classes that the window's modules import (PySide6 creates each class, with all
                its enums, on first use): no window of these classes can start faster than that
                line; and that window with the sample article's text in a QTextEdit, for what
                fonts, shaping and layout of a page of text cost (the bare window paints none).

With ``--before DIR`` (DIR holding the ``annotator`` package of an earlier commit, e.g. from
``git archive COMMIT annotator | tar -x -C DIR``) the window is also started from that package, in
the same interleaved runs: a before/after comparison on an equally busy machine.

The window's first frame is detected from outside the app: an import hook wraps
``annotator.ui.main_window.MainWindow.__init__`` to install, on the window, an event filter that
notes its first Paint event, lets the event loop finish that frame, checks the article is shown,
prints and exits. The baseline's filter sits on its window too. (A filter on the QApplication, as
measured before, sees every event of every object and makes PySide6 build a Python wrapper, and so
a Python class, for each internal Qt object that receives one; that cost grows with the number of
widgets and is the harness's, not the app's.)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "seeds" / "000_4374cd0fa6f2fed4.txt"
ARTICLES = 200
ANNOTATIONS = 30

BARE_WINDOW = """
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
import os

class FirstFrame(QObject):
    seen = False
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            QTimer.singleShot(0, lambda: (print("painted", flush=True), os._exit(0)))
        return False

app = QApplication([])
watcher = FirstFrame()
window = QMainWindow()
window.installEventFilter(watcher)
window.resize(1400, 900)
window.show()
app.exec()
"""

# The bare window after touching every Qt class the app's start-up modules import (argv[1:]).
QT_CLASSES_WINDOW = """
import importlib, sys
for item in sys.argv[1:]:
    module, name = item.split(":")
    getattr(importlib.import_module(module), name)
""" + BARE_WINDOW

# The same, with the sample article's text (argv[1]) in a QTextEdit as the central widget: what
# laying out and painting a page of text costs (fonts, shaping, layout), which an empty window has not.
TEXT_WINDOW = QT_CLASSES_WINDOW.replace(
    "window.resize(1400, 900)",
    "from PySide6.QtWidgets import QTextEdit\n"
    "text = QTextEdit(window)\ntext.setPlainText(open(os.environ['BENCH_TEXT'], encoding='utf-8').read())\n"
    "window.setCentralWidget(text)\nwindow.resize(1400, 900)",
)

# Runs the real entry point (annotator.cli:main, as the console script does) with `gui`.
# The finder is a plain class: importlib.abc would import importlib.resources (15 ms), which the
# app itself does not load.
OUR_WINDOW = """
import importlib.util, os, sys

class Wrap:
    def find_spec(self, name, path=None, target=None):
        if name != "annotator.ui.main_window":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        execute = spec.loader.exec_module
        def exec_module(module):
            execute(module)
            build = module.MainWindow.__init__
            def __init__(window, *args, **kwargs):
                build(window, *args, **kwargs)
                install(window)
            module.MainWindow.__init__ = __init__
        spec.loader.exec_module = exec_module
        return spec

def install(window):
    from PySide6.QtCore import QEvent, QObject, QTimer
    class FirstFrame(QObject):
        seen = False
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint and not self.seen:
                self.seen = True
                QTimer.singleShot(0, done)
            return False
    def done():
        article = window.current_article
        shown = bool(article is not None and window.isVisible() and window.view.toPlainText())
        print("painted" if shown else "painted-without-article", flush=True)
        os._exit(0)
    window._first_frame = FirstFrame()
    window.installEventFilter(window._first_frame)

sys.meta_path.insert(0, Wrap())
sys.argv = ["annotator", "gui"]
from annotator.cli import main
main()
"""


def make_project(work: Path) -> dict[str, str]:
    """A project of sample-like articles, the sample last opened with some annotations; its env."""
    env = {
        **os.environ,
        "ANNOTATOR_CONFIG_DIR": str(work / "config"),
        "ANNOTATOR_PROJECT": str(work / "bench.annotator"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # cached bytecode, as on a user's machine (pip compiles on install)
    corpus = work / "corpus"
    corpus.mkdir()
    seed = SEED.read_text("utf-8")
    shutil.copy(SEED, corpus / SEED.name)
    for i in range(ARTICLES - 1):
        page = seed.replace(
            "Meanwhile, South Korea's intelligence service", f"In report {i}, South Korea's intelligence service"
        )
        (corpus / f"article_{i:04d}.txt").write_text(page, "utf-8")
    annotator = [sys.executable, "-m", "annotator"]
    subprocess.run([*annotator, "import", str(corpus)], env=env, check=True, capture_output=True)
    sample = subprocess.run(
        [*annotator, "import", str(SEED)], env=env, check=True, capture_output=True, text=True
    ).stdout.split()[0]
    text = json.loads(
        subprocess.run([*annotator, "show", "--json", sample], env=env, check=True, capture_output=True).stdout
    )["text"]
    (work / "article.txt").write_text(text, "utf-8")
    env["BENCH_TEXT"] = str(work / "article.txt")
    words = [i for i in range(1, len(text)) if text[i - 1] == " "]
    step = max(1, len(words) // (ANNOTATIONS + 1))
    for n in range(ANNOTATIONS):
        start = words[n * step]
        end = text.find(" ", start + 1)
        label = ("CLAIM", "SOURCE", "CAPTION")[n % 3]
        subprocess.run([*annotator, "add", sample, str(start), str(end), label], env=env, check=True, capture_output=True)
    project_key = str(Path(env["ANNOTATOR_PROJECT"]).resolve())
    settings = {"annotator": "bench", "last_article": {project_key: sample}}
    (work / "config").mkdir(exist_ok=True)
    (work / "config" / "settings.json").write_text(json.dumps(settings), "utf-8")
    return env


def startup_qt_classes(env: dict[str, str]) -> list[str]:
    """module:name of every PySide6 class imported at the top of the UI modules the window loads."""
    import ast

    code = (
        "import sys\nfrom PySide6.QtWidgets import QApplication\napp = QApplication([])\n"
        "import annotator.ui.app, annotator.ui.main_window\n"
        "print(' '.join(m for m in sys.modules if m.startswith('annotator.ui')))"
    )
    modules = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True).stdout.split()
    names: set[str] = set()
    for module in modules:
        path = REPO / (module.replace(".", "/") + ".py")
        if not path.exists():
            continue
        for node in ast.parse(path.read_text("utf-8")).body:
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("PySide6."):
                names.update(f"{node.module}:{alias.name}" for alias in node.names)
    return sorted(names)


def annotator_command() -> list[str]:
    script = Path(sys.executable).with_name("annotator")
    return [str(script)] if script.exists() else [sys.executable, "-m", "annotator"]


def timed(argv: list[str], env: dict[str, str], until: str | None = None) -> tuple[float, float]:
    """(wall, CPU) seconds of a fresh process: wall from spawn to exit (or, with `until`, to that
    line on stdout, after which the process exits at once); CPU is its user + system time, which a
    busy machine disturbs less than the wall time."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stderr is not None
    if until is None:
        output = process.stdout.read()
    else:
        output = process.stdout.readline().strip()
    elapsed = time.perf_counter() - start
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0 or (until is not None and output != until):
        raise SystemExit(f"{argv[-1][:40]!r}... exited {process.returncode}, printed {output[:80]!r}: {errors}")
    return elapsed, usage.ru_utime + usage.ru_stime


def interleaved(
    runs: int, cases: dict[str, tuple[list[str], str | None]], env: dict[str, str]
) -> dict[str, tuple[float, float]]:
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
    for name, (argv, until) in cases.items():  # warm the file cache once
        timed(argv, env, until)
    for _ in range(runs):
        for name, (argv, until) in cases.items():
            samples[name].append(timed(argv, env, until))
    return {
        name: (statistics.median(w for w, _ in values), statistics.median(c for _, c in values))
        for name, values in samples.items()
    }


def report(title: str, medians: dict[str, tuple[float, float]], baseline: str, runs: int) -> None:
    base_wall, base_cpu = medians[baseline]
    print(f"\n{title} (medians of {runs} interleaved runs; target 1.5x the baseline)")
    print(f"  {'':<52} {'wall':>9} {'ratio':>6} {'CPU':>9} {'ratio':>6}")
    for name, (wall, cpu) in medians.items():
        print(f"  {name:<52} {wall * 1000:6.1f} ms {wall / base_wall:5.2f}x {cpu * 1000:6.1f} ms {cpu / base_cpu:5.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--only", choices=("cli", "window"), help="Measure one of the two parts.")
    parser.add_argument(
        "--before", type=Path, metavar="DIR",
        help="Also start the window from the annotator package in DIR (a checkout of an earlier commit), "
        "interleaved with the rest: before and after in one run.",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = make_project(Path(tmp))
        cli = annotator_command()
        if args.only != "window":
            bench_cli(args.runs, cli, env)
        if args.only != "cli":
            bench_window(args.runs, env, args.before)


def bench_cli(runs: int, cli: list[str], env: dict[str, str]) -> None:
    baseline = "python -c 'import click, sqlite3' (baseline)"
    cases = {
        baseline: ([sys.executable, "-c", "import click, sqlite3"], None),
        "annotator --version": ([*cli, "--version"], None),
        f"annotator list ({ARTICLES} articles)": ([*cli, "list"], None),
    }
    report("Command line", interleaved(runs, cases, env), baseline, runs)


def bench_window(runs: int, env: dict[str, str], before: Path | None = None) -> None:
    bare = "bare QMainWindow, first frame (baseline)"
    classes = startup_qt_classes(env)
    cases = {
        bare: ([sys.executable, "-c", BARE_WINDOW], "painted"),
        f"bare QMainWindow after the app's {len(classes)} Qt classes": ([sys.executable, "-c", QT_CLASSES_WINDOW, *classes], "painted"),
        "  ... and the article's text in a QTextEdit": ([sys.executable, "-c", TEXT_WINDOW, *classes], "painted"),
        "annotator gui, first frame with the last article": ([sys.executable, "-c", OUR_WINDOW], "painted"),
    }
    if before is not None:  # the same harness, the earlier package first on the path
        code = f"import sys; sys.path.insert(0, {str(before.resolve())!r})\n" + OUR_WINDOW
        cases[f"  ... the same from {before.name} (before)"] = ([sys.executable, "-c", code], "painted")
    report("Window (QT_QPA_PLATFORM=offscreen)", interleaved(runs, cases, env), bare, runs)


if __name__ == "__main__":
    main()
