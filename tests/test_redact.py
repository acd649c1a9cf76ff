"""Redaction: secrets masked in every encoding, Authorization masked, Twilio secret fields masked."""

from __future__ import annotations

import base64
from urllib.parse import quote, quote_plus

from twibench.redact import MASK, Redactor, mask_sid

AC = "AC0123456789abcdef0123456789abcdef"
SECRET = "s3cr3t/with+chars&="


def test_secret_in_clear_urlencoded_and_base64_forms() -> None:
    r = Redactor([(AC, SECRET)])
    token = base64.b64encode(f"{AC}:{SECRET}".encode()).decode()
    text = f"a {SECRET} b {quote(SECRET, safe='')} c {quote_plus(SECRET)} d {token}"
    out = r.text(text)
    assert SECRET not in out and quote(SECRET, safe="") not in out and token not in out
    assert out.count(MASK) == 4


def test_authorization_header_shows_masked_user() -> None:
    r = Redactor()
    token = base64.b64encode(f"{AC}:{SECRET}".encode()).decode()
    assert r.header("Authorization", f"Basic {token}") == f"Basic AC01…cdef:{MASK}"
    assert r.header("authorization", "Bearer abc.def") == f"Bearer {MASK}"
    assert r.header("Accept", "application/json") == "application/json"


def test_twilio_json_secret_fields() -> None:
    body = b'{"sid": "SK1", "secret": "abc\\"def", "auth_token": "0123", "friendly_name": "secret"}'
    out = Redactor().body(body)
    assert out == f'{{"sid": "SK1", "secret": "{MASK}", "auth_token": "{MASK}", "friendly_name": "secret"}}'.encode()
    assert Redactor(mask_json_fields=False).body(body) == body


def test_binary_body_masks_clear_needles() -> None:
    r = Redactor(secrets=["captured-secret"])
    body = b"\xff\xfe captured-secret \x00"
    assert b"captured-secret" not in r.body(body)


def test_short_values_are_not_needles() -> None:
    r = Redactor(secrets=["ab"])
    assert r.text("abc ab") == "abc ab"


def test_mask_sid() -> None:
    assert mask_sid(AC) == "AC01…cdef"
    assert mask_sid("short") == MASK
