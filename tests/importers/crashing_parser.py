"""Parse functions for the worker tests: one kills its process on files named crash*, one hangs on slow*.

It lives in a module of its own so that spawned worker processes can import it by name.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from annotator import importing


def parse_or_crash(path: Path):
    if path.name.startswith("crash"):
        os._exit(3)  # what a segfault in a native parser looks like from the pool
    return importing.parse_file(path)


def parse_or_hang(path: Path):
    if path.name.startswith("slow"):
        while True:  # what a parser stuck in a quadratic corner looks like from outside
            time.sleep(60)
    return importing.parse_file(path)
