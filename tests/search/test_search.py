"""Full-text search in the store: offsets that slice, the index kept in step by every kind of write."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

import support
from annotator import operations as ops
from annotator.model import build_article
from annotator.store import SearchQueryError, Store
from annotator.store import search_index
from annotator.store.migrations import MIGRATIONS

HEADLINE = "😀 Kim 👍🏽 writes to Putin"
BODY = "The prime minister 🇰🇷 said prices rose 3,5 % in the covid-19 era. Ministers disagreed, café owners too."


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "p.annotator") as store:
        yield store


@pytest.fixture
def article(store: Store):
    article = build_article([("headline", HEADLINE), ("paragraph", BODY)], title="Kim writes to Putin")
    support.add_article(store, article)
    return article


def spans(result, where: str) -> list[tuple[int, int]]:
    return [(h.start, h.end) for h in result.hits if h.in_ == where]


def test_text_hits_slice_the_text_after_emoji(store, article):
    text = article.text
    result = store.search("minister")
    (start, end), = spans(result, "text")
    assert text[start:end] == "minister" and start == text.index("minister")
    assert store.search("Putin").hits[0].in_ in ("text", "title")
    for hit in store.search("putin", scopes=["text"]).hits + store.search("covid-19 OR 3,5 OR cafe").hits:
        assert text[hit.start:hit.end] == hit.match
    assert [text[s:e] for s, e in spans(store.search("covid-19 OR 3,5 OR cafe"), "text")] == ["3,5", "covid-19", "café"]


def test_phrase_and_prefix(store, article):
    text = article.text
    (start, end), = spans(store.search('"prime minister"'), "text")
    assert text[start:end] == "prime minister"
    assert [text[s:e] for s, e in spans(store.search("minist*"), "text")] == ["minister", "Ministers"]
    assert store.search('"minister prime"').hits == []


def test_snippet_marks_the_hit(store, article):
    hit = store.search("disagreed").hits[0]
    assert hit.snippet[hit.snippet_start:hit.snippet_end] == "disagreed"
    assert "\n" not in hit.snippet and hit.snippet.startswith("…")


@given(st.lists(st.text(alphabet="ab 😀\n", min_size=1, max_size=12), min_size=1, max_size=6), st.data())
def test_a_snippet_marks_where_blocks_end_and_keeps_the_hit_in_place(blocks, data):
    from annotator.store.search import BLOCK_MARK, snippet

    text = "\n".join(blocks)
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    shown, hit_start, hit_end = snippet(text, start, end, data.draw(st.integers(1, 20)))
    assert "\n" not in shown
    assert shown[hit_start:hit_end] == text[start:end].replace("\n", BLOCK_MARK)
    assert shown.count("¶") >= text.count("\n", start, end)  # every block ending in the hit is marked


def test_quote_and_note_hits_name_the_annotation(store, article):
    text = article.text
    i = text.index("prime minister")
    claim = support.tag(store, article.id, i, i + len("prime minister said prices rose"), "CLAIM")
    ops.set_note(store, claim.id, "🎉 check with the ministry", annotator="ann")
    result = store.search("minist*", scopes=["quotes", "notes"])
    quote_hit, note_hit = sorted(result.hits, key=lambda h: h.in_, reverse=True)
    assert (quote_hit.in_, quote_hit.annotation, quote_hit.label) == ("quotes", claim.id, "CLAIM")
    assert text[quote_hit.start:quote_hit.end] == "minister"
    assert (note_hit.in_, note_hit.annotation, note_hit.match) == ("notes", claim.id, "ministry")
    assert (note_hit.start, note_hit.end) == (claim.start, claim.end)
    assert "🎉 check with the ministry"[note_hit.field_start:note_hit.field_end] == "ministry"


def test_title_hits(store, article):
    hit, = store.search("writes", scopes=["title"]).hits
    assert (hit.in_, hit.start, hit.match, hit.article) == ("title", None, "writes", article.id)


def test_deleted_annotation_is_not_found_and_undo_restores_it(store, article):
    i = article.text.index("Ministers")
    source = support.tag(store, article.id, i, i + len("Ministers"), "SOURCE")
    assert [h.annotation for h in store.search("ministers", scopes=["quotes"]).hits] == [source.id]
    ops.delete_annotation(store, source.id, annotator="tester")
    assert store.search("ministers", scopes=["quotes"]).hits == []
    assert search_index.check(store.conn) == []  # the tombstone left the index itself, not only the results
    ops.undo(store, annotator="tester")  # the delete
    assert [h.annotation for h in store.search("ministers", scopes=["quotes"]).hits] == [source.id]
    ops.undo(store, annotator="tester")  # the tag
    assert store.search("ministers", scopes=["quotes"]).hits == []
    ops.redo(store, annotator="tester")
    assert [h.annotation for h in store.search("ministers", scopes=["quotes"]).hits] == [source.id]
    assert search_index.check(store.conn) == []


def test_changed_bounds_and_notes_are_searched_as_they_are(store, article):
    text = article.text
    i = text.index("prices")
    claim = support.tag(store, article.id, i, i + len("prices"), "CLAIM")
    ops.change_bounds(store, claim.id, i, i + len("prices rose"), annotator="tester", exact=True)
    assert [h.match for h in store.search("rose", scopes=["quotes"]).hits] == ["rose"]
    ops.set_note(store, claim.id, "first", annotator="tester")
    ops.set_note(store, claim.id, "second", annotator="tester")
    assert store.search("first", scopes=["notes"]).hits == []
    assert len(store.search("second", scopes=["notes"]).hits) == 1
    ops.undo(store, annotator="tester")
    assert len(store.search("first", scopes=["notes"]).hits) == 1
    assert search_index.check(store.conn) == []


def test_label_and_annotator_filters(store, article):
    text = article.text
    i, j = text.index("prime minister"), text.index("Ministers")
    claim = support.tag(store, article.id, i, i + 14, "CLAIM", annotator="maria")
    source = support.tag(store, article.id, j, j + 9, "SOURCE", annotator="ben")
    found = lambda **kw: {h.annotation for h in store.search("minister*", scopes=["quotes"], **kw).hits}  # noqa: E731
    assert found() == {claim.id, source.id}
    assert found(labels=["SOURCE"]) == {source.id}
    assert found(annotators=["maria"]) == {claim.id}
    assert found(labels=["SOURCE"], annotators=["maria"]) == set()
    ops.relabel(store, claim.id, "SOURCE", annotator="maria")
    assert found(labels=["SOURCE"]) == {claim.id, source.id}
    # title and text hits: the articles where such an annotation is
    assert store.search("prices", scopes=["text"], annotators=["ben"]).hits
    assert store.search("prices", scopes=["text"], annotators=["carla"]).hits == []


def test_undone_import_leaves_nothing_to_find(store):
    article = build_article([("paragraph", "A zeppelin landed.")], title="Zeppelin")
    support.add_article(store, article)
    assert {h.in_ for h in store.search("zeppelin").hits} == {"text", "title"}
    ops.undo(store, annotator=support.TESTER)
    assert store.search("zeppelin").hits == []
    assert store.conn.execute("SELECT count(*) FROM search_article_keys").fetchone()[0] == 0
    assert search_index.check(store.conn) == []


def test_imported_and_merged_annotations_are_found(store, article, tmp_path):
    i = article.text.index("café")
    theirs_path = tmp_path / "ben.annotator"
    with Store.open(theirs_path) as theirs:
        support.add_article(theirs, article)
        support.tag(theirs, article.id, i, i + 4, "SOURCE", annotator="ben")
    support.merge(store, theirs_path)
    hit, = store.search("cafe", scopes=["quotes"]).hits
    assert (hit.annotator, article.text[hit.start:hit.end]) == ("ben", "café")
    assert search_index.check(store.conn) == []


def test_limit_says_there_is_more(store, article):
    result = store.search("minister OR prices OR Putin", limit=2)
    assert len(result.hits) == 2 and result.more
    assert not store.search("disagreed", limit=2).more


@pytest.mark.parametrize("query, says", [
    ("prime OR", "stops where a word"),
    ('"prime minister', "quotation mark"),
    ("NOT prime", "NOT needs a word"),
    ("-prime", "write NOT prime"),
    ("title:prime", "--in"),
    ("*", "must follow a word"),
    ("&&", "no word to search for"),
    ("prime )", "cannot be read at ')'"),
])
def test_bad_queries_say_what_is_wrong(store, article, query, says):
    with pytest.raises(SearchQueryError, match="search query") as raised:
        store.search(query)
    assert says in str(raised.value)


def test_migration_indexes_an_existing_project(tmp_path):
    path = tmp_path / "old.annotator"
    conn = sqlite3.connect(path)
    for script in MIGRATIONS[:5]:
        conn.executescript(script)
    conn.execute("PRAGMA user_version = 5")
    conn.execute("INSERT INTO articles(id, title, imported_at, length) VALUES ('abc', 'Zeppelin news', 'now', 26)")
    conn.execute("INSERT INTO texts VALUES ('abc', '😀 A zeppelin landed today', '[[\"paragraph\", 0, 26]]')")
    for n, (start, end, deleted) in enumerate([(2, 12, 0), (4, 12, 1)]):
        conn.execute("INSERT INTO annotations(id, article_id, start, \"end\", label, quote, created, updated, deleted) "
                     "VALUES (?, 'abc', ?, ?, 'CLAIM', ?, 'now', 'now', ?)",
                     (f"ann{n}", start, end, "😀 A zeppelin landed today"[start:end], deleted))
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        assert search_index.check(store.conn) == []
        text = store.article_text("abc")
        hits = store.search("zeppelin").hits
        assert {(h.in_, h.annotation) for h in hits} == {("title", None), ("text", None), ("quotes", "ann0")}
        assert all(text[h.start:h.end] == "zeppelin" for h in hits if h.in_ != "title")


def test_rebuild_repairs_an_index_another_program_broke(store, article):
    store.conn.execute("DELETE FROM search_titles")  # as a program without the index would leave it
    assert store.search("writes", scopes=["title"]).hits == []
    problems = store.rebuild_search_index()
    assert problems and search_index.check(store.conn) == []
    assert len(store.search("writes", scopes=["title"]).hits) == 1


def test_a_query_with_very_many_matches_ranks_the_newest(store):
    from annotator.store import search as full_text

    articles = [build_article([("paragraph", f"Zeppelin number {n} {'zeppelin ' * n}")], title=f"Z {n}") for n in range(4)]
    for article in articles:  # one import each: keys in this order
        support.add_article(store, article)
    ranked = full_text.search(store.conn, store.article_text, "zeppelin", scopes=["text"], limit=1)
    assert not ranked.capped and ranked.hits[0].article == articles[3].id  # most zeppelins: bm25's best
    capped = full_text.search(store.conn, store.article_text, "zeppelin", scopes=["text"], limit=10, rank_cap=2)
    assert capped.capped and {h.article for h in capped.hits} == {articles[2].id, articles[3].id}


def test_a_text_holding_the_highlight_marks_still_gives_its_hits(store):
    text = "\ue000 private use \ue001 then the zeppelin \U000f0000 and a zeppelin again"
    article = build_article([("paragraph", text)], title="Marks")
    support.add_article(store, article)
    hits = store.search("zeppelin", scopes=["text"]).hits
    assert [(h.start, h.end) for h in hits] == [(m, m + 8) for m in (text.index("zeppelin"), text.rindex("zeppelin"))]
    assert all(article.text[h.start:h.end] == "zeppelin" for h in hits)


def test_the_index_survives_vacuum(store, article):
    i = article.text.index("café")
    ann = support.tag(store, article.id, i, i + 4, "SOURCE")
    ops.delete_annotation(store, support.tag(store, article.id, 0, 1, "CLAIM").id, annotator="tester")
    store.conn.execute("VACUUM")  # renumbers implicit rowids; the index's own keys stay
    assert search_index.check(store.conn) == []
    assert [h.annotation for h in store.search("cafe", scopes=["quotes"]).hits] == [ann.id]
