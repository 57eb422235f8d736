"""Worker processes that parse files for a batch import, one file at a time each, each file with a time limit.

Why not concurrent.futures.ProcessPoolExecutor: a pool cannot stop one task. A page that makes
the extractor run for minutes (a quadratic corner of a parser, a hostile file) would hold a worker
for as long as it likes, and in Python 3.11 a pool's workers can only be killed through its
private attributes. Here every worker is a process of its own with a pipe, the parent knows which
file each worker has and since when, and a worker past the limit is killed (SIGKILL: it may be
stuck inside C code, where no signal handler or thread can interrupt it), its file reported, and
a fresh worker started in its place. A worker that dies (a crash in a native parser) costs only
its own file, for the same reason: each worker holds one file at a time.

Processes are started with "spawn", which is safe from a Qt program's threads. Results come back
in the order of the files, with a bounded number of results held, so memory stays flat.
"""

from __future__ import annotations

import os
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing import get_context
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Callable, Iterator, Union

from .model import Article

Outcome = Union[list[Article], str]
Parse = Callable[[Path], Outcome]

STARTUP_SECONDS = 60.0  # a worker that has not said "ready" by then will not
POLL_SECONDS = 0.1
RESULTS_PER_WORKER = 4  # results parsed ahead of the one the caller waits for
CRASHED = "could not be imported (the parser process stopped while reading this file)"


def timed_out(limit: float) -> str:
    return (
        f"stopped after {limit:g} s: reading this file took longer than the limit of {limit:g} s for one file, "
        "and nothing of it was imported"
    )


def _serve(connection: Connection, parse: Parse) -> None:
    """A worker's loop: a path in, its outcome out, until the parent closes the pipe."""
    connection.send(("ready", os.getpid()))
    while True:
        try:
            path = connection.recv()
        except (EOFError, OSError):
            return
        if path is None:
            return
        try:
            outcome: Outcome = parse(path)
        except BaseException as exc:  # noqa: BLE001 - parse_file catches bad input; this is an importer bug
            outcome = f"could not be imported ({type(exc).__name__}: {exc})"
        try:
            connection.send(outcome)
        except Exception as exc:  # noqa: BLE001 - a result that cannot be pickled
            connection.send(f"could not be imported (its result could not be sent back: {type(exc).__name__})")


@dataclass
class _Task:
    index: int
    path: Path
    started: float


class _Worker:
    def __init__(self, parse: Parse) -> None:
        context = get_context("spawn")
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, parse), daemon=True)
        self.process.start()
        child.close()
        self.task: _Task | None = None
        self.ready = False

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.connection.send(None)
            except OSError:
                pass
        self.process.join(timeout=None if kill else 5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()


class ParseWorkers:
    """``count`` worker processes running ``parse``; use ``start()``, then ``outcomes()``, then ``close()``."""

    def __init__(self, count: int, parse: Parse, time_limit: float | None) -> None:
        self.count = count
        self.parse = parse
        self.time_limit = time_limit if time_limit and time_limit > 0 else None
        self.workers: list[_Worker] = []

    def start(self, cancelled: Callable[[], bool]) -> bool:
        """Start the workers; False (and none left running) if processes cannot be started or answer here.

        Workers that cannot start (no process support in a sandbox, a main module that cannot be
        imported again) mean parsing in the calling process instead; a worker that dies later died
        on a file.
        """
        try:
            self.workers = [_Worker(self.parse) for _ in range(self.count)]
        except (OSError, ValueError, NotImplementedError, ImportError, RuntimeError):
            self.close()
            return False
        deadline = time.monotonic() + STARTUP_SECONDS
        while not all(worker.ready for worker in self.workers):
            if cancelled() or time.monotonic() > deadline:
                self.close()
                return False
            waiting = {w.connection: w for w in self.workers if not w.ready}
            for connection in wait(list(waiting), timeout=POLL_SECONDS):
                try:
                    connection.recv()
                except (EOFError, OSError):
                    self.close()
                    return False
                waiting[connection].ready = True
        return True

    def outcomes(
        self, paths: list[Path], cancelled: Callable[[], bool], idle: Callable[[], None]
    ) -> Iterator[tuple[Path, Outcome]]:
        """(path, outcome) in the order of ``paths``; ``idle()`` is called before waiting for a result.

        If no worker can be started again after one stopped, the rest is parsed in this process.
        """
        queue = deque(enumerate(paths))
        results: dict[int, Outcome] = {}
        next_index = 0
        window = self.count * RESULTS_PER_WORKER
        try:
            while next_index < len(paths):
                self._dispatch(queue, results, next_index, window)
                if next_index in results:
                    yield paths[next_index], results.pop(next_index)
                    next_index += 1
                    continue
                idle()
                while next_index not in results:
                    if cancelled():
                        return
                    self._collect(results)
                    self._dispatch(queue, results, next_index, window)
        except WorkersLost:
            for index in range(next_index, len(paths)):
                if cancelled():
                    return
                yield paths[index], results.pop(index) if index in results else self.parse(paths[index])

    def _dispatch(self, queue: deque, results: dict, next_index: int, window: int) -> None:
        for worker in self.workers:
            if worker.task is None and queue and queue[0][0] < next_index + window:
                index, path = queue.popleft()
                try:
                    worker.connection.send(path)
                except OSError:
                    results[index] = CRASHED
                    self._replace(worker)
                    continue
                worker.task = _Task(index, path, time.monotonic())

    def _collect(self, results: dict[int, Outcome]) -> None:
        busy = {worker.connection: worker for worker in self.workers if worker.task is not None}
        if not busy:
            return
        timeout = POLL_SECONDS
        if self.time_limit is not None:
            now = time.monotonic()
            left = min(worker.task.started + self.time_limit - now for worker in busy.values())  # type: ignore[union-attr]
            timeout = max(0.0, min(timeout, left))
        for connection in wait(list(busy), timeout=timeout):
            worker = busy[connection]
            task = worker.task
            assert task is not None
            try:
                message = connection.recv()
            except (EOFError, OSError):
                results[task.index] = CRASHED
                self._replace(worker)
                continue
            if isinstance(message, tuple):  # ("ready", pid) of a worker started in place of another
                worker.ready = True
                task.started = time.monotonic()  # its start-up is not the file's time
                continue
            results[task.index] = message
            worker.task = None
        if self.time_limit is not None:
            now = time.monotonic()
            for worker in list(self.workers):
                task = worker.task
                if task is not None and now - task.started >= self.time_limit:
                    results[task.index] = timed_out(self.time_limit)
                    self._replace(worker, kill=True)

    def _replace(self, worker: _Worker, kill: bool = True) -> None:
        """Stop a worker that crashed or overran and start a fresh one in its place (or none, if it cannot)."""
        self.workers.remove(worker)
        worker.task = None
        worker.stop(kill=kill)
        try:
            fresh = _Worker(self.parse)
        except (OSError, ValueError, NotImplementedError, ImportError, RuntimeError):
            fresh = None
        if fresh is not None:
            self.workers.append(fresh)
        if not self.workers:
            raise WorkersLost()

    def close(self) -> None:
        workers, self.workers = self.workers, []
        for worker in workers:
            worker.stop(kill=worker.task is not None)


class WorkersLost(Exception):
    """No worker process could be started again after one stopped: the caller parses the rest itself."""
