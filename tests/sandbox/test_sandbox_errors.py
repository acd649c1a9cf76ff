"""Errors: Twilio's validation codes, magic numbers, auth failures and malformed requests — all clean JSON."""

from __future__ import annotations

import re

import httpx
import pytest
from conftest import ACCOUNT, MAIN_AUTH, TEST_ACCOUNT, TEST_AUTH, Sandbox, assert_twilio_error, send

from twibench.sandbox import credentials as cred


@pytest.mark.parametrize(
    ("form", "status", "code"),
    [
        ({"To": None}, 400, 21604),
        ({"From": None}, 400, 21603),
        ({"Body": None}, 400, 21602),
        ({"Body": ""}, 400, 21602),
        ({"Body": "x" * 1601}, 400, 21617),
        ({"MediaUrl": [f"https://example.com/{i}.png" for i in range(11)]}, 400, 21623),
        ({"MediaUrl": "ftp://example.com/a.png"}, 400, 21620),
        ({"ContentSid": "HX" + "0" * 32}, 400, 21655),
        ({"To": "123"}, 400, 21211),
        ({"To": "+15005550001"}, 400, 21211),
        ({"To": "+15005550002"}, 400, 21612),
        ({"To": "+15005550003"}, 400, 21408),
        ({"To": "+15005550004"}, 400, 21610),
        ({"To": "+15005550009"}, 400, 21614),
        ({"From": "+15005550001"}, 400, 21212),
        ({"From": "not a number"}, 400, 21212),
        ({"From": "+15005550007"}, 400, 21606),
        ({"From": "+15017122661"}, 400, 21606),
        ({"From": "+15005550008"}, 429, 21611),
        ({"To": "+15005559500"}, 500, 20500),
        ({"To": "+15005559503"}, 503, 20503),
    ],
)
def test_create_validation_and_magic_numbers(
    api: httpx.Client, form: dict[str, object], status: int, code: int
) -> None:
    assert_twilio_error(send(api, **form), status, code)


def test_magic_from_passes_and_503_says_when_to_retry(api: httpx.Client) -> None:
    assert send(api, From="+15005550006").status_code == 201
    assert send(api, To="+15005559503").headers["retry-after"] == "1"


@pytest.mark.parametrize(
    "auth",
    [None, (cred.ACCOUNT_SID, "wrong"), ("ACnope", cred.AUTH_TOKEN), ("SK" + "0" * 32, "secret"), ("", "")],
)
def test_missing_or_wrong_credentials_are_401(sandbox: Sandbox, auth: tuple[str, str] | None) -> None:
    with sandbox.client(auth=auth) as client:
        response = client.get(f"{ACCOUNT}.json")
    body = assert_twilio_error(response, 401, 20003)
    assert body["message"] == "Authenticate" and body["detail"] == "Your AccountSid or AuthToken was incorrect."
    assert response.headers["www-authenticate"] == 'Basic realm="Twilio API"'


@pytest.mark.parametrize("header", ["Bearer abc", "Basic !!!", "Basic " + "bm9jb2xvbg==", "Basic"])
def test_malformed_authorization_headers_are_401(sandbox: Sandbox, header: str) -> None:
    response = httpx.get(f"{sandbox.url}{ACCOUNT}.json", headers={"Authorization": header})
    assert_twilio_error(response, 401, 20003)


def test_404s(api: httpx.Client) -> None:
    other = "/2010-04-01/Accounts/AC" + "1" * 32
    for path in (
        f"{other}/Messages.json",  # the URL's account is not the credentials' account
        f"{other}.json",
        f"{ACCOUNT}/Messages/SM{'0' * 32}.json",
        f"{ACCOUNT}/Keys/SK{'0' * 32}.json",
        f"{ACCOUNT}/IncomingPhoneNumbers/PN{'0' * 32}.json",
        f"{ACCOUNT}/Messages/{cred.WELCOME_MESSAGE_SID}/Media/ME{'0' * 32}.json",
        f"{ACCOUNT}/Nothing.json",  # not a path of the spec (Calls are served since issue 13)
        "/2010-04-01/Nothing.json",
        "/",
    ):
        body = assert_twilio_error(api.get(path), 404, 20404)
        assert path in str(body["message"])


def test_405_with_allow(api: httpx.Client) -> None:
    response = api.delete(f"{ACCOUNT}.json")
    assert_twilio_error(response, 405, 20004)
    assert response.headers["allow"] == "GET, HEAD, POST"
    assert_twilio_error(api.put(f"{ACCOUNT}/Messages.json"), 405, 20004)
    assert_twilio_error(api.put("/2010-04-01/Accounts.json"), 405, 20004)


def test_test_credentials_only_create_messages(sandbox: Sandbox) -> None:
    with sandbox.client(auth=TEST_AUTH) as client:
        created = send(client, account=TEST_ACCOUNT)
        assert created.status_code == 201 and created.json()["account_sid"] == cred.TEST_ACCOUNT_SID
        assert created.json()["status"] == "queued"
        assert_twilio_error(send(client, account=TEST_ACCOUNT, From="+15005550001"), 400, 21212)
        assert_twilio_error(send(client, account=TEST_ACCOUNT, To="+15005550004"), 400, 21610)
        for response in (
            client.get(f"{TEST_ACCOUNT}/Messages.json"),
            client.get(created.json()["uri"]),
            client.get(f"{TEST_ACCOUNT}.json"),
            client.post(f"{TEST_ACCOUNT}/Keys.json"),
            client.get(f"{TEST_ACCOUNT}/IncomingPhoneNumbers.json"),
        ):
            assert_twilio_error(response, 403, 20008)
        assert_twilio_error(send(client), 404, 20404)  # the main account's URL


def test_a_message_created_with_test_credentials_is_not_stored(sandbox: Sandbox, api: httpx.Client) -> None:
    with sandbox.client(auth=TEST_AUTH) as client:
        sid = send(client, account=TEST_ACCOUNT).json()["sid"]
    assert api.get(f"{ACCOUNT}/Messages/{sid}.json").status_code == 404


def test_304_with_if_none_match(api: httpx.Client) -> None:
    first = api.get(f"{ACCOUNT}.json")
    etag = first.headers["etag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        again = api.get(f"{ACCOUNT}.json", headers={"If-None-Match": header})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
        assert again.headers["twilio-request-id"].startswith("RQ")
    assert api.get(f"{ACCOUNT}.json", headers={"If-None-Match": '"other"'}).status_code == 200


def test_etag_changes_with_the_resource(sandbox: Sandbox, api: httpx.Client) -> None:
    created = send(api).json()
    etag = api.get(created["uri"]).headers["etag"]
    sandbox.clock.advance(2.0)  # status moved on: a new representation
    assert api.get(created["uri"], headers={"If-None-Match": etag}).status_code == 200


def test_seeded_account_etag_is_stable_while_unchanged(start_sandbox: object) -> None:
    """Two fresh sandboxes agree on the account's ETag: a tour can rely on it until the account changes."""
    tags = []
    for _ in range(2):
        box = start_sandbox()  # type: ignore[operator]
        with box.client(auth=MAIN_AUTH) as client:
            tags.append(client.get(f"{ACCOUNT}.json").headers["etag"])
            renamed = client.post(f"{ACCOUNT}.json", data={"FriendlyName": "renamed"})
            tags.append(client.get(f"{ACCOUNT}.json").headers["etag"])
            assert renamed.json()["friendly_name"] == "renamed"
    assert tags[0] == tags[2] and tags[0] != tags[1]


def test_account_update_and_limits(api: httpx.Client) -> None:
    assert api.post(f"{ACCOUNT}.json", data={"FriendlyName": "x" * 65}).status_code == 400
    assert api.post(f"{ACCOUNT}.json", data={"Status": "closed"}).status_code == 400
    assert api.post(f"{ACCOUNT}.json", data={"Status": "active"}).json()["status"] == "active"


# --- robustness: every malformed request is a clean 4xx JSON answer -----------------------------------


@pytest.mark.parametrize(
    ("content", "content_type", "status", "code"),
    [
        (b"To=%2B15551234567&From=%ZZ", "application/x-www-form-urlencoded", 400, 20400),
        (b"To=%2B15551234567&Body=%FF%FE", "application/x-www-form-urlencoded", 400, 20400),
        (b"To=+15551234567&Body=\xff\xfe", "application/x-www-form-urlencoded", 400, 20400),
        (b"just some text", "application/x-www-form-urlencoded", 400, 20400),
        (b"=value", "application/x-www-form-urlencoded", 400, 20400),
        (b'{"To": "+15551234567"}', "application/json", 415, 20415),
        (b"To=x", "multipart/form-data; boundary=x", 415, 20415),
        (b"To=x", "application/x-www-form-urlencoded; charset=latin-1", 415, 20415),
        (b"To=" + b"a" * (1024 * 1024 + 1), "application/x-www-form-urlencoded", 413, 20413),
    ],
)
def test_unreadable_bodies(api: httpx.Client, content: bytes, content_type: str, status: int, code: int) -> None:
    response = api.post(f"{ACCOUNT}/Messages.json", content=content, headers={"Content-Type": content_type})
    assert_twilio_error(response, status, code)


def test_huge_body_is_413_even_when_much_larger(api: httpx.Client) -> None:
    body = b"Body=" + b"x" * (5 * 1024 * 1024)
    response = api.post(
        f"{ACCOUNT}/Messages.json", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert_twilio_error(response, 413, 20413)


def test_bad_query_strings(api: httpx.Client) -> None:
    assert_twilio_error(api.get(f"{ACCOUNT}/Messages.json?To=%FF"), 400, 20400)
    assert_twilio_error(api.get(f"{ACCOUNT}/Messages.json?To=%G1"), 400, 20400)
    assert api.get(f"{ACCOUNT}/Messages.json?PageSize=2&flag").status_code == 200


def test_form_body_without_content_type_is_read_as_a_form(api: httpx.Client) -> None:
    response = api.post(f"{ACCOUNT}/Messages.json", content=b"To=%2B15551230000&From=%2B15005550006&Body=hi")
    assert response.status_code == 201


def test_csv_and_xml_representations(api: httpx.Client) -> None:
    csv = api.get(f"{ACCOUNT}/Messages.csv", params={"PageSize": 2})
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0].startswith("body,num_segments,direction,from,to")
    xml = api.get(f"{ACCOUNT}/Messages/{cred.WELCOME_MESSAGE_SID}")
    assert xml.status_code == 200 and xml.headers["content-type"].startswith("application/xml")
    assert "<TwilioResponse><Message><Body>Welcome" in xml.text
    listing = api.get(f"{ACCOUNT}/Keys")
    assert listing.status_code == 200 and "<Keys " in listing.text
    missing = api.get(f"{ACCOUNT}/Messages/SM{'0' * 32}")
    assert missing.status_code == 404 and "<RestException><Code>20404</Code>" in missing.text


def test_head_has_headers_without_body(api: httpx.Client) -> None:
    full = api.get(f"{ACCOUNT}.json")
    head = api.head(f"{ACCOUNT}.json")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(full.content)) and head.headers["etag"] == full.headers["etag"]


def test_a_path_no_spec_has_says_the_sandbox_does_not_implement_it(api: httpx.Client) -> None:
    """Issue 12 item 11: a 404 for an operation the sandbox lacks says so, not a bare "not found"."""
    body = assert_twilio_error(api.get(f"{ACCOUNT}/Nothing.json"), 404, 20404)
    assert "the sandbox implements no operation at this path" in str(body["message"])
    missing = assert_twilio_error(api.get(f"{ACCOUNT}/Messages/SM{'0' * 32}.json"), 404, 20404)
    assert "implements" not in str(missing["message"])  # a known operation on a missing resource
