"""The inbox's record of every callback it received: one SQLite file (WAL, 0600), redacted before writing.

Each row keeps what arrived — method, full URL, headers, body — and the signature verdict, so the TUI's
Inbox pane and `twibench inbox` show the same thing. Several processes may read while the receiver
writes; every insert is one short transaction.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from twibench.redact import Redactor

SCHEMA = """
CREATE TABLE IF NOT EXISTS callbacks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time REAL NOT NULL,
    method TEXT NOT NULL,
    url TEXT NOT NULL,
    path TEXT NOT NULL,
    headers TEXT NOT NULL,
    body BLOB NOT NULL,
    body_size INTEGER NOT NULL,
    verdict TEXT NOT NULL,
    answer_status INTEGER NOT NULL
);
"""
MAX_STORED_BODY = 256 * 1024


@dataclass(frozen=True)
class Callback:
    """One request the inbox received (already redacted).

    Attributes:
        id: the row id, increasing.
        time: when it arrived (Unix seconds).
        method: the HTTP method.
        url: the full URL as the sender saw it (the public URL when one is configured).
        path: the path and query as received.
        headers: the request headers, in order.
        body: the body (cut at MAX_STORED_BODY).
        body_size: the body's size as received.
        verdict: the `X-Twilio-Signature` check: "valid", "invalid" or "unsigned".
        answer_status: the HTTP status the inbox answered with.
    """

    id: int
    time: float
    method: str
    url: str
    path: str
    headers: list[tuple[str, str]]
    body: bytes
    body_size: int
    verdict: str
    answer_status: int

    def form(self) -> list[tuple[str, str]]:
        """The body's form parameters (empty when it is not a form)."""
        from urllib.parse import parse_qsl

        content_type = next((v for k, v in self.headers if k.lower() == "content-type"), "")
        if "x-www-form-urlencoded" not in content_type.lower():
            return []
        return parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True)


class InboxStore:
    """The callbacks table in one SQLite file (see the module docstring)."""

    def __init__(self, path: Path, redactor: Redactor | None = None) -> None:
        self.path = path
        self._redactor = redactor or Redactor()
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.touch(mode=0o600)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(path, check_same_thread=False, timeout=10, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(SCHEMA)

    def add(
        self,
        method: str,
        url: str,
        path: str,
        headers: list[tuple[str, str]],
        body: bytes,
        verdict: str,
        answer_status: int,
    ) -> Callback:
        """Record one request, redacted; returns it as stored."""
        red = self._redactor
        callback = Callback(
            id=0,
            time=time.time(),
            method=method,
            url=red.text(url),
            path=red.text(path),
            headers=red.headers(headers),
            body=red.body(body[:MAX_STORED_BODY]),
            body_size=len(body),
            verdict=verdict,
            answer_status=answer_status,
        )
        row = (
            callback.time, callback.method, callback.url, callback.path, json.dumps(callback.headers),
            callback.body, callback.body_size, callback.verdict, callback.answer_status,
        )  # fmt: skip
        with self._lock:
            cur = self._conn.execute(
                "INSERT INTO callbacks (time, method, url, path, headers, body, body_size, verdict, answer_status)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
        return dataclasses.replace(callback, id=int(cur.lastrowid or 0))

    def since(self, after_id: int = 0, limit: int = 500) -> list[Callback]:
        """The callbacks with an id above `after_id`, oldest first (for a pane that follows new ones)."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, time, method, url, path, headers, body, body_size, verdict, answer_status"
                " FROM callbacks WHERE id > ? ORDER BY id LIMIT ?",
                (after_id, limit),
            ).fetchall()
        return [
            Callback(r[0], r[1], r[2], r[3], r[4], [(k, v) for k, v in json.loads(r[5])], r[6], r[7], r[8], r[9])
            for r in rows
        ]

    def count(self) -> int:
        """How many callbacks are recorded."""
        with self._lock:
            return int(self._conn.execute("SELECT COUNT(*) FROM callbacks").fetchone()[0])

    def clear(self) -> int:
        """Forget every callback; returns how many there were."""
        with self._lock:
            return self._conn.execute("DELETE FROM callbacks").rowcount

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()
