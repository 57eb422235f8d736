"""Opening a project file: refusing what is not ours before SQLite touches it, configuring the
connection, migrating forward, and turning SQLite's errors into messages for people.

A file that is not a project (an empty file, another program's SQLite file, a damaged file) is never
written: the header is checked on disk first, and an existing file is inspected through a read-only
connection before a writing one is opened (which would switch it to WAL mode).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

from ..errors import ConstraintError, ProjectDamagedError, ProjectError, ProjectLockedError
from .migrations import MIGRATIONS, SCHEMA_VERSION, statements

BUSY_TIMEOUT_SECONDS = 5.0
SQLITE_MAGIC = b"SQLite format 3\x00"
OUR_TABLES = frozenset({"articles", "annotations", "relations"})


_open_here: dict[tuple[int, int], int] = {}  # (device, inode) of the project files open in this process: how many stores
_open_lock = threading.Lock()


def _file_key(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino


def opened_here(path: Path) -> tuple[int, int] | None:
    """Count a store of `path` as open in this process (until `closed_here` with the key returned)."""
    key = _file_key(path)
    if key is not None:
        with _open_lock:
            _open_here[key] = _open_here.get(key, 0) + 1
    return key


def closed_here(key: tuple[int, int] | None) -> None:
    if key is None:
        return
    with _open_lock:
        left = _open_here.get(key, 0) - 1
        if left > 0:
            _open_here[key] = left
        else:
            _open_here.pop(key, None)


def wal_key(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the project's -wal file, None when there is none."""
    return _file_key(path.with_name(path.name + "-wal"))


def orphaned(path: Path, wal: tuple[int, int] | None) -> bool:
    """Whether the project's -wal file is no longer `wal`, the one a connection of ours writes to.

    SQLite's locks are POSIX locks, which the kernel drops when this process closes any descriptor of
    the file, whoever opened it (Qt's file dialogs read a file's first bytes to guess its type, and the
    project sits in the folders they list). Another process closing its connection then takes itself
    for the last one and deletes the -wal and -shm files: our connection would see no change made
    elsewhere from then on, and commit into a deleted file, lost when it closes. What was committed
    before was checkpointed into the project by that process, so a new connection sees all of it: the
    store checks before each write and each poll of the live views, and connects again."""
    return wal is not None and wal_key(path) != wal


def _is_open_here(path: Path) -> bool:
    key = _file_key(path)
    with _open_lock:
        return key is not None and key in _open_here


def refuse_non_sqlite(path: Path) -> None:
    """Check the file on disk before SQLite opens it, so a damaged or foreign file is never rewritten.

    A file a store of this process has open (the window's, while a worker thread opens its own) passed
    this check already and is not read again: closing a plain descriptor of it would drop every POSIX
    lock the process holds on it, SQLite's included. The next process to close its connection would then
    take itself for the last one and delete the -wal and -shm files under the open store, which would
    from then on see no change made elsewhere and write into a deleted WAL.
    """
    if not path.exists():
        return
    if path.is_dir():
        raise ProjectError(f"{path}: is a folder, not a project file")
    if _is_open_here(path):
        return
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise ProjectError(f"{path}: cannot be read ({exc.strerror})") from None
    if size == 0:
        raise ProjectError(f"{path}: is an empty file, not a project; it was left untouched (choose another file name)")
    if header != SQLITE_MAGIC:
        raise ProjectDamagedError(f"{path}: not a project file or damaged (no SQLite header); it was left untouched")


def read_only_uri(path: Path, immutable: bool = False) -> str:
    return f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")


def inspect(path: Path, timeout: float) -> tuple[int, set[str]]:
    """(user_version, table names) of an existing file, read without writing anything to it."""
    conn = connect_read_only(path, timeout)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise translate(exc, path) from None
    finally:
        conn.close()
    return version, tables


def connect_read_only(path: Path, timeout: float) -> sqlite3.Connection:
    """A read-only connection; on read-only media (no -shm can be made) an immutable one."""
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=timeout, isolation_level=None,
                               check_same_thread=False)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        if "unable to open" not in str(exc) and "readonly" not in str(exc).lower():
            raise translate(exc, path) from None
        conn = sqlite3.connect(read_only_uri(path, immutable=True), uri=True, timeout=timeout,
                               isolation_level=None, check_same_thread=False)
    except sqlite3.DatabaseError as exc:
        raise translate(exc, path) from None
    configure(conn, readonly=True, timeout=timeout)
    return conn


def check_ours(path: Path, version: int, tables: set[str]) -> None:
    if version == 0 and tables:
        raise ProjectError(f"{path}: this SQLite file is not a News Annotator project; it was left untouched")
    if version > 0 and not OUR_TABLES <= tables:
        raise ProjectError(f"{path}: this SQLite file is not a News Annotator project; it was left untouched")
    if version > SCHEMA_VERSION:
        raise ProjectError(
            f"{path}: made by a newer News Annotator (file version {version}, this one reads up to "
            f"{SCHEMA_VERSION}); update the app to open it"
        )


def can_write_beside(path: Path) -> bool:
    """Whether SQLite could create its -wal and -shm files next to the project (and write it)."""
    folder = path.resolve().parent
    return os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def connect_for_writing(path: Path, timeout: float) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(str(path), timeout=timeout, isolation_level=None, check_same_thread=False)
        configure(conn, readonly=False, timeout=timeout)
    except sqlite3.DatabaseError as exc:
        raise translate(exc, path) from None
    return conn


WRITING_CACHE_KIB = 32 * 1024
"""The page cache of a writing connection (SQLite's default is 2 MiB). A bulk import inserts into
B-trees keyed by random ids (the annotations' UUIDs and their indexes): with the default cache most
inserts miss it, and 100,000 spans took 1.45 s to write instead of 0.8 s. Memory grows only as pages
are used."""


def configure(conn: sqlite3.Connection, readonly: bool, timeout: float) -> None:
    conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA trusted_schema = OFF")
    if readonly:
        conn.execute("PRAGMA query_only = ON")
        return
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode.lower() != "wal":
        raise ProjectLockedError("could not switch the project to WAL mode")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute(f"PRAGMA cache_size = -{WRITING_CACHE_KIB}")


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the file to SCHEMA_VERSION, all steps in one transaction."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version >= SCHEMA_VERSION:
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
        for step in range(version, SCHEMA_VERSION):
            for statement in statements(MIGRATIONS[step]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {step + 1}")
        conn.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise translate(exc, path) from None


def translate(exc: sqlite3.DatabaseError, path: Path) -> Exception:
    message = str(exc).lower()
    if isinstance(exc, sqlite3.IntegrityError):
        return ConstraintError(f"{path}: {exc}")
    if "locked" in message or "busy" in message:
        return ProjectLockedError(
            f"{path}: the project is locked by another program or window; nothing was changed, try again"
        )
    if "not a database" in message or "malformed" in message or "corrupt" in message:
        return ProjectDamagedError(f"{path}: the project file is damaged ({exc}); it was left untouched")
    if "readonly" in message or "read-only" in message:
        return ProjectError(f"{path}: the project cannot be written ({exc})")
    if "unable to open" in message:
        return ProjectError(f"{path}: cannot open the project file ({exc})")
    if "append-only" in message:
        return ProjectError(f"{path}: the project's journal cannot be changed, only added to")
    return ProjectError(f"{path}: {exc}")
