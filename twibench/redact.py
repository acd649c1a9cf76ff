"""The one place secrets are masked: headers, query strings, form bodies, JSON, XML and CSV bodies, text.

Every output that can outlive the screen (history, `--json`, reports, exports, error messages) passes
through a Redactor. It knows the (user, secret) pairs of the loaded profiles and any captured secrets,
and masks each secret in every form it takes (`secret_forms`: clear, URL-encoded in any case or mix,
JSON- and XML-escaped, base64 and hex), plus the value of every secret field (`secret_fields`:
`auth_token`, `secret`, `password`, `credential`, `*_token`…) of JSON, XML, CSV and form bodies,
whatever host sent them. Masking follows the value: a secret field's value, once seen, is masked
wherever else it appears (in every form) for the rest of this Redactor's life.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterable

from twibench.secret_fields import MASK, csv_secret_columns, is_secret_field, mask_csv, mask_fields
from twibench.secret_forms import ESCAPE_MARKS, b64_forms, char_pattern, whole_forms

__all__ = [
    "MASK",
    "MIN_SECRET_LEN",
    "Redactor",
    "mask_sid",
    "require_long_secret",
    "short_secret_error",
    "short_secret_problem",
]

# Shorter secrets cannot be masked without destroying unrelated text (a 4-character secret matches
# everywhere), so profiles refuse them (`short_secret_error`); Twilio's Auth Tokens and API Key secrets
# are 32 characters.
MIN_SECRET_LEN = 8

SCAN_STEP = 128 * 1024
"""A long text is searched this many characters at a time (`_sub_in_steps`), so a history writer thread
masking a 2 MB body gives the GIL back to the event loop between steps instead of holding it ~100 ms."""
SCAN_OVERLAP = 64 * 1024
"""How far past its step a search may read: longer than any match (a needle, a secret spelt with escapes)."""


def _sub_in_steps(pattern: re.Pattern[str], value: str, replace: Callable[[re.Match[str]], str]) -> str:
    """`pattern.sub(replace, value)`, one step of the text per C call: the same result for any match
    shorter than SCAN_OVERLAP (every match starting in a step is searched with the overlap after it)."""
    if len(value) <= SCAN_STEP:
        return pattern.sub(replace, value)
    out: list[str] = []
    pos = done = 0
    while pos < len(value):
        end = pos + SCAN_STEP
        for match in pattern.finditer(value, pos, end + SCAN_OVERLAP):
            if match.start() >= end:
                break
            out.append(value[done : match.start()])
            out.append(replace(match))
            done = match.end()
        pos = max(end, done)
    out.append(value[done:])
    return "".join(out)


def short_secret_problem(field: str, secret: str) -> str | None:
    """Why `secret` (the value of `field`) is too short to mask, or None when it is long enough."""
    if len(secret) >= MIN_SECRET_LEN:
        return None
    return (
        f"{field} is {len(secret)} characters; a secret needs at least {MIN_SECRET_LEN} "
        "(shorter ones cannot be masked reliably; Twilio's are 32)"
    )


def short_secret_error(profile: str, field: str, secret: str) -> str | None:
    """The one-sentence error naming the profile and field of a secret too short to mask, or None."""
    problem = short_secret_problem(field, secret)
    return None if problem is None else f"profile '{profile}': {problem}"


def require_long_secret(profile: str, field: str, secret: str, error: type[Exception]) -> str:
    """`secret`, or `error` raised with `short_secret_error`'s sentence when it is too short to mask."""
    problem = short_secret_error(profile, field, secret)
    if problem is not None:
        raise error(problem)
    return secret


def mask_sid(sid: str) -> str:
    """`AC01…cdef`: a SID's prefix and first two characters, then the last four."""
    if len(sid) <= 8:
        return MASK
    return f"{sid[:4]}…{sid[-4:]}"


class Redactor:
    """Masks every known secret in whatever passes through it."""

    def __init__(
        self,
        credentials: Iterable[tuple[str, str]] = (),
        secrets: Iterable[str] = (),
        *,
        mask_json_fields: bool = True,
    ) -> None:
        """`mask_json_fields=False` leaves secret fields of bodies alone (the screen shows a new key once)."""
        self.mask_json_fields = mask_json_fields
        self._needles: dict[str, str] = {}
        self._secrets: list[str] = []
        self._literal: re.Pattern[str] | None = None
        self._chars: re.Pattern[str] | None = None
        for user, secret in credentials:
            self.add_credential(user, secret)
        for secret in secrets:
            self.add_secret(secret)

    def add_credential(self, user: str, secret: str) -> None:
        """Know a basic-auth pair: the secret in every form, and the base64 `user:secret` token."""
        self.add_secret(secret)
        if secret:
            for token in b64_forms(f"{user}:{secret}".encode()):
                self._add_needle(token, f"{mask_sid(user)}:{MASK}")

    def add_secret(self, secret: str) -> None:
        """Know a secret value (a profile secret, a `capture_secret` value, a secret field's value)."""
        if len(secret) < MIN_SECRET_LEN or secret in self._secrets:
            return
        self._secrets.append(secret)
        self._chars = None
        for form in {secret, *whole_forms(secret)}:
            self._add_needle(form, MASK)

    def _add_needle(self, needle: str, replacement: str) -> None:
        if needle and needle not in self._needles:
            self._needles[needle] = replacement
            self._literal = None

    @property
    def longest_needle(self) -> int:
        """The length of the longest string masked (a cut closer than this to a secret may split it)."""
        return max((len(needle) for needle in self._needles), default=0)

    @property
    def secrets_known(self) -> int:
        """How many distinct strings are masked (for tests and diagnostics)."""
        return len(self._needles)

    def _found(self, value: str) -> None:
        self.add_secret(value)

    def text(self, value: str) -> str:
        """Mask secret fields, then every known secret in any of its forms."""
        if self.mask_json_fields:
            value = mask_fields(value, self._found)
        return self._values(value)

    def _values(self, value: str) -> str:
        if not self._needles:
            return value
        if self._literal is None:
            ordered = sorted(self._needles, key=len, reverse=True)
            self._literal = re.compile("|".join(re.escape(n) for n in ordered))
        value = _sub_in_steps(self._literal, value, lambda m: self._needles[m.group(0)])
        if self._secrets and any(mark in value for mark in ESCAPE_MARKS):
            if self._chars is None:
                ordered = sorted(self._secrets, key=len, reverse=True)
                self._chars = re.compile("|".join(char_pattern(s) for s in ordered))
            value = _sub_in_steps(self._chars, value, lambda _m: MASK)
        return value

    def header(self, name: str, value: str) -> str:
        """Mask one header value; Authorization always becomes `Basic AC01…cdef:••••` (or `Scheme ••••`)."""
        if name.lower() in ("authorization", "proxy-authorization"):
            scheme, _, token = value.partition(" ")
            if scheme.lower() == "basic":
                try:
                    user = base64.b64decode(token, validate=True).decode("utf-8").partition(":")[0]
                except ValueError:
                    user = ""
                return f"Basic {mask_sid(user)}:{MASK}" if user else f"Basic {MASK}"
            return f"{scheme} {MASK}"
        if self.mask_json_fields and value and is_secret_field(name):
            self._found(value)
            return MASK
        return self.text(value)

    def headers(self, pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        """Mask a list of header pairs."""
        return [(name, self.header(name, value)) for name, value in pairs]

    def body(self, data: bytes, content_type: str | None = None) -> bytes:
        """Mask secrets in a body (JSON, XML, CSV, form, text; `content_type` helps tell CSV apart).

        Non-UTF-8 bodies are masked byte-wise for each clear and whole-value form.
        """
        if not data:
            return data
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            for needle, replacement in sorted(self._needles.items(), key=lambda kv: -len(kv[0])):
                data = data.replace(needle.encode("utf-8"), replacement.encode("utf-8"))
            return data
        if self.mask_json_fields:
            text = self._csv(text, content_type)
        return self.text(text).encode("utf-8")

    def mask_values(self, data: bytes) -> bytes:
        """Replace each known secret's clear value in `data`, and nothing else.

        The TUI's body viewer masks with it on the event loop: one `bytes.replace` per secret keeps a
        20 MB body to milliseconds (no decoding, no regular expression), and secret JSON fields are
        left alone, so a new API key's secret is shown this once, as Twilio shows it.
        """
        for secret in sorted(self._secrets, key=len, reverse=True):
            data = data.replace(secret.encode("utf-8"), MASK.encode("utf-8"))
        return data

    def _csv(self, text: str, content_type: str | None) -> str:
        declared = content_type is not None and "csv" in content_type.lower()
        if content_type is not None and not declared and "text/plain" not in content_type.lower():
            return text
        columns = csv_secret_columns(text)
        if columns is None:
            return text
        if columns or (declared and '""' in text):
            return mask_csv(text, columns, self._found, lambda cell: mask_fields(cell, self._found))
        return text


class StoredRedactor(Redactor):
    """Masks again what was recorded, keeping the recorded Authorization (`Basic AC01…cdef:••••`) as it is.

    A stored Authorization value is already masked; the usual header rule would decode it as base64,
    fail, and drop the masked SID the user may want to see.
    """

    def header(self, name: str, value: str) -> str:
        """Mask known secrets in the stored value as plain text."""
        return self.text(value)


def shown(value: str, *, secret: bool) -> str:
    """A value as it may be displayed: the mask when it is a secret (a `capture_secret` value)."""
    return MASK if secret else value


def holds_mask(body: str | None, headers: Iterable[tuple[str, str]]) -> bool:
    """Whether a recorded request's body or headers carry a masked value (a replay sends the mask, not the secret)."""
    return MASK in (body or "") or any(MASK in value for _, value in headers)
