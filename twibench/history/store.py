"""`HistoryStore`: record exchanges (redacted), list and search them, prune the oldest.

Several processes (the TUI, `send`, `run`) may write at once: every write is one short
`BEGIN IMMEDIATE` transaction that waits for the others (busy timeout), so a row, its bodies, its
search entry and the running totals always appear together or not at all, even if the process is
killed mid-write. Retention runs inside the same transaction and touches only the rows it removes.
"""

from __future__ import annotations

import builtins
import contextlib
import functools
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar, cast

import twibench.history.schema as schema
from twibench.dbfiles import is_damaged
from twibench.exchange import Exchange
from twibench.history.entry import ENTRY_COLUMNS, Entry, StoredRow, search_text
from twibench.history.query import Filter, compile_filter, parse_filter
from twibench.redact import Redactor
from twibench.settings import HistorySettings

_DEFAULTS = HistorySettings()
_INSERT_COLUMNS = (
    "uid", "time", "profile", "collection", "collection_file", "collection_stem", "request_id", "name",
    "run_id", "method", "url", "path", "status", "reason", "http_version", "duration_ms", "phases",
    "request_headers", "response_headers", "request_size", "response_size", "request_truncated",
    "response_truncated", "twilio_error", "error_kind", "error_message", "stored_bytes",
)  # fmt: skip
# SQL below is assembled from constant column names and `?` placeholders only; values are always bound.
_PLACEHOLDERS = ", ".join("?" * len(_INSERT_COLUMNS))
_INSERT = f"INSERT INTO exchanges ({', '.join(_INSERT_COLUMNS)}) VALUES ({_PLACEHOLDERS})"  # noqa: S608
_COLUMNS = ", ".join(f"e.{c}" for c in ENTRY_COLUMNS)
_SELECT = f"SELECT {_COLUMNS} FROM exchanges e"  # noqa: S608
# Retention reads the oldest rows in batches of this many, and prunes this far below the entry limit.
_PRUNE_BATCH = 200
_PRUNE_STEP = 50


_F = TypeVar("_F", bound=Callable[..., Any])


def _names_damage(method: _F) -> _F:
    """Turn SQLite's "database disk image is malformed" into a HistoryDamagedError naming the file and the cure."""

    @functools.wraps(method)
    def wrapper(self: HistoryStore, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            if is_damaged(exc):
                raise schema.HistoryDamagedError(self.path, exc) from None
            raise

    return cast("_F", wrapper)


def _index_row(conn: sqlite3.Connection, rowid: int, text: str) -> None:
    conn.execute("INSERT INTO search (rowid, text) VALUES (?, ?)", (rowid, text))


def backfill_search(conn: sqlite3.Connection) -> None:
    """Index every existing row (the schema 1 → 2 migration)."""
    rows = conn.execute(
        "SELECT e.id, e.path, e.name, e.collection, e.request_id, b.request, b.response "
        "FROM exchanges e LEFT JOIN bodies b ON b.id = e.id"
    )
    for rowid, path, name, collection, request_id, req_body, resp_body in rows.fetchall():
        _index_row(conn, rowid, search_text(path, name, collection, request_id, req_body, resp_body))


class HistoryStore:
    """The request history in one SQLite file (see the module docstring).

    Args:
        path: the database file (created 0600 with its -wal/-shm if missing).
        max_entries: keep at most this many entries (the newest is always kept).
        max_bytes: keep the stored bodies under this many bytes (the newest is always kept).
        body_cap: store at most this many bytes of each body, marking it truncated.
        timeout: seconds a write waits for another process's transaction.

    Raises:
        HistoryError: the file is from a newer twibench or is not a history database.
    """

    def __init__(
        self,
        path: Path,
        *,
        max_entries: int = _DEFAULTS.max_entries,
        max_bytes: int = _DEFAULTS.max_bytes,
        body_cap: int = _DEFAULTS.body_cap,
        timeout: float = schema.BUSY_TIMEOUT_S,
    ) -> None:
        self.path = Path(path)
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.body_cap = body_cap
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = schema.connect(self.path, backfill_search, timeout)

    @classmethod
    def from_settings(cls, path: Path, settings: HistorySettings) -> HistoryStore:
        """Open with the retention and body cap of `config.yaml`'s `history:` section."""
        return cls(path, max_entries=settings.max_entries, max_bytes=settings.max_bytes, body_cap=settings.body_cap)

    # --- lifecycle ---------------------------------------------------------------------------------

    @property
    def conn(self) -> sqlite3.Connection:
        """The open connection (raises once closed)."""
        if self._conn is None:
            raise sqlite3.ProgrammingError(f"history store {self.path} is closed")
        return self._conn

    def close(self) -> None:
        """Close the connection (the last one out folds the WAL back into the database)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One immediate write transaction: taken at once (or waited for), committed or rolled back whole."""
        with self._lock:
            conn = self.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    # --- writing -----------------------------------------------------------------------------------

    def record(
        self,
        exchange: Exchange,
        redactor: Redactor,
        *,
        run_id: str | None = None,
        collection_file: str | Path | None = None,
    ) -> int:
        """Redact and store one exchange; returns its history id. The one call every sender uses.

        Args:
            exchange: what was sent and received (raw; redacted here before anything is written).
            redactor: knows the secrets of every loaded profile and captured secret.
            run_id: the `twibench run` that sent it, if any.
            collection_file: the collection file it came from (answers `collection:STEM`).
        """
        return self.record_many([exchange], redactor, run_id=run_id, collection_file=collection_file)[0]

    @_names_damage
    def record_many(
        self,
        exchanges: Iterable[Exchange],
        redactor: Redactor,
        *,
        run_id: str | None = None,
        collection_file: str | Path | None = None,
    ) -> list[int]:
        """Store several exchanges in one transaction (imports, bulk loads); same redaction as `record`."""
        rows = [
            StoredRow.build(ex, redactor, self.body_cap, run_id=run_id, collection_file=collection_file)
            for ex in exchanges
        ]
        ids: list[int] = []
        with self._write() as conn:
            for row in rows:
                cursor = conn.execute(_INSERT, [row.values[c] for c in _INSERT_COLUMNS])
                rowid = int(cursor.lastrowid or 0)
                conn.execute(
                    "INSERT INTO bodies (id, request, response) VALUES (?, ?, ?)",
                    (rowid, row.request_body, row.response_body),
                )
                _index_row(conn, rowid, row.search_text())
                ids.append(rowid)
            if ids:
                self._prune(conn, keep_from=ids[-1])
        return ids

    def _prune(self, conn: sqlite3.Connection, keep_from: int) -> None:
        """Remove the oldest entries until both limits hold; never the entry with id `keep_from`.

        Once over a limit, it goes on a little below it (up to _PRUNE_STEP entries, at most 1% of
        the limit): deleting neighbouring old rows together touches fewer pages, and the next
        _PRUNE_STEP inserts then skip pruning altogether, so pruning stays out of the typical insert.
        """
        entries, size = conn.execute("SELECT entries, bytes FROM totals WHERE one = 1").fetchone()
        hard_entries, hard_bytes = max(self.max_entries, 1), self.max_bytes
        if entries <= hard_entries and size <= hard_bytes:
            return
        soft_entries = hard_entries - min(_PRUNE_STEP, hard_entries // 100)
        soft_bytes = hard_bytes - hard_bytes // 100
        removed = 0
        while True:
            rows = conn.execute(
                "SELECT id, stored_bytes FROM exchanges WHERE id < ? ORDER BY id LIMIT ?", (keep_from, _PRUNE_BATCH)
            ).fetchall()
            doomed: list[int] = []
            for rowid, stored in rows:
                over_hard = entries > hard_entries or size > hard_bytes
                over_soft = entries > soft_entries or size > soft_bytes
                if not (over_hard or (over_soft and removed < _PRUNE_STEP)):
                    break
                doomed.append(rowid)
                entries, size, removed = entries - 1, size - stored, removed + 1
            self._delete_ids(conn, doomed)
            if len(doomed) < _PRUNE_BATCH:
                return

    @staticmethod
    def _delete_ids(conn: sqlite3.Connection, ids: list[int]) -> None:
        """Delete rows, their bodies (trigger) and their search entries (given the text they were indexed with)."""
        for rowid in ids:
            found = conn.execute(
                "SELECT e.path, e.name, e.collection, e.request_id, b.request, b.response "
                "FROM exchanges e LEFT JOIN bodies b ON b.id = e.id WHERE e.id = ?",
                (rowid,),
            ).fetchone()
            if found is None:
                continue
            conn.execute(
                "INSERT INTO search (search, rowid, text) VALUES ('delete', ?, ?)", (rowid, search_text(*found))
            )
            conn.execute("DELETE FROM exchanges WHERE id = ?", (rowid,))

    @_names_damage
    def delete(self, entry_id: int) -> bool:
        """Delete one entry; False when there was none with that id."""
        with self._write() as conn:
            exists = conn.execute("SELECT 1 FROM exchanges WHERE id = ?", (entry_id,)).fetchone() is not None
            if exists:
                self._delete_ids(conn, [entry_id])
        return exists

    @_names_damage
    def clear(self) -> int:
        """Delete every entry, overwriting the freed pages with zeros, then compact the file; returns how many.

        Compaction needs a moment without other writers; when another twibench keeps writing it is
        skipped (the entries are gone and their pages zeroed either way) and the file shrinks later.
        """
        with self._lock:
            self.conn.execute("PRAGMA secure_delete = ON")
            try:
                with self._write() as conn:
                    removed = int(conn.execute("SELECT entries FROM totals WHERE one = 1").fetchone()[0])
                    conn.execute("INSERT INTO search (search) VALUES ('delete-all')")
                    conn.execute("DELETE FROM bodies")
                    conn.execute("DELETE FROM exchanges")
                    conn.execute("UPDATE totals SET entries = 0, bytes = 0 WHERE one = 1")
            finally:
                self.conn.execute("PRAGMA secure_delete = OFF")
            with contextlib.suppress(sqlite3.OperationalError):
                self.conn.execute("VACUUM")
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return removed

    # --- reading -----------------------------------------------------------------------------------

    @_names_damage
    def list(
        self,
        limit: int = 200,
        offset: int = 0,
        filter: str | Filter | None = None,
        *,
        before: int | None = None,
    ) -> list[Entry]:
        """Entries newest first, without bodies.

        Args:
            limit: at most this many.
            offset: skip this many matching entries first (offset paging).
            filter: the filter language (see `twibench.history.query`) or a parsed Filter.
            before: only entries with a smaller id (keyset paging: pass the last id of the previous page).

        Raises:
            FilterError: a token value that cannot mean anything.
        """
        flt = filter if isinstance(filter, Filter) else parse_filter(filter)
        query = compile_filter(flt)
        where, params = query.where, query.params
        if before is not None:
            where += " AND e.id < ?"
            params.append(before)
        order = f"ORDER BY {query.order_key} DESC LIMIT ? OFFSET ?"
        sql = f"SELECT {_COLUMNS} FROM {query.source} WHERE {where} {order}"  # noqa: S608 (fixed fragments)
        with self._lock:
            rows = self.conn.execute(sql, [*params, max(0, limit), max(0, offset)]).fetchall()
        return [Entry.from_row(row) for row in rows]

    @_names_damage
    def get(self, entry_id: int) -> Entry | None:
        """One entry with its bodies, or None."""
        with self._lock:
            row = self.conn.execute(f"{_SELECT} WHERE e.id = ?", (entry_id,)).fetchone()
            if row is None:
                return None
            bodies = self.conn.execute("SELECT request, response FROM bodies WHERE id = ?", (entry_id,)).fetchone()
        return Entry.from_row(row, bodies if bodies is not None else (b"", None))

    @_names_damage
    def answered(
        self,
        method: str,
        *,
        request: tuple[str, str] | None = None,
        path_like: str | None = None,
        before: int | None = None,
        limit: int = 50,
    ) -> builtins.list[Entry]:
        """Entries with a response, sent with `method`, newest first, without bodies: those of one
        collection request (`request` = (collection name, request id)) or whose path is LIKE `path_like`
        (a pattern with `\\` as its escape). The candidates for "the previous response of this request".
        """
        where: builtins.list[str] = ["e.status IS NOT NULL", "e.method = ?"]
        params: builtins.list[object] = [method.upper()]
        if request is not None:
            where.append("e.collection = ? AND e.request_id = ?")
            params += list(request)
        if path_like is not None:
            where.append("e.path LIKE ? ESCAPE '\\'")
            params.append(path_like)
        if before is not None:
            where.append("e.id < ?")
            params.append(before)
        sql = f"{_SELECT} WHERE {' AND '.join(where)} ORDER BY e.id DESC LIMIT ?"
        with self._lock:
            rows = self.conn.execute(sql, [*params, max(0, limit)]).fetchall()
        return [Entry.from_row(row) for row in rows]

    @_names_damage
    def count(self, filter: str | Filter | None = None) -> int:
        """How many entries (matching `filter`); without a filter it reads the running total."""
        flt = filter if isinstance(filter, Filter) else parse_filter(filter)
        with self._lock:
            if flt.empty:
                return int(self.conn.execute("SELECT entries FROM totals WHERE one = 1").fetchone()[0])
            query = compile_filter(flt)
            sql = f"SELECT COUNT(*) FROM {query.source} WHERE {query.where}"  # noqa: S608 (fixed fragments)
            return int(self.conn.execute(sql, query.params).fetchone()[0])

    @_names_damage
    def stored_bytes(self) -> int:
        """The bodies' bytes counted against `history.max_bytes`."""
        with self._lock:
            return int(self.conn.execute("SELECT bytes FROM totals WHERE one = 1").fetchone()[0])

    def check(self) -> builtins.list[str]:
        """Problems found by SQLite's integrity check and the store's own invariants ([] when sound)."""
        problems: builtins.list[str] = []
        # One immediate transaction: the counts compared below come from the same moment even while
        # other processes write, and the full-text check (a command written as an INSERT) may write.
        with self._write() as conn:
            result: list[Any] = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
            if result != ["ok"]:
                problems.extend(str(r) for r in result)
            entries, size = conn.execute("SELECT entries, bytes FROM totals WHERE one = 1").fetchone()
            actual, actual_size = conn.execute(
                "SELECT COUNT(*), COALESCE(SUM(stored_bytes), 0) FROM exchanges"
            ).fetchone()
            if (entries, size) != (actual, actual_size):
                problems.append(f"totals say {entries} entries/{size} bytes, the table has {actual}/{actual_size}")
            orphans = conn.execute(
                "SELECT COUNT(*) FROM exchanges e LEFT JOIN bodies b ON b.id = e.id WHERE b.id IS NULL"
            ).fetchone()[0]
            strays = conn.execute(
                "SELECT COUNT(*) FROM bodies b LEFT JOIN exchanges e ON e.id = b.id WHERE e.id IS NULL"
            ).fetchone()[0]
            if orphans or strays:
                problems.append(f"{orphans} entries without bodies, {strays} bodies without an entry")
            try:
                conn.execute("INSERT INTO search (search) VALUES ('integrity-check')")
            except sqlite3.DatabaseError as exc:
                problems.append(f"full-text index: {exc}")
        return problems
