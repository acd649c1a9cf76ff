"""The one `Recorder`: sync and on its writer thread, one failure behaviour, and bodies capped before redaction."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from tests.history.test_history_store import make_exchange
from twibench.history import HistoryStore, Recorder
from twibench.history.entry import CAP_MARGIN, redact_capped
from twibench.redact import MASK, Redactor
from twibench.settings import HistorySettings

SECRET = "s3cr3t-" + "x" * 25


def test_record_writes_redacted_and_returns_the_id(tmp_path: Path) -> None:
    with Recorder(tmp_path / "h.sqlite3") as recorder:
        entry_id = recorder.record(make_exchange(body=f'{{"echo": "{SECRET}"}}'.encode()), Redactor(secrets=[SECRET]))
        assert entry_id is not None
        entry = recorder.store().get(entry_id)
    assert entry is not None and entry.response_body is not None
    assert SECRET.encode() not in entry.response_body and MASK.encode() in entry.response_body


def test_the_first_problem_is_reported_once_and_stops_recording(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    db.write_bytes(b"not a database " * 100)
    seen: list[str] = []
    with Recorder(db, on_problem=seen.append, lead="history recording stopped for this run") as recorder:
        assert recorder.record(make_exchange(), Redactor()) is None
        db.unlink()  # even once the file is gone, the recorder does not try again
        assert recorder.record(make_exchange(), Redactor()) is None
    assert len(seen) == 1 and seen[0].startswith("history recording stopped for this run: ")
    assert recorder.problem == seen[0]
    assert not db.exists()


def test_a_store_given_to_the_recorder_stays_open(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "h.sqlite3") as store:
        with Recorder(store=store) as recorder:
            assert recorder.record(make_exchange(), Redactor()) is not None
        assert store.count() == 1  # still open after the recorder closed


async def test_submit_writes_in_order_on_one_background_thread(tmp_path: Path) -> None:
    threads: set[str] = set()

    class Spy(Redactor):
        def body(self, data: bytes, content_type: str | None = None) -> bytes:
            threads.add(threading.current_thread().name)
            return super().body(data, content_type)

    recorder = Recorder(tmp_path / "h.sqlite3", HistorySettings())
    futures = [recorder.submit(make_exchange(name=f"n{i}"), Spy()) for i in range(5)]
    assert recorder.pending == 5
    await recorder.drain()
    assert recorder.pending == 0
    ids = [f.result() for f in futures]
    assert ids == sorted(ids) and None not in ids
    assert threads and all(name.startswith("twibench-history") for name in threads)
    assert threading.current_thread().name not in threads
    await recorder.aclose()
    assert await asyncio.sleep(0, "closed") == "closed"


class Counting(Redactor):
    """Remembers how many bytes each `body` call was given."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.sizes: list[int] = []

    def body(self, data: bytes, content_type: str | None = None) -> bytes:
        self.sizes.append(len(data))
        return super().body(data, content_type)


def test_a_large_body_is_capped_before_it_is_redacted() -> None:
    cap = 100_000
    body = b'{"a": "' + b"y" * 5_000_000 + b'"}'
    redactor = Counting(secrets=[SECRET])
    stored, truncated = redact_capped(body, redactor, cap)
    assert truncated and len(stored) <= cap
    assert max(redactor.sizes) <= cap + CAP_MARGIN, "the redactor never saw the whole body"


@pytest.mark.parametrize("offset", [-len(SECRET) + 1, -len(SECRET) // 2, -1, 0])
def test_a_secret_cut_by_the_cap_leaves_no_part_of_itself(offset: int) -> None:
    cap = 1000
    start = cap + offset
    body = b"a" * start + SECRET.encode() + b"b" * 5000
    stored, truncated = redact_capped(body, Redactor(secrets=[SECRET]), cap)
    assert truncated and len(stored) <= cap
    for size in range(8, len(SECRET) + 1):  # no piece of the secret long enough to mean something survives
        assert SECRET[:size].encode() not in stored


def test_a_secret_json_field_at_the_cut_is_masked_whole() -> None:
    cap = 1000
    body = b'{"pad": "' + b"p" * (cap - 37) + b'", "auth_token": "' + b"t" * 32 + b'", "more": "' + b"m" * 5000 + b'"}'
    assert body.index(b"t" * 32) == cap - 10  # a plain cut would keep 10 characters of the token
    stored, _ = redact_capped(body, Redactor(), cap)
    assert b"tttttttt" not in stored and stored.endswith("•".encode())  # the mask itself is cut


def test_utf8_is_cut_on_a_character_boundary_and_binary_is_masked_bytewise() -> None:
    text = ("é" * 2000).encode()
    stored, truncated = redact_capped(text, Redactor(), 1001)
    assert truncated and stored == ("é" * 500).encode()
    blob = b"\xff\xfe" + SECRET.encode() + bytes(range(256)) * 50
    stored, truncated = redact_capped(blob, Redactor(secrets=[SECRET]), 1000)
    assert truncated and len(stored) <= 1000 and SECRET.encode() not in stored and MASK.encode() in stored


def test_the_store_gives_the_redactor_only_the_capped_head(tmp_path: Path) -> None:
    cap = 50_000
    redactor = Counting()
    big = b"[" + b'"row", ' * 500_000 + b'"end"]'
    with HistoryStore(tmp_path / "h.sqlite3", body_cap=cap) as store:
        entry_id = store.record(make_exchange(body=big, method="POST", request_body=big), redactor)
        entry = store.get(entry_id)
    assert entry is not None and entry.response_truncated and entry.request_truncated
    assert max(redactor.sizes) <= cap + CAP_MARGIN
