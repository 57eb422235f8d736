"""A second Store of a project already open in this process (what every window worker makes: the
suggester, the Progress dialog, exports, imports) must not cost the first one its SQLite locks.

POSIX drops every lock a process holds on a file when the process closes ANY descriptor of it. If
opening read the file's header through a plain descriptor, the window's connection would lose its
shared lock; the next command-line write would then believe it was the last connection, checkpoint
and delete the -wal and -shm files under the window, which from then on sees no change made
elsewhere and writes into a deleted WAL: edits shown as saved and lost.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.model import build_article
from annotator.store import Store

import support

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX advisory locks")


def _article():
    return build_article([("headline", "Kim writes to Putin"), ("paragraph", "Kim Jong Un says he wants closer ties.")],
                         title="Kim writes to Putin")


def _cli(project: Path, *args: str) -> None:
    env = {**os.environ, "ANNOTATOR_PROJECT": str(project)}
    done = subprocess.run([sys.executable, "-m", "annotator", *args], env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr


def test_a_second_store_leaves_the_first_one_seeing_and_saving(tmp_path):
    path = tmp_path / "p.annotator"
    article = _article()
    window = Store.open(path)
    try:
        support.add_article(window, article)
        Store.open(path, readonly=True).close()  # a worker thread's store, opened and closed
        Store.open(path).close()
        for start, end in ((0, 3), (4, 8)):  # the first write of another process is seen even without the locks
            version = window.data_version()
            _cli(path, "add", article.id, str(start), str(end), "SOURCE", "--annotator", "lee")
            assert window.data_version() != version  # the window notices the command line's write
        assert len(window.annotations_for(article.id)) == 2
        support.tag(window, article.id, 9, 11, "SOURCE")  # and its own edit reaches the file
    finally:
        window.close()
    with Store.open(path, readonly=True) as reopened:
        assert sorted(a.annotator for a in reopened.annotations_for(article.id)) == ["lee", "lee", support.TESTER]
