"""API keys end to end: create, use as a credential at once, list, rename, delete, and be refused after."""

from __future__ import annotations

import httpx
from conftest import ACCOUNT, Sandbox, assert_twilio_error, send


def test_api_key_flow_end_to_end(sandbox: Sandbox, api: httpx.Client) -> None:
    created = api.post(f"{ACCOUNT}/Keys.json", data={"FriendlyName": "ci key"})
    assert created.status_code == 201
    key = created.json()
    assert key["sid"].startswith("SK") and len(key["secret"]) == 32 and key["secret"].isalnum()
    key_uri = f"{ACCOUNT}/Keys/{key['sid']}.json"

    # The secret appears only in the create response.
    fetched = api.get(key_uri).json()
    assert "secret" not in fetched and fetched["friendly_name"] == "ci key"
    listed = api.get(f"{ACCOUNT}/Keys.json").json()["keys"]
    assert key["sid"] in [k["sid"] for k in listed] and all("secret" not in k for k in listed)

    # It works at once as an API Key credential for its account (URLs keep the Account SID).
    with sandbox.client(auth=(key["sid"], key["secret"])) as as_key:
        message = send(as_key, Body="sent with an API key")
        assert message.status_code == 201
        assert as_key.get(message.json()["uri"]).status_code == 200
        assert as_key.get(f"{ACCOUNT}/Messages.json", params={"PageSize": 1}).status_code == 200
        # A standard key cannot manage keys or the account (Twilio wants a Main key or the Auth Token).
        assert_twilio_error(as_key.get(f"{ACCOUNT}/Keys.json"), 401, 20003)
        assert_twilio_error(as_key.get(f"{ACCOUNT}.json"), 401, 20003)
        # The wrong secret, or the right secret for another SID, is refused.
        with sandbox.client(auth=(key["sid"], key["secret"][:-1] + "?")) as wrong:
            assert_twilio_error(wrong.get(message.json()["uri"]), 401, 20003)

        assert api.post(key_uri, data={"FriendlyName": "renamed"}).json()["friendly_name"] == "renamed"
        assert api.delete(key_uri).status_code == 204
        # A deleted key stops working immediately.
        assert_twilio_error(as_key.get(message.json()["uri"]), 401, 20003)
    assert_twilio_error(api.get(key_uri), 404, 20404)
    assert_twilio_error(api.delete(key_uri), 404, 20404)


def test_key_without_name_and_name_limit(api: httpx.Client) -> None:
    key = api.post(f"{ACCOUNT}/Keys.json").json()
    assert key["friendly_name"] is None
    assert api.post(f"{ACCOUNT}/Keys.json", data={"FriendlyName": "k" * 65}).status_code == 400
    assert api.delete(f"{ACCOUNT}/Keys/{key['sid']}.json").status_code == 204


def test_keys_are_newest_first(api: httpx.Client) -> None:
    sids = [api.post(f"{ACCOUNT}/Keys.json", data={"FriendlyName": f"k{i}"}).json()["sid"] for i in range(3)]
    listed = [k["sid"] for k in api.get(f"{ACCOUNT}/Keys.json", params={"PageSize": 3}).json()["keys"]]
    assert listed == sids[::-1]
