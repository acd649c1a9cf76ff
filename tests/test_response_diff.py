"""Which recorded response a response is compared with ("the previous response of the same request"),
and the comparison on masked data."""

from __future__ import annotations

import json
from pathlib import Path

from twibench.exchange import Exchange, Response, SentRequest
from twibench.history import HistoryStore
from twibench.redact import Redactor
from twibench.workbench.response_diff import RequestKey, compare, path_template, previous_response

SM1, SM2 = "SM" + "1" * 32, "SM" + "2" * 32
ACCOUNT = "AC" + "a" * 32
TOKEN = "secret-token-0123456789abcdef"


def exchange(
    method: str,
    path: str,
    body: dict[str, object],
    *,
    collection: str | None = "Messages",
    request_id: str | None = "fetch",
    status: int = 200,
) -> Exchange:
    sent = SentRequest(method=method, url="https://api.twilio.com" + path, path=path, headers=[], body=b"")
    response = Response(status=status, reason="OK", headers=[("Content-Type", "application/json")],
                        body=json.dumps(body).encode())  # fmt: skip
    return Exchange(request=sent, response=response, profile="live", collection=collection, request_id=request_id)


def fetch(sid: str) -> str:
    return f"/2010-04-01/Accounts/{ACCOUNT}/Messages/{sid}.json"


def record(store: HistoryStore, item: Exchange) -> int:
    entry_id = store.record(item, Redactor())
    assert entry_id is not None
    return entry_id


def test_path_template_takes_every_sid_as_a_placeholder() -> None:
    assert path_template(fetch(SM1) + "?x=1") == "/2010-04-01/Accounts/{sid}/Messages/{sid}.json"
    assert path_template("/v1/Services/VA" + "0" * 32 + "/Verifications") == "/v1/Services/{sid}/Verifications"
    assert path_template("/2010-04-01/Accounts.json") == "/2010-04-01/Accounts.json"


def test_previous_response_of_the_same_collection_request(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "h.sqlite3") as store:
        first = record(store, exchange("GET", fetch(SM1), {"status": "queued"}))
        record(store, exchange("GET", fetch(SM1), {"x": 1}, request_id="other"))  # another request
        record(store, exchange("POST", fetch(SM1), {"x": 1}))  # another method
        record(store, exchange("GET", fetch(SM1), {"x": 1}, collection="Calls"))  # another collection
        latest = record(store, exchange("GET", fetch(SM2), {"status": "delivered"}))  # another SID: same request
        entry = store.get(latest)
        assert entry is not None
        previous = previous_response(store, RequestKey.of_entry(entry), before=latest)
        assert previous is not None and previous.id == first
        assert previous.response_body == b'{"status": "queued"}'  # read with its bodies
        assert previous_response(store, RequestKey.of_entry(entry), before=first) is None


def test_previous_response_without_a_collection_uses_the_url_template(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "h.sqlite3") as store:
        same = record(store, exchange("GET", fetch(SM1), {"n": 1}, collection=None, request_id=None))
        record(store, exchange("GET", fetch(SM1).replace(".json", "/Media.json"), {}, collection=None, request_id=None))
        record(store, exchange("GET", "/2010-04-01/Accounts/%_/Messages/x.json", {}, collection=None, request_id=None))
        live = exchange("GET", fetch(SM2), {"n": 2}, collection=None, request_id=None)
        live_id = record(store, live)
        key = RequestKey.of_exchange(live)
        found = previous_response(store, key, skip_uid=live.id)  # the live answer itself is skipped
        assert found is not None and found.id == same
        assert previous_response(store, key, before=same) is None
        assert live_id > same


def test_previous_response_scans_past_a_page_of_near_misses(tmp_path: Path) -> None:
    """The SQL pattern is looser than the template (LIKE ignores case); the scan goes on past a full page."""
    with HistoryStore(tmp_path / "h.sqlite3") as store:
        wanted = record(store, exchange("GET", "/v1/Things.json", {}, collection=None, request_id=None))
        for _ in range(205):
            record(store, exchange("GET", "/v1/things.json", {}, collection=None, request_id=None))
        key = RequestKey.of_exchange(exchange("GET", "/v1/Things.json", {}, collection=None, request_id=None))
        found = previous_response(store, key)
        assert found is not None and found.id == wanted


def test_compare_masks_a_live_answer_and_keeps_the_older_side_first(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "h.sqlite3") as store:
        old_id = record(store, exchange("GET", fetch(SM1), {"status": "queued", "date_updated": "a"}))
        old = store.get(old_id)
    assert old is not None
    live = exchange("GET", fetch(SM1), {"status": "delivered", "date_updated": "b", "auth_token": TOKEN})
    comparison = compare(old, live, Redactor(secrets=[TOKEN]))
    assert comparison.labels[0].startswith(f"history {old_id} · GET ")
    assert comparison.labels[1].startswith("this response · GET ")
    changes = {c.path: (c.kind, c.new, c.volatile) for c in comparison.diff.body}
    assert changes["$.status"] == ("changed", "delivered", False)
    assert changes["$.date_updated"][2] is True
    assert TOKEN not in json.dumps(changes["$.auth_token"][1])
