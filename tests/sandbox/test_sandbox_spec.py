"""Every operation the sandbox implements answers in the shape Twilio's OpenAPI spec documents."""

from __future__ import annotations

import httpx
from conftest import ACCOUNT, Sandbox, send, validated

from twibench.sandbox import credentials as cred

A = "/2010-04-01/Accounts/{AccountSid}"
IMPLEMENTED = {
    ("GET", "/2010-04-01/Accounts.json"),
    ("GET", "/2010-04-01/Accounts/{Sid}.json"),
    ("POST", "/2010-04-01/Accounts/{Sid}.json"),
    ("GET", f"{A}/Messages.json"),
    ("POST", f"{A}/Messages.json"),
    ("GET", f"{A}/Messages/{{Sid}}.json"),
    ("POST", f"{A}/Messages/{{Sid}}.json"),
    ("DELETE", f"{A}/Messages/{{Sid}}.json"),
    ("GET", f"{A}/Messages/{{MessageSid}}/Media.json"),
    ("GET", f"{A}/Messages/{{MessageSid}}/Media/{{Sid}}.json"),
    ("DELETE", f"{A}/Messages/{{MessageSid}}/Media/{{Sid}}.json"),
    ("POST", f"{A}/Messages/{{MessageSid}}/Feedback.json"),
    ("GET", f"{A}/Keys.json"),
    ("POST", f"{A}/Keys.json"),
    ("GET", f"{A}/Keys/{{Sid}}.json"),
    ("POST", f"{A}/Keys/{{Sid}}.json"),
    ("DELETE", f"{A}/Keys/{{Sid}}.json"),
    ("GET", f"{A}/IncomingPhoneNumbers.json"),
    ("GET", f"{A}/IncomingPhoneNumbers/{{Sid}}.json"),
}


def test_every_operation_answers_as_the_spec_documents(sandbox: Sandbox, api: httpx.Client) -> None:
    """Each call goes through the spec-checking client; the last assertion proves none was skipped."""
    assert api.get("/2010-04-01/Accounts.json").status_code == 200
    assert api.get(f"{ACCOUNT}.json").status_code == 200
    assert api.post(f"{ACCOUNT}.json", data={"FriendlyName": "twibench sandbox"}).status_code == 200

    sms = send(api, Body="Hello from the spec test")
    mms = send(api, Body="", MediaUrl=["https://example.com/a.png", "https://example.com/b.jpg"])
    assert (sms.status_code, mms.status_code) == (201, 201)
    sandbox.clock.advance(2.0)
    sms_uri, mms_sid = sms.json()["uri"], mms.json()["sid"]
    assert api.get(sms_uri).json()["status"] == "delivered"
    assert api.get(f"{ACCOUNT}/Messages.json", params={"PageSize": 5}).status_code == 200
    assert api.post(sms_uri, data={"Body": ""}).json()["body"] == ""
    assert (
        api.post(f"{ACCOUNT}/Messages/{sms.json()['sid']}/Feedback.json", data={"Outcome": "confirmed"}).status_code
        == 200
    )

    media = api.get(mms.json()["subresource_uris"]["media"]).json()["media_list"]
    assert len(media) == 2
    assert api.get(media[0]["uri"]).status_code == 200
    assert api.delete(media[0]["uri"]).status_code == 204
    assert api.delete(sms_uri).status_code == 204
    assert api.delete(f"{ACCOUNT}/Messages/{mms_sid}.json").status_code == 204

    key = api.post(f"{ACCOUNT}/Keys.json", data={"FriendlyName": "spec"}).json()
    key_uri = f"{ACCOUNT}/Keys/{key['sid']}.json"
    assert api.get(f"{ACCOUNT}/Keys.json").status_code == 200
    assert api.get(key_uri).status_code == 200
    assert api.post(key_uri, data={"FriendlyName": "renamed"}).json()["friendly_name"] == "renamed"
    assert api.delete(key_uri).status_code == 204

    numbers = api.get(f"{ACCOUNT}/IncomingPhoneNumbers.json").json()["incoming_phone_numbers"]
    assert api.get(numbers[0]["uri"]).json()["phone_number"] == cred.PHONE_NUMBER

    assert validated >= IMPLEMENTED, sorted(IMPLEMENTED - validated)


def test_dates_are_rfc_2822_and_numbers_stay_strings(api: httpx.Client) -> None:
    body = send(api, Body="x" * 161).json()
    assert body["num_segments"] == "2" and body["num_media"] == "0"
    assert body["date_created"].endswith(" +0000") and body["date_sent"] is None
    assert body["price"] is None and body["price_unit"] == "USD" and body["error_code"] is None
    assert body["uri"] == f"{ACCOUNT}/Messages/{body['sid']}.json"
    assert body["subresource_uris"] == {
        "media": f"{ACCOUNT}/Messages/{body['sid']}/Media.json",
        "feedback": f"{ACCOUNT}/Messages/{body['sid']}/Feedback.json",
    }
