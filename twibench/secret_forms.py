"""The forms a secret value takes on the wire and in files, as needles and patterns to mask.

A secret is masked in clear; URL-encoded (`%XX` or `%xx`, `quote` or `quote_plus`, and any mix of
encoded and plain characters); JSON-escaped (`\\u0061` for any or every character, `\\/`); XML-escaped
(`&amp;`, `&#97;`, `&#x61;`); base64 (standard or URL-safe, padded or not); and hex (lower or upper
case). `char_pattern` covers every mix of the per-character forms in one regular expression;
`whole_forms` lists the encodings of the whole value (base64, hex) that no per-character pattern sees.
"""

from __future__ import annotations

import base64
import re

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
