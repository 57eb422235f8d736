"""Reviewing a colleague's tags: comparing two annotation sets (compare.py) and agreement figures
(figures.py). Read-only: the decisions that build the gold layer, and merging a colleague's
project, are operations (annotator/operations/review_ops.py, merge.py).
"""

from .figures import (
    CSV_COLUMNS,
    TOKEN_PATTERN,
    agreement,
    agreement_report,
    cohen_kappa,
    counted_articles,
    krippendorff_alpha,
    matched_spans,
    per_article,
    tokens,
    write_csv,
)
from .progress import STATES, Table, assignment_states, progress, progress_tables, write_progress_csv
from .compare import (
    GOLD,
    KINDS,
    Comparison,
    ReviewItem,
    compare,
    compare_article,
    comparison_of,
    disagreements,
    review_annotators,
    review_article,
)

__all__ = [
    "CSV_COLUMNS",
    "GOLD",
    "KINDS",
    "TOKEN_PATTERN",
    "Comparison",
    "STATES",
    "ReviewItem",
    "Table",
    "agreement",
    "agreement_report",
    "assignment_states",
    "cohen_kappa",
    "compare",
    "compare_article",
    "comparison_of",
    "counted_articles",
    "disagreements",
    "krippendorff_alpha",
    "matched_spans",
    "per_article",
    "progress",
    "progress_tables",
    "review_annotators",
    "review_article",
    "tokens",
    "write_csv",
    "write_progress_csv",
]
