"""`python -m annotator.review.agree_half REQUEST`: the later half of agreement()'s articles, in
a second process (figures._totals_on_two_cores starts it); prints the JSON of its totals."""

from __future__ import annotations

import sys

from .figures import later_half

if __name__ == "__main__":  # pragma: no cover - run in a child process; tests check its result
    sys.stdout.write(later_half(sys.argv[1]))
