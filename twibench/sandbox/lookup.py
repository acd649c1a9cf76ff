"""Lookup: phone number validation and formatting with Google's libphonenumber (`phonenumbers`).

v2 always answers 200: an invalid number comes back `valid: false` with `validation_errors`
(TOO_SHORT, TOO_LONG, INVALID_COUNTRY_CODE, INVALID_BUT_POSSIBLE, NOT_A_NUMBER…), never 404. v1, the
older API, answers 404 for a number it cannot parse or validate. A national number needs `CountryCode`.
Twilio's magic test numbers (+1 500 555 00xx) are valid North American numbers here, as in
libphonenumber.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import phonenumbers

from twibench.sandbox.call import Call, Reply
from twibench.sandbox.errors import not_found
from twibench.sandbox.generic import handlers, records
from twibench.sandbox.generic.model import operation
from twibench.sandbox.generic.target import Target

_REASONS = {
    phonenumbers.ValidationResult.TOO_SHORT: "TOO_SHORT",
    phonenumbers.ValidationResult.TOO_LONG: "TOO_LONG",
    phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: "INVALID_COUNTRY_CODE",
    phonenumbers.ValidationResult.INVALID_LENGTH: "INVALID_LENGTH",
}


def validate(raw: str, country: str | None) -> dict[str, Any]:
    """What Lookup v2 says about `raw` (E.164 or national with `country`)."""
    out: dict[str, Any] = {
        "phone_number": raw,
        "valid": False,
        "validation_errors": [],
        "country_code": country.upper() if country else None,
        "calling_country_code": None,
        "national_format": None,
    }
    try:
        number = phonenumbers.parse(raw, country.upper() if country else None)
    except phonenumbers.NumberParseException as exc:
        reason = {
            phonenumbers.NumberParseException.INVALID_COUNTRY_CODE: "INVALID_COUNTRY_CODE",
            phonenumbers.NumberParseException.TOO_SHORT_NSN: "TOO_SHORT",
            phonenumbers.NumberParseException.TOO_SHORT_AFTER_IDD: "TOO_SHORT",
            phonenumbers.NumberParseException.TOO_LONG: "TOO_LONG",
        }.get(exc.error_type, "NOT_A_NUMBER")
        out["validation_errors"] = [reason]
        return out
    out["calling_country_code"] = str(number.country_code)
    out["country_code"] = phonenumbers.region_code_for_number(number) or out["country_code"]
    out["phone_number"] = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    out["national_format"] = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    if phonenumbers.is_valid_number(number):
        out["valid"] = True
        return out
    possible = phonenumbers.is_possible_number_with_reason(number)
    out["validation_errors"] = [_REASONS.get(possible, "INVALID_BUT_POSSIBLE")]
    return out


def lookup_v2(target: Target, call: Call) -> Reply:
    """GET /v2/PhoneNumbers/{PhoneNumber} → 200, `valid` true or false."""
    op = operation(target.item, "get")
    assert op is not None
    data = handlers.build(replace(target, args={}), call, op, target.path, None)  # the number is checked here
    facts = validate(target.args["PhoneNumber"], call.params.get("CountryCode"))
    data.update(facts)
    return Reply(payload=records.public(data, op.properties), element="PhoneNumber", cacheable=True)


def lookup_v1(target: Target, call: Call) -> Reply:
    """GET /v1/PhoneNumbers/{PhoneNumber} → 200 for a valid number, 404 otherwise (v1's behaviour)."""
    op = operation(target.item, "get")
    assert op is not None
    facts = validate(target.args["PhoneNumber"], call.params.get("CountryCode"))
    if not facts["valid"]:
        raise not_found(target.store_path(target.path))
    data = handlers.build(replace(target, args={}), call, op, target.path, None)  # the number is checked here
    data.update({k: facts[k] for k in ("phone_number", "national_format", "country_code")})
    data["url"] = f"https://lookups.twilio.com/v1/PhoneNumbers/{facts['phone_number']}"
    return Reply(payload=records.public(data, op.properties), element="PhoneNumber", cacheable=True)


OVERRIDES = {
    ("lookups", "/v2/PhoneNumbers/{PhoneNumber}", "GET"): lookup_v2,
    ("lookups", "/v1/PhoneNumbers/{PhoneNumber}", "GET"): lookup_v1,
}
