"""The cyclic garbage collector paused around bulk work (an import of a large file, `agree` over a
whole project).

Such work makes millions of short-lived containers, none of them in a reference cycle; the
collector would walk the ones alive again and again (a quarter of a bulk import's time), while
reference counting frees them all the same.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic collection inside the block (restored after it, if it was on)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
