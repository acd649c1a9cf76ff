"""Messages: creation, segments, the status lifecycle, redaction, cancellation, deletion and media."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from conftest import ACCOUNT, Sandbox, new_number, send

from twibench.sandbox import credentials as cred


def iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_status_advances_with_the_clock(sandbox: Sandbox, api: httpx.Client) -> None:
    created = send(api).json()
    assert created["status"] == "queued" and created["direction"] == "outbound-api"
    seen = []
    for _ in range(4):
        body = api.get(created["uri"]).json()
        seen.append((body["status"], body["date_sent"] is not None, body["price"]))
        sandbox.clock.advance(2.0 / 3)
    assert [s[0] for s in seen] == ["queued", "sending", "sent", "delivered"]
    assert [s[1] for s in seen] == [False, False, True, True]
    assert seen[0][2] is None and seen[3][2] == "-0.00790"


@pytest.mark.parametrize(
    ("body", "segments"),
    [
        ("a" * 160, "1"),
        ("a" * 161, "2"),
        ("a" * 306, "2"),
        ("a" * 307, "3"),
        ("€" * 80, "1"),  # extended GSM-7: two septets each
        ("€" * 81, "2"),
        ("é" * 160, "1"),  # in the GSM-7 basic set
        ("ü" * 70 + "ł", "2"),  # ł is not GSM-7: UCS-2, 71 units
        ("ł" * 70, "1"),
        ("ł" * 134, "2"),
        ("ł" * 135, "3"),
        ("👍" * 35, "1"),  # two UTF-16 units each
        ("👍" * 36, "2"),
    ],
)
def test_num_segments(api: httpx.Client, body: str, segments: str) -> None:
    assert send(api, Body=body).json()["num_segments"] == segments


def test_mms_has_mm_sid_and_media(sandbox: Sandbox, api: httpx.Client) -> None:
    urls = ["https://example.com/a.png", "https://example.com/b.gif", "https://example.com/c.jpg"]
    created = send(api, Body="pics", MediaUrl=urls).json()
    assert created["sid"].startswith("MM") and created["num_media"] == "3" and created["num_segments"] == "1"
    media = api.get(created["subresource_uris"]["media"]).json()["media_list"]
    assert len(media) == 3 and {m["parent_sid"] for m in media} == {created["sid"]}
    assert all(m["sid"].startswith("ME") and m["content_type"] == "image/png" for m in media)
    one = api.get(media[1]["uri"])
    assert one.json() == media[1] and one.headers["etag"]


def test_media_content_redirect_and_png(api: httpx.Client) -> None:
    path = f"{ACCOUNT}/Messages/{cred.WELCOME_MESSAGE_SID}/Media/{cred.WELCOME_MEDIA_SID}"
    redirect = api.get(path)
    assert redirect.status_code == 302 and redirect.content == b""
    location = redirect.headers["location"]
    assert location.startswith(str(api.base_url).rstrip("/") + "/")
    content = httpx.get(location)  # like a CDN link: no credentials needed
    assert content.status_code == 200 and content.headers["content-type"] == "image/png"
    assert content.content.startswith(b"\x89PNG\r\n\x1a\n") and b"IEND" in content.content
    assert httpx.get(location.replace("MEba5e", "MEdead")).status_code == 404


def test_welcome_message_is_an_inbound_mms(api: httpx.Client) -> None:
    welcome = api.get(f"{ACCOUNT}/Messages/{cred.WELCOME_MESSAGE_SID}.json").json()
    assert welcome["direction"] == "inbound" and welcome["status"] == "received"
    assert welcome["to"] == cred.PHONE_NUMBER and welcome["num_media"] == "1"


def test_redaction_once_sent(sandbox: Sandbox, api: httpx.Client) -> None:
    created = send(api, Body="secret code 1234").json()
    early = api.post(created["uri"], data={"Body": ""})
    assert early.status_code == 400 and early.json()["code"] == 30400
    sandbox.clock.advance(1.5)
    redacted = api.post(created["uri"], data={"Body": ""}).json()
    assert redacted["body"] == "" and redacted["num_segments"] == created["num_segments"]
    assert api.get(created["uri"]).json()["body"] == ""


@pytest.mark.parametrize("form", [{"Body": "new text"}, {"Status": "delivered"}, {"Status": "canceled"}, {}])
def test_other_updates_are_30400(sandbox: Sandbox, api: httpx.Client, form: dict[str, str]) -> None:
    created = send(api).json()
    sandbox.clock.advance(2.0)
    response = api.post(created["uri"], data=form)
    assert response.status_code == 400 and response.json()["code"] == 30400


def test_cancel_a_scheduled_message(sandbox: Sandbox, api: httpx.Client) -> None:
    service = "MG" + "1" * 32
    send_at = iso(sandbox.clock.now() + 3600)
    created = send(api, MessagingServiceSid=service, ScheduleType="fixed", SendAt=send_at).json()
    assert created["status"] == "scheduled" and created["messaging_service_sid"] == service
    assert api.delete(created["uri"]).json()["code"] == 20009
    canceled = api.post(created["uri"], data={"Status": "canceled"}).json()
    assert canceled["status"] == "canceled" and canceled["date_sent"] is None
    sandbox.clock.advance(7200)
    assert api.get(created["uri"]).json()["status"] == "canceled"
    assert api.delete(created["uri"]).status_code == 204


def test_a_scheduled_message_is_sent_at_send_at(sandbox: Sandbox, api: httpx.Client) -> None:
    created = send(
        api, MessagingServiceSid="MG" + "2" * 32, ScheduleType="fixed", SendAt=iso(sandbox.clock.now() + 1800)
    ).json()
    sandbox.clock.advance(1799)
    assert api.get(created["uri"]).json()["status"] == "scheduled"
    sandbox.clock.advance(10)
    assert api.get(created["uri"]).json()["status"] == "delivered"


def test_scheduling_windows_and_services(sandbox: Sandbox, api: httpx.Client) -> None:
    now = sandbox.clock.now()
    for send_at in (iso(now + 60), iso(now + 40 * 86400), "tomorrow"):
        response = send(api, MessagingServiceSid="MG" + "3" * 32, ScheduleType="fixed", SendAt=send_at)
        assert response.json()["code"] == 35114, send_at
    # Without a Messaging Service Twilio drops the scheduling parameters and sends at once.
    plain = send(api, ScheduleType="fixed", SendAt=iso(now + 3600)).json()
    assert plain["status"] == "queued"
    bad = send(api, From=None, MessagingServiceSid="MGnope")
    assert bad.status_code == 400 and "MessagingServiceSid" in bad.json()["message"]


def test_delete_waits_for_delivery(sandbox: Sandbox, api: httpx.Client) -> None:
    created = send(api, MediaUrl="https://example.com/a.png").json()
    early = api.delete(created["uri"])
    assert early.status_code == 409 and early.json()["code"] == 20009
    sandbox.clock.advance(2.0)
    assert api.delete(created["uri"]).status_code == 204
    assert api.get(created["uri"]).json()["code"] == 20404
    assert api.get(created["subresource_uris"]["media"]).status_code == 404
    assert api.delete(created["uri"]).status_code == 404


def test_magic_deletable_sid_always_answers_204(api: httpx.Client) -> None:
    path = f"{ACCOUNT}/Messages/{cred.DELETABLE_MESSAGE_SID}.json"
    assert [api.delete(path).status_code for _ in range(2)] == [204, 204]


def test_feedback_outcome(sandbox: Sandbox, api: httpx.Client) -> None:
    created = send(api).json()
    uri = f"{ACCOUNT}/Messages/{created['sid']}/Feedback.json"
    assert api.post(uri, data={"Outcome": "unconfirmed"}).json()["outcome"] == "unconfirmed"
    assert api.post(uri, data={"Outcome": "maybe"}).status_code == 400
    assert api.post(f"{ACCOUNT}/Messages/SM{'0' * 32}/Feedback.json").status_code == 404


def test_unknown_parameters_are_ignored(api: httpx.Client) -> None:
    response = send(api, Foo="bar", StatusCallback="https://example.com/cb", Attempt="1")
    assert response.status_code == 201
    assert api.get(f"{ACCOUNT}/Messages.json", params={"Bogus": "1", "PageSize": 1}).status_code == 200


def test_body_dollar_and_unicode_round_trip(api: httpx.Client) -> None:
    body = "Your total is $5 — merci! 👍"
    created = send(api, Body=body).json()
    assert created["body"] == body and api.get(created["uri"]).json()["body"] == body


def test_messages_are_listed_by_account(sandbox: Sandbox, api: httpx.Client) -> None:
    to = new_number()
    send(api, To=to)
    yesterday = (datetime.fromtimestamp(sandbox.clock.now(), UTC) - timedelta(days=1)).strftime("%Y-%m-%d")
    listed = api.get(f"{ACCOUNT}/Messages.json", params={"To": to, "DateSent<": yesterday}).json()
    assert listed["messages"] == []
