"""A parse function for the worker-crash test: it kills its process on files named crash*.

It lives in a module of its own so that spawned worker processes can import it by name.
"""

from __future__ import annotations

import os
from pathlib import Path

from annotator import importing


def parse_or_crash(path: Path):
    if path.name.startswith("crash"):
        os._exit(3)  # what a segfault in a native parser looks like from the pool
    return importing.parse_file(path)
