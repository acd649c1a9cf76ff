"""A secret scanner for tests: every file, every secret, every form a secret takes when encoded.

`secret_forms` lists the forms (clear; URL-encoded with upper and lower case `%xx`, by `quote` and by
`quote_plus`; base64 standard and URL-safe, padded and not; hex in both cases; JSON `\\uXXXX` for every
character in both cases, and a mix of escaped and plain characters). `scan` reads the raw bytes of
every file under the given paths (SQLite databases and their WAL included) and returns each hit as
(label, form, file) — never the secret itself, so a failing test does not print it.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, quote_plus


def _lower_escapes(text: str) -> str:
    """`%2F` → `%2f` (only the hex digits after each `%`)."""
    parts = text.split("%")
    return parts[0] + "".join("%" + p[:2].lower() + p[2:] for p in parts[1:])


def _json_escaped(secret: str, every: int, upper: bool = False) -> str:
    """`\\u0061`-escape every `every`-th character (1 = all of them)."""
    out = []
    for i, ch in enumerate(secret):
        if i % every == 0 and ord(ch) < 0x10000:
            code = f"{ord(ch):04x}"
            out.append("\\u" + (code.upper() if upper else code))
        else:
            out.append(ch)
    return "".join(out)


def secret_forms(secret: str) -> dict[str, bytes]:
    """Every form of `secret` that must never be written, by name (forms equal to another are dropped)."""
    raw = secret.encode("utf-8")
    b64 = base64.b64encode(raw).decode()
    b64url = base64.urlsafe_b64encode(raw).decode()
    candidates = {
        "clear": secret,
        "url %XX": quote(secret, safe=""),
        "url %xx": _lower_escapes(quote(secret, safe="")),
        "quote_plus %XX": quote_plus(secret, safe=""),
        "quote_plus %xx": _lower_escapes(quote_plus(secret, safe="")),
        "base64": b64,
        "base64 unpadded": b64.rstrip("="),
        "base64url": b64url,
        "base64url unpadded": b64url.rstrip("="),
        "hex": raw.hex(),
        "HEX": raw.hex().upper(),
        "json \\u all": _json_escaped(secret, 1),
        "json \\U all": _json_escaped(secret, 1, upper=True),
        "json \\u mixed": _json_escaped(secret, 2),
    }
    forms: dict[str, bytes] = {}
    seen: set[bytes] = set()
    for name, text in candidates.items():
        data = text.encode("utf-8")
        if data not in seen:
            seen.add(data)
            forms[name] = data
    return forms


@dataclass(frozen=True)
class Hit:
    """One secret found in one file: which secret (its label), in which form, where."""

    label: str
    form: str
    file: Path
    offset: int


def files_under(paths: Iterable[Path]) -> list[Path]:
    """Every regular file under `paths` (files are taken as they are; folders recursively)."""
    found: list[Path] = []
    for path in paths:
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file()))
    return found


def scan(secrets: Mapping[str, str], paths: Iterable[Path]) -> tuple[list[Hit], int, int]:
    """Search every file under `paths` for every form of every secret (label → value).

    Returns:
        (hits, number of forms searched, number of files read).
    """
    files = files_under(paths)
    forms = {label: secret_forms(value) for label, value in secrets.items()}
    hits: list[Hit] = []
    for file in files:
        data = file.read_bytes()
        for label, by_form in forms.items():
            for form, needle in by_form.items():
                at = data.find(needle)
                if at >= 0:
                    hits.append(Hit(label, form, file, at))
    return hits, sum(len(f) for f in forms.values()), len(files)
