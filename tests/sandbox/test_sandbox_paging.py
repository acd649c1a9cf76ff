"""Lists: Twilio's envelope, page URIs followed verbatim, and the message filters."""

from __future__ import annotations

from email.utils import parsedate_to_datetime
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from conftest import ACCOUNT, Sandbox, new_number, send

from twibench.sandbox import credentials as cred

PAGE_FIELDS = {
    "end", "first_page_uri", "next_page_uri", "last_page_uri", "page", "page_size",
    "previous_page_uri", "total", "num_pages", "start", "uri",
}  # fmt: skip


def records_key(body: dict[str, object]) -> str:
    """The one key that is not a page field (how clients find the records)."""
    keys = set(body) - PAGE_FIELDS
    assert len(keys) == 1, keys
    return keys.pop()


def test_following_next_page_uri_reaches_every_record_once(api: httpx.Client) -> None:
    to = new_number()
    sids = {send(api, To=to, Body=f"n{i}").json()["sid"] for i in range(23)}
    seen: list[str] = []
    uri: str | None = f"{ACCOUNT}/Messages.json?To={to.replace('+', '%2B')}&PageSize=5"
    pages = 0
    while uri is not None:
        body = api.get(uri).json()
        assert records_key(body) == "messages"
        assert body["page"] == pages and body["page_size"] == 5 and body["start"] == pages * 5
        assert body["end"] == body["start"] + len(body["messages"]) - 1
        assert body["uri"].startswith(f"{ACCOUNT}/Messages.json?") and "total" not in body
        seen += [m["sid"] for m in body["messages"]]
        uri = body["next_page_uri"]
        if uri is not None:
            query = parse_qs(urlsplit(uri).query)
            assert query["To"] == [to] and query["PageSize"] == ["5"] and query["Page"] == [str(pages + 1)]
            assert query["PageToken"][0].startswith("PA")
        pages += 1
    assert pages == 5 and len(seen) == 23 and set(seen) == sids
    assert body["next_page_uri"] is None and len(body["messages"]) == 3


def test_newest_first_and_previous_page(api: httpx.Client) -> None:
    to = new_number()
    sids = [send(api, To=to, Body=str(i)).json()["sid"] for i in range(4)]
    first = api.get(f"{ACCOUNT}/Messages.json", params={"To": to, "PageSize": 2}).json()
    assert [m["sid"] for m in first["messages"]] == sids[::-1][:2] and first["previous_page_uri"] is None
    second = api.get(first["next_page_uri"]).json()
    assert [m["sid"] for m in second["messages"]] == sids[::-1][2:]
    back = api.get(second["previous_page_uri"]).json()
    assert [m["sid"] for m in back["messages"]] == [m["sid"] for m in first["messages"]]
    assert first["first_page_uri"] == f"{ACCOUNT}/Messages.json?To=%2B{to[1:]}&PageSize=2&Page=0"


def test_paging_survives_deletes_between_pages(sandbox: Sandbox, api: httpx.Client) -> None:
    to = new_number()
    sids = [send(api, To=to).json()["sid"] for _ in range(6)]
    sandbox.clock.advance(5)
    first = api.get(f"{ACCOUNT}/Messages.json", params={"To": to, "PageSize": 3}).json()
    for message in first["messages"]:
        assert api.delete(message["uri"]).status_code == 204
    rest = api.get(first["next_page_uri"]).json()
    assert [m["sid"] for m in rest["messages"]] == sids[::-1][3:]


def test_plain_page_numbers_work_without_a_token(api: httpx.Client) -> None:
    to = new_number()
    sids = [send(api, To=to).json()["sid"] for _ in range(3)]
    page = api.get(f"{ACCOUNT}/Messages.json", params={"To": to, "PageSize": 1, "Page": 2}).json()
    assert [m["sid"] for m in page["messages"]] == [sids[0]] and page["next_page_uri"] is None
    beyond = api.get(f"{ACCOUNT}/Messages.json", params={"To": to, "PageSize": 1, "Page": 9}).json()
    assert beyond["messages"] == [] and beyond["next_page_uri"] is None


def test_filters_to_from_and_date_sent(sandbox: Sandbox, api: httpx.Client) -> None:
    to = new_number()
    queued = send(api, To=to, Body="not yet sent").json()
    assert api.get(f"{ACCOUNT}/Messages.json", params={"To": to, "DateSent>": "2000-01-01"}).json()["messages"] == []
    sandbox.clock.advance(2.0)
    sent = api.get(queued["uri"]).json()
    sent_at = parsedate_to_datetime(sent["date_sent"])
    today = sent_at.strftime("%Y-%m-%d")
    stamp = sent_at.strftime("%Y-%m-%dT%H:%M:%SZ")

    def sids(**params: str) -> list[str]:
        body = api.get(f"{ACCOUNT}/Messages.json", params={"To": to, **params}).json()
        return [m["sid"] for m in body["messages"]]

    assert sids(DateSent=today) == [sent["sid"]]
    assert sids(**{"DateSent<": today}) == [sent["sid"]]
    assert sids(**{"DateSent>": today}) == [sent["sid"]]
    assert sids(**{"DateSent>": "2999-01-01"}) == []
    assert sids(**{"DateSent<": "2000-01-01"}) == []
    assert sids(**{"DateSent>": stamp}) == [sent["sid"]]
    assert sids(DateSent=sent["date_sent"]) == [sent["sid"]]
    assert sids(From=cred.PHONE_NUMBER) == [sent["sid"]]
    assert sids(From="+15005550010") == []
    # Raw `DateSent<=…` on the wire is the parameter `DateSent<`.
    raw = api.get(f"{ACCOUNT}/Messages.json?To=%2B{to[1:]}&DateSent<={today}").json()
    assert [m["sid"] for m in raw["messages"]] == [sent["sid"]]
    assert "DateSent%3C=" in raw["uri"]


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"PageSize": "0"}, "PageSize must be between 1 and 1000"),
        ({"PageSize": "1001"}, "PageSize must be between 1 and 1000"),
        ({"PageSize": "99999999999999999999"}, "PageSize must be a whole number"),
        ({"PageSize": "ten"}, "PageSize must be a whole number"),
        ({"Page": "-1"}, "Page must be 0 or more"),
        ({"PageToken": "PAnope"}, "Invalid PageToken"),
        ({"DateSent": "yesterday"}, "DateSent must be YYYY-MM-DD"),
    ],
)
def test_bad_paging_values_are_clean_400s(api: httpx.Client, params: dict[str, str], fragment: str) -> None:
    response = api.get(f"{ACCOUNT}/Messages.json", params=params)
    assert response.status_code == 400
    assert fragment in response.json()["message"] and response.json()["status"] == 400


def test_page_size_1000_is_allowed(api: httpx.Client) -> None:
    assert api.get(f"{ACCOUNT}/Messages.json", params={"PageSize": 1000}).json()["page_size"] == 1000


def test_other_lists_have_one_record_key(api: httpx.Client) -> None:
    for path, key in [
        ("/2010-04-01/Accounts.json", "accounts"),
        (f"{ACCOUNT}/Keys.json", "keys"),
        (f"{ACCOUNT}/IncomingPhoneNumbers.json", "incoming_phone_numbers"),
        (f"{ACCOUNT}/Messages/{cred.WELCOME_MESSAGE_SID}/Media.json", "media_list"),
    ]:
        assert records_key(api.get(path).json()) == key


def test_account_list_holds_only_your_account(api: httpx.Client) -> None:
    accounts = api.get("/2010-04-01/Accounts.json").json()["accounts"]
    assert [a["sid"] for a in accounts] == [cred.ACCOUNT_SID] and accounts[0]["status"] == "active"
    numbers = api.get(f"{ACCOUNT}/IncomingPhoneNumbers.json", params={"PhoneNumber": cred.PHONE_NUMBER}).json()
    assert [n["sid"] for n in numbers["incoming_phone_numbers"]] == [cred.PHONE_NUMBER_SID]
