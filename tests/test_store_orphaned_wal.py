"""A store whose -wal file was deleted under it (this process dropped SQLite's POSIX locks by closing
some other descriptor of the project, as Qt's MIME sniffing does, and another process then closed
its connection as if it were the last) connects again: it sees the other process's writes and its
own next edit reaches the project instead of a deleted file."""

from __future__ import annotations

import subprocess
import sys

from annotator.model import build_article
from annotator.store import Store

import support

OTHER_WRITE = """
import sys
from annotator.store import Store
from annotator.model import build_article
import support
with Store.open(sys.argv[1]) as store:
    support.add_articles(store, [build_article([("paragraph", "Written by another process: " + sys.argv[2])],
                                               title=sys.argv[2])])
"""


def drop_locks_like_qt(path) -> None:
    with open(path, "rb") as handle:  # any descriptor of the file, closed: the kernel drops the process's locks
        handle.read(16)


def test_a_store_whose_wal_was_deleted_under_it_connects_again(tmp_path):
    path = tmp_path / "p.annotator"
    store = Store.open(path)
    support.add_articles(store, [build_article([("paragraph", "First article.")], title="First")])
    seen = store.data_version()
    drop_locks_like_qt(path)
    tests = str(support.__file__).rsplit("/", 1)[0]

    def other_process_writes(title: str) -> None:
        done = subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {tests!r})\n" + OTHER_WRITE,
                               str(path), title], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr

    other_process_writes("Other")
    assert store.data_version() != seen  # the live views hear of the other process's write
    assert {a.title for a in store.list_articles()} == {"First", "Other"}
    support.add_articles(store, [build_article([("paragraph", "Written here afterwards.")], title="Mine")])
    other_process_writes("Later")
    assert {a.title for a in store.list_articles()} == {"First", "Other", "Mine", "Later"}
    store.close()
    with Store.open(path, readonly=True) as again:
        assert {a.title for a in again.list_articles()} == {"First", "Other", "Mine", "Later"}
