"""The webhook worker: a background thread that sends the outbox's jobs when they come due.

It never runs on the server's event loop, so a slow or dead app never delays an API answer. It sleeps
until the next job is due on the sandbox clock (woken at once when this process writes a job, and
looking again at least every `POLL` seconds for jobs other processes wrote or a test clock that moved),
claims one job at a time in a write transaction (so two sandboxes on one state file never send the same
job), and runs jobs in (due, id) order, so a message's `sending` always comes before its `sent`.

It has its own SQLite connection (the server's belongs to the event loop). It starts with the sandbox
and whenever a job is written, and stops after `IDLE` seconds with nothing pending (the next job
written starts it again), so an idle sandbox keeps no thread polling. Jobs more than `STALE` seconds
overdue (a sandbox that was not running when they came due) are dropped: Twilio never sends a
callback that late.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from typing import Any

import httpx

from twibench.sandbox import alerts, outbox
from twibench.sandbox.clock import Clock
from twibench.sandbox.config import SandboxConfig
from twibench.sandbox.sids import SidFactory

POLL = 0.05
IDLE = 2.0
STALE = 600.0


class Dispatcher:
    """Sends one sandbox's webhooks (see the module docstring)."""

    def __init__(self, config: SandboxConfig, clock: Clock) -> None:
        self.config = config
        self.clock = clock
        self.sids = SidFactory(deterministic=config.deterministic)
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.sent = 0
        """Jobs run since the worker started (tests and figures wait on it)."""

    def kick(self) -> None:
        """A job was written (or a request came in): make sure the worker runs, and look now."""
        with self._lock:
            if self._stop.is_set():
                return
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="twibench-sandbox-webhooks", daemon=True)
                self._thread.start()
        self._wake.set()

    def drain(self, timeout: float = 2.0) -> None:
        """Wait (at most `timeout` seconds) until every job already due has been sent: a process about to
        exit (`twibench run`, `send`) hands over the callbacks its requests caused before it goes."""
        import time

        if self._thread is None or not self._thread.is_alive():
            return
        deadline = time.monotonic() + timeout
        conn = sqlite3.connect(self.config.db_path, timeout=timeout)
        try:
            while time.monotonic() < deadline:
                due = conn.execute(
                    "SELECT 1 FROM webhook_jobs WHERE state IN ('pending', 'running') AND due <= ? LIMIT 1",
                    (self.clock.now(),),
                ).fetchone()
                if due is None:
                    return
                self._wake.set()
                time.sleep(0.01)
        except sqlite3.Error:
            return
        finally:
            conn.close()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the worker (the job in flight finishes first)."""
        self._stop.set()
        self._wake.set()
        thread = self._thread
        if thread is not None and thread.is_alive():
            thread.join(timeout)

    def _run(self) -> None:
        from twibench.sandbox.store import Store

        try:
            store = Store(self.config.db_path)
        except Exception:  # the state file went away (a finished test): nothing to send
            return
        idle = 0.0
        try:
            with httpx.Client(follow_redirects=False, trust_env=False) as client:
                while not self._stop.is_set():
                    now = self.clock.now()
                    job = self._claim(store.conn, now)
                    if job is not None:
                        idle = 0.0
                        self._execute(store, client, job)
                        continue
                    wait = self._wait(store.conn, now)
                    idle = idle + wait if wait >= POLL and self._nothing_pending(store.conn) else 0.0
                    if idle >= IDLE:
                        return
                    self._wake.wait(wait)
                    self._wake.clear()
        except sqlite3.Error:
            return  # the state file was closed or removed under us; the next kick starts afresh
        finally:
            with contextlib.suppress(sqlite3.Error):
                store.close()

    def _claim(self, conn: sqlite3.Connection, now: float) -> sqlite3.Row | None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                "UPDATE webhook_jobs SET state = 'expired' WHERE state = 'pending' AND due < ?", (now - STALE,)
            )
            row: sqlite3.Row | None = conn.execute(
                "UPDATE webhook_jobs SET state = 'running', claimed = ? WHERE id = ("
                " SELECT id FROM webhook_jobs WHERE state = 'pending' AND due <= ? ORDER BY due, id LIMIT 1)"
                " RETURNING *",
                (now, now),
            ).fetchone()
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return row

    def _wait(self, conn: sqlite3.Connection, now: float) -> float:
        """Seconds to sleep: until the next due job, at most POLL (other writers, a moving test clock)."""
        row = conn.execute("SELECT MIN(due) FROM webhook_jobs WHERE state = 'pending'").fetchone()
        if row is None or row[0] is None:
            return POLL
        return max(0.0, min(POLL, float(row[0]) - now))

    def _nothing_pending(self, conn: sqlite3.Connection) -> bool:
        return conn.execute("SELECT 1 FROM webhook_jobs WHERE state = 'pending' LIMIT 1").fetchone() is None

    def _execute(self, store: Any, client: httpx.Client, job: sqlite3.Row) -> None:
        from twibench.sandbox import call_twiml, delivery

        try:
            if job["kind"] == outbox.CALL_ANSWER:
                result = call_twiml.answer(store, client, self, job)
            else:
                result = delivery.send_job(store, client, self, job)
        except Exception as exc:  # one broken job never stops the worker
            result = {"error": f"the sandbox could not run this job: {type(exc).__name__}"}
        with store.write() as conn:
            conn.execute(
                "UPDATE webhook_jobs SET state = 'done', result = ? WHERE id = ?", (json.dumps(result), job["id"])
            )
        self.sent += 1

    def alert(self, store: Any, job: sqlite3.Row, code: int, message: str, url: str, **extra: str) -> None:
        """Record a Monitor alert for a failed webhook of `job`."""
        with store.write() as conn:
            alerts.record(
                conn, self.sids, account=job["account_sid"], code=code, message=message, url=url,
                method=job["method"] or "POST", resource_sid=job["resource_sid"], now=self.clock.now(), **extra,
            )  # fmt: skip
