"""Several processes write the history at once, and any of them may be killed mid-write.

Writers are real processes sharing one database file. After every SIGKILL the database must open,
pass SQLite's integrity check and the store's own invariants (totals, one body per row, the full-text
index), and every row must be whole: its stored body is exactly what its writer meant to store.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from twibench.history import HistoryStore

WRITER = r"""
import os, sys
from pathlib import Path
from twibench.exchange import Exchange, Response, SentRequest, Timings
from twibench.history import HistoryStore
from twibench.redact import Redactor


def write(db, tag, count, max_entries):
    store = HistoryStore(Path(db), max_entries=max_entries)
    redactor = Redactor([("AC0123456789abcdef0123456789abcdef", "crash-test-secret-value")])
    os.write(1, f"ready {os.getpid()}\n".encode())  # one write: forked siblings share this pipe
    i = 0
    while count < 0 or i < count:
        body = ('{"tag": "%s", "seq": %d, "pad": "%s"}' % (tag, i, "m" * (500 + (i * 397) % 4000))).encode()
        exchange = Exchange(
            request=SentRequest("POST", "http://127.0.0.1:9/x/Messages.json", "/x/Messages.json",
                                [("Authorization", "Basic c2VjcmV0")], b"To=%2B15558675310&Body=crash+test"),
            response=Response(201, "Created", [("Content-Type", "application/json")], body),
            timings=Timings(total_ms=1.0), profile="sandbox", name=f"{tag}-{i}",
        )
        store.record(exchange, redactor)
        i += 1
    store.close()


if sys.argv[1] == "serve":
    # A pre-imported parent that forks one writer per line on stdin, so each kill costs a fork,
    # not an interpreter start. It never opens the database itself; killed children are reaped at once.
    import signal
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    for line in sys.stdin:
        db, tag, count, max_entries = line.split()
        if os.fork() == 0:
            write(db, tag, int(count), int(max_entries))
            os._exit(0)
else:
    write(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
"""
_ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}


def start_writers(db: Path, tags: list[str], count: int) -> list[subprocess.Popen[str]]:
    """Independent writer processes, returned once each has opened the store and is about to write."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), tag, str(count), "100000"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_ENV,
        )
        for tag in tags
    ]
    for proc in procs:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("ready"), proc.stderr.read() if proc.stderr else line
    return procs


class Forker:
    """Starts writer processes by forking a pre-imported server process (see WRITER)."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, "serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=_ENV,
        )
        self.pids: list[int] = []

    def spawn(self, db: Path, tags: list[str], max_entries: int) -> list[int]:
        """Fork one endless writer per tag; return their pids once all are writing."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        for tag in tags:
            self.proc.stdin.write(f"{db} {tag} -1 {max_entries}\n")
        self.proc.stdin.flush()
        pids = []
        for _ in tags:
            word, pid = self.proc.stdout.readline().split()
            assert word == "ready"
            pids.append(int(pid))
        self.pids.extend(pids)
        return pids

    def close(self) -> None:
        """Stop the server and any writer a failed test left running (they would write forever)."""
        for pid in self.pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def kill_and_wait(pid: int) -> None:
    """SIGKILL a writer and wait until it is gone."""
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.002)
    raise AssertionError(f"writer {pid} survived SIGKILL")


def assert_whole(db: Path) -> int:
    """Open the database as a user would next time, check it, and check every row; return the row count."""
    with HistoryStore(db) as store:
        assert store.check() == []
        store.conn.execute("BEGIN")  # one snapshot for the reads below while other writers go on
        try:
            entries = store.list(limit=1_000_000)
            for listed in entries:
                entry = store.get(listed.id)
                assert entry is not None and entry.response_body is not None
                tag, seq = entry.name.rsplit("-", 1) if entry.name else ("", "")
                body = json.loads(entry.response_body)
                assert (body["tag"], body["seq"]) == (tag, int(seq))
                assert len(body["pad"]) == 500 + (int(seq) * 397) % 4000
                assert entry.request_body == b"To=%2B15558675310&Body=crash+test"
            assert store.count() == len(entries)
        finally:
            store.conn.execute("COMMIT")
        return len(entries)


def test_sigkill_at_random_moments_never_damages_the_database(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    rng = random.Random(20240501)
    forker = Forker()
    kills = 0
    try:
        for batch in range(8):
            pids = forker.spawn(db, [f"b{batch}w{lane}" for lane in range(4)], max_entries=60)
            started = time.monotonic()
            for pid, delay in zip(pids, sorted(rng.uniform(0.02, 0.15) for _ in pids), strict=True):
                time.sleep(max(0.0, started + delay - time.monotonic()))
                kill_and_wait(pid)
                kills += 1
                assert_whole(db)
    finally:
        forker.close()
    assert kills >= 30
    assert 0 < assert_whole(db) <= 60, "retention kept working across the kills"


def test_two_processes_each_write_500(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    HistoryStore(db).close()  # created up front, so both writers find the schema ready
    writers = start_writers(db, ["left", "right"], count=500)
    for proc in writers:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    assert assert_whole(db) == 1000
    with HistoryStore(db) as store:
        names = {e.name for e in store.list(limit=2000)}
    assert names == {f"{tag}-{i}" for tag in ("left", "right") for i in range(500)}
