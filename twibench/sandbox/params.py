"""Reading request parameters: the query string and form bodies, strictly, into `Params`.

Twilio takes `application/x-www-form-urlencoded` bodies only. Anything the sandbox cannot read — bad
percent escapes, bytes that are not UTF-8, a field without `=`, another content type, a body over the
size cap — is answered with a clean 4xx JSON error instead of being guessed at.
"""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

from twibench.sandbox.call import Params
from twibench.sandbox.errors import BAD_REQUEST, TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, ApiError

MAX_BODY_BYTES = 1024 * 1024
"""Bodies above 1 MiB are refused with 413."""
FORM_TYPE = "application/x-www-form-urlencoded"
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def too_large() -> ApiError:
    """413 for a body over MAX_BODY_BYTES."""
    return ApiError(413, TOO_LARGE, f"The request body is larger than the sandbox accepts ({MAX_BODY_BYTES} bytes)")


def check_content_type(content_type: str | None) -> None:
    """Accept form bodies (any UTF-8-compatible charset) and bodies with no declared type.

    Raises:
        ApiError: 415 for any other content type.
    """
    if not content_type or not content_type.strip():
        return
    media_type, _, rest = content_type.partition(";")
    if media_type.strip().lower() != FORM_TYPE:
        raise ApiError(
            415,
            UNSUPPORTED_MEDIA_TYPE,
            f"Unsupported Content-Type '{media_type.strip()}': send parameters as {FORM_TYPE}",
        )
    for param in rest.split(";"):
        name, _, value = param.partition("=")
        charset = value.strip().strip('"').lower()
        if name.strip().lower() == "charset" and charset not in ("utf-8", "utf8", "us-ascii", "ascii"):
            raise ApiError(415, UNSUPPORTED_MEDIA_TYPE, f"Unsupported charset '{charset}': form bodies must be UTF-8")


def parse_form(body: bytes) -> Params:
    """Parse a form body strictly.

    Raises:
        ApiError: 400 when the body is not valid UTF-8 form encoding.
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise _malformed("the body is not UTF-8 text") from None
    return Params(_pairs(text, strict=True))


def parse_query(raw: bytes | str) -> Params:
    """Parse a query string (a name without `=` is an empty value, as browsers send it).

    Raises:
        ApiError: 400 on bad percent escapes or non-UTF-8 bytes.
    """
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise _malformed("the query string is not UTF-8 text") from None
    return Params(_pairs(text, strict=False))


def _pairs(text: str, *, strict: bool) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for item in text.split("&"):
        if not item:
            continue
        name, sep, value = item.partition("=")
        if strict and not sep:
            raise _malformed(f"the field '{_preview(item)}' has no '='")
        decoded = _decode(name)
        if not decoded:
            raise _malformed(f"the field '{_preview(item)}' has no name")
        pairs.append((decoded, _decode(value)))
    return pairs


def _decode(part: str) -> str:
    if _BAD_ESCAPE.search(part):
        raise _malformed(f"'{_preview(part)}' contains an invalid percent escape")
    try:
        return unquote(part.replace("+", " "), errors="strict")
    except UnicodeDecodeError:
        raise _malformed(f"'{_preview(part)}' decodes to bytes that are not UTF-8") from None


def _preview(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def _malformed(why: str) -> ApiError:
    return ApiError(400, BAD_REQUEST, f"Malformed request parameters: {why}")


def json_params(body: bytes) -> Params:
    """A JSON object body (the few operations whose spec takes JSON) as parameters: top-level members,
    nested values as JSON text.

    Raises:
        ApiError: 400 when the body is not a JSON object.
    """
    try:
        value = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _malformed("the body is not valid JSON") from None
    if not isinstance(value, dict):
        raise _malformed("the JSON body is not an object")
    pairs: list[tuple[str, str]] = []
    for name, member in value.items():
        if isinstance(member, str):
            pairs.append((str(name), member))
        elif isinstance(member, bool):
            pairs.append((str(name), "true" if member else "false"))
        else:
            pairs.append((str(name), json.dumps(member)))
    return Params(pairs)
