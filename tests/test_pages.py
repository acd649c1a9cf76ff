"""Every page of a list: 2010 `next_page_uri` and v1+ `meta.next_page_url`, merged into one document."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

import pytest

from twibench.client import Client
from twibench.collection import Request
from twibench.pages import NotAListError, Pages, fetch_all, merge, next_link, records_key
from twibench.profiles import load_profiles

P1 = {"messages": [{"sid": "SM1"}, {"sid": "SM2"}], "page": 0, "page_size": 2, "next_page_uri": "/x?Page=1"}
P2 = {"messages": [{"sid": "SM3"}], "page": 1, "page_size": 2, "next_page_uri": None}
V1 = {
    "services": [{"sid": "VA1"}],
    "meta": {"key": "services", "next_page_url": "https://verify.twilio.com/v2/S?Page=1"},
}


def test_records_key_and_next_link_for_both_envelopes() -> None:
    assert (records_key(P1), next_link(P1), next_link(P2)) == ("messages", "/x?Page=1", None)
    assert (records_key(V1), next_link(V1)) == ("services", "https://verify.twilio.com/v2/S?Page=1")
    with pytest.raises(NotAListError):
        records_key({"sid": "SM1", "status": "sent"})


def test_merged_document_keeps_the_first_envelope_with_every_record() -> None:
    merged = merge([P1, P2])
    out = io.StringIO()
    merged.write(out)
    doc = json.loads(out.getvalue())
    assert doc["messages"] == [{"sid": "SM1"}, {"sid": "SM2"}, {"sid": "SM3"}]
    assert (doc["page"], doc["page_size"], doc["next_page_uri"]) == (0, 2, None)  # the last page's link
    assert out.getvalue() == json.dumps(doc, indent=2) + "\n"
    assert merged.document() == doc and merged.pages == 2 and merged.count == 3


def test_a_limit_keeps_that_many_records() -> None:
    merged = merge([P1, P2], limit=2)
    assert merged.count == 2 and merged.full and merged.pages == 1


def test_pages_must_hold_the_same_records() -> None:
    pages = Pages()
    pages.add(P1)
    with pytest.raises(NotAListError, match="holds 'services', not 'messages'"):
        pages.add(V1)


@pytest.mark.parametrize(
    ("url", "key", "expected"),
    [
        ("/2010-04-01/Accounts/{{account_sid}}/Messages.json", "messages", 7),  # 6 sent + the welcome MMS
        ("https://verify.twilio.com/v2/Services", "services", 5),
    ],
)
def test_fetch_all_walks_every_page_of_the_sandbox(home: Path, url: str, key: str, expected: int) -> None:
    profile = load_profiles().get("sandbox")
    values = {"account_sid": profile.account_sid}
    form = (
        [("FriendlyName", "s")]
        if "verify" in url
        else [("To", "+15558675310"), ("From", "+15005550006"), ("Body", "hi")]
    )
    seen: list[int] = []

    async def go() -> None:
        client = Client()
        try:
            for _ in range(5 if "verify" in url else 6):
                made = await client.send(Request(name="c", id="c", method="POST", url=url, form=form), profile, values)
                assert made.response is not None and made.response.status == 201
            first = Request(name="list", id="list", url=url, params=[("PageSize", "2")])
            fetched = await fetch_all(client, first, profile, values, progress=lambda p: seen.append(p.count))
            assert fetched.stopped is None
            assert fetched.pages.key == key and fetched.pages.count == expected
            assert fetched.pages.pages == -(-expected // 2) and seen[-1] == expected
            sids = [json.loads(r)["sid"] for r in fetched.pages.records]
            assert len(set(sids)) == expected
            limited = await fetch_all(client, first, profile, values, limit=3)
            assert limited.pages.count == 3 and limited.pages.pages == 2
        finally:
            await client.aclose()

    asyncio.run(go())


def test_send_all_pages_merges_selects_and_records_each_page(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from twibench import cli
    from twibench.history import HistoryStore
    from twibench.paths import history_db

    collection = tmp_path / "m.yaml"
    collection.write_text(
        "name: M\nrequests:\n"
        "  - {name: Send, id: send, method: POST, url: '/2010-04-01/Accounts/{{account_sid}}/Messages.json',\n"
        "     form: {To: '+15558675310', From: '+15005550006', Body: hi}}\n"
        "  - {name: List, id: list, url: '/2010-04-01/Accounts/{{account_sid}}/Messages.json', params: {PageSize: 2}}\n"
        "  - {name: Accounts, id: accounts, url: /2010-04-01/Accounts.json}\n"
    )
    for _ in range(4):
        assert cli.main(["send", f"{collection}#send", "--no-history"]) == 0
    capsys.readouterr()
    assert cli.main(["send", f"{collection}#list", "--all-pages"]) == 0
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    assert len(doc["messages"]) == 5 and doc["next_page_uri"] is None  # 4 sent + the welcome MMS
    assert "3 page(s), 5 record(s)" in captured.err
    with HistoryStore(history_db()) as store:
        assert len(store.list(limit=50)) == 3  # every page is in history
    assert cli.main(["send", f"{collection}#list", "--all-pages", "--limit", "3", "--select", "$.messages[*].sid"]) == 0
    sids = capsys.readouterr().out.split()
    assert len(sids) == 3 and all(s.startswith(("SM", "MM")) for s in sids)
    assert cli.main(["send", f"{collection}#accounts", "--all-pages", "--no-history"]) == 0
    token = load_profiles().get("sandbox").secret.literal
    assert token is not None and token not in capsys.readouterr().out  # an account list's auth_token is masked
    assert cli.main(["send", f"{collection}#list", "--limit", "3"]) == 2
