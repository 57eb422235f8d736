"""Plain data of the domain: articles, blocks, annotations, relations, the label schema. No I/O."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Iterable

BLOCK_KINDS: tuple[str, ...] = (
    "topic",
    "dateline",
    "headline",
    "standfirst",
    "subheading",
    "author",
    "byline",
    "paragraph",
    "quote",
    "list_item",
    "related",
    "image_alt",
    "caption",
    "credit",
    "note",
    "bio",
)

ARTICLE_STATUSES: tuple[str, ...] = ("todo", "in_progress", "done")
ORIGINS: tuple[str, ...] = ("manual", "suggested", "imported")
ID_LENGTH = 16
# Everything str.splitlines() breaks on; Qt's document also starts a new paragraph at U+2029.
_LINE_BREAKS = ("\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")


def article_id_for(text: str) -> str:
    """Content identity: the same canonical text gives the same id on every machine."""
    import hashlib  # here: loading OpenSSL is a tenth of `annotator list`'s start-up budget

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:ID_LENGTH]


@dataclass(frozen=True)
class Block:
    """One block of an article's canonical text: its kind and its code point range (end exclusive)."""

    kind: str
    start: int
    end: int


@dataclass
class Article:
    """An article: its canonical text, the blocks that tile it, and what is known about it."""

    id: str
    text: str
    blocks: list[Block]
    title: str = ""
    url: str = ""
    outlet: str = ""
    authors: list[str] = field(default_factory=list)
    published: str = ""
    section: str = ""
    language: str = ""
    source_file: str = ""
    imported_at: str = ""
    status: str = "todo"
    note: str = ""
    # What other tools said about the article, by format: {"labelstudio": {"documents": [...]}, ...}
    # (their task ids, metadata, predictions), kept so that an export to that format restores them.
    foreign: dict[str, object] = field(default_factory=dict)

    def block_text(self, block: Block) -> str:
        return self.text[block.start : block.end]


def build_article(blocks: Iterable[tuple[str, str]], **metadata: object) -> Article:
    """Make an Article from (kind, text) pairs: canonical text is the block texts joined by newlines.

    Block texts and string metadata are NFC-normalised; a line break inside a block would break the
    one-block-one-paragraph contract with the view, so it is refused.
    """
    pieces: list[str] = []
    spans: list[Block] = []
    position = 0
    for kind, raw in blocks:
        if kind not in BLOCK_KINDS:
            raise ValueError(f"unknown block kind {kind!r}")
        text = unicodedata.normalize("NFC", raw)
        if any(brk in text for brk in _LINE_BREAKS):
            raise ValueError(f"a {kind} block contains a line break")
        if pieces:
            position += 1
        spans.append(Block(kind, position, position + len(text)))
        pieces.append(text)
        position += len(text)
    text = "\n".join(pieces)
    normalised = {k: unicodedata.normalize("NFC", v) if isinstance(v, str) else v for k, v in metadata.items()}
    return Article(id=article_id_for(text), text=text, blocks=spans, **normalised)  # type: ignore[arg-type]


@dataclass
class Annotation:
    """A tagged span of an article (code points, end exclusive), with its quote, attributes and note."""

    id: str
    article_id: str
    start: int
    end: int
    label: str
    quote: str
    prefix: str = ""
    suffix: str = ""
    attributes: dict[str, object] = field(default_factory=dict)
    note: str = ""
    annotator: str = ""
    created: str = ""
    updated: str = ""
    origin: str = "manual"
    deleted: bool = False
    foreign: dict[str, object] = field(default_factory=dict)  # a tool's own ids and fields, by format


@dataclass
class Relation:
    """A typed link between two annotations of one article (e.g. a claim to its source)."""

    id: str
    article_id: str
    head: str
    tail: str
    type: str
    annotator: str = ""
    created: str = ""
    updated: str = ""
    deleted: bool = False
    foreign: dict[str, object] = field(default_factory=dict)  # a tool's own ids and fields, by format


@dataclass
class Assignment:
    """An article given to an analyst to annotate. One row per (article, analyst), its id derived
    from both (store/assignments.py), so that a coordinator's and an analyst's copies are the same
    row; `deleted` is the tombstone of an unassignment, `done_at` when the analyst marked it done."""

    id: str
    article_id: str
    analyst: str
    assigned_by: str
    created: str
    updated: str
    done_at: str = ""
    deleted: bool = False


@dataclass
class ArticleSummary:
    """One row of the article list: what is shown of an article without reading its text."""

    id: str
    title: str
    outlet: str
    status: str
    annotations: int
    length: int
    imported_at: str = ""


@dataclass
class Decision:
    """An adjudication: what was decided on which comparison, the gold rows it made, by whom.

    ``source_ids`` are the ids of the two spans compared ([A, B], None for a missing side); the
    decision's ``key`` names the comparison the same way the review does ("<a id>:<b id>").
    """

    id: str
    article_id: str
    decision: str
    source_ids: list[str | None]
    gold_ids: list[str]  # gold annotations this decision created
    copied_from: dict[str, str]  # gold id -> the source annotation it copies
    relation_ids: list[str]  # gold relations this decision created
    decided_by: str
    decided_at: str
    comment: str = ""
    undone_at: str = ""  # set when the decision was reopened (its gold spans tombstoned)

    @property
    def key(self) -> str:
        a, b = (list(self.source_ids) + [None, None])[:2]
        return comparison_key(a, b)

    @property
    def undone(self) -> bool:
        return bool(self.undone_at)

    def to_dict(self) -> dict:
        from dataclasses import asdict

        return asdict(self)


def comparison_key(a_id: str | None, b_id: str | None) -> str:
    """The name of a comparison of span ``a_id`` (annotator A) with ``b_id`` (annotator B)."""
    return f"{a_id or '-'}:{b_id or '-'}"


SUGGESTION_STATES: tuple[str, ...] = ("open", "accepted", "rejected")


@dataclass
class Suggestion:
    """A span a suggester proposed: not an annotation until accepted (then `annotation_id` is the
    annotation it became). Offsets are code points, end exclusive, as everywhere."""

    id: str
    article_id: str
    start: int
    end: int
    label: str
    suggester: str
    version: str
    confidence: float
    created: str
    attributes: dict[str, object] = field(default_factory=dict)
    state: str = "open"
    decided_by: str = ""
    decided_at: str = ""
    annotation_id: str | None = None

    @property
    def key(self) -> tuple[int, int, str]:
        return (self.start, self.end, self.label)


@dataclass
class SuggestedRelation:
    """A relation a suggester proposed; each end is a suggestion id or an annotation id."""

    id: str
    article_id: str
    head: str
    tail: str
    type: str
    suggester: str
    version: str
    confidence: float
    created: str
    state: str = "open"
    decided_by: str = ""
    decided_at: str = ""
    relation_id: str | None = None
