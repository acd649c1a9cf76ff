"""Every shape a secret can take on the wire: clear, URL-encoded, base64, hex and JSON-escaped.

The outbound guard searches a request for each of these before it leaves for a host the profile does
not allow. Twibench's own encoders decide most shapes (`urlencode` for forms and query strings,
`json.dumps` for JSON bodies, base64 for `Authorization: Basic user:secret`); the rest cover a value
that arrives already encoded. Base64 is searched at the three byte alignments, so a secret inside a
longer base64 text (`user:secret`) is found wherever it starts.

Shared with the redactor later: `forms(secret)` is a plain function of the value.
"""

from __future__ import annotations

import base64
import json
import re
from functools import lru_cache
from urllib.parse import quote, quote_plus, unquote, unquote_plus

__all__ = ["MIN_SECRET_LEN", "forms", "normalised_views"]

MIN_SECRET_LEN = 6
"""Shorter values are not searched for: they would match unrelated text (the redactor uses the same bound)."""
_MIN_B64_NEEDLE = 6
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")


def _b64_aligned(data: bytes, altchars: bytes | None) -> set[str]:
    """The base64 characters that encode only `data`, for each of the three alignments it can start at."""
    found: set[str] = set()
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + data, altchars=altchars).decode("ascii")
        start = -(-8 * offset // 6)  # the first character made of secret bits only
        stop = 8 * (offset + len(data)) // 6  # one past the last character made of secret bits only
        needle = encoded[start:stop]
        if len(needle) >= _MIN_B64_NEEDLE:
            found.add(needle)
    padded = base64.b64encode(data, altchars=altchars).decode("ascii")
    found.add(padded)
    found.add(padded.rstrip("="))
    return found


@lru_cache(maxsize=256)
def forms(secret: str) -> frozenset[str]:
    """Every encoded form of `secret` to search for (empty for a value too short to search).

    Clear; URL-encoded (`%XX` and `%xx`, `+` or `%20` for spaces, form and path escaping); base64
    (standard and URL-safe, padded, unpadded, and at each alignment); hex (both cases); JSON-escaped
    (ASCII-only and not, `\\/` too). The URL-encoded forms of the base64 forms are included.
    """
    if len(secret) < MIN_SECRET_LEN:
        return frozenset()
    raw = secret.encode("utf-8")
    out: set[str] = {secret}
    for form in (quote(secret, safe=""), quote_plus(secret, safe=""), quote(secret, safe="/")):
        out.add(form)
        out.add(_PERCENT.sub(lambda m: m.group(0).lower(), form))
    b64 = _b64_aligned(raw, None) | _b64_aligned(raw, b"-_")
    out |= b64
    out |= {quote(form, safe="") for form in b64}
    out.add(raw.hex())
    out.add(raw.hex().upper())
    for ascii_only in (True, False):
        escaped = json.dumps(secret, ensure_ascii=ascii_only)[1:-1]
        out.add(escaped)
        out.add(escaped.replace("/", "\\/"))
    return frozenset(form for form in out if form)


_JSON_ESCAPE = re.compile(r'\\(["\\/])')


def normalised_views(text: str) -> list[str]:
    """`text`, percent-decoded and JSON-unescaped once, so a value encoded twice is found too."""
    views = [text]
    if "%" in text or "+" in text:
        for decode in (unquote, unquote_plus):
            decoded = decode(text)
            if decoded not in views:
                views.append(decoded)
    if "\\" in text:
        unescaped = _JSON_ESCAPE.sub(lambda m: m.group(1), text)
        if unescaped not in views:
            views.append(unescaped)
    return views
