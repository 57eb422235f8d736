"""A colleague's project file is read with limits, so that a damaged or hostile file is refused
quickly, with its table, row and column, and our project is left as it was.

Minimal reproducers of the issue's cases: a generated column of `zeroblob(900000000)` (before,
`merge` grew past 7 GB reading it), malformed JSON in a row (before, "unexpected JSONDecodeError"
without its table and row), values over the size limits, too many rows.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.errors import ProjectDamagedError, ProjectError
from annotator.store import ColleagueProject, Store
from annotator.store.colleague import Limits

from .conftest import add, article, dump
import support

TEXT = "Kim met Putin in Moscow today, state media said."


@pytest.fixture
def colleague(tmp_path: Path) -> Path:
    path = tmp_path / "ben" / "ben.annotator"
    with Store.open(path) as theirs:
        a = article(TEXT)
        support.add_article(theirs, a)
        claim = add(theirs, a, "Kim met Putin", "CLAIM", "ben")
        source = add(theirs, a, "state media", "SOURCE", "ben")
        support.relate(theirs, claim.id, source.id, annotator="ben")
        theirs.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def sql(path: Path, *statements: str, params: tuple = ()) -> None:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement, params if "?" in statement else ())
    conn.commit()
    conn.close()


def first_annotation(path: Path) -> str:
    conn = sqlite3.connect(path)
    ident = conn.execute("SELECT id FROM annotations ORDER BY start LIMIT 1").fetchone()[0]
    conn.close()
    return ident


def refused(store: Store, path: Path, limits: Limits = Limits()) -> str:
    before = dump(store)
    with pytest.raises(ProjectError) as error:
        with ColleagueProject.open(path, limits=limits) as other:
            support.merge(store, other)
    assert dump(store) == before
    return str(error.value)


def test_malformed_json_is_named_by_file_table_row_and_column(store, colleague):
    ident = first_annotation(colleague)
    sql(colleague, "UPDATE annotations SET attributes = '{\"type\": ' WHERE id = ?", params=(ident,))
    assert refused(store, colleague) == f"{colleague}: annotations row {ident}: column attributes is not valid JSON"


def test_malformed_json_through_the_command_line(tmp_path, colleague, monkeypatch):
    from click.testing import CliRunner

    from annotator.cli import main

    monkeypatch.setenv("ANNOTATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    ident = first_annotation(colleague)
    sql(colleague, "UPDATE annotations SET foreign_data = '[1, 2' WHERE id = ?", params=(ident,))
    result = CliRunner().invoke(main, ["--project", str(tmp_path / "mine.annotator"), "merge", str(colleague)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {colleague}: annotations row {ident}: column foreign_data is not valid JSON\n"


def test_a_text_over_the_limit_is_refused_before_it_is_fetched(store, colleague):
    with Store.open(colleague) as theirs:
        long = article("x" * 2000)
        support.add_article(theirs, long)
    message = refused(store, colleague, Limits(text=1000))
    assert message == (f"{colleague}: texts row {long.id}: column text holds 2,000 characters; a colleague's project is "
                       "read with at most 1,000 there, nothing was merged")


def test_a_note_over_a_million_characters_is_refused(store, colleague):
    ident = first_annotation(colleague)
    sql(colleague, "UPDATE annotations SET note = ? WHERE id = ?", params=("n" * 1_000_001, ident))
    assert refused(store, colleague) == (
        f"{colleague}: annotations row {ident}: column note holds 1,000,001 characters; a colleague's project is read "
        "with at most 1,000,000 there, nothing was merged")


def test_a_value_sqlite_would_not_load_is_found_by_its_row(store, colleague):
    """Over SQLite's own limit (`value_bytes`) even `length()` cannot look: the row is found by bisection."""
    with Store.open(colleague) as theirs:
        a = theirs.get_article(theirs.list_articles()[0].id)
        spans = [add(theirs, a, word, "SOURCE", f"reader{i}") for i, word in enumerate(["Kim"] * 30)]
    sql(colleague, "UPDATE annotations SET note = ? WHERE id = ?", params=("n" * 200_000, spans[17].id))
    assert refused(store, colleague, Limits(value_bytes=100_000)) == (
        f"{colleague}: annotations row {spans[17].id}: column note holds more than 100,000 bytes; a colleague's "
        "project is read with far less there, nothing was merged")


def test_a_generated_column_among_ours_is_refused_before_any_row_is_read(store, colleague):
    conn = sqlite3.connect(colleague)
    columns = [r[1] for r in conn.execute("PRAGMA table_info(annotations)")]
    kept = ", ".join(f'"{c}"' for c in columns if c != "note")
    conn.executescript(f"""
        PRAGMA foreign_keys = OFF;
        CREATE TABLE hostile AS SELECT {kept} FROM annotations;
        DROP TABLE annotations;
        CREATE TABLE annotations ({", ".join(f'"{c}"' for c in columns if c != "note")},
                                  note BLOB GENERATED ALWAYS AS (zeroblob(900000000)) VIRTUAL);
        INSERT INTO annotations ({kept}) SELECT {kept} FROM hostile;
        DROP TABLE hostile;
    """)
    conn.close()
    assert refused(store, colleague) == (
        f"{colleague}: column note of table annotations is computed when read (a generated column); not a project "
        "made by News Annotator, nothing was read")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="the peak memory is read from Linux's /proc")
def test_a_generated_column_of_900_mb_beside_ours_is_never_read(tmp_path, colleague):
    """The issue's file: `merge` read every column and grew past 7 GB. Now only our columns are read;
    the merge runs in a child process whose peak memory is measured."""
    sql(colleague, "ALTER TABLE annotations ADD COLUMN padding BLOB GENERATED ALWAYS AS (zeroblob(900000000)) VIRTUAL",
        "ALTER TABLE texts ADD COLUMN padding BLOB GENERATED ALWAYS AS (zeroblob(900000000)) VIRTUAL")
    # VmHWM, not ru_maxrss: Linux carries the parent's peak (pytest's) over a vfork and exec into ru_maxrss
    script = (
        "import sys\n"
        "sys.path.insert(0, sys.argv[3])\n"
        "import support\n"
        "from annotator.store import Store\n"
        "with Store.open(sys.argv[1]) as mine:\n"
        "    report = support.merge(mine, sys.argv[2])\n"
        "peak = next(line for line in open('/proc/self/status') if line.startswith('VmHWM'))\n"
        "print(report.annotations.added, int(peak.split()[1]) // 1024)\n"
    )
    tests = str(Path(__file__).resolve().parents[1])
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path / "mine.annotator"), str(colleague), tests],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    added, peak_mb = map(int, result.stdout.split())
    assert added == 2 and peak_mb < 300


def test_a_virtual_table_is_refused(store, tmp_path):
    path = tmp_path / "virtual.annotator"
    Store.open(path).close()
    sql(path, "ALTER TABLE relations RENAME TO relations_old",
        "CREATE VIRTUAL TABLE relations USING fts4(id, article_id, head, tail, type)")
    with pytest.raises(ProjectDamagedError, match="table relations is a virtual table"):
        ColleagueProject.open(path)


def test_the_total_work_is_bounded(store, colleague):
    assert refused(store, colleague, Limits(rows=3)) == (
        f"{colleague}: holds 4 rows (2 annotations, 1 articles, 1 relations); a colleague's project is read up to 3; "
        "nothing was read")
    message = refused(store, colleague, Limits(rows_per_article=1))
    assert message.startswith(f"{colleague}: article ") and "holds more than 1 annotations" in message
    with Store.open(colleague) as theirs:
        support.add_article(theirs, article("y" * 500))
    assert "holds more than 100 characters of text" in refused(store, colleague, Limits(total_text=100))


def test_within_the_limits_everything_is_merged(store, colleague):
    report = support.merge(store, colleague)
    assert (report.articles_added, report.annotations.added, report.relations.added) == (1, 2, 1)
    with ColleagueProject.open(colleague) as other:
        assert other.annotation_counts() == {"ben": 2}
