"""Importing annotation sets: a colleague's (or another tool's) spans and relations into the project.

One file is one transaction: a malformed file (or a label the project does not know) is refused with
the file, the line and what was wrong, and the project is left exactly as it was.

For every article of the file:

* **Which article.** The article id is the hash of the canonical text, so an article whose text is
  already in the project is found by its text. Otherwise, an article whose text has the same
  characters between the whitespace is that article (a brat `.txt` imported earlier as a page, whose
  blank lines the page importer folded): the spans move onto it by characters. Otherwise, an article
  that the file names by our id
  (or, for W3C annotations, by its URL) is the project's article with a slightly different text, and
  the spans are re-anchored on it (``textspan.reanchor``, the W3C TextQuoteSelector idea). Otherwise,
  when the format carries the full text, the article is imported as a new one. CoNLL carries only
  tokens: a document is the article whose text has the same characters between the whitespace, its
  tokens aligned to that text by characters; without one, the text rebuilt from the tokens is added.
* **Spans.** A span whose stated text (quote) does not match the article at its offsets is
  re-anchored by its quote if it can be, otherwise listed as a *quote mismatch*; a span that cannot
  be placed on a changed text is listed as *unanchorable*. Neither is imported, and none is dropped
  silently: the report lists each with its line.
* **Identity** (import_identity.py). Spans and relations keep their ids when the file has ours
  (UUIDs); a tool's own ids (a Label Studio region id, a doccano entity id, a brat T number) become
  stable UUIDs derived from the article and that id, so importing the same file again finds them.
  A span without any id that is already in the project (same offsets, label and annotator) is not
  added twice; a span identical to one the file had before, or to one already here while it has an
  id of its own, is a *duplicate*: listed, counted, not added. Existing ids are upserted by
  `upserts.put_annotations`: the same content changes nothing, a newer `updated` applies the
  colleague's edit or deletion, an older one leaves the project's version.
* **Foreign ids** (formats/foreign.py). What the tool said that the project has no column for (its
  own ids, a task's metadata, predictions, a region's from_name) is kept beside the rows, by format,
  so that an export to that format writes it back. Our UUIDs stay the ids.
* **Labels and relation types** are the project's schema's: a label or relation type it does not
  know refuses the file (nothing imported) with every place it is used, unless it is mapped
  (`label_map`, `relation_map`) or the schema is extended with it (`extend_schema`,
  schema_growth.py: in the same operation, so `undo` takes both back).
* **Assignments** (the native format only) are upserted by (article, analyst) with the rule of
  upserts.py (assignments.put_assignments): a coordinator's file gives the analysts their articles,
  an analyst's file brings back what they marked done.
* **Who.** Annotations keep the annotator names of the file; `annotator` names the author when the
  format does not record one (default: the file name). New annotations get origin "imported".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .. import textspan
from ..errors import AnnotatorError, ImportFailed, ValidationError
from ..formats import detect_format, foreign, format_module
from ..formats.reading import DocumentRecord, SpanRecord, resolve_offsets
from ..model import Annotation, Article, Assignment, Block, Relation, article_id_for
from ..store import Recorder, Store, now
from ..store.codecs import foreign_json
from .articles import insert_articles
from .document_articles import article_metadata, canonical_text, characters_key, document_blocks, normalise_timestamp
from .assignments import put_assignments
from .import_identity import Identities, is_uuid, relation_id, span_id
from .matching import match_article
from .result import Done, who
from .schema_growth import SchemaGrowth
from ..gc_pause import paused_gc
from .bulk import NewRows, put_new_annotations
from .upserts import UpsertCounts, put_annotations, put_relations

MAX_LISTED_UNKNOWN = 5
FLUSH_SPANS = 5000  # spans buffered before they are written (memory stays flat on large files)
BULK = True  # new spans of new articles by the bulk path (upserts.put_new_annotations); False: all by put_annotations


@dataclass
class Problem:
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


@dataclass
class AnnotationImportReport:
    path: Path
    format: str
    documents: int = 0
    articles_added: list[str] = field(default_factory=list)
    articles_found: int = 0
    spans: UpsertCounts = field(default_factory=UpsertCounts)
    relations: UpsertCounts = field(default_factory=UpsertCounts)
    assignments: UpsertCounts = field(default_factory=UpsertCounts)
    reanchored: list[Problem] = field(default_factory=list)
    converted: list[Problem] = field(default_factory=list)
    quote_mismatches: list[Problem] = field(default_factory=list)
    unanchorable: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    duplicates: list[Problem] = field(default_factory=list)
    schema_added: list[str] = field(default_factory=list)  # what --extend-schema added, one line per kind
    notes: list[str] = field(default_factory=list)

    @property
    def not_imported(self) -> int:
        return len(self.quote_mismatches) + len(self.unanchorable)


def import_annotation_set(
    store: Store,
    path: str | Path,
    *,
    importer: str,
    format_name: str | None = None,
    annotator: str | None = None,
    label_map: dict[str, str] | None = None,
    relation_map: dict[str, str] | None = None,
    extend_schema: bool = False,
    offset_units: str | None = None,
    label_list: str | Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Done[AnnotationImportReport]:
    """Import one file (or a brat folder) of annotations into `store` in one operation.

    `importer` is who imports (the journal's annotator); `annotator` names the author of spans the
    format does not credit to anyone (default: the file name). `label_map` and `relation_map` read
    the file's names as the project's; with `extend_schema` the file's unknown labels, attribute
    values and relation types are added to the schema instead of refusing the file.

    `label_list` is a tool's list of label ids and names, for files that name labels by id (doccano
    before 1.0). `progress(done, total)` is called with 0 before the first document and after each document
    (record) of the file. The total comes from the format's `count` (a quick scan of the file) or,
    for formats read whole anyway (Label Studio, W3C), from reading the documents first.
    """
    path = Path(path)
    if not path.exists():
        raise ImportFailed(f"{path}: no such file or folder")
    name = format_name or detect_format(path)
    module = format_module(name)
    read = getattr(module, "read", None)
    if read is None:
        raise ImportFailed(f"{path}: the {name} format can be exported but not imported (it does not hold our data)")
    report = AnnotationImportReport(path, name)
    options: dict[str, object] = {"offset_units": offset_units} if offset_units else {}
    if label_list is not None:  # doccano's label ids -> names (its exports before 1.0)
        options["label_list"] = label_list
    with paused_gc(), store.operation("import_annotations", who(importer), title=f"import {path.name}",
                                      summary=f"import annotation set {path.name} ({name})") as op:
        builder = _Importer(store, op, report, annotator or _default_annotator(path), label_map or {},
                            relation_map or {}, extend_schema)
        if name == "jsonl":
            _compare_schema(store, module, path, report)
        documents: Iterable[DocumentRecord] = read(path, **options)
        total = 0
        if progress is not None:
            counter = getattr(module, "count", None)
            if counter is not None:
                total = counter(path, **options)
            else:
                documents = list(documents)
                total = len(documents)
            progress(0, total)
        done = 0
        for done, document in enumerate(documents, 1):
            builder.document(document)
            if progress is not None:
                progress(done, max(total, done))
        builder.finish()
        if progress is not None and done < total:  # the quick count was above the real one
            progress(total, total)
    return Done(report, op.changes)


def _default_annotator(path: Path) -> str:
    return path.stem if path.is_file() else path.name


def _compare_schema(store: Store, module: object, path: Path, report: AnnotationImportReport) -> None:
    header = module.read_header(path)  # type: ignore[attr-defined]
    if header and isinstance(header.get("_schema"), str):
        from ..schema import parse_schema

        try:
            theirs = parse_schema(header["_schema"], f"{path} schema")
        except ValidationError as exc:
            raise ImportFailed(f"{path}:1: the file's label schema is not valid: {exc}") from None
        if theirs != store.schema:
            report.notes.append(
                "the file's label schema differs from this project's; labels and attributes were checked "
                "against the project's"
            )


class _Importer:
    def __init__(self, store: Store, op: Recorder, report: AnnotationImportReport, annotator: str,
                 label_map: dict[str, str], relation_map: dict[str, str], extend_schema: bool) -> None:
        self.store = store
        self.op = op
        self.report = report
        self.annotator = annotator
        self.growth = SchemaGrowth(store.schema) if extend_schema else None
        self._fixed_schema = store.schema
        self.labels = {n.casefold(): n for n in self.schema.names}
        self.label_names = frozenset(self.schema.names)
        self.relation_types = {r.name.casefold(): r.name for r in self.schema.relations}
        self.label_map = dict(label_map)
        self.relation_map = dict(relation_map)
        self.unknown_labels: dict[str, list[str]] = {}
        self.unknown_relation_types: dict[str, list[str]] = {}
        self.identities = Identities(store)
        self.article_foreign: dict[str, dict] = {}  # found articles whose foreign data this file changes
        self.by_characters: dict[str, str] | None = None
        self.stamp = now()
        self.pending_spans: list[Annotation] = []
        self.pending_rows: list[dict] = []  # rows of spans known to be new (bulk.NewRows)
        self._new_rows: NewRows | None = None
        self.pending_relations: list[Relation] = []
        self.pending_assignments: list[Assignment] = []
        self.pending_labels: dict[str, tuple[str, bool]] = {}
        self.pending_articles: dict[str, Article] = {}
        self.new_ids: set[str] = set()  # span ids that cannot be in the project (bulk.put_new_annotations)
        self.file = str(report.path)

    @property
    def schema(self):
        return self.growth.schema if self.growth is not None else self._fixed_schema

    # -- one document ----------------------------------------------------------------------

    def document(self, doc: DocumentRecord) -> None:
        report = self.report
        report.documents += 1
        report.notes.extend(doc.notes)
        if doc.skip:
            return
        self.file = doc.name or str(report.path)  # a brat folder's documents are files of their own
        where = self._where(doc.line)
        target = self._target(doc, where)
        if target is None:
            return
        article, file_text, same_text = target
        doc_key = self._keep_document(article, doc)
        fmt = self.report.format
        fresh = article.id in self.pending_articles  # added by this import, not yet written
        rows = self._rows_maker() if fresh else None
        spans: list[Annotation] = []
        keys: dict[object, str] = {}
        for span in doc.spans:
            if span.fragments and self._discontinuous(span, file_text, doc):
                continue
            placed = self._place(span, article, file_text, same_text, doc)
            if placed is None:
                continue
            start, end = placed
            label = self._label(span.label, span.line or doc.line)
            if label is None:
                continue
            annotator = span.annotator or doc.annotator or self.annotator
            attributes = self._attributes(label, span, where) if span.attributes else {}
            ident = span_id(fmt, article.id, span.id, start, end, label, annotator)
            derived = fresh and not is_uuid(span.id)  # from the id of an article this import adds: new
            if derived:
                self.new_ids.add(ident)
            found = self.identities.span(article.id, ident, bool(span.id), start, end, label, annotator, span.deleted,
                                         f"line {span.line or doc.line}")
            if span.key is not None:
                keys[span.key] = found.id
            if found.kind == "unchanged":  # the same span is already in the project
                self.report.spans.unchanged += 1
                continue
            if found.kind == "duplicate":
                self.report.duplicates.append(Problem(self._where(span.line or doc.line), f"{label} {article.text[start:end]!r} {start}-{end} by "
                                                      f"{annotator}: the same span as {found.earlier}; not added again"))
                continue
            created, updated = normalise_timestamp(span.created), normalise_timestamp(span.updated)
            foreign_data = self._row_foreign(span.foreign, doc_key, found.id)
            if rows is not None and derived and found.kind == "new":  # its row at once (bulk.NewRows)
                self.pending_rows.append(rows.row(article.text, found.id, article.id, start, end, label, attributes,
                                                  span.note, annotator, created, updated, "imported", span.deleted,
                                                  foreign_data))
                self.pending_labels[found.id] = (label, span.deleted)
                continue
            spans.append(
                Annotation(
                    id=found.id,
                    article_id=article.id,
                    start=start,
                    end=end,
                    label=label,
                    quote=article.text[start:end],
                    attributes=attributes,
                    note=span.note,
                    annotator=annotator,
                    created=created,
                    updated=updated,
                    origin="imported",
                    deleted=span.deleted,
                    foreign=foreign_data,
                )
            )
        self.pending_spans += spans
        self.pending_assignments += [
            Assignment("", article.id, a.analyst, a.assigned_by, normalise_timestamp(a.created),
                       normalise_timestamp(a.updated), normalise_timestamp(a.done_at), a.deleted)
            for a in doc.assignments
        ]
        self.pending_labels.update((a.id, (a.label, a.deleted)) for a in spans)
        for relation in doc.relations:
            built = self._relation(relation, article, keys, doc, doc_key)
            if built is not None:
                self.pending_relations.append(built)
        if len(self.pending_spans) + len(self.pending_rows) >= FLUSH_SPANS:
            if BULK:  # a file written in batches: its rows are indexed for search set-based, at the next search
                self.op.defer_search()
            self.flush()

    def _rows_maker(self) -> NewRows | None:
        """What makes the rows of a new article's spans as they are read: on the bulk path, with a
        schema that the file cannot change (with --extend-schema the rows wait for the flush)."""
        if not BULK or self.growth is not None:
            return None
        if self._new_rows is None:
            self._new_rows = NewRows(self._fixed_schema)
        return self._new_rows

    def _row_foreign(self, payload: dict, doc_key: str | None, our_id: str) -> dict:
        if payload.get("id") == our_id:  # our own id, written by our export: nothing foreign about it
            payload = {k: v for k, v in payload.items() if k != "id"}
        return foreign.for_row(self.report.format, payload, doc_key)

    def _keep_document(self, article: Article, doc: DocumentRecord) -> str | None:
        """Add the document's foreign data to its article's; the key its rows' entries name."""
        if not doc.foreign:
            return None
        if self.report.format == foreign.NATIVE:
            current = self.article_foreign.get(article.id, article.foreign)
            updated = foreign.with_documents(current, doc.foreign)
            key = None
        else:
            key = foreign.document_key(doc.foreign)
            current = self.article_foreign.get(article.id, article.foreign)
            updated = foreign.with_document(current, self.report.format, doc.foreign)
        if article.id in self.pending_articles:
            article.foreign = updated
        elif updated != article.foreign or article.id in self.article_foreign:
            self.article_foreign[article.id] = updated
        return key

    def flush(self) -> None:
        """Write the buffered new articles, spans, then the relations between them, in batches."""
        if self.growth is not None:
            text = self.growth.text_to_write()
            if text is not None:  # before the rows, which are checked against the project's schema
                self.op.set_meta("schema", text)
        written: list[Article] = []
        if self.pending_articles:
            batch = list(self.pending_articles.values())
            if BULK:  # what their first new span does (put_new_annotations), in the rows as they are written
                live = {s.article_id for s in self.pending_spans if not s.deleted}
                live.update(row["article_id"] for row in self.pending_rows if not row["deleted"])
                for article in batch:
                    if article.status == "todo" and article.id in live:
                        article.status = "in_progress"
            written = [a for a, added in zip(batch, insert_articles(self.store, self.op, batch)) if added]
        if self.article_foreign:
            self.op.update_many("articles", [(i, {"foreign_data": foreign_json(f)}) for i, f in self.article_foreign.items()])
        if (self.pending_spans or self.pending_rows) and BULK:
            texts = {a.id: a.text for a in written}
            self.report.spans += put_new_annotations(self.store, self.op, self.pending_spans, texts, self.new_ids,
                                                     self.pending_rows)
        elif self.pending_spans:
            self.report.spans += put_annotations(self.store, self.op, self.pending_spans)
        if self.pending_relations:
            self.report.relations += put_relations(self.store, self.op, self.pending_relations)
        if self.pending_assignments:
            self.report.assignments += put_assignments(self.store, self.op, self.pending_assignments)
        self.pending_spans, self.pending_rows, self.pending_relations, self.pending_labels = [], [], [], {}
        self.pending_assignments = []
        self.pending_articles = {}
        self.new_ids = set()
        self.article_foreign = {}
        self.identities.forget()

    def finish(self) -> None:
        if self.unknown_labels or self.unknown_relation_types:
            raise ImportFailed(self._unknown_message())
        self.flush()
        if self.growth is not None:
            self.report.schema_added = self.growth.summary()

    def _unknown_message(self) -> str:
        parts = []
        for what, unknown in (("labels", self.unknown_labels), ("relation types", self.unknown_relation_types)):
            if not unknown:
                continue
            listed = []
            for name, places in unknown.items():
                places = list(dict.fromkeys(places))
                shown = ", ".join(places[:MAX_LISTED_UNKNOWN]) + (" …" if len(places) > MAX_LISTED_UNKNOWN else "")
                listed.append(f"{name!r} ({'' if ':' in places[0] else 'line '}{shown})")
            parts.append(f"{what} not in this project's schema: {'; '.join(listed)}")
        schema = self.schema
        known = f"The project's labels are {', '.join(schema.names)}"
        known += f" and its relation types {', '.join(r.name for r in schema.relations) or 'none'}"
        options = []
        if self.unknown_labels:
            options.append("--label-map OLD=NEW")
        if self.unknown_relation_types:
            options.append("--relation-map OLD=NEW")
        return (f"{self.report.path}: {'. '.join(parts)}. {known}; map them with {' and '.join(options)}, or add them "
                "to the schema with --extend-schema. Nothing was imported.")

    def _where(self, line: int) -> str:
        return f"{self.file}:{line}" if line else self.file

    # -- which article ---------------------------------------------------------------------

    def _target(self, doc: DocumentRecord, where: str) -> tuple[Article, str, bool] | None:
        """(project article, the file's text, whether they are the same text)."""
        if doc.text_from_tokens:
            found = self._target_by_characters(doc, where)
            if found is not None:
                return found
        if doc.text is None:
            article = self._named_article(doc)
            if article is None:
                self.report.skipped.append(
                    Problem(where, f"no article in the project is {doc.article_id or doc.url or 'named'}, "
                            "and the file does not carry the text; its spans were not imported")
                )
                return None
            self.report.articles_found += 1
            for span in doc.spans:  # offsets are the project text's: check them against the quotes
                if span.start >= 0 and span.quote is not None and not span.converted:
                    span.start, span.end, span.converted = resolve_offsets(article.text, span.start, span.end, span.quote)
            return article, article.text, True
        text = canonical_text(doc.text)
        article_id = article_id_for(text)
        found = self._article(article_id)
        if found is not None:
            self.report.articles_found += 1
            article = found
        elif not doc.text_from_tokens and (moved := self._target_by_characters(doc, where)) is not None:
            self.report.notes.append(
                f"{where}: the text differs from article {moved[0].id}'s only in its whitespace (imported as a "
                "page, say); the spans were moved onto it"
            )
            return moved
        else:
            article = self._named_article(doc)
            if article is not None:
                self.report.articles_found += 1
                self.report.notes.append(
                    f"{where}: the text of article {article.id} differs from the project's; its spans were re-anchored"
                )
            else:
                article = self._new_article(doc, text, article_id)
                self.report.articles_added.append(article.id)
                if doc.text_from_tokens:
                    self.report.notes.append(
                        f"{where}: no article in the project has the text of these tokens; added the text rebuilt "
                        "from them (a space between tokens, a line between sentences)"
                    )
        return article, doc.text, doc.text == article.text

    def _article(self, article_id: str) -> Article | None:
        if article_id in self.pending_articles:
            return self.pending_articles[article_id]
        if not self.store.has_article(article_id):  # nearly every article of a big import: no rows read
            return None
        return self.store.get_article(article_id)  # the import's transaction: it is still there

    def _named_article(self, doc: DocumentRecord) -> Article | None:
        """The project's article the file names by id or URL (the one matching rule, matching.py)."""
        if not (doc.article_id or doc.url):
            return None
        found = match_article(self.store, doc.article_id or "", doc.url or "", "")
        return self.store.get_article(found) if found else None

    def _new_article(self, doc: DocumentRecord, text: str, article_id: str) -> Article:
        metadata = article_metadata(doc.metadata)
        blocks = document_blocks(doc, text)
        if not metadata.get("title"):
            first = next((text[s:e].strip() for kind, s, e in blocks if text[s:e].strip()), "")
            metadata["title"] = first[:200]
        article = Article(
            id=article_id,
            text=text,
            blocks=[Block(kind, s, e) for kind, s, e in blocks],
            **metadata,
        )
        self.pending_articles[article.id] = article
        if BULK:
            self.identities.fresh(article.id)
        return article

    def _target_by_characters(self, doc: DocumentRecord, where: str) -> tuple[Article, str, bool] | None:
        """The project's article whose text has the same characters as the tokens between the
        whitespace, with the spans moved from the rebuilt text onto it: the given tokens aligned by
        characters, however the file was tokenised."""
        if self.by_characters is None:
            self.by_characters = {}
            for article_id, text in self.store.iter_article_texts():
                self.by_characters.setdefault(characters_key(text), article_id)
        if not self.by_characters:
            return None  # no article was in the project when the import began
        rebuilt = doc.text or ""
        article_id = self.by_characters.get(characters_key(rebuilt))
        if article_id is None:
            return None
        article = self.store.get_article(article_id)
        ours = [i for i, c in enumerate(article.text) if not c.isspace()]
        theirs = [i for i, c in enumerate(rebuilt) if not c.isspace()]
        if [article.text[i] for i in ours] != [rebuilt[i] for i in theirs]:
            return None  # the same digest, other characters
        before = [0] * (len(rebuilt) + 1)  # characters (not whitespace) before each offset of the rebuilt text
        for i, c in enumerate(rebuilt):
            before[i + 1] = before[i] + (not c.isspace())
        for span in doc.spans:
            first, last = before[span.start], before[span.end] - 1
            if span.start < span.end and 0 <= first <= last < len(ours):
                span.start, span.end = ours[first], ours[last] + 1
        self.report.articles_found += 1
        return article, article.text, True

    # -- spans -------------------------------------------------------------------------------

    def _place(
        self, span: SpanRecord, article: Article, file_text: str, same_text: bool, doc: DocumentRecord
    ) -> tuple[int, int] | None:
        if same_text and not span.converted and 0 <= span.start < span.end <= len(file_text) and (
            span.quote is None or file_text[span.start : span.end] == span.quote
        ):
            return span.start, span.end  # the common case, without building any message
        return self._place_carefully(span, article, file_text, same_text, doc)

    def _place_carefully(
        self, span: SpanRecord, article: Article, file_text: str, same_text: bool, doc: DocumentRecord
    ) -> tuple[int, int] | None:
        where = self._where(span.line or doc.line)
        described = f"{span.label} {span.quote!r}" if span.quote is not None else f"{span.label} {span.start}-{span.end}"
        if span.converted:
            self.report.converted.append(
                Problem(where, f"{described}: offsets read as {span.converted.replace('utf16', 'UTF-16 code units').replace('codepoint', 'code points')}, "
                        "which is where its text is")
            )
        if span.start < 0 and span.quote:  # only a quote selector: find it
            found = self._reanchor(article.text, span.quote, span.prefix or "", span.suffix or "", None)
            if found is None:
                self.report.unanchorable.append(Problem(where, f"{described}: the quote is not in article {article.id}; not imported"))
            return found
        if not (0 <= span.start < span.end <= len(file_text)):
            if span.start >= span.end:
                self.report.skipped.append(Problem(where, f"{described}: empty or reversed span {span.start}-{span.end}"))
                return None
            if span.quote:
                found = self._reanchor(article.text, span.quote, span.prefix or "", span.suffix or "", None)
                if found:
                    self.report.reanchored.append(Problem(where, f"{described}: offsets {span.start}-{span.end} "
                                                          f"outside the text; found by its quote at {found[0]}-{found[1]}"))
                    return found
            self.report.unanchorable.append(
                Problem(where, f"{described}: offsets {span.start}-{span.end} outside the text ({len(file_text)} characters)")
            )
            return None
        quote = file_text[span.start : span.end]
        if span.quote is not None and quote != span.quote:
            found = self._reanchor(article.text, span.quote, span.prefix or "", span.suffix or "", span.start)
            if found:
                self.report.reanchored.append(
                    Problem(where, f"{described}: the text at {span.start}-{span.end} is {quote!r}; "
                            f"re-anchored by its quote at {found[0]}-{found[1]}")
                )
                return found
            self.report.quote_mismatches.append(
                Problem(where, f"{described}: the text at {span.start}-{span.end} is {quote!r}, "
                        "and the quote is nowhere else; not imported")
            )
            return None
        if same_text:
            return span.start, span.end
        prefix = span.prefix if span.prefix is not None else file_text[max(0, span.start - 32) : span.start]
        suffix = span.suffix if span.suffix is not None else file_text[span.end : span.end + 32]
        found = self._reanchor(article.text, quote, prefix, suffix, span.start)
        if found is None:
            self.report.unanchorable.append(
                Problem(where, f"{described}: {quote!r} cannot be found in the project's text of article {article.id}; "
                        "not imported")
            )
            return None
        if found != (span.start, span.end) or article.text[found[0] : found[1]] != quote:
            self.report.reanchored.append(Problem(where, f"{described}: re-anchored at {found[0]}-{found[1]}"))
        return found

    def _discontinuous(self, span: SpanRecord, file_text: str, doc: DocumentRecord) -> bool:
        """Whether a span of fragments is truly discontinuous (reported, not imported): fragments that
        only line breaks separate are one span of the text."""
        fragments = span.fragments or []
        gaps = [file_text[a[1] : b[0]] for a, b in zip(fragments, fragments[1:])]
        if all(not gap.strip("\r\n") for gap in gaps):
            return False
        pieces = " … ".join(repr(file_text[s:e]) for s, e in fragments)
        places = ";".join(f"{s} {e}" for s, e in fragments)
        name = span.foreign_id or span.id or span.label
        self.report.skipped.append(
            Problem(self._where(span.line or doc.line), f"{name}: a discontinuous {span.label} (fragments {places}: "
                    f"{pieces}) not imported: the project holds continuous spans only")
        )
        return True

    def _reanchor(self, text: str, quote: str, prefix: str, suffix: str, hint: int | None) -> tuple[int, int] | None:
        selector = textspan.QuoteSelector(
            exact=canonical_text(quote), prefix=canonical_text(prefix), suffix=canonical_text(suffix)
        )
        found = textspan.reanchor(text, selector, hint)
        if found is None or found[0] >= found[1]:
            return None
        return found

    def _place_name(self, line: int) -> str:
        return str(line) if self.file == str(self.report.path) else f"{Path(self.file).name}:{line}"

    def _label(self, raw: str, line: int) -> str | None:
        if raw in self.label_names and raw not in self.label_map:
            return raw
        name = self.label_map.get(raw, raw)
        label = self.labels.get(name.casefold())
        if label is None and self.growth is not None:
            label = self.growth.add_label(name)
            self.labels[name.casefold()] = label
            self.label_names = frozenset(self.schema.names)
        if label is None:
            self.unknown_labels.setdefault(raw, []).append(self._place_name(line))
        return label

    def _attributes(self, label: str, span: SpanRecord, where: str) -> dict[str, object]:
        kept: dict[str, object] = {}
        for key, value in span.attributes.items():
            candidates = [value]
            if self.report.format == "brat" and isinstance(value, str) and "_" in value:
                candidates.append(value.replace("_", " "))  # brat's values are single words: our "news outlet" is news_outlet
            problem = None
            for candidate in candidates:
                try:
                    kept.update(self.schema.validate_attributes(label, {key: candidate}))
                    break
                except ValidationError as exc:
                    problem = problem or exc
            else:
                if self.growth is not None and self.growth.add_attribute_value(label, key, value):
                    kept.update(self.schema.validate_attributes(label, {key: value}))
                else:
                    self.report.skipped.append(Problem(where, f"attribute {key}={value!r} of a {label} dropped: {problem}"))
        return kept

    # -- relations ---------------------------------------------------------------------------

    def _relation_type(self, raw: str, line: int) -> str | None:
        """The project's name of a relation type; an unknown one is noted (the file is refused) or,
        with --extend-schema, is added once its ends are known (`_relation`)."""
        name = self.relation_map.get(raw, raw)
        known = self.relation_types.get(name.casefold())
        if known is not None:
            return known
        if self.growth is not None:
            return name
        self.unknown_relation_types.setdefault(raw, []).append(self._place_name(line))
        return None

    def _relation(self, relation, article: Article, keys: dict[object, str], doc: DocumentRecord,
                  doc_key: str | None) -> Relation | None:
        where = self._where(relation.line or doc.line)
        type_name = self._relation_type(relation.type, relation.line or doc.line)
        if type_name is None:
            return None
        if relation.attributes or relation.typed_notes:
            lost = [f"attribute {k}={v!r}" for k, v in relation.attributes.items()]
            lost += [f"{n.type} note {n.text!r}" for n in relation.typed_notes]
            self.report.skipped.append(
                Problem(where, f"relation {relation.foreign_id or relation.type}: {', '.join(lost)} not imported: "
                        "the project's relations hold no attributes or notes")
            )
        head, tail = keys.get(relation.head), keys.get(relation.tail)
        if head is None or tail is None:
            missing = relation.head if head is None else relation.tail
            self.report.skipped.append(
                Problem(where, f"relation {relation.type} not imported: its end {missing} was not imported")
            )
            return None
        ends = {i: self.pending_labels[i] for i in (head, tail) if i in self.pending_labels}
        if len(ends) < 2:
            ends.update((i, (label, deleted)) for i, (_article, label, deleted) in self.store.relation_ends((head, tail)).items())
        labels = {i: label for i, (label, _) in ends.items()}
        growing = self.growth is not None and (type_name.casefold() not in self.relation_types
                                               or type_name in self.growth.relation_types)
        if growing:  # a type this file brings: allowed between the labels seen at its ends
            relation_type = self.growth.relation_type(type_name, labels.get(head), labels.get(tail))  # type: ignore[union-attr]
            self.relation_types[type_name.casefold()] = type_name
        else:
            relation_type = self.schema.relation_type(type_name)
        if not relation.deleted and any(deleted for _, deleted in ends.values()):
            existing = self.store.relations_by_id([relation.id]) if relation.id else {}
            if not existing:
                self.report.skipped.append(
                    Problem(where, f"relation {type_name} not imported: one of its ends is deleted in this project")
                )
                return None
        for end_id, allowed, side in ((head, relation_type.head, "head"), (tail, relation_type.tail, "tail")):
            if allowed and labels.get(end_id) not in allowed:
                self.report.skipped.append(
                    Problem(where, f"relation {type_name} needs a {' or '.join(allowed)} as its {side}, "
                            f"not a {labels.get(end_id)}; not imported")
                )
                return None
        if head == tail:
            self.report.skipped.append(Problem(where, f"relation {type_name} joins a span to itself; not imported"))
            return None
        ident = relation_id(self.report.format, article.id, relation.id, head, tail, type_name)
        found = self.identities.relation(article.id, ident, head, tail, type_name, relation.deleted,
                                         f"line {relation.line or doc.line}")
        if found.kind == "duplicate":
            self.report.duplicates.append(Problem(where, f"relation {type_name} {head[:8]} → {tail[:8]}: the same "
                                                  f"relation as {found.earlier}; not added again"))
            return None
        return Relation(
            id=found.id,
            article_id=article.id,
            head=head,
            tail=tail,
            type=type_name,
            annotator=relation.annotator or doc.annotator or self.annotator,
            created=normalise_timestamp(relation.created),
            updated=normalise_timestamp(relation.updated),
            deleted=relation.deleted,
            foreign=self._row_foreign(relation.foreign, doc_key, found.id),
        )


def parse_label_map(pairs: Iterable[str], option: str = "--label-map") -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        old, sep, new = pair.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise AnnotatorError(f"{option} takes OLD=NEW, got {pair!r}")
        mapping[old.strip()] = new.strip()
    return mapping
