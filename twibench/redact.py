"""The one place secrets are masked: headers, query strings, form bodies, JSON bodies and free text.

Every output that can outlive the screen (history, `--json`, reports, exports, error messages) passes
through a Redactor. It knows the (user, secret) pairs of the loaded profiles and any captured secrets,
and masks each secret in clear, URL-encoded and base64 `user:secret` form, plus the secret fields of
Twilio JSON bodies (`auth_token`, an API key's `secret`).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

MASK = "••••"
SECRET_JSON_FIELDS = ("auth_token", "secret")
# A JSON member whose key is a known secret field and whose value is a string: mask only the value.
_JSON_SECRET = re.compile(r'("(?:auth_token|secret)"\s*:\s*")((?:[^"\\]|\\.)*)(")')
_MIN_SECRET_LEN = 6


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
        self.mask_json_fields = mask_json_fields
        self._users: dict[str, str] = {}
        self._needles: dict[str, str] = {}
        self._pattern: re.Pattern[str] | None = None
        for user, secret in credentials:
            self.add_credential(user, secret)
        for secret in secrets:
            self.add_secret(secret)

    def add_credential(self, user: str, secret: str) -> None:
        """Know a basic-auth pair: the secret in every encoding, and the base64 `user:secret` token."""
        self.add_secret(secret)
        if secret:
            token = base64.b64encode(f"{user}:{secret}".encode()).decode("ascii")
            self._users[token] = user
            self._add_needle(token, f"{mask_sid(user)}:{MASK}")

    def add_secret(self, secret: str) -> None:
        """Know a secret value (a profile secret or a `capture_secret` value)."""
        if len(secret) < _MIN_SECRET_LEN:
            # Too short to mask without destroying unrelated text; such a secret is refused upstream.
            return
        for form in {secret, quote(secret, safe=""), quote_plus(secret, safe="")}:
            self._add_needle(form, MASK)
        self._add_needle(base64.b64encode(secret.encode()).decode("ascii"), MASK)

    def _add_needle(self, needle: str, replacement: str) -> None:
        if needle and needle not in self._needles:
            self._needles[needle] = replacement
            self._pattern = None

    @property
    def secrets_known(self) -> int:
        """How many distinct strings are masked (for tests and diagnostics)."""
        return len(self._needles)

    def text(self, value: str) -> str:
        """Mask every known secret (any encoding) in free text, then the secret fields of JSON text."""
        if self._needles:
            if self._pattern is None:
                ordered = sorted(self._needles, key=len, reverse=True)
                self._pattern = re.compile("|".join(re.escape(n) for n in ordered))
            value = self._pattern.sub(lambda m: self._needles[m.group(0)], value)
        if self.mask_json_fields and '"' in value:
            value = _JSON_SECRET.sub(lambda m: m.group(1) + MASK + m.group(3), value)
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
        return self.text(value)

    def headers(self, pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        """Mask a list of header pairs."""
        return [(name, self.header(name, value)) for name, value in pairs]

    def body(self, data: bytes) -> bytes:
        """Mask secrets in a body; non-UTF-8 bodies are masked byte-wise for each clear needle."""
        if not data:
            return data
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            for needle, replacement in self._needles.items():
                data = data.replace(needle.encode("utf-8"), replacement.encode("utf-8"))
            return data
        return self.text(text).encode("utf-8")
