"""A tool's own ids and fields, kept beside our rows (`foreign` on articles, annotations, relations).

The shape, by format (the format module's name), so that each writer finds what its reader kept:

* an article: ``{"labelstudio": {"documents": [{"key": "17", ...}, ...]}}`` — one entry per document
  of the tool that had this text (a Label Studio task, a doccano record, a Prodigy task, a W3C
  source), with what the tool's writer needs to write it back (its ids, metadata, predictions);
* an annotation or a relation: ``{"labelstudio": {"id": "wX3k", "doc": "17", ...}}`` — the tool's
  own id and fields, and the key of the document it came from.

Two documents with the same text are one article here (its id is the text's hash); their entries
stay apart, so that an export to their format writes them apart again. Our UUIDs stay the primary
ids; the foreign ids are what a round trip restores. Importing the same file again replaces an
entry with the same key instead of adding it twice.
"""

from __future__ import annotations

import hashlib
import json
from typing import Mapping

NATIVE = "jsonl"  # the native format carries the whole {format: ...} mapping as it is


def document_key(document: Mapping[str, object]) -> str:
    """The key of a document's entry: its own `key`, else a digest of what it holds."""
    key = document.get("key")
    if isinstance(key, str) and key:
        return key
    digest = hashlib.sha1(json.dumps(document, sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    return "sha1:" + digest.hexdigest()[:16]


def for_row(format_name: str, payload: Mapping[str, object], doc_key: str | None) -> dict[str, object]:
    """What an annotation or relation keeps: {format: payload with the document's key}."""
    if format_name == NATIVE:
        return dict(payload)
    if not payload and doc_key is None:
        return {}
    entry = dict(payload)
    if doc_key is not None:
        entry["doc"] = doc_key
    return {format_name: entry}


def merged(stored: Mapping[str, object], incoming: Mapping[str, object]) -> dict[str, object]:
    """A row's foreign data after an import: each format's entry replaced by the incoming one."""
    if not incoming:
        return dict(stored)
    return {**stored, **incoming}


def with_document(article: Mapping[str, object], format_name: str, document: Mapping[str, object]) -> dict[str, object]:
    """An article's foreign data with `document` added to its format's documents (replacing the
    entry with the same key)."""
    key = document_key(document)
    entry = dict(document, key=key)
    current = article.get(format_name)
    documents = list(current.get("documents", [])) if isinstance(current, dict) else []
    documents = [d for d in documents if not (isinstance(d, dict) and d.get("key") == key)]
    documents.append(entry)
    section = dict(current) if isinstance(current, dict) else {}
    section["documents"] = documents
    return {**article, format_name: section}


def with_documents(article: Mapping[str, object], incoming: Mapping[str, object]) -> dict[str, object]:
    """An article's foreign data merged with another {format: {"documents": [...]}} (the native format's)."""
    result = dict(article)
    for format_name, section in incoming.items():
        if not isinstance(section, dict):
            continue
        for document in section.get("documents", []):
            if isinstance(document, dict):
                result = with_document(result, format_name, document)
        others = {k: v for k, v in section.items() if k != "documents"}
        if others:
            current = result.get(format_name)
            result[format_name] = {**(current if isinstance(current, dict) else {}), **others}
    return result


def documents(article_foreign: Mapping[str, object], format_name: str) -> list[dict]:
    """The documents an article had in `format_name` (for its writer)."""
    section = article_foreign.get(format_name)
    if not isinstance(section, dict):
        return []
    return [d for d in section.get("documents", []) if isinstance(d, dict)]


def entry(row_foreign: Mapping[str, object], format_name: str) -> dict:
    """An annotation's or relation's entry for `format_name` ({} when it has none)."""
    value = row_foreign.get(format_name)
    return value if isinstance(value, dict) else {}
