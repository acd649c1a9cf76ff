"""The history database file: opening it safely (0600, WAL, busy timeout) and migrating its schema.

The schema is versioned with `PRAGMA user_version`. Each migration runs in one `BEGIN IMMEDIATE`
transaction, so a crash mid-migration leaves the previous version intact and two processes opening an
old file at once migrate it exactly once. A file written by a newer twibench is refused before anything
is written to it, so downgrading never damages a history the newer version can still read.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from twibench import paths
from twibench.dbfiles import is_damaged
from twibench.errors import TwibenchError

# Schema 1: one row per exchange (small columns, read by `list`), bodies in their own table (read by
# `get` only), a one-row running total kept by triggers so retention never counts the whole table.
SCHEMA_V1: tuple[str, ...] = (
    """CREATE TABLE exchanges (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        uid TEXT NOT NULL,
        time TEXT NOT NULL,
        profile TEXT NOT NULL,
        collection TEXT,
        request_id TEXT,
        name TEXT,
        method TEXT NOT NULL,
        url TEXT NOT NULL,
        path TEXT NOT NULL,
        status INTEGER,
        reason TEXT,
        http_version TEXT,
        duration_ms REAL NOT NULL,
        phases TEXT NOT NULL,
        request_headers TEXT NOT NULL,
        response_headers TEXT,
        request_size INTEGER NOT NULL,
        response_size INTEGER,
        request_truncated INTEGER NOT NULL DEFAULT 0,
        response_truncated INTEGER NOT NULL DEFAULT 0,
        twilio_error TEXT,
        error_kind TEXT,
        error_message TEXT,
        stored_bytes INTEGER NOT NULL
    )""",
    "CREATE TABLE bodies (id INTEGER PRIMARY KEY, request BLOB NOT NULL, response BLOB)",
    """CREATE TABLE totals (
        one INTEGER PRIMARY KEY CHECK (one = 1),
        entries INTEGER NOT NULL,
        bytes INTEGER NOT NULL
    )""",
    "INSERT INTO totals (one, entries, bytes) VALUES (1, 0, 0)",
    """CREATE TRIGGER exchanges_counted AFTER INSERT ON exchanges BEGIN
        UPDATE totals SET entries = entries + 1, bytes = bytes + new.stored_bytes WHERE one = 1;
    END""",
    """CREATE TRIGGER exchanges_removed AFTER DELETE ON exchanges BEGIN
        UPDATE totals SET entries = entries - 1, bytes = bytes - old.stored_bytes WHERE one = 1;
        DELETE FROM bodies WHERE id = old.id;
    END""",
    "CREATE INDEX exchanges_status ON exchanges (status)",
    "CREATE INDEX exchanges_method ON exchanges (method)",
    "CREATE INDEX exchanges_profile ON exchanges (profile COLLATE NOCASE)",
    "CREATE INDEX exchanges_collection ON exchanges (collection COLLATE NOCASE)",
)

# Schema 2: the runner's run id, the collection file (its stem answers `collection:NAME`), and a
# full-text index over URL, name and bodies. The index is contentless (it stores tokens, not a second
# copy of every body); rows are removed from it with the same text they were indexed with.
SCHEMA_V2: tuple[str, ...] = (
    "ALTER TABLE exchanges ADD COLUMN run_id TEXT",
    "ALTER TABLE exchanges ADD COLUMN collection_file TEXT",
    "ALTER TABLE exchanges ADD COLUMN collection_stem TEXT",
    "CREATE INDEX exchanges_run ON exchanges (run_id) WHERE run_id IS NOT NULL",
    "CREATE INDEX exchanges_collection_stem ON exchanges (collection_stem)",
    "CREATE VIRTUAL TABLE search USING fts5(text, content='', tokenize='unicode61 remove_diacritics 2')",
)

CURRENT_VERSION = 2
BUSY_TIMEOUT_S = 10.0


class HistoryError(TwibenchError):
    """The history database cannot be used (newer schema, not a database, unreadable)."""


class HistoryDamagedError(HistoryError):
    """The history file is damaged (overwritten pages) or not a database; `history clear` moves it aside."""

    def __init__(self, path: Path, problem: BaseException | str) -> None:
        self.path = path
        what = "is not a twibench history database" if "not a database" in str(problem) else "is damaged"
        super().__init__(
            f"{path} {what} ({problem}); run `twibench history clear` to move it aside and start a new history"
        )


Backfill = Callable[[sqlite3.Connection], None]


def _create_private_file(path: Path) -> None:
    """Create the database file 0600 before SQLite does, so its -wal and -shm inherit that mode.

    SQLite creates the -wal and -shm files with the permissions of the database file; creating the
    database here with O_CREAT and mode 0600 (umask only removes bits) makes all three private without
    touching the process-wide umask, which other threads may rely on.
    """
    paths.ensure_private_dir(path.parent)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)


def make_private(path: Path) -> None:
    """Tighten the database and its -wal/-shm to 0600 (files made by another tool may be wider)."""
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(FileNotFoundError):
            mode = stat.S_IMODE(candidate.stat().st_mode)
            if mode & 0o077:
                candidate.chmod(mode & 0o600)


def read_version(conn: sqlite3.Connection) -> int:
    """The schema version stored in the file (0 for a new, empty file)."""
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def _refuse_newer(path: Path, version: int) -> HistoryError:
    return HistoryError(
        f"{path} was written by a newer twibench (history schema {version}, this version reads up to "
        f"{CURRENT_VERSION}); upgrade twibench, or move the file away to start a new history"
    )


def connect(path: Path, backfill_v2: Backfill, timeout: float = BUSY_TIMEOUT_S) -> sqlite3.Connection:
    """Open (creating if needed) the history database at `path`, migrated to CURRENT_VERSION.

    Args:
        path: the database file.
        backfill_v2: fills the full-text index for rows written under schema 1 (the store owns how a
            row becomes search text, so it passes this in).
        timeout: how long a write waits for another process's transaction before giving up.

    Raises:
        HistoryError: the file is from a newer twibench, is not a SQLite database, or cannot be opened
            (permissions, a lock held past the timeout, a full disk) — always one sentence naming it.
    """
    try:
        if not path.exists():
            _create_private_file(path)
        conn = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
    except (OSError, sqlite3.Error) as exc:
        raise HistoryError(f"cannot open the history database {path}: {exc}") from None
    try:
        try:
            version = read_version(conn)
        except sqlite3.DatabaseError as exc:
            raise HistoryDamagedError(path, exc) from None
        if version > CURRENT_VERSION:
            raise _refuse_newer(path, version)
        make_private(path)
        _enable_wal(conn, timeout)
        conn.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: a killed process loses nothing committed
        conn.execute("PRAGMA temp_store = MEMORY")  # no temporary files beside the database
        # An insert writes ~30 pages (row, bodies, indexes, full-text segment). Checkpointing every
        # 4,000 pages (16 MB of WAL) instead of SQLite's 1,000 keeps the fsync of a checkpoint out of
        # all but about one insert in a hundred; the WAL file is cut back to 32 MB after one.
        conn.execute("PRAGMA wal_autocheckpoint = 4000")
        conn.execute(f"PRAGMA journal_size_limit = {32 * 1024 * 1024}")
        conn.execute("PRAGMA foreign_keys = OFF")
        if version < CURRENT_VERSION:
            migrate(conn, path, backfill_v2)
        make_private(path)
    except (OSError, sqlite3.Error) as exc:
        conn.close()
        if is_damaged(exc):
            raise HistoryDamagedError(path, exc) from None
        raise HistoryError(f"cannot open the history database {path}: {exc}") from None
    except BaseException:
        conn.close()
        raise
    return conn


def _enable_wal(conn: sqlite3.Connection, timeout: float) -> None:
    """Switch to WAL once; the mode is stored in the file, so later opens find it already set.

    Changing the journal mode needs a moment without other connections; SQLite reports "locked"
    at once rather than waiting, so retry for up to the busy timeout.
    """
    mode = str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower()
    deadline = time.monotonic() + timeout
    while mode != "wal":
        try:
            mode = str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]).lower()
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _run(conn: sqlite3.Connection, statements: Sequence[str]) -> None:
    for statement in statements:
        conn.execute(statement)


def migrate(conn: sqlite3.Connection, path: Path, backfill_v2: Backfill) -> None:
    """Bring the file to CURRENT_VERSION, one version at a time, in a single immediate transaction.

    The version is read again after taking the write lock: another process may have migrated the file
    while this one waited.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = read_version(conn)
        if version > CURRENT_VERSION:
            raise _refuse_newer(path, version)
        if version < 1:
            _run(conn, SCHEMA_V1)
        if version < 2:
            _run(conn, SCHEMA_V2)
            backfill_v2(conn)
        conn.execute(f"PRAGMA user_version = {CURRENT_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
