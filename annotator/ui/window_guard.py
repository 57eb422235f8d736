"""`guarded`: a window slot whose failure becomes a message, never a crash or a half-done action."""

from __future__ import annotations

import functools
import traceback
from typing import Callable

from ..errors import AnnotatorError


def guarded(method: Callable) -> Callable:
    """Run a slot so that a core error becomes a message box, and a bug one too (with the traceback
    printed for a report), while the window stays open."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except AnnotatorError as exc:
            self.report_error(exc)
        except Exception as exc:  # a bug: say so, keep the window alive
            traceback.print_exc()
            self.report_error(exc, unexpected=True)
        return None

    return wrapper
