"""The sandbox's state: one SQLite file (stdlib sqlite3, WAL) shared by every sandbox on a data dir.

Several processes may serve the same file at once (`twibench sandbox` in one terminal, `twibench send`
in another), so every write runs in a `BEGIN IMMEDIATE` transaction and waits for the write lock
(busy_timeout) instead of failing; readers never block thanks to WAL. One connection per sandbox is
opened once and reused: all requests run on the server's event-loop thread, and a fresh connection per
request would cost more than the query.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from twibench.dbfiles import is_damaged
from twibench.errors import TwibenchError
from twibench.sandbox import credentials as cred
from twibench.sandbox.clock import SEED_EPOCH

SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 15_000

SCHEMA = """
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, sid TEXT NOT NULL UNIQUE, friendly_name TEXT NOT NULL,
    status TEXT NOT NULL, type TEXT NOT NULL, auth_token TEXT NOT NULL,
    created REAL NOT NULL, updated REAL NOT NULL);
CREATE TABLE IF NOT EXISTS keys (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, sid TEXT NOT NULL UNIQUE, account_sid TEXT NOT NULL,
    friendly_name TEXT NOT NULL, secret_hash TEXT NOT NULL, created REAL NOT NULL, updated REAL NOT NULL);
CREATE INDEX IF NOT EXISTS keys_by_account ON keys (account_sid, seq);
CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, sid TEXT NOT NULL UNIQUE, account_sid TEXT NOT NULL,
    to_number TEXT NOT NULL, from_number TEXT, messaging_service_sid TEXT, body TEXT NOT NULL,
    direction TEXT NOT NULL, state TEXT NOT NULL, num_segments INTEGER NOT NULL,
    num_media INTEGER NOT NULL, created REAL NOT NULL, updated REAL NOT NULL,
    start REAL NOT NULL, delivery REAL NOT NULL, sent_at REAL, price TEXT);
CREATE INDEX IF NOT EXISTS messages_by_account ON messages (account_sid, seq);
CREATE TABLE IF NOT EXISTS media (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, sid TEXT NOT NULL UNIQUE, account_sid TEXT NOT NULL,
    message_sid TEXT NOT NULL, content_type TEXT NOT NULL, source_url TEXT NOT NULL, created REAL NOT NULL);
CREATE INDEX IF NOT EXISTS media_by_message ON media (message_sid, seq);
CREATE TABLE IF NOT EXISTS feedback (
    message_sid TEXT PRIMARY KEY, account_sid TEXT NOT NULL, outcome TEXT NOT NULL,
    created REAL NOT NULL, updated REAL NOT NULL);
CREATE TABLE IF NOT EXISTS phone_numbers (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, sid TEXT NOT NULL UNIQUE, account_sid TEXT NOT NULL,
    phone_number TEXT NOT NULL, friendly_name TEXT NOT NULL, created REAL NOT NULL, updated REAL NOT NULL);
CREATE TABLE IF NOT EXISTS resources (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, list_path TEXT NOT NULL, sid TEXT NOT NULL,
    account_sid TEXT NOT NULL, data TEXT NOT NULL, UNIQUE (list_path, sid));
CREATE INDEX IF NOT EXISTS resources_by_list ON resources (list_path, account_sid, seq);
CREATE TABLE IF NOT EXISTS account_owners (sid TEXT PRIMARY KEY, owner_sid TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS webhook_jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, due REAL NOT NULL, kind TEXT NOT NULL, account_sid TEXT NOT NULL,
    resource_sid TEXT NOT NULL, event TEXT NOT NULL, url TEXT NOT NULL, method TEXT NOT NULL,
    params TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'pending', claimed REAL, result TEXT);
CREATE INDEX IF NOT EXISTS webhook_jobs_due ON webhook_jobs (state, due, id);
CREATE TABLE IF NOT EXISTS number_config (sid TEXT PRIMARY KEY, data TEXT NOT NULL);
"""

TABLES = (
    "counters",
    "accounts",
    "keys",
    "messages",
    "media",
    "feedback",
    "phone_numbers",
    "resources",  # spec-driven resources (sandbox/generic)
    "account_owners",  # subaccount → parent account
    "webhook_jobs",  # status callbacks and TwiML fetches waiting for the webhook worker (sandbox/outbox)
    "number_config",  # IncomingPhoneNumbers' SmsUrl/VoiceUrl… (sandbox/phone_numbers)
)

WELCOME_FROM = "+14155550100"
WELCOME_BODY = "Welcome to the twibench sandbox! This MMS came with a picture: list its media."
WELCOME_MEDIA_URL = "https://demo.twilio.com/owl.png"


class RowLike(Protocol):
    """A stored record read by column name (`sqlite3.Row`, or a dict for records never stored)."""

    def __getitem__(self, key: str, /) -> Any:
        """The value of a column."""
        ...


class DamagedStateError(TwibenchError):
    """The state file is damaged or not a database; `twibench sandbox --reset` moves it aside."""

    def __init__(self, path: Path, problem: BaseException) -> None:
        self.path = path
        super().__init__(
            f"the sandbox state {path} is damaged ({problem}); run `twibench sandbox --reset` to move it aside "
            "and start with a fresh sandbox"
        )


class Store:
    """An open sandbox state file.

    Raises:
        DamagedStateError: the file is damaged or is not a database (a lock or a full disk raises as is).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not path.exists():
            # Create it private before SQLite does (its WAL and shm files copy these permissions).
            with contextlib.suppress(FileExistsError):
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            self._prepare(path)
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            if is_damaged(exc):
                raise DamagedStateError(path, exc) from None
            raise

    def _prepare(self, path: Path) -> None:
        self.conn.row_factory = sqlite3.Row
        self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        with self.write() as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, SCHEMA_VERSION):
                raise RuntimeError(
                    f"{path}: sandbox state has schema version {version}, this twibench knows "
                    f"{SCHEMA_VERSION}; run `twibench sandbox --reset`"
                )
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            seed(conn)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that takes the database's write lock up front (BEGIN IMMEDIATE).

        Taking the lock first means two processes never both read-then-write on stale data, and a
        busy database is waited for (busy_timeout) rather than failing halfway.
        """
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def reset(self) -> None:
        """Empty every table, then seed the initial resources again.

        Raises:
            DamagedStateError: the file turned out to be damaged (the caller may move it aside).
        """
        try:
            with self.write() as conn:
                for table in TABLES:
                    conn.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed table names)
                conn.execute("DELETE FROM sqlite_sequence")
                seed(conn)
        except sqlite3.DatabaseError as exc:
            if is_damaged(exc):
                raise DamagedStateError(self.path, exc) from None
            raise


def next_counter(conn: sqlite3.Connection, name: str) -> int:
    """Increment and return a named counter (call inside a write transaction)."""
    row = conn.execute("UPDATE counters SET value = value + 1 WHERE name = ? RETURNING value", (name,)).fetchone()
    if row is not None:
        return int(row[0])
    conn.execute("INSERT INTO counters (name, value) VALUES (?, 1)", (name,))
    return 1


def seed(conn: sqlite3.Connection) -> None:
    """Create the resources every sandbox has (idempotent: existing rows are left alone).

    The seed is restored at every start, so documented SIDs (the welcome MMS and its media) keep
    working for collections even after someone deleted them in an earlier session.
    """
    t = SEED_EPOCH
    conn.execute(
        "INSERT OR IGNORE INTO accounts (sid, friendly_name, status, type, auth_token, created, updated)"
        " VALUES (?, ?, 'active', 'Full', ?, ?, ?)",
        (cred.ACCOUNT_SID, "twibench sandbox", cred.AUTH_TOKEN, t, t),
    )
    conn.execute(
        "INSERT OR IGNORE INTO phone_numbers (sid, account_sid, phone_number, friendly_name, created, updated)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (cred.PHONE_NUMBER_SID, cred.ACCOUNT_SID, cred.PHONE_NUMBER, "(500) 555-0006", t, t),
    )
    conn.execute(
        "INSERT OR IGNORE INTO messages (sid, account_sid, to_number, from_number, messaging_service_sid,"
        " body, direction, state, num_segments, num_media, created, updated, start, delivery, sent_at, price)"
        " VALUES (?, ?, ?, ?, NULL, ?, 'inbound', 'received', 1, 1, ?, ?, ?, 0, ?, '-0.01000')",
        (cred.WELCOME_MESSAGE_SID, cred.ACCOUNT_SID, cred.PHONE_NUMBER, WELCOME_FROM, WELCOME_BODY, t, t, t, t),
    )
    conn.execute(
        "INSERT OR IGNORE INTO media (sid, account_sid, message_sid, content_type, source_url, created)"
        " VALUES (?, ?, ?, 'image/png', ?, ?)",
        (cred.WELCOME_MEDIA_SID, cred.ACCOUNT_SID, cred.WELCOME_MESSAGE_SID, WELCOME_MEDIA_URL, t),
    )
