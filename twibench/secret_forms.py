"""Every form a secret value takes on the wire and in files: for masking it and for refusing to send it.

Masking (`redact.py`) uses `char_pattern`, which matches the value with each character in any of its
per-character forms — clear; URL-encoded (`%XX` or `%xx`, `+` for a space, any mix of encoded and plain
characters); JSON-escaped (`\\u0061`, `\\/`); XML-escaped (`&amp;`, `&#97;`, `&#x61;`) — plus
`whole_forms`, the encodings of the whole value that no per-character pattern sees (base64 in both
alphabets, padded or not; hex in either case).

The outbound guard (`outbound.py`) searches a request for `forms(secret)`: literal needles, including
base64 at each of the three byte alignments so a secret inside a longer base64 text (`user:secret` in
`Authorization: Basic`) is found wherever it starts, and `normalised_views(text)` decodes a text once so a
value encoded twice is caught.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from urllib.parse import quote, quote_plus, unquote, unquote_plus

__all__ = ["ESCAPE_MARKS", "MIN_SECRET_LEN", "b64_forms", "char_pattern", "forms", "normalised_views", "whole_forms"]

# Characters whose presence in a text means a per-character form could be there. Text with none of
# them can only hold a secret in clear (a fast literal search suffices).
ESCAPE_MARKS = ("\\", "%", "&")


def _hex(digits: str) -> str:
    """A case-insensitive pattern for hex digits (`7e` → `7[eE]`)."""
    return "".join(f"[{d.lower()}{d.upper()}]" if d.isalpha() else d for d in digits)


def _char(ch: str) -> str:
    code = ord(ch)
    alts = [re.escape(ch)]
    if code < 0x10000:
        alts.append(r"\\u" + _hex(f"{code:04x}"))
    alts.append("".join("%" + _hex(f"{b:02x}") for b in ch.encode("utf-8")))
    if ch == " ":
        alts.append(r"\+")
    if ch in '/"\\':
        alts.append(re.escape("\\" + ch))
    alts.append(f"&#0*{code};")
    alts.append(f"&#[xX]0*{_hex(f'{code:x}')};")
    entity = {"&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "(?:apos|#39)"}.get(ch)
    if entity:
        alts.append(f"&{entity};")
    return "(?:" + "|".join(alts) + ")"


def char_pattern(secret: str) -> str:
    """A regular expression matching `secret` with each character in any of its per-character forms."""
    return "".join(_char(ch) for ch in secret)


def b64_forms(raw: bytes) -> set[str]:
    """Base64 of `raw`, standard and URL-safe, padded and not (masking the padded form leaves no `=`)."""
    forms = {base64.b64encode(raw).decode("ascii"), base64.urlsafe_b64encode(raw).decode("ascii")}
    return forms | {form.rstrip("=") for form in forms}


def whole_forms(secret: str) -> set[str]:
    """Encodings of the whole value: base64 (both alphabets, padding optional) and hex (both cases)."""
    raw = secret.encode("utf-8")
    return b64_forms(raw) | {raw.hex(), raw.hex().upper()}


# --- literal needles for the outbound guard ---------------------------------------------------------

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
    import json  # loaded with the first secret to mask, not at start-up

    raw = secret.encode("utf-8")
    out: set[str] = {secret}
    for form in (quote(secret, safe=""), quote_plus(secret, safe=""), quote(secret, safe="/")):
        out.add(form)
        out.add(_PERCENT.sub(lambda m: m.group(0).lower(), form))
    b64 = _b64_aligned(raw, None) | _b64_aligned(raw, b"-_") | b64_forms(raw)
    out |= b64
    out |= {quote(form, safe="") for form in b64}
    out |= {raw.hex(), raw.hex().upper()}
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
