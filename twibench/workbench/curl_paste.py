"""Pasting a curl command into the URL field: the command becomes what the open request sends.

Twilio's docs, a browser's "Copy as cURL" and colleagues' tickets all hand out curl commands. Pasted
into the URL field (multi-line ones with `\\` continuations included), a command replaces what the open
request sends — method, URL, query, headers, body, credentials mode, redirects and timeout — as an
unsaved edit, the way Postman, Insomnia and Posting treat a curl pasted into their URL bar: the user
pasted into *this* request's address, so *this* request changes. Its name, id, docs and runner keys
(`capture`, `expect`…) stay, since it is still the same entry of the collection file; the tree marks it
unsaved, ctrl+s writes it, and "Revert request" in the palette goes back to the saved version. With no
request open, the command becomes a new request under "Opened links".

Parsing is done off the UI thread (`twibench.tui.flows.paste`): naming the request looks it up in
Twilio's OpenAPI specs, which are read on first use. Warnings from the parser (a dropped literal `-u`
secret, `-k`…) are shown as one notification; they never contain a secret. A command that cannot be
read changes nothing.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING

from twibench.collection import Request

if TYPE_CHECKING:
    from twibench.workbench.workspace import RequestEntry

#: The parts of a request a pasted command replaces; everything else (name, id, docs, runner keys) stays.
SENT_FIELDS = ("method", "url", "params", "headers", "form", "json", "body", "auth", "timeout", "follow_redirects")


@dataclass(frozen=True)
class PastedCurl:
    """A curl command read for the open request.

    Attributes:
        request: what the command sends, as a collection request (named after the operation).
        warnings: what the parser changed or left out, one sentence each, never with a secret in it.
    """

    request: Request
    warnings: list[str]


def looks_like_curl(text: str) -> bool:
    """True when pasted text is a curl command (`curl …`, possibly after a `$ ` prompt)."""
    from twibench.importers.curl import looks_like_curl as _looks_like_curl

    return _looks_like_curl(normalise(text))


def normalise(text: str) -> str:
    """Terminals paste line breaks as CR or CRLF; the shell reader wants LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def read_curl(text: str) -> PastedCurl:
    """Parse a pasted curl command (blocking: the first call reads Twilio's specs to name the request).

    Raises:
        CurlError: an unknown or unsupported option, no URL, several URLs, `@file` data (the clipboard
            does not get to choose a local file for twibench to read).
        ShellSyntaxError: an unterminated quote.
    """
    from twibench.importers.curl import parse_curl

    request, warnings = parse_curl(normalise(text), read_files=False)  # a paste never reads `@file`
    return PastedCurl(request, list(warnings))


def apply(entry: RequestEntry, imported: Request) -> None:
    """Make `entry` send what `imported` sends (an edit: the saved request stays untouched until ctrl+s)."""
    draft = entry.edit()
    for name in SENT_FIELDS:
        setattr(draft, name, copy.deepcopy(getattr(imported, name)))
    entry.rows = {}
    entry.body_text = entry.body_error = None


def summary(request: Request, warnings: list[str]) -> str:
    """The notification text: what the request now sends, then each warning."""
    parts = []
    tables = (("form field", request.form), ("query parameter", request.params), ("header", request.headers))
    for label, pairs in tables:
        if pairs:
            parts.append(f"{len(pairs)} {label}{'s' if len(pairs) != 1 else ''}")
    if request.json is not None:
        parts.append("a JSON body")
    elif request.body is not None:
        parts.append("a raw body")
    carried = f" with {', '.join(parts)}" if parts else ""
    text = f"The request now sends {request.method} {request.url}{carried} (unsaved: ctrl+s writes it)."
    if warnings:
        text += "\n" + "\n".join(f"• {warning}" for warning in warnings)
    return text
