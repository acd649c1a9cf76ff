"""The history store: private files, schema versions, filters, paging, retention, body caps, JSON shape."""

from __future__ import annotations

import json
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from twibench.exchange import Exchange, Response, SentRequest, Timings, TransportError
from twibench.exchange import to_json as exchange_to_json
from twibench.history import (
    CURRENT_VERSION,
    Entry,
    FilterError,
    HistoryError,
    HistoryStore,
    ReplayError,
    parse_filter,
    schema,
)
from twibench.redact import Redactor

AC = "AC0123456789abcdef0123456789abcdef"
MESSAGES = f"/2010-04-01/Accounts/{AC}/Messages.json"


def make_exchange(
    *,
    method: str = "GET",
    path: str = MESSAGES,
    status: int | None = 200,
    body: bytes = b'{"sid": "SM123", "status": "queued"}',
    request_body: bytes = b"",
    profile: str = "sandbox",
    collection: str | None = "Messages",
    name: str | None = "List messages",
    request_id: str | None = "list",
    base: str = "http://127.0.0.1:4010",
) -> Exchange:
    """A realistic exchange without a network (the store never looks at how it was obtained)."""
    sent = SentRequest(
        method=method,
        url=base + path,
        path=path,
        headers=[("Authorization", "Basic QUMwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZjpzZWNyZXQ=")],
        body=request_body,
    )
    response = None
    error = None
    if status is None:
        error = TransportError("refused", "127.0.0.1:4010 refused the connection (is the server running?)")
    else:
        response = Response(status=status, reason="OK", headers=[("Content-Type", "application/json")], body=body)
    return Exchange(
        request=sent,
        response=response,
        error=error,
        timings=Timings(total_ms=12.5, phases={"connect": 1.0, "wait": 10.0}),
        profile=profile,
        collection=collection,
        request_id=request_id,
        name=name,
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    opened = HistoryStore(tmp_path / "data" / "history.sqlite3")
    yield opened
    opened.close()


def ids(entries: list[Entry]) -> list[int]:
    return [e.id for e in entries]


def test_files_are_private_and_wal(tmp_path: Path) -> None:
    db = tmp_path / "data" / "history.sqlite3"
    with HistoryStore(db) as opened:
        opened.record(make_exchange(), Redactor())
        names = {p.name: stat.S_IMODE(p.stat().st_mode) for p in db.parent.iterdir()}
        assert names == {"history.sqlite3": 0o600, "history.sqlite3-wal": 0o600, "history.sqlite3-shm": 0o600}
        assert opened.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700


def test_existing_wide_file_is_tightened(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    sqlite3.connect(db).close()
    db.chmod(0o644)
    with HistoryStore(db):
        assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE future (x)")
    conn.execute(f"PRAGMA user_version = {CURRENT_VERSION + 1}")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    with pytest.raises(HistoryError) as caught:
        HistoryStore(db)
    message = str(caught.value)
    assert message == (
        f"{db} was written by a newer twibench (history schema {CURRENT_VERSION + 1}, this version reads up to "
        f"{CURRENT_VERSION}); upgrade twibench, or move the file away to start a new history"
    )
    assert "\n" not in message
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.sqlite3"]


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    db.write_text("hello, I am a text file and not a SQLite database at all" * 20)
    with pytest.raises(HistoryError, match="is not a twibench history database"):
        HistoryStore(db)


def _v1_row(conn: sqlite3.Connection, path: str, body: bytes, status: int) -> int:
    cursor = conn.execute(
        "INSERT INTO exchanges (uid, time, profile, collection, request_id, name, method, url, path, status, "
        "reason, http_version, duration_ms, phases, request_headers, response_headers, request_size, "
        "response_size, stored_bytes) VALUES (?, ?, 'live', 'Messages', 'fetch', 'Fetch', 'GET', ?, ?, ?, 'OK', "
        "'HTTP/1.1', 5.0, '{}', '[]', '[]', 0, ?, ?)",
        ("u1", "2024-01-01T00:00:00.000+00:00", "https://api.twilio.com" + path, path, status, len(body), len(body)),
    )
    rowid = int(cursor.lastrowid or 0)
    conn.execute("INSERT INTO bodies (id, request, response) VALUES (?, x'', ?)", (rowid, body))
    return rowid


def test_migration_from_the_first_schema(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("BEGIN")
    for statement in schema.SCHEMA_V1:
        conn.execute(statement)
    old = _v1_row(conn, MESSAGES, b'{"sid": "SMabcdef", "body": "kumquat delivery"}', 200)
    gone = _v1_row(conn, MESSAGES + "?PageSize=2", b'{"body": "persimmon"}', 404)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("COMMIT")
    conn.close()

    with HistoryStore(db) as opened:
        assert opened.conn.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION == 2
        assert opened.count() == 2
        entry = opened.get(old)
        assert entry is not None and entry.run_id is None and entry.collection_file is None
        assert entry.response_body == b'{"sid": "SMabcdef", "body": "kumquat delivery"}'
        # The full-text index was filled from the old rows.
        assert ids(opened.list(filter="kumquat")) == [old]
        assert ids(opened.list(filter="SMabc")) == [old]
        assert ids(opened.list(filter="status:404")) == [gone]
        # Old rows leave the index cleanly, and new rows use the new columns.
        assert opened.delete(gone)
        assert opened.list(filter="persimmon") == []
        new = opened.record(make_exchange(body=b'{"body": "persimmon"}'), Redactor(), run_id="run-7")
        assert ids(opened.list(filter="run:run-7")) == [new]
        assert ids(opened.list(filter="persimmon")) == [new]
        assert opened.check() == []
    with HistoryStore(db) as again:  # a second open finds nothing to migrate
        assert again.count() == 2


def test_list_is_newest_first_without_bodies_and_get_loads_them(store: HistoryStore) -> None:
    first = store.record(make_exchange(name="one"), Redactor())
    second = store.record(make_exchange(name="two", body=b'{"x": 2}'), Redactor())
    listed = store.list()
    assert ids(listed) == [second, first]
    assert listed[0].bodies_loaded is False and listed[0].response_body is None
    with pytest.raises(ValueError, match="bodies were not loaded"):
        listed[0].to_json(include_bodies=True)
    full = store.get(second)
    assert full is not None and full.bodies_loaded and full.response_body == b'{"x": 2}'
    assert store.get(9999) is None
    assert store.count() == 2


def test_paging_by_offset_and_by_id(store: HistoryStore) -> None:
    made = store.record_many([make_exchange(name=f"n{i}") for i in range(25)], Redactor())
    newest_first = made[::-1]
    assert ids(store.list(limit=10)) == newest_first[:10]
    assert ids(store.list(limit=10, offset=10)) == newest_first[10:20]
    assert ids(store.list(limit=10, before=newest_first[9])) == newest_first[10:20]
    assert ids(store.list(limit=10, offset=20)) == newest_first[20:]


def test_each_filter_token(store: HistoryStore) -> None:
    redactor = Redactor()
    ok = store.record(make_exchange(), redactor, collection_file="/tmp/cols/messages.yaml")
    created = store.record(
        make_exchange(method="POST", status=201, request_body=b"To=%2B15558675310&Body=Hello+there"),
        redactor,
        collection_file="/tmp/cols/messages.yaml",
    )
    missing = store.record(
        make_exchange(status=404, path=f"/2010-04-01/Accounts/{AC}/Messages/SMdeadbeef.json", name="Fetch one"),
        redactor,
    )
    bad = store.record(
        make_exchange(
            method="POST",
            status=400,
            body=b'{"code": 21211, "message": "bad To"}',
            profile="live-us",
            base="https://api.twilio.com",
        ),
        redactor,
        run_id="r1",
    )
    down = store.record(
        make_exchange(
            status=None, profile="eu", collection="Calls", name="List calls", base="https://api.ie1.twilio.com"
        ),
        redactor,
    )

    def matching(text: str) -> list[int]:
        return sorted(ids(store.list(filter=text)))

    assert matching("status:4xx") == [missing, bad]
    assert matching("status:404") == [missing]
    assert matching("status:2xx") == [ok, created]
    assert matching("status:error") == [down]
    assert matching("status:4xx status:2xx") == sorted([ok, created, missing, bad])
    assert matching("method:post") == [created, bad]
    assert matching("method:POST status:400") == [bad]
    assert matching("profile:live") == [bad, down]
    assert matching("profile:sandbox") == [ok, created, missing]
    assert matching("profile:LIVE-US") == [bad]
    assert matching("collection:messages") == [ok, created, missing, bad]
    assert matching("collection:Calls") == [down]
    assert matching("run:r1") == [bad]
    # Free text: the start of words in the URL, the name, the bodies (form bodies decoded too).
    assert matching("SMdeadbeef") == [missing]
    assert matching("smdeadbe") == [missing]
    assert matching("eadbeef") == [], "the middle of a word is not a word start"
    assert matching("fetch one") == [missing]
    assert matching('"Fetch one"') == [missing]
    assert matching("Hello") == [created]
    assert matching("+15558675310") == [created]
    assert matching("queued") == [ok, created, missing]
    assert matching("Messages/SMdead") == [missing]
    assert matching("Messages.json") == [ok, created, bad, down]
    assert matching("+") == [], "punctuation alone looks at path and name"
    assert matching("/SMdeadbeef.") == [missing]
    assert matching("queued method:POST") == [created]
    assert matching("nothing-like-this") == []
    assert store.count("status:4xx") == 2
    assert store.count("") == 5


@pytest.mark.parametrize("text", ["status:abc", "status:600", "method:P0ST"])
def test_bad_filter_values_are_one_sentence(text: str) -> None:
    with pytest.raises(FilterError, match=text.split(":")[0]) as caught:
        parse_filter(text)
    assert "\n" not in str(caught.value)


def test_unknown_token_is_free_text() -> None:
    parsed = parse_filter("statsu:404 Body:hi 'a b'")
    assert parsed.words == ("statsu:404", "Body:hi", "a b") and not parsed.statuses


def test_retention_by_count_prunes_oldest(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "h.sqlite3", max_entries=5) as small:
        made = [small.record(make_exchange(name=f"n{i}", body=b'{"word": "w%d"}' % i), Redactor()) for i in range(8)]
        assert ids(small.list()) == made[::-1][:5]
        assert small.count() == 5
        assert small.list(filter="w1") == []  # pruned rows left the search index too
        assert small.check() == []


def test_retention_prunes_a_step_below_the_limit_so_most_inserts_skip_it(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "h.sqlite3", max_entries=200) as store:
        made = store.record_many([make_exchange(name=f"n{i}") for i in range(200)], Redactor())
        assert store.count() == 200
        newest = store.record(make_exchange(), Redactor())
        assert store.count() == 198, "over the limit: pruned to 1% below it"
        assert ids(store.list(limit=1000))[-1] == made[3] and ids(store.list(limit=1))[0] == newest
        store.record_many([make_exchange(), make_exchange()], Redactor())
        assert store.count() == 200, "the next inserts fit without pruning"
        store.record(make_exchange(), Redactor())
        assert store.count() == 198
        assert store.check() == []


def test_retention_by_bytes_prunes_oldest_and_keeps_the_newest(tmp_path: Path) -> None:
    body = b'{"pad": "' + b"x" * 990 + b'"}'
    with HistoryStore(tmp_path / "h.sqlite3", max_bytes=3500) as small:
        made = [small.record(make_exchange(body=body), Redactor()) for _ in range(6)]
        assert ids(small.list()) == made[::-1][:3]
        assert small.stored_bytes() == 3 * len(body) <= 3500
        bigger = small.record(make_exchange(body=b"y" * 5000), Redactor())
        assert ids(small.list()) == [bigger], "the newest entry is kept even alone above the limit"
        assert small.check() == []


def test_bodies_above_the_cap_are_truncated_and_marked(tmp_path: Path) -> None:
    text = ("é" * 700).encode()  # 1400 bytes of two-byte characters
    with HistoryStore(tmp_path / "h.sqlite3", body_cap=1001) as capped:
        entry_id = capped.record(make_exchange(body=text, method="POST", request_body=b"a" * 2000), Redactor())
        entry = capped.get(entry_id)
    assert entry is not None and entry.response_body is not None and entry.request_body is not None
    assert entry.response_truncated and entry.request_truncated
    assert entry.response_body == ("é" * 500).encode(), "cut on a character boundary"
    assert len(entry.request_body) == 1001
    data = entry.to_json()
    assert data["response"]["truncated"] is True
    assert data["response"]["size"] == 1400, "size is what came back, not what was kept"
    assert data["response"]["body_encoding"] == "utf-8"


def test_binary_bodies_round_trip(store: HistoryStore) -> None:
    blob = bytes(range(256)) * 4
    entry_id = store.record(make_exchange(body=blob), Redactor())
    entry = store.get(entry_id)
    assert entry is not None and entry.response_body == blob
    assert entry.to_json()["response"]["body_encoding"] == "base64"


def test_json_is_the_exchange_shape_with_the_row_id(store: HistoryStore) -> None:
    exchange = make_exchange(status=400, body=b'{"code": 21211, "message": "The To number is bad", "status": 400}')
    entry_id = store.record(exchange, Redactor())
    entry = store.get(entry_id)
    assert entry is not None
    stored = entry.to_json()
    live = exchange_to_json(exchange, Redactor())
    assert stored["id"] == entry_id and isinstance(stored["id"], int)
    assert stored.keys() == live.keys()
    for key in ("time", "profile", "collection", "request_id", "name", "timings", "twilio_error", "error"):
        assert stored[key] == live[key], key
    assert stored["request"] == live["request"]
    assert stored["response"] == live["response"]
    listed = store.list()[0].to_json()
    assert "body" not in listed["request"] and "body" not in listed["response"]
    assert listed["twilio_error"] == live["twilio_error"] and listed["response"]["size"] == len(exchange.response.body)
    json.dumps(stored)


def test_transport_errors_are_recorded(store: HistoryStore) -> None:
    entry_id = store.record(make_exchange(status=None), Redactor())
    entry = store.get(entry_id)
    assert entry is not None and entry.status is None and entry.error_kind == "refused"
    data = entry.to_json()
    assert data["response"] is None and data["error"]["kind"] == "refused"


def test_delete_and_clear(store: HistoryStore) -> None:
    keep, drop = store.record_many([make_exchange(), make_exchange(body=b'{"gone": "zebra"}')], Redactor())
    assert store.delete(drop) and not store.delete(drop)
    assert ids(store.list()) == [keep] and store.list(filter="zebra") == []
    assert store.clear() == 1
    assert store.count() == 0 and store.stored_bytes() == 0 and store.list() == []
    after = store.record(make_exchange(), Redactor())
    assert after > drop, "ids are never reused, so an id printed earlier never names another exchange"
    assert store.check() == []


def test_path_is_stored_relative_to_the_profile_base(store: HistoryStore) -> None:
    entry = store.get(store.record(make_exchange(), Redactor()))
    assert entry is not None
    assert entry.path == MESSAGES and entry.url == "http://127.0.0.1:4010" + MESSAGES


def test_an_unusable_location_is_a_history_error(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("a file where the data folder should be")
    with pytest.raises(HistoryError, match=r"cannot open the history database .*history\.sqlite3") as caught:
        HistoryStore(tmp_path / "data" / "history.sqlite3")
    assert "\n" not in str(caught.value)


def test_to_request_rebuilds_a_literal_request(store: HistoryStore) -> None:
    exchange = make_exchange(method="POST", request_body=b"Body=%7B%7Bname%7D%7D&Note={{raw}}")
    exchange.request.headers += [("Content-Type", "application/x-www-form-urlencoded"), ("X-Tag", "{{tag}}")]
    exchange.request.headers += [("Host", "127.0.0.1:4010"), ("Content-Length", "35")]
    entry = store.get(store.record(exchange, Redactor()))
    assert entry is not None
    request = entry.to_request()
    assert (request.method, request.url, request.auth.mode) == ("POST", MESSAGES, "profile")
    assert request.body == "Body=%7B%7Bname%7D%7D&Note={{{{raw}}", "recorded text is never a template"
    assert [k for k, _ in request.headers] == ["Content-Type", "X-Tag"], "Authorization, Host and length are redone"
    assert (request.id, request.name) == ("list", "List messages")

    no_auth = make_exchange()
    no_auth.request.headers = []
    unauthenticated = store.get(store.record(no_auth, Redactor()))
    assert unauthenticated is not None and unauthenticated.to_request().auth.mode == "none"


def test_to_request_refuses_what_cannot_be_sent_as_it_was(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "h.sqlite3", body_cap=10) as capped:
        cut = capped.get(capped.record(make_exchange(method="POST", request_body=b"x" * 50), Redactor()))
        binary = capped.get(capped.record(make_exchange(method="POST", request_body=b"\xff\xfe"), Redactor()))
    assert cut is not None and binary is not None
    with pytest.raises(ReplayError, match="stored truncated"):
        cut.to_request()
    with pytest.raises(ReplayError, match="binary"):
        binary.to_request()


def test_clear_leaves_no_old_bytes_in_the_files(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    marker = b"kumquat-marker-that-must-go"

    def files_with_marker() -> list[str]:
        # Read only while closed: closing any descriptor of an open SQLite file drops its locks.
        return sorted(p.name for p in tmp_path.iterdir() if marker in p.read_bytes())

    with HistoryStore(db) as store:
        store.record_many([make_exchange(body=b'{"note": "%s %d"}' % (marker, i)) for i in range(300)], Redactor())
    assert files_with_marker() == ["h.sqlite3"]
    with HistoryStore(db) as store:
        assert store.clear() == 300
    assert files_with_marker() == []


def test_a_local_profile_is_not_live(store: HistoryStore) -> None:
    """A profile whose base URL is loopback is LOCAL: `profile:live` leaves it out (issue 12 item 4)."""
    redactor = Redactor()
    local = store.record(make_exchange(profile="mock"), redactor)
    live = store.record(make_exchange(profile="work", base="https://api.twilio.com"), redactor)
    assert sorted(ids(store.list(filter="profile:live"))) == [live]
    assert sorted(ids(store.list(filter="profile:mock"))) == [local]
    entries = {e.id: e for e in store.list()}
    assert not entries[local].is_live and entries[live].is_live
