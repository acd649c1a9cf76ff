"""What an HTTP status code and a Twilio error code mean, in words the status line can show.

Twilio documents the meaning of eleven status codes for its REST API; those are shown with Twilio's
meaning (`documented=True`) so the workbench teaches the API the way its docs do. Every other code gets
the standard HTTP meaning, and codes nobody defines still get a line for their class, because the
status line is never allowed to be blank. Twilio's JSON (and XML) error bodies are decoded here too,
so the CLI, the history and the TUI all show `Twilio error 21211 — Invalid 'To' phone number: …` the
same way.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "DOCUMENTED_CODES",
    "GENERIC_ERROR_TITLE",
    "MAX_ERROR_BODY",
    "StatusClass",
    "StatusMeaning",
    "TwilioError",
    "decode_twilio_error",
    "error_title",
    "format_twilio_error",
    "meaning",
    "more_info_url",
    "status_class",
    "status_line",
]

StatusClass = Literal["info", "success", "redirect", "client_error", "server_error"]

# Error bodies are a few hundred bytes; anything bigger is a resource, not an error, and is not worth
# parsing twice (the body viewer parses it already).
MAX_ERROR_BODY = 64 * 1024


@dataclass(frozen=True)
class StatusMeaning:
    """One status code explained.

    Attributes:
        code: The HTTP status code as received.
        name: The upper-case reason phrase shown after the code (`CREATED`, `NO CONTENT`).
        meaning: One short clause, lower-case, no final period, that reads well after an em dash.
        documented: True when the meaning is Twilio's own (its REST API status table), False for a
            standard HTTP meaning or a per-class fallback.
    """

    code: int
    name: str
    meaning: str
    documented: bool


# Twilio's documented table, in the project's words. 204 is "OK" in Twilio's docs and 405 "NOT ALLOWED";
# the status line uses the standard phrases NO CONTENT and METHOD NOT ALLOWED because "204 OK" would
# read like a 200 and "NOT ALLOWED" hides that it is about the method.
_DOCUMENTED: dict[int, tuple[str, str]] = {
    200: ("OK", "success: the body is the representation of the resource you asked for"),
    201: ("CREATED", "success: a new resource was created and the body describes it (POST only)"),
    204: ("NO CONTENT", "success: the resource was deleted, so there is no body (the answer to a DELETE)"),
    302: ("FOUND", "redirect: GET the representation from the URI in the Location header"),
    304: ("NOT MODIFIED", "the copy you already have cached is still current; nothing new was sent"),
    401: ("UNAUTHORIZED", "the credentials sent, if any, are not enough to access this resource"),
    404: ("NOT FOUND", "there is no resource at this URL"),
    405: ("METHOD NOT ALLOWED", "this resource does not accept that method; usually it can't be deleted"),
    429: (
        "TOO MANY REQUESTS",
        "requests are coming too fast: the account's concurrency limit was reached; retry with backoff",
    ),
    500: ("SERVER ERROR", "Twilio could not return the representation because of an internal error on its side"),
    503: ("SERVICE UNAVAILABLE", "Twilio is temporarily unable to answer; wait a moment and try again"),
}

DOCUMENTED_CODES: tuple[int, ...] = tuple(_DOCUMENTED)
"""The status codes whose meaning comes from Twilio's documentation, in ascending order."""

# Standard HTTP meanings (RFC 9110 and friends) for the codes an API client plausibly meets.
_STANDARD: dict[int, tuple[str, str]] = {
    100: ("CONTINUE", "the server got the request headers; the client may send the body"),
    101: ("SWITCHING PROTOCOLS", "the server agreed to switch to the protocol named in the Upgrade header"),
    102: ("PROCESSING", "the server accepted the request and is still working on it"),
    103: ("EARLY HINTS", "preliminary headers sent before the final answer"),
    202: ("ACCEPTED", "the request was accepted for processing, which has not finished yet"),
    203: ("NON-AUTHORITATIVE INFORMATION", "success, but a proxy changed the body it got from the origin"),
    205: ("RESET CONTENT", "success; the client should reset the form or view that sent the request"),
    206: ("PARTIAL CONTENT", "success: the body is the part of the resource the Range header asked for"),
    207: ("MULTI-STATUS", "the body holds a separate status for each of several resources"),
    208: ("ALREADY REPORTED", "members already listed earlier in this multi-status answer"),
    226: ("IM USED", "success: the body is the result of instance manipulations applied to the resource"),
    300: ("MULTIPLE CHOICES", "the resource has several representations; pick one"),
    301: ("MOVED PERMANENTLY", "the resource has a new permanent URI, given in the Location header"),
    303: ("SEE OTHER", "the answer is at another URI (Location header); GET it from there"),
    305: ("USE PROXY", "the resource must be reached through a proxy (deprecated)"),
    307: ("TEMPORARY REDIRECT", "repeat the same request, same method and body, at the URI in the Location header"),
    308: ("PERMANENT REDIRECT", "the resource moved for good; repeat the same request at the Location URI"),
    400: (
        "BAD REQUEST",
        "a parameter is missing or invalid; the Twilio error code in the body says which",
    ),
    402: ("PAYMENT REQUIRED", "the account lacks the funds or the plan for this request"),
    403: ("FORBIDDEN", "the credentials are valid but not allowed to do this"),
    406: ("NOT ACCEPTABLE", "no representation matches the request's Accept headers"),
    407: ("PROXY AUTHENTICATION REQUIRED", "a proxy between you and the server wants credentials first"),
    408: ("REQUEST TIMEOUT", "the server gave up waiting for the complete request"),
    409: ("CONFLICT", "the request conflicts with the resource's current state"),
    410: ("GONE", "the resource existed but was removed for good"),
    411: ("LENGTH REQUIRED", "the server needs a Content-Length header"),
    412: ("PRECONDITION FAILED", "a condition in the request headers (If-Match…) was false"),
    413: ("CONTENT TOO LARGE", "the request body is larger than the server accepts"),
    414: ("URI TOO LONG", "the URL is longer than the server accepts; move parameters to the body"),
    415: ("UNSUPPORTED MEDIA TYPE", "the server does not accept the request body's Content-Type"),
    416: ("RANGE NOT SATISFIABLE", "the Range asked for lies outside the resource"),
    417: ("EXPECTATION FAILED", "the server can't meet the request's Expect header"),
    418: ("I'M A TEAPOT", "a joke code (RFC 2324); the server refuses to brew coffee"),
    421: ("MISDIRECTED REQUEST", "the request reached a server that can't answer for this host"),
    422: ("UNPROCESSABLE CONTENT", "the body is well-formed but its content is not acceptable"),
    423: ("LOCKED", "the resource is locked"),
    424: ("FAILED DEPENDENCY", "the request depended on another one that failed"),
    425: ("TOO EARLY", "the server won't risk processing a request that might be replayed"),
    426: ("UPGRADE REQUIRED", "switch to the protocol named in the Upgrade header and try again"),
    428: ("PRECONDITION REQUIRED", "the server wants a conditional request (If-Match…)"),
    431: ("REQUEST HEADER FIELDS TOO LARGE", "the request headers are too large"),
    451: ("UNAVAILABLE FOR LEGAL REASONS", "the resource is withheld for legal reasons"),
    501: ("NOT IMPLEMENTED", "the server does not support what the request asks for"),
    502: ("BAD GATEWAY", "a gateway or proxy got an invalid answer from the server behind it"),
    504: ("GATEWAY TIMEOUT", "a gateway or proxy timed out waiting for the server behind it"),
    505: ("HTTP VERSION NOT SUPPORTED", "the server does not support the request's HTTP version"),
    506: ("VARIANT ALSO NEGOTIATES", "the server's content negotiation is misconfigured"),
    507: ("INSUFFICIENT STORAGE", "the server can't store what is needed to complete the request"),
    508: ("LOOP DETECTED", "the server found an infinite loop while processing the request"),
    510: ("NOT EXTENDED", "the server needs further extensions to the request"),
    511: ("NETWORK AUTHENTICATION REQUIRED", "the network (a captive portal) wants you to log in first"),
}

# One line per class so an unlisted code still says something true.
_CLASS_FALLBACK: dict[int, tuple[str, str]] = {
    1: ("INFORMATIONAL", "an interim answer; the final one follows"),
    2: ("SUCCESS", "an unlisted success code: the request was received, understood and accepted"),
    3: ("REDIRECTION", "an unlisted redirect code: further action is needed to complete the request"),
    4: ("CLIENT ERROR", "an unlisted client error code: the request has a problem to fix before retrying"),
    5: ("SERVER ERROR", "an unlisted server error code: the server failed to answer a valid request"),
}

_CLASS_NAMES: dict[int, StatusClass] = {
    1: "info",
    2: "success",
    3: "redirect",
    4: "client_error",
    5: "server_error",
}


def meaning(code: int) -> StatusMeaning:
    """Explain a status code: Twilio's documented meaning, else the standard one, else its class's.

    Args:
        code: Any integer; codes outside 100–599 are described as invalid rather than rejected, since
            they come from a server and the status line must always show something.

    Returns:
        The name and meaning, with `documented` telling whether the words are Twilio's.
    """
    if code in _DOCUMENTED:
        name, text = _DOCUMENTED[code]
        return StatusMeaning(code, name, text, True)
    if code in _STANDARD:
        name, text = _STANDARD[code]
        return StatusMeaning(code, name, text, False)
    if 100 <= code <= 599:
        name, text = _CLASS_FALLBACK[code // 100]
        return StatusMeaning(code, name, text, False)
    return StatusMeaning(code, "INVALID STATUS", "not an HTTP status code (those run from 100 to 599)", False)


# The Twilio error a status's documented meaning describes; another code under it means something else.
_GENERIC_ERRORS = {429: 20429}


def status_line(code: int, twilio_code: int | None = None) -> str:
    """The one-line status shown everywhere: `201 CREATED — <meaning>`.

    A 429 whose Twilio error is not the concurrency limit (21611: the From number's queue is full) says
    both: the status's documented meaning and what this Twilio error means.
    """
    m = meaning(code)
    line = f"{m.code} {m.name} — {m.meaning}"
    generic = _GENERIC_ERRORS.get(code)
    if generic is not None and twilio_code is not None and twilio_code != generic:
        title = _ERROR_TITLES.get(twilio_code, f"Twilio error {twilio_code}")
        line = f"{m.code} {m.name} — documented: {m.meaning}; this one: {title} ({twilio_code})"
    return line


def status_class(code: int) -> StatusClass:
    """The class the TUI colours by.

    Codes outside 100–599 count as "server_error": an invalid status line is the server misbehaving.
    """
    return _CLASS_NAMES.get(code // 100, "server_error") if code >= 100 else "server_error"


# ---------------------------------------------------------------------------------------------------
# Twilio error codes

# Short titles for the error codes the project's collections and sandbox produce (see the README).
_ERROR_TITLES: dict[int, str] = {
    20003: "Authentication failed or permission denied",
    20004: "Method not allowed",
    20008: "Not available with test credentials",
    20009: "Can't delete a resource that is not finished yet",
    20404: "Resource not found",
    20429: "Too many concurrent requests",
    20500: "Internal server error",
    20503: "Service unavailable",
    21211: "Invalid 'To' phone number",
    21212: "Invalid 'From' phone number",
    21408: "No permission to send to this region",
    21602: "Message body is required",
    21603: "'From' or 'MessagingServiceSid' is required",
    21604: "'To' phone number is required",
    21606: "'From' is not a message-capable number of this account",
    21608: "Trial account: the 'To' number is not verified",
    21610: "Recipient has unsubscribed (replied STOP)",
    21611: "The 'From' number's message queue is full",
    21612: "'To' number can't be reached by SMS/MMS",
    21614: "'To' number is not a mobile number",
    21617: "Message body is longer than 1600 characters",
    21623: "More than 10 media URLs",
    30400: "Invalid parameters for a message update",
}

GENERIC_ERROR_TITLE = "Twilio error"


@dataclass(frozen=True)
class TwilioError:
    """A decoded Twilio error body.

    Attributes:
        code: Twilio's error code (`21211`), the key to its error dictionary.
        title: The project's short title for the code (`error_title`).
        message: The body's `message`, as sent.
        more_info: The body's `more_info` link, or the docs URL built from the code when it is missing.
        status: The body's `status` (the HTTP status Twilio meant), when present and numeric.
        detail: The body's `detail` (a 401 explains which credential failed there), when present.
    """

    code: int
    title: str
    message: str
    more_info: str
    status: int | None
    detail: str | None = None


def error_title(code: int) -> str:
    """A short title for a Twilio error code: the project's own, else Twilio's dictionary, else "Twilio error"."""
    title = _ERROR_TITLES.get(code)
    if title is None:
        from twibench import twilio_errors  # read on the first unknown code, never at start-up

        info = twilio_errors.lookup(code)
        title = info.title if info is not None and info.title else GENERIC_ERROR_TITLE
    return title


def more_info_url(code: int) -> str:
    """The Twilio docs page for an error code, used when a body carries no `more_info`."""
    return f"https://www.twilio.com/docs/errors/{code}"


def _int_like(value: object) -> int | None:
    """Accept 21211, "21211" and 21211.0 but not booleans, fractions or words."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*\d{1,9}\s*", value):
        return int(value)
    return None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _from_fields(fields: dict[str, Any]) -> TwilioError | None:
    code = _int_like(fields.get("code"))
    message = _text(fields.get("message"))
    # "code" alone is too common a field name to mean a Twilio error; Twilio always sends a message.
    if code is None or code <= 0 or message is None:
        return None
    more_info = _text(fields.get("more_info")) or more_info_url(code)
    detail = _text(fields.get("detail"))
    return TwilioError(
        code=code,
        title=error_title(code),
        message=message,
        more_info=more_info,
        status=_int_like(fields.get("status")),
        detail=detail or None,
    )


def _decode_json(text: str) -> TwilioError | None:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return _from_fields(data) if isinstance(data, dict) else None


def _decode_xml(text: str) -> TwilioError | None:
    # Without `.json` Twilio answers in XML: <TwilioResponse><RestException><Code>… . Documents with a
    # DOCTYPE are never parsed (no entity expansion of any kind on untrusted input).
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        return None
    from xml.etree import ElementTree  # only XML error bodies need it; keeps start-up light

    try:
        root = ElementTree.fromstring(text)  # noqa: S314 - small body, DOCTYPE refused above
    except ElementTree.ParseError:
        return None
    node = root if root.tag == "RestException" else root.find("RestException")
    if node is None:
        return None
    fields: dict[str, Any] = {}
    for child in node:
        key = re.sub(r"(?<!^)([A-Z])", r"_\1", child.tag).lower()  # MoreInfo -> more_info
        fields[key] = (child.text or "").strip()
    return _from_fields(fields)


def decode_twilio_error(body: bytes, content_type: str | None) -> TwilioError | None:
    """Recognise Twilio's error body and decode it; None for anything else.

    The JSON form is `{"code", "message", "more_info", "status"}` (a 401 adds `detail`); the XML form,
    sent when the URL has no `.json`, wraps the same fields in `<RestException>`. Bodies over
    `MAX_ERROR_BODY`, non-JSON/XML bodies, and JSON that is not an object with an integer `code` and a
    string `message` are not errors: they come back as None so callers can try it on every response.

    Args:
        body: The raw response body.
        content_type: The response's Content-Type header, or None; without one the body is sniffed.

    Returns:
        The decoded error, or None.
    """
    if not body or len(body) > MAX_ERROR_BODY:
        return None
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    start = text.lstrip()[:1]
    if mime.endswith(("/json", "+json")) or (start == "{" and not mime.endswith(("/xml", "+xml"))):
        return _decode_json(text)
    if mime.endswith(("/xml", "+xml")) or (not mime and start == "<"):
        return _decode_xml(text)
    return None


def resource_error(body: bytes, content_type: str | None) -> TwilioError | None:
    """The error a resource reports about itself — a message's `error_code` 30007 — decoded, else None.

    Unlike an error body, the request succeeded (a 200 fetch of a failed message): the resource carries
    `error_code` (an integer, or null while all is well) and `error_message`. Only JSON objects under
    `MAX_ERROR_BODY` are read; list pages are not (their records each carry their own).
    """
    if not body or len(body) > MAX_ERROR_BODY:
        return None
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if mime and not mime.endswith(("/json", "+json")):
        return None
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    code = _int_like(data.get("error_code"))
    if code is None or code <= 0:
        return None
    return TwilioError(
        code=code,
        title=error_title(code),
        message=_text(data.get("error_message")) or "",
        more_info=more_info_url(code),
        status=None,
    )


def format_twilio_error(err: TwilioError) -> str:
    """The one-line form shown under the status line.

    `Twilio error 21211 — Invalid 'To' phone number: The 'To' number 123 is not a valid phone number.`
    A 401's `detail` is appended in parentheses because its `message` ("Authenticate") says little.
    The `more_info` link is not included: callers show it on its own line so it can be opened.
    The message and detail come from the server: their control characters are made visible
    (`textsafe.line`), so an error body cannot retitle or clear the terminal.
    """
    from twibench.textsafe import line as visible

    line = f"Twilio error {err.code} — {err.title}"
    if err.message and err.message.casefold().startswith(err.title.casefold()):
        # "Method not allowed: DELETE" under the title "Method not allowed": say it once.
        line = f"Twilio error {err.code} — {visible(err.message)}"
    elif err.message:
        line += f": {visible(err.message)}"
    if err.detail and err.detail != err.message:
        line += f" ({visible(err.detail)})"
    return line
