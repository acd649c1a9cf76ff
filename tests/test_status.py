"""Status meanings and Twilio error decoding, checked against the facts in the project's Twilio notes."""

from __future__ import annotations

import json

import pytest

from twibench.status import (
    DOCUMENTED_CODES,
    GENERIC_ERROR_TITLE,
    MAX_ERROR_BODY,
    StatusMeaning,
    TwilioError,
    decode_twilio_error,
    error_title,
    format_twilio_error,
    meaning,
    more_info_url,
    resource_error,
    status_class,
    status_line,
)

# code -> (name, words the documented meaning must contain): the facts from Twilio's status table.
DOCUMENTED = {
    200: ("OK", ["success", "representation"]),
    201: ("CREATED", ["created", "POST"]),
    204: ("NO CONTENT", ["deleted", "DELETE"]),
    302: ("FOUND", ["GET", "Location"]),
    304: ("NOT MODIFIED", ["cached", "current"]),
    401: ("UNAUTHORIZED", ["credentials"]),
    404: ("NOT FOUND", ["no resource"]),
    405: ("METHOD NOT ALLOWED", ["method", "deleted"]),
    429: ("TOO MANY REQUESTS", ["too fast", "concurrency limit"]),
    500: ("SERVER ERROR", ["Twilio", "internal error"]),
    503: ("SERVICE UNAVAILABLE", ["temporarily", "try again"]),
}

# Every error code in the Twilio notes, with a word its title must contain.
ERROR_CODES = {
    20003: "Authentication",
    20004: "Method not allowed",
    20008: "test credentials",
    20009: "delete",
    20404: "not found",
    20429: "concurrent",
    20500: "server error",
    20503: "unavailable",
    21211: "Invalid 'To' phone number",
    21212: "Invalid 'From' phone number",
    21408: "region",
    21602: "body is required",
    21603: "MessagingServiceSid",
    21604: "'To'",
    21606: "message-capable",
    21608: "not verified",
    21610: "unsubscribed",
    21611: "queue is full",
    21612: "SMS/MMS",
    21614: "mobile",
    21617: "1600",
    21623: "10 media",
    30400: "update",
}

TWILIO_400 = {
    "code": 21211,
    "message": "The 'To' number 123 is not a valid phone number.",
    "more_info": "https://www.twilio.com/docs/errors/21211",
    "status": 400,
}

TWILIO_401 = {
    "code": 20003,
    "detail": "Your AccountSid or AuthToken was incorrect.",
    "message": "Authenticate",
    "more_info": "https://www.twilio.com/docs/errors/20003",
    "status": 401,
}


def _json(data: object) -> bytes:
    return json.dumps(data).encode()


class TestMeaning:
    def test_the_documented_table_is_exactly_twilios(self) -> None:
        assert tuple(DOCUMENTED) == DOCUMENTED_CODES

    @pytest.mark.parametrize("code", list(DOCUMENTED))
    def test_documented_codes_carry_the_documented_meaning(self, code: int) -> None:
        name, words = DOCUMENTED[code]
        m = meaning(code)
        assert m == StatusMeaning(code, name, m.meaning, True)
        for word in words:
            assert word.lower() in m.meaning.lower(), (code, word, m.meaning)

    @pytest.mark.parametrize("code", list(DOCUMENTED))
    def test_status_line_is_code_name_em_dash_meaning(self, code: int) -> None:
        m = meaning(code)
        assert status_line(code) == f"{code} {DOCUMENTED[code][0]} — {m.meaning}"

    def test_the_exact_lines_for_the_renamed_codes(self) -> None:
        assert status_line(204).startswith("204 NO CONTENT — ")
        assert status_line(405).startswith("405 METHOD NOT ALLOWED — ")
        assert status_line(201).startswith("201 CREATED — ")

    @pytest.mark.parametrize(
        ("code", "name"),
        [
            (100, "CONTINUE"),
            (101, "SWITCHING PROTOCOLS"),
            (202, "ACCEPTED"),
            (203, "NON-AUTHORITATIVE INFORMATION"),
            (206, "PARTIAL CONTENT"),
            (301, "MOVED PERMANENTLY"),
            (303, "SEE OTHER"),
            (307, "TEMPORARY REDIRECT"),
            (308, "PERMANENT REDIRECT"),
            (400, "BAD REQUEST"),
            (402, "PAYMENT REQUIRED"),
            (403, "FORBIDDEN"),
            (406, "NOT ACCEPTABLE"),
            (408, "REQUEST TIMEOUT"),
            (409, "CONFLICT"),
            (410, "GONE"),
            (411, "LENGTH REQUIRED"),
            (413, "CONTENT TOO LARGE"),
            (414, "URI TOO LONG"),
            (415, "UNSUPPORTED MEDIA TYPE"),
            (422, "UNPROCESSABLE CONTENT"),
            (423, "LOCKED"),
            (451, "UNAVAILABLE FOR LEGAL REASONS"),
            (501, "NOT IMPLEMENTED"),
            (502, "BAD GATEWAY"),
            (504, "GATEWAY TIMEOUT"),
        ],
    )
    def test_common_codes_have_standard_meanings(self, code: int, name: str) -> None:
        m = meaning(code)
        assert (m.code, m.name, m.documented) == (code, name, False)
        assert m.meaning and not m.meaning.endswith(".")
        assert status_line(code) == f"{code} {name} — {m.meaning}"

    def test_bad_request_points_at_the_twilio_error_code(self) -> None:
        assert "Twilio error code" in meaning(400).meaning

    @pytest.mark.parametrize(
        ("code", "name"),
        [(199, "INFORMATIONAL"), (299, "SUCCESS"), (399, "REDIRECTION"), (499, "CLIENT ERROR"), (599, "SERVER ERROR")],
    )
    def test_unlisted_codes_fall_back_to_their_class(self, code: int, name: str) -> None:
        m = meaning(code)
        assert (m.name, m.documented) == (name, False)
        assert "unlisted" in m.meaning or "interim" in m.meaning

    @pytest.mark.parametrize("code", [-1, 0, 42, 99, 600, 999, 10_000])
    def test_nonsense_codes_still_get_a_line(self, code: int) -> None:
        assert status_line(code) == f"{code} INVALID STATUS — not an HTTP status code (those run from 100 to 599)"
        assert status_class(code) == "server_error"

    @pytest.mark.parametrize(
        ("code", "cls"),
        [
            (100, "info"),
            (101, "info"),
            (200, "success"),
            (204, "success"),
            (299, "success"),
            (302, "redirect"),
            (304, "redirect"),
            (400, "client_error"),
            (429, "client_error"),
            (500, "server_error"),
            (503, "server_error"),
            (599, "server_error"),
        ],
    )
    def test_status_class(self, code: int, cls: str) -> None:
        assert status_class(code) == cls

    def test_every_meaning_reads_after_an_em_dash(self) -> None:
        for code in range(100, 600):
            m = meaning(code)
            assert m.name == m.name.upper() and m.name.strip() == m.name
            assert m.meaning[0].islower() or m.meaning.startswith("Twilio"), (code, m.meaning)
            assert not m.meaning.endswith("."), code
            assert "\n" not in status_line(code)


class TestErrorTitles:
    @pytest.mark.parametrize("code", list(ERROR_CODES))
    def test_every_documented_error_code_has_its_own_title(self, code: int) -> None:
        title = error_title(code)
        assert title != GENERIC_ERROR_TITLE
        assert ERROR_CODES[code].lower() in title.lower()

    def test_titles_are_distinct(self) -> None:
        titles = [error_title(code) for code in ERROR_CODES]
        assert len(set(titles)) == len(titles)

    @pytest.mark.parametrize("code", [0, 1, 99999, 456789])
    def test_unknown_codes_get_the_generic_title(self, code: int) -> None:
        assert error_title(code) == "Twilio error"

    @pytest.mark.parametrize(
        ("code", "title"),
        [(11200, "HTTP retrieval failure"), (30007, "Message filtered"), (60202, "Max check attempts reached")],
    )
    def test_other_codes_take_their_title_from_twilios_dictionary(self, code: int, title: str) -> None:
        assert error_title(code) == title

    def test_more_info_url(self) -> None:
        assert more_info_url(21211) == "https://www.twilio.com/docs/errors/21211"


class TestDecode:
    def test_a_real_looking_400(self) -> None:
        err = decode_twilio_error(_json(TWILIO_400), "application/json; charset=utf-8")
        assert err == TwilioError(
            code=21211,
            title="Invalid 'To' phone number",
            message="The 'To' number 123 is not a valid phone number.",
            more_info="https://www.twilio.com/docs/errors/21211",
            status=400,
        )
        assert format_twilio_error(err) == (
            "Twilio error 21211 — Invalid 'To' phone number: The 'To' number 123 is not a valid phone number."
        )

    def test_a_401_keeps_its_detail_and_shows_it(self) -> None:
        err = decode_twilio_error(_json(TWILIO_401), "application/json")
        assert err is not None
        assert (err.code, err.status, err.message) == (20003, 401, "Authenticate")
        assert err.detail == "Your AccountSid or AuthToken was incorrect."
        assert format_twilio_error(err) == (
            "Twilio error 20003 — Authentication failed or permission denied: Authenticate "
            "(Your AccountSid or AuthToken was incorrect.)"
        )

    def test_missing_more_info_is_built_from_the_code(self) -> None:
        body = {"code": 20404, "message": "The requested resource was not found", "status": 404}
        err = decode_twilio_error(_json(body), "application/json")
        assert err is not None and err.more_info == "https://www.twilio.com/docs/errors/20404"

    def test_unknown_code_gets_the_generic_title(self) -> None:
        err = decode_twilio_error(_json({"code": 456789, "message": "Something new"}), None)
        assert err is not None
        assert (err.title, err.status) == ("Twilio error", None)
        assert format_twilio_error(err) == "Twilio error 456789 — Twilio error: Something new"

    def test_a_message_that_repeats_the_title_is_said_once(self) -> None:
        err = decode_twilio_error(_json({"code": 20004, "message": "Method not allowed: DELETE"}), None)
        assert err is not None
        assert format_twilio_error(err) == "Twilio error 20004 — Method not allowed: DELETE"
        err = decode_twilio_error(_json({"code": 11200, "message": "HTTP retrieval failure"}), None)
        assert err is not None
        assert format_twilio_error(err) == "Twilio error 11200 — HTTP retrieval failure"

    def test_empty_message_gives_a_line_without_a_colon(self) -> None:
        err = decode_twilio_error(_json({"code": 20500, "message": ""}), "application/json")
        assert err is not None and format_twilio_error(err) == "Twilio error 20500 — Internal server error"

    @pytest.mark.parametrize(("code", "expected"), [("21211", 21211), (21211.0, 21211), (" 20003 ", 20003)])
    def test_int_like_codes(self, code: object, expected: int) -> None:
        err = decode_twilio_error(_json({"code": code, "message": "m", "status": "400"}), "application/json")
        assert err is not None and (err.code, err.status) == (expected, 400)

    def test_without_content_type_json_is_sniffed(self) -> None:
        err = decode_twilio_error(b"\n  " + _json(TWILIO_400), None)
        assert err is not None and err.code == 21211

    def test_problem_json_counts_as_json(self) -> None:
        err = decode_twilio_error(_json(TWILIO_400), "application/problem+json")
        assert err is not None and err.code == 21211

    def test_the_xml_form_twilio_sends_without_dot_json(self) -> None:
        body = (
            b'<?xml version="1.0" encoding="UTF-8"?>\n<TwilioResponse><RestException><Code>20404</Code>'
            b"<Message>The requested resource /2010-04-01/Accounts/AC1/Messages/SM1 was not found</Message>"
            b"<MoreInfo>https://www.twilio.com/docs/errors/20404</MoreInfo><Status>404</Status>"
            b"</RestException></TwilioResponse>"
        )
        err = decode_twilio_error(body, "application/xml")
        assert err is not None
        assert (err.code, err.status, err.title) == (20404, 404, "Resource not found")
        assert err.message.endswith("was not found")
        assert err.more_info == "https://www.twilio.com/docs/errors/20404"

    def test_xml_with_a_doctype_is_never_parsed(self) -> None:
        body = (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY m "x">]><TwilioResponse><RestException>'
            b"<Code>20404</Code><Message>&m;</Message></RestException></TwilioResponse>"
        )
        assert decode_twilio_error(body, "text/xml") is None

    @pytest.mark.parametrize(
        ("body", "content_type"),
        [
            (b"", "application/json"),
            (b"Internal Server Error", "text/plain"),
            (b"<html><body>502 Bad Gateway</body></html>", "text/html"),
            (b'{"code": 21211, "message": "x"', "application/json"),  # truncated
            (b"[1, 2, 3]", "application/json"),  # not an object
            (b'"just a string"', "application/json"),
            (b'{"sid": "SM123", "status": "queued"}', "application/json"),  # a resource, not an error
            (b'{"code": "abc", "message": "x"}', "application/json"),
            (b'{"code": true, "message": "x"}', "application/json"),
            (b'{"code": 1.5, "message": "x"}', "application/json"),
            (b'{"code": -3, "message": "x"}', "application/json"),
            (b'{"code": 21211}', "application/json"),  # no message: too generic to be Twilio's
            (b'{"code": 21211, "message": 5}', "application/json"),
            (b"\xff\xfe{\x00", "application/json"),  # not UTF-8
            (b"<TwilioResponse><Message/></TwilioResponse>", "application/xml"),
            (b"<not xml", "application/xml"),
        ],
    )
    def test_other_bodies_are_not_errors(self, body: bytes, content_type: str) -> None:
        assert decode_twilio_error(body, content_type) is None

    def test_huge_bodies_are_not_parsed(self) -> None:
        padding = "x" * MAX_ERROR_BODY
        body = _json({**TWILIO_400, "padding": padding})
        assert len(body) > MAX_ERROR_BODY
        assert decode_twilio_error(body, "application/json") is None
        small = _json({**TWILIO_400, "padding": "x" * 1000})
        assert decode_twilio_error(small, "application/json") is not None

    def test_deeply_nested_json_is_not_an_error_and_does_not_crash(self) -> None:
        assert decode_twilio_error(b"[" * 50_000 + b"]" * 50_000, "application/json") is None

    def test_a_bom_is_tolerated(self) -> None:
        err = decode_twilio_error(b"\xef\xbb\xbf" + _json(TWILIO_400), "application/json")
        assert err is not None and err.code == 21211

    def test_the_dataclass_is_frozen(self) -> None:
        err = decode_twilio_error(_json(TWILIO_400), "application/json")
        assert err is not None
        with pytest.raises(AttributeError):
            err.code = 1  # type: ignore[misc]


class TestResourceError:
    def test_a_failed_message_names_its_error_code(self) -> None:
        body = _json({"sid": "SM1", "status": "undelivered", "error_code": 30007, "error_message": None})
        err = resource_error(body, "application/json")
        assert err is not None and (err.code, err.title) == (30007, "Message filtered")
        assert err.more_info == "https://www.twilio.com/docs/errors/30007"
        assert format_twilio_error(err) == "Twilio error 30007 — Message filtered"

    @pytest.mark.parametrize(
        "body",
        [
            {"sid": "SM1", "error_code": None},
            {"sid": "SM1"},
            {"error_code": "not a number"},
            [{"error_code": 30007}],
        ],
    )
    def test_healthy_resources_and_other_bodies_have_none(self, body: object) -> None:
        assert resource_error(_json(body), "application/json") is None

    def test_xml_and_huge_bodies_are_not_read(self) -> None:
        assert resource_error(b"<Message><ErrorCode>30007</ErrorCode></Message>", "application/xml") is None
        assert resource_error(b'{"error_code": 30007, "x": "' + b"a" * MAX_ERROR_BODY + b'"}', None) is None


def test_a_429_with_another_twilio_error_says_both_meanings() -> None:
    from twibench import status

    """Issue 12 item 12: 21611 under a 429 is a full queue, not the concurrency limit; say both."""
    line = status.status_line(429, 21611)
    assert "concurrency limit" in line and "message queue is full" in line and "21611" in line
    assert status.status_line(429, 20429) == status.status_line(429)
