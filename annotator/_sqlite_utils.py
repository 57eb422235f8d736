"""sqlite-utils, imported without pandas and numpy.

sqlite-utils imports pandas and numpy at import time when they are installed, only to map their
column types, which a project file never uses. In an environment that has them (common for NLP
teams, and ours when `datasets` is installed) that costs about a second and 100+ MB on every start
of the CLI. Hiding them for the duration of the import keeps start-up fast; nothing else changes,
and they import normally afterwards.
"""

from __future__ import annotations

import sys

_HIDDEN = ("pandas", "numpy")


def _import() -> object:
    if "sqlite_utils" in sys.modules:
        return sys.modules["sqlite_utils"]
    hidden = [name for name in _HIDDEN if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes `import name` raise ImportError
    try:
        import sqlite_utils
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
    return sqlite_utils


sqlite_utils = _import()
