"""client.prepare/send: URL joining, form encoding, auth, the guard, timings and transport errors."""

from __future__ import annotations

import asyncio
import base64
import json
from urllib.parse import parse_qsl

import httpx
import pytest

from tests.loopback import LoopbackServer
from twibench import __version__
from twibench.client import Client, RequestBuildError, prepare, send_once, values_for
from twibench.collection import Auth, Request
from twibench.profiles import HostRefusedError, Profile, SecretRef
from twibench.variables import UnknownVariableError

AC = "AC0123456789abcdef0123456789abcdef"
TOKEN = "0123456789abcdef0123456789abcdef"


def live(base_url: str | None = None, **kwargs: object) -> Profile:
    return Profile("live", "auth_token", AC, AC, SecretRef(literal=TOKEN), base_url=base_url, **kwargs)  # type: ignore[arg-type]


def create_message() -> Request:
    return Request(
        name="Send an SMS",
        id="send-sms",
        method="POST",
        url="/2010-04-01/Accounts/{{account_sid}}/Messages.json",
        form=[
            ("To", "{{to}}"),
            ("From", "+15005550006"),
            ("Body", "Your total is $5 & more = ok ✓"),
            ("MediaUrl", "https://example.com/a.png"),
            ("MediaUrl", "https://example.com/b.png"),
        ],
    )


def test_prepare_joins_path_encodes_form_and_sets_auth() -> None:
    profile = live()
    prepared = prepare(create_message(), profile, values_for(profile, {"to": "+15558675310"}))
    assert prepared.url == f"https://api.twilio.com/2010-04-01/Accounts/{AC}/Messages.json"
    assert prepared.path == f"/2010-04-01/Accounts/{AC}/Messages.json"
    assert parse_qsl(prepared.body.decode(), keep_blank_values=True) == [
        ("To", "+15558675310"),
        ("From", "+15005550006"),
        ("Body", "Your total is $5 & more = ok ✓"),
        ("MediaUrl", "https://example.com/a.png"),
        ("MediaUrl", "https://example.com/b.png"),
    ]
    headers = dict(prepared.headers)
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert headers["User-Agent"] == f"twibench/{__version__}"
    assert base64.b64decode(headers["Authorization"].split()[1]).decode() == f"{AC}:{TOKEN}"


def test_params_append_to_existing_query_and_repeat() -> None:
    request = Request(name="l", id="l", url="/x.json?A=1", params=[("To", "+1 555"), ("Tag", "a"), ("Tag", "b")])
    prepared = prepare(request, live(), {})
    assert prepared.url == "https://api.twilio.com/x.json?A=1&To=%2B1+555&Tag=a&Tag=b"


def test_precedence_collection_profile_override() -> None:
    profile = live(variables={"from": "+1profile"})
    values = values_for(profile, {"from": "+1collection", "to": "+1c"}, {"to": "+1captured"}, {"x": "1"})
    assert values["from"] == "+1profile" and values["to"] == "+1captured" and values["account_sid"] == AC


def test_unknown_variable_is_reported_before_sending() -> None:
    with pytest.raises(UnknownVariableError, match="unknown variable 'to' in form field 'To'"):
        prepare(create_message(), live(), {})


def test_relative_url_must_start_with_slash() -> None:
    with pytest.raises(RequestBuildError, match="must be a path starting with /"):
        prepare(Request(name="n", id="n", url="Accounts.json"), live(), {})


def test_host_guard_refuses_foreign_host_before_sending() -> None:
    request = Request(name="n", id="n", url="https://example.com/steal")
    with pytest.raises(HostRefusedError, match=r"example\.com:443"):
        prepare(request, live(), {})


def test_auth_none_sends_no_credentials_anywhere() -> None:
    request = Request(name="n", id="n", url="https://example.com/open", auth=Auth(mode="none"))
    prepared = prepare(request, live(), {})
    assert all(k.lower() != "authorization" for k, _ in prepared.headers)
    assert prepared.path == "https://example.com/open"


def test_auth_basic_from_variables() -> None:
    request = Request(name="n", id="n", url="/x.json", auth=Auth("basic", "{{key_sid}}", "{{key_secret}}"))
    prepared = prepare(request, live(), {"key_sid": "SK1", "key_secret": "shh-123456"})
    token = dict(prepared.headers)["Authorization"].split()[1]
    assert base64.b64decode(token).decode() == "SK1:shh-123456"


def test_json_and_raw_bodies() -> None:
    request = Request(name="n", id="n", method="POST", url="/j", json={"a": ["{{v}}", 1, True]})
    prepared = prepare(request, live(), {"v": "x"})
    assert json.loads(prepared.body) == {"a": ["x", 1, True]}
    assert dict(prepared.headers)["Content-Type"] == "application/json"
    raw = Request(
        name="r", id="r", method="POST", url="/r", body="<a>{{v}}</a>", headers=[("Content-Type", "text/xml")]
    )
    assert prepare(raw, live(), {"v": "1"}).body == b"<a>1</a>"


def test_send_over_mock_transport_reuses_one_client_per_profile() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json={"sid": "SM1"}, headers={"Twilio-Request-Id": "RQ9"})

    async def run() -> None:
        client = Client(transport=httpx.MockTransport(handler))
        profile = live()
        first = await client.send(create_message(), profile, values_for(profile, {"to": "+1"}), collection="Messages")
        second = await client.send(create_message(), profile, values_for(profile, {"to": "+1"}))
        assert client._client_for(profile) is client._client_for(profile)
        await client.aclose()
        assert first.response is not None and first.response.status == 201
        assert first.twilio_request_id == "RQ9"
        assert (first.collection, first.request_id, first.name) == ("Messages", "send-sms", "Send an SMS")
        assert first.timings.total_ms > 0
        assert second.ok

    asyncio.run(run())
    assert len(seen) == 2
    assert seen[0].headers["authorization"].startswith("Basic ")


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (httpx.ConnectError("[Errno 111] Connection refused"), "refused"),
        (httpx.ConnectError("[Errno -2] Name or service not known"), "dns"),
        (httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"), "tls"),
        (httpx.ReadTimeout("timed out"), "timeout"),
        (httpx.RemoteProtocolError("Server disconnected without sending a response."), "protocol"),
        (httpx.ReadError("Connection reset by peer"), "reset"),
    ],
)
def test_transport_failures_are_data(exc: Exception, kind: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    profile = live()
    exchange = send_once(
        create_message(), profile, values_for(profile, {"to": "+1"}), transport=httpx.MockTransport(handler)
    )
    assert exchange.response is None
    assert exchange.error is not None and exchange.error.kind == kind
    assert "api.twilio.com" in exchange.error.message


def test_refused_on_a_real_closed_port() -> None:
    profile = live(base_url="http://127.0.0.1:9")
    exchange = send_once(Request(name="n", id="n", url="/x.json"), profile, {})
    assert exchange.error is not None and exchange.error.kind == "refused"
    assert "127.0.0.1:9" in exchange.error.message


def test_real_loopback_server_sees_exact_bytes_and_timings(loopback: LoopbackServer) -> None:
    profile = live(base_url=loopback.base_url)
    exchange = send_once(create_message(), profile, values_for(profile, {"to": "+15558675310"}))
    assert exchange.response is not None and exchange.response.status == 201
    got = loopback.requests[0]
    assert got.method == "POST" and got.path == f"/2010-04-01/Accounts/{AC}/Messages.json"
    assert got.body == (
        b"To=%2B15558675310&From=%2B15005550006&Body=Your+total+is+%245+%26+more+%3D+ok+%E2%9C%93"
        b"&MediaUrl=https%3A%2F%2Fexample.com%2Fa.png&MediaUrl=https%3A%2F%2Fexample.com%2Fb.png"
    )
    assert set(exchange.timings.phases) >= {"connect", "send", "wait", "receive"}


def test_body_cap_truncates_and_marks(loopback: LoopbackServer) -> None:
    profile = live(base_url=loopback.base_url)

    async def run() -> None:
        client = Client(max_body=100)
        exchange = await client.send(Request(name="b", id="b", url="/Binary"), profile, {})
        await client.aclose()
        assert exchange.response is not None and exchange.response.truncated
        assert len(exchange.response.body) == 100

    asyncio.run(run())
