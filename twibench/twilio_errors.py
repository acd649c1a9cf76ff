"""Twilio's error and warning dictionary, offline: the title, causes and solutions of every code.

The dictionary (1,953 codes, `data/twilio-errors/`, see its PROVENANCE.md) is read on first use and
kept for the process; nothing reads it at start-up, so `--help` and the TUI's first frame pay nothing.
Codes the dictionary does not know (newer than its copy) still get their documentation link.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "twilio-errors" / "twilio-error-codes.json.gz"


@dataclass(frozen=True)
class ErrorInfo:
    """One entry of Twilio's error dictionary.

    Attributes:
        code: the error or warning code (`21211`).
        title: Twilio's title for it ("Invalid 'To' Phone Number").
        description: what the code means, in Twilio's words (markdown).
        causes: the usual causes (markdown; may be empty).
        solutions: what to do about it (markdown; may be empty).
        product: the Twilio product it belongs to, or "" when the dictionary names none.
        level: "ERROR" or "WARNING".
    """

    code: int
    title: str
    description: str
    causes: str
    solutions: str
    product: str
    level: str

    @property
    def url(self) -> str:
        """Twilio's documentation page for this code."""
        return docs_url(self.code)


_lock = threading.Lock()
_index: dict[int, ErrorInfo] | None = None


def docs_url(code: int) -> str:
    """Twilio's documentation page for any error code, known to the dictionary or not."""
    return f"https://www.twilio.com/docs/errors/{code}"


_HEADING = re.compile(r"\A(?:[ \t]*#{1,6}[^\n]*\n+)+")


def _text(value: Any) -> str:
    """Dictionary text as plain markdown: HTML entities decoded, CRLF folded, leading headings dropped.

    Some descriptions open with `## ERROR - 12200` and `### Title` lines that repeat the code and title.
    """
    if not isinstance(value, str):
        return ""
    text = html.unescape(value).replace("\r\n", "\n").strip()
    return _HEADING.sub("", text + "\n").strip()


def _load() -> dict[int, ErrorInfo]:
    raw = DATA_FILE.read_bytes()
    entries = json.loads(gzip.decompress(raw))
    index: dict[int, ErrorInfo] = {}
    for entry in entries:
        code = entry.get("code")
        if not isinstance(code, int) or isinstance(code, bool):
            continue
        index[code] = ErrorInfo(
            code=code,
            title=_text(entry.get("message")),
            description=_text(entry.get("description")),
            causes=_text(entry.get("causes")),
            solutions=_text(entry.get("solutions")),
            product=_text(entry.get("product")),
            level=_text(entry.get("log_level")).upper() or "ERROR",
        )
    return index


def dictionary() -> dict[int, ErrorInfo]:
    """Every known code, read once (thread-safe) on first use."""
    global _index
    if _index is None:
        with _lock:
            if _index is None:
                _index = _load()
    return _index


def lookup(code: int) -> ErrorInfo | None:
    """The dictionary entry for a code, or None when the dictionary does not know it."""
    return dictionary().get(code)


def explain(code: int) -> str:
    """A plain-text explanation for a terminal: title, product, description, causes, solutions and link.

    Unknown codes say so and still give the documentation link.
    """
    info = lookup(code)
    if info is None:
        return f"Twilio error {code}\nNot in the offline dictionary (it may be newer).\nDocs: {docs_url(code)}"
    head = f"{'Warning' if info.level == 'WARNING' else 'Twilio error'} {code} — {info.title}"
    if info.product:
        head += f" ({info.product})"
    parts = [head]
    if info.description and info.description != info.title:
        parts.append(info.description)
    if info.causes:
        parts.append("Possible causes:\n" + info.causes)
    if info.solutions:
        parts.append("Possible solutions:\n" + info.solutions)
    parts.append(f"Docs: {info.url}")
    return "\n\n".join(parts)
