"""Fuzzing every sandbox filter and parameter: whatever a client sends, the answer is never a 500.

The sandbox promises a clean 4xx (20400 and friends) for anything it cannot use; a 500 is reserved for
the test number that asks for one (`To=+15005559500`), which the strategies never produce. Examples are
bounded so the file runs in a few seconds against one fresh loopback sandbox per test.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.sandbox.conftest import ACCOUNT, MAIN_AUTH, Sandbox
from twibench.sandbox import credentials as cred

FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
ASKS_FOR_500 = "+15005559500"

_DATES = st.sampled_from(
    [
        "9999-12-31",
        "0001-01-01",
        "0000-00-00",
        "2024-02-30",
        "2024-13-01",
        "9999-12-31T23:59:59Z",
        "0001-01-01T00:00:00Z",
        "Fri, 31 Dec 9999 23:59:59 +0000",
        "Mon, 01 Jan 0001 00:00:00 +0100",
        "Fri, 31 Dec 9999 23:59:59 -2359",
        "Sat, 01 Jun 2024 12:00:00 +0000",
        "2024-06-01",
        "٢٠٢٤-٠٦-٠١",
        "2024-06-01T12:00:00Z",
    ]
)
_NUMBERS = st.sampled_from(
    ["0", "-1", "1", "1000", "1001", "--5", "+5", "²", "١٢", "999999999999", "9" * 40, "1e3", " 7 ", "0x10", ""]
)
_TOKENS = st.sampled_from(["PA1", "PB1", "PA" + "9" * 21, "PA²", "PA-1", "PA", "XX1", "PA١٢"])
_TEXT = st.text(max_size=40)
_VALUE = st.one_of(_TEXT, _DATES, _NUMBERS, _TOKENS, st.sampled_from(["+15005550006", "+15558675310", "active"]))

_LIST_PARAMS: dict[str, list[str]] = {
    "Messages": ["To", "From", "DateSent", "DateSent<", "DateSent>", "PageSize", "Page", "PageToken"],
    "Keys": ["PageSize", "Page", "PageToken"],
    "IncomingPhoneNumbers": ["PhoneNumber", "FriendlyName", "PageSize", "Page", "PageToken"],
    "Messages/SM00000000000000000000000000000000/Media": ["DateCreated", "DateCreated<", "DateCreated>", "PageSize"],
}
_CREATE_PARAMS = [
    "To",
    "From",
    "Body",
    "MediaUrl",
    "MessagingServiceSid",
    "ContentSid",
    "ScheduleType",
    "SendAt",
    "StatusCallback",
    "ValidityPeriod",
    "MaxPrice",
    "Attempt",
]


def _params(names: list[str]) -> st.SearchStrategy[list[tuple[str, str]]]:
    name = st.one_of(st.sampled_from(names), _TEXT)
    return st.lists(st.tuples(name, _VALUE), max_size=6)


def _no_500(response: httpx.Response, sent: Any) -> None:
    assert response.status_code != 500, f"{response.request.method} {response.request.url} {sent!r}: {response.text}"
    if response.status_code >= 400 and response.request.url.path.endswith(".json"):
        error = json.loads(response.text)
        assert isinstance(error.get("code"), int) and isinstance(error.get("message"), str)


def _post(client: httpx.Client, path: str, params: list[tuple[str, str]]) -> httpx.Response:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    return client.post(path, content=urlencode(params).encode(), headers=form)


@pytest.fixture
def fuzz_client(start_sandbox: Callable[..., Sandbox]) -> httpx.Client:
    box = start_sandbox()
    return httpx.Client(base_url=box.url, auth=MAIN_AUTH, timeout=30)


@pytest.mark.parametrize("resource", sorted(_LIST_PARAMS))
def test_list_filters_and_paging_never_answer_500(fuzz_client: httpx.Client, resource: str) -> None:
    @FUZZ
    @given(params=_params(_LIST_PARAMS[resource]))
    def check(params: list[tuple[str, str]]) -> None:
        _no_500(fuzz_client.get(f"{ACCOUNT}/{resource}.json", params=params), params)

    check()


def test_the_documented_date_sent_example_is_a_20400(fuzz_client: httpx.Client) -> None:
    response = fuzz_client.get(f"{ACCOUNT}/Messages.json", params={"DateSent": "9999-12-31"})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert response.json()["code"] == 20400


def test_message_create_never_answers_500(fuzz_client: httpx.Client) -> None:
    @FUZZ
    @given(params=_params(_CREATE_PARAMS))
    def check(params: list[tuple[str, str]]) -> None:
        params = [(name, value) for name, value in params if value != ASKS_FOR_500]
        _no_500(_post(fuzz_client, f"{ACCOUNT}/Messages.json", params), params)

    check()


@pytest.mark.parametrize(
    ("path", "names"),
    [
        ("Messages/SM00000000000000000000000000000000.json", ["Body", "Status"]),
        ("Messages/SM00000000000000000000000000000000/Feedback.json", ["Outcome"]),
        ("Keys.json", ["FriendlyName"]),
        (".json", ["FriendlyName", "Status"]),
    ],
)
def test_updates_never_answer_500(fuzz_client: httpx.Client, path: str, names: list[str]) -> None:
    @FUZZ
    @given(params=_params(names))
    def check(params: list[tuple[str, str]]) -> None:
        _no_500(_post(fuzz_client, f"{ACCOUNT}{'' if path == '.json' else '/'}{path}", params), params)

    check()


def test_accounts_list_filters_never_answer_500(fuzz_client: httpx.Client) -> None:
    @FUZZ
    @given(params=_params(["FriendlyName", "Status", "PageSize", "Page", "PageToken"]))
    def check(params: list[tuple[str, str]]) -> None:
        _no_500(fuzz_client.get("/2010-04-01/Accounts.json", params=params), params)

    check()


def test_the_test_account_never_answers_500(start_sandbox: Callable[..., Sandbox]) -> None:
    box = start_sandbox()
    client = httpx.Client(base_url=box.url, auth=(cred.TEST_ACCOUNT_SID, cred.TEST_AUTH_TOKEN), timeout=30)
    account = f"/2010-04-01/Accounts/{cred.TEST_ACCOUNT_SID}"

    @FUZZ
    @given(params=_params(_CREATE_PARAMS))
    def check(params: list[tuple[str, str]]) -> None:
        params = [(name, value) for name, value in params if value != ASKS_FOR_500]
        _no_500(_post(client, f"{account}/Messages.json", params), params)

    check()
