"""The secret field list matches the bundled OpenAPI specs, and the naming rule behind it."""

from __future__ import annotations

from pathlib import Path

import twibench
from twibench.secret_fields import SECRET_FIELDS, SPEC_SECRET_FIELDS, is_secret_field, secret_fields_in_specs

SPECS = Path(twibench.__file__).parent / "data" / "twilio-oai"


def test_generated_constant_matches_the_specs() -> None:
    specs = [SPECS / "twilio_api_v2010.json.gz", SPECS / "twilio_messaging_v1.json.gz"]
    assert tuple(secret_fields_in_specs(specs)) == SPEC_SECRET_FIELDS
    assert set(SPEC_SECRET_FIELDS) <= set(SECRET_FIELDS)


def test_rule() -> None:
    for name in ("auth_token", "AuthToken", "SecondaryAuthToken", "secret", "Password", "SipAuthPassword",
                 "credential", "api_secret", "x:Secret", "access_token"):  # fmt: skip
        assert is_secret_field(name), name
    for name in ("PageToken", "next_page_token", "token_type", "credentials", "credential_list_sid", "key",
                 "keys", "username", "friendly_name", "TokenType"):  # fmt: skip
        assert not is_secret_field(name), name
