"""HTML import throughput and memory: a folder of saved pages into a project, next to trafilatura alone.

The folder: the 31 real pages of newspaper4k 0.9.6's test data (see bench_html_quality.py; fetched
once into benchmarks/.data/) and the 24 hand-written pages of news_pages.py, repeated until there
are --pages files (default 500). Each copy gets its number inserted into its <title> and <h1>, so
every page is a distinct article (no duplicates skipped).

Figures, all measured in this run:
- ours, all cores: `import_paths` as the CLI and the GUI run it (worker processes, batched
  commits into a new project with synchronous=FULL): pages per second, wall clock, start-up of the
  worker processes included;
- ours, one process: the same with workers=1;
- baseline: `trafilatura.extract(bytes)` on the same files in one process (read + extract only: no
  metadata, no captions, nothing stored);
- CPU time per page of each (user + system, workers included), which other programs running on the
  machine do not change, and from it the pages/s the pooled import reaches when the cores are free;
- peak memory at 100, 250 and 500 pages: each import in a fresh process; the importing process's
  peak RSS and the largest worker's peak RSS (getrusage). Flat means the figure does not grow with
  the number of pages.

- one 6 MB page: a real page's body repeated to 6 MB, two ways: as well-formed markup (the body
  serialised by lxml, so every copy closes its tags: a long page) and as the raw bytes (unclosed
  tags make every copy nest inside the one before: the worst case for tree searches, and what the
  per-file time limit of the import is for). CPU and wall time of `parse_html_bytes`, median of 3
  runs, interleaved with `trafilatura.extract` on the same bytes (in a child process stopped after
  --baseline-timeout seconds, since its metadata search is quadratic on the nested page).

Run: python benchmarks/bench_html_import.py [--pages 500] [--newspaper DIR] [--big-only]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def build_folder(folder: Path, count: int, newspaper: Path | None) -> list[Path]:
    from bench_html_quality import DATA, newspaper_pages  # noqa: F401 - fetches the data if needed
    from news_pages import pages as written_pages

    newspaper_pages(newspaper)  # make sure the sdist is there
    data_dir = newspaper or DATA / "newspaper4k-0.9.6" / "tests" / "data"
    sources = [p.read_bytes() for p in sorted((data_dir / "html").glob("*.html"))]
    sources += [page.data for page in written_pages()]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        data = sources[i % len(sources)]
        mark = f"[{i}] ".encode()
        data = re.sub(rb"(<title[^>]*>)", lambda m: m.group(1) + mark, data, count=1, flags=re.I)
        data = re.sub(rb"(<h1[^>]*>)", lambda m: m.group(1) + mark, data, count=1, flags=re.I)
        data = re.sub(rb"""(og:title["']\s+content=["'])""", lambda m: m.group(1) + mark, data, count=1, flags=re.I)
        data = re.sub(rb"(<p(?:\s[^>]*)?>)", lambda m: m.group(1) + mark, data, count=3, flags=re.I)
        path = folder / f"page_{i:04d}.html"
        path.write_bytes(data)
        paths.append(path)
    return paths


def run_import(paths: list[Path], project: Path, workers: int | None) -> dict:
    from annotator.importing import import_paths
    from annotator.store import Store

    started = time.perf_counter()
    with Store.open(project) as store:
        report = import_paths(store, paths, workers=workers, annotator="bench")
    elapsed = time.perf_counter() - started
    own, workers_used = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "seconds": elapsed,
        "cpu_self": own.ru_utime + own.ru_stime,
        "cpu_workers": workers_used.ru_utime + workers_used.ru_stime,
        "imported": len(report.imported),
        "duplicates": len(report.duplicates),
        "failures": sorted({reason[:60] for _, reason in report.failed}),
        "failed": len(report.failed),
        "workers": report.workers,
        "self_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def run_trafilatura(paths: list[Path]) -> dict:
    import trafilatura

    started, cpu = time.perf_counter(), time.process_time()
    extracted = 0
    for path in paths:
        if trafilatura.extract(path.read_bytes()):
            extracted += 1
    return {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu, "extracted": extracted}


BIG_BYTES = 6_000_000
# (sdist folder, page): real pages of the two test sets
BIG_PAGES = [("newspaper", "cnn_001.html"), ("trafilatura", "netzpolitik.org.abmahnungen.html"), ("trafilatura", "phys.org.tool.html")]


def big_page(source: bytes, well_formed: bool) -> bytes:
    """``source`` with its body repeated to BIG_BYTES."""
    match = re.search(rb"(<body[^>]*>)(.*)(</body>)", source, re.S | re.I)
    head, body, tail = source[: match.end(1)], match.group(2), source[match.start(3) :]
    if well_formed:
        import lxml.html

        tree = lxml.html.document_fromstring(source)
        body = b"".join(lxml.html.tostring(child) for child in tree.body)
    copies = max(1, (BIG_BYTES - len(head) - len(tail)) // len(body) + 1)
    return head + body * copies + tail


def time_ours(path: Path) -> tuple[float, float]:
    from annotator.importers.html import parse_html_bytes

    data = path.read_bytes()
    cpu, wall = time.process_time(), time.perf_counter()
    parse_html_bytes(data, path.name)
    return time.process_time() - cpu, time.perf_counter() - wall


def time_trafilatura(path: Path) -> tuple[float, float]:
    import trafilatura

    data = path.read_bytes()
    cpu, wall = time.process_time(), time.perf_counter()
    trafilatura.extract(data)
    return time.process_time() - cpu, time.perf_counter() - wall


def timed_child(kind: str, path: Path, timeout: float) -> tuple[float, float] | None:
    """(CPU s, wall s) of one parse in a fresh process (imports done before the clock starts); None if stopped."""
    try:
        out = subprocess.run(
            [sys.executable, __file__, "--time", kind, str(path)], check=True, capture_output=True, text=True,
            timeout=timeout, env={**os.environ, "PYTHONPATH": str(HERE.parent)},
        )
    except subprocess.TimeoutExpired:
        return None
    cpu, wall = json.loads(out.stdout.strip().splitlines()[-1])
    return cpu, wall


def big_page_times(newspaper: Path | None, baseline_timeout: float) -> None:
    from bench_html_quality import NEWSPAPER, TRAFILATURA_PAGES, fetch_sdist

    folders = {
        "newspaper": (newspaper or fetch_sdist(NEWSPAPER, "tests/data")) / "html",
        "trafilatura": fetch_sdist(TRAFILATURA_PAGES, "tests/cache"),
    }
    print(f"\none {BIG_BYTES / 1e6:.0f} MB page (a real page's body repeated; median of 3 runs; CPU s / wall s)")
    print(f"  {'page':56s} {'ours':>13s} {'trafilatura.extract':>22s}")
    with tempfile.TemporaryDirectory() as tmp:
        for source, name in BIG_PAGES:
            original = (folders[source] / name).read_bytes()
            for well_formed in (True, False):
                if not well_formed and name.startswith("cnn"):
                    continue  # its body closes its tags: both ways are the same page
                path = Path(tmp) / f"big-{name}"
                path.write_bytes(big_page(original, well_formed))
                ours, theirs = [], []
                for _ in range(3):  # interleaved
                    ours.append(timed_child("ours", path, 600))
                    theirs.append(timed_child("trafilatura", path, baseline_timeout) if len(theirs) < 3 else None)
                    if theirs[-1] is None:
                        break
                mine = sorted(t for t in ours if t)[len([t for t in ours if t]) // 2]
                done = sorted(t for t in theirs if t)
                baseline = f"{done[len(done) // 2][0]:6.1f} / {done[len(done) // 2][1]:5.1f}" if len(done) == len(theirs) else f"stopped after {baseline_timeout:g} s"
                label = f"{name} ({'well-formed' if well_formed else 'raw, nested'}, {path.stat().st_size / 1e6:.1f} MB)"
                print(f"  {label:56s} {mine[0]:5.1f} / {mine[1]:5.1f}   {baseline:>20s}")


def in_fresh_process(args: list[str]) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(HERE.parent)}
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--newspaper", type=Path)
    parser.add_argument("--child", choices=["ours", "trafilatura"], help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--time", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--big-only", action="store_true", help="only the 6 MB page")
    parser.add_argument("--baseline-timeout", type=float, default=60.0)
    args = parser.parse_args()

    if args.time:  # one timed parse in a process of its own
        kind, path = args.time
        import trafilatura  # noqa: F401 - imports are not the parse's time

        import annotator.importers.html  # noqa: F401

        print(json.dumps(time_ours(Path(path)) if kind == "ours" else time_trafilatura(Path(path))))
        return
    if args.big_only:
        big_page_times(args.newspaper, args.baseline_timeout)
        return

    if args.child:  # one measurement in a process of its own
        paths = sorted(args.folder.glob("*.html"))[: args.count]
        if args.child == "trafilatura":
            print(json.dumps(run_trafilatura(paths)))
        else:
            with tempfile.TemporaryDirectory() as tmp:
                print(json.dumps(run_import(paths, Path(tmp) / "bench.annotator", args.workers)))
        return

    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        paths = build_folder(folder, args.pages, args.newspaper)
        size = sum(p.stat().st_size for p in paths) / 1e6
        print(f"{len(paths)} pages, {size:.0f} MB, {cores} cores")
        common = ["--folder", str(folder), "--count", str(args.pages)]
        load_before = os.getloadavg()[0]
        ours_all = in_fresh_process(["--child", "ours", "--workers", str(cores), *common])
        ours_one = in_fresh_process(["--child", "ours", "--workers", "1", *common])
        baseline = in_fresh_process(["--child", "trafilatura", *common])
        n = len(paths)
        print(f"\nthroughput ({n} pages; load average before the runs {load_before:.1f} on {cores} cores: "
              "above 0, other programs shared the CPU)")
        print(f"  ours, {ours_all['workers']} worker processes, stored   {n / ours_all['seconds']:6.1f} pages/s  "
              f"({ours_all['seconds']:.1f} s; imported {ours_all['imported']}, duplicates {ours_all['duplicates']}, "
              f"failed {ours_all['failed']})")
        print(f"  ours, one process, stored             {n / ours_one['seconds']:6.1f} pages/s  ({ours_one['seconds']:.1f} s)")
        print(f"  trafilatura.extract, one process      {n / baseline['seconds']:6.1f} pages/s  "
              f"({baseline['seconds']:.1f} s; text from {baseline['extracted']} pages, nothing stored)")
        print("\nCPU time per page (independent of other load; wall clock above is what a user waits)")
        pooled_cpu = ours_all["cpu_self"] + ours_all["cpu_workers"]
        print(f"  ours, pooled: {pooled_cpu / n * 1000:5.0f} ms ({ours_all['cpu_workers'] / n * 1000:.0f} ms in workers, "
              f"{ours_all['cpu_self'] / n * 1000:.0f} ms storing and start-up); cores kept busy {pooled_cpu / ours_all['seconds']:.2f}")
        print(f"  ours, one process: {(ours_one['cpu_self'] + ours_one['cpu_workers']) / n * 1000:5.0f} ms")
        print(f"  trafilatura.extract: {baseline['cpu'] / n * 1000:5.0f} ms")
        print(f"  => with {cores} free cores the pooled import would reach about "
              f"{n / max(ours_all['cpu_workers'] / cores, ours_all['cpu_self']):.1f} pages/s, "
              f"trafilatura.extract in one process {n / baseline['cpu']:.1f} pages/s")
        print("\npeak memory (MB), ours with all cores, each in a fresh process")
        print(f"  {'pages':>6s} {'importing process':>18s} {'largest worker':>15s}")
        for count in (100, 250, 500):
            if count > n:
                break
            measured = in_fresh_process(["--child", "ours", "--workers", str(cores), "--folder", str(folder), "--count", str(count)])
            print(f"  {count:6d} {measured['self_peak_mb']:18.0f} {measured['worker_peak_mb']:15.0f}")
    big_page_times(args.newspaper, args.baseline_timeout)


if __name__ == "__main__":
    main()
