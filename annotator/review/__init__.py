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
    per_article,
    tokens,
    write_csv,
)
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
    "ReviewItem",
    "agreement",
    "agreement_report",
    "cohen_kappa",
    "compare",
    "compare_article",
    "comparison_of",
    "counted_articles",
    "disagreements",
    "krippendorff_alpha",
    "per_article",
    "review_annotators",
    "review_article",
    "tokens",
    "write_csv",
]
