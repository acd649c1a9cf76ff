"""Compare two responses: status, headers, and the body as a structural JSON diff or a line diff.

JSON bodies are compared path by path (`$.status: "queued" → "delivered"`, `+ $.error_code`); other
bodies with a unified line diff (difflib). Every change says whether it is *volatile*: a field that
changes on every request without meaning anything (`date_*`, `*_time`, the `Date` and
`Twilio-Request-Id` headers, page tokens in `uri`s), so a UI can de-emphasise it and `same` can ignore
it. `twibench history diff A B` prints `format_diff` and exits 0 when only volatile things differ.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from twibench.exchange import Exchange
from twibench.textsafe import line

Kind = Literal["added", "removed", "changed"]

VOLATILE_HEADERS = frozenset(
    {
        "date",
        "twilio-request-id",
        "twilio-request-duration",
        "x-request-id",
        "request-id",
        "etag",
        "last-modified",
        "content-length",
        "age",
        "expires",
        "set-cookie",
        "x-amzn-requestid",
        "x-amz-cf-id",
        "cf-ray",
        "via",
        "x-cache",
        "x-shenanigans",
    }
)
"""Headers that differ between two identical answers (content-length and etag follow the body)."""
_VOLATILE_KEY = re.compile(r"^(date_.*|.*_time|timestamp)$", re.IGNORECASE)
_PAGE_TOKEN = re.compile(r"([?&](?:PageToken|page_token|AfterSid|PageAfter)=)[^&#]*", re.IGNORECASE)
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_MAX_SHOWN = 120


@dataclass(frozen=True)
class Change:
    """One difference: a JSON path (or a header name) that was added, removed or changed."""

    kind: Kind
    path: str
    old: Any = None
    new: Any = None
    volatile: bool = False


@dataclass
class Diff:
    """Two exchanges compared."""

    status: tuple[int | None, int | None]
    headers: list[Change] = field(default_factory=list)
    body_kind: Literal["json", "text", "binary"] = "json"
    body: list[Change] = field(default_factory=list)
    """The JSON changes (body_kind `json`)."""
    lines: list[str] = field(default_factory=list)
    """The unified diff of the bodies (body_kind `text`), or a one-line summary (`binary`)."""
    body_volatile: bool = False
    """For a text body: every changed line differs only in volatile text (dates, tokens)."""

    @property
    def changes(self) -> list[Change]:
        """Header and JSON body changes."""
        return [*self.headers, *self.body]

    def same(self, *, ignore_volatile: bool = True) -> bool:
        """True when nothing differs (or only volatile things, when ignored)."""
        if self.status[0] != self.status[1]:
            return False
        if any(not (c.volatile and ignore_volatile) for c in self.changes):
            return False
        return not self.lines or (ignore_volatile and self.body_volatile)

    def counts(self) -> tuple[int, int]:
        """(meaningful changes, volatile changes)."""
        volatile = sum(c.volatile for c in self.changes)
        meaningful = len(self.changes) - volatile + (self.status[0] != self.status[1])
        if self.lines:
            meaningful += 0 if self.body_volatile else 1
            volatile += 1 if self.body_volatile else 0
        return meaningful, volatile


def path_join(parent: str, key: str | int) -> str:
    """`$.messages` + 0 → `$.messages[0]`; + `sid` → `$.messages[0].sid`; odd keys → `$['a b']`."""
    if isinstance(key, int):
        return f"{parent}[{key}]"
    if _KEY.match(key):
        return f"{parent}.{key}"
    return f"{parent}[{json.dumps(key, ensure_ascii=False)}]"


def volatile_field(key: str | int | None, old: Any, new: Any) -> bool:
    """True for a field whose change means nothing: a date/time, or a URI differing only in page tokens."""
    if not isinstance(key, str):
        return False
    if _VOLATILE_KEY.match(key):
        return True
    if key.endswith(("uri", "url")) and isinstance(old, str) and isinstance(new, str):
        return _PAGE_TOKEN.sub(r"\1", old) == _PAGE_TOKEN.sub(r"\1", new)
    return False


def diff_json(old: Any, new: Any, path: str = "$", key: str | int | None = None) -> list[Change]:
    """Structural differences between two JSON documents, in document order."""
    if isinstance(old, dict) and isinstance(new, dict):
        changes: list[Change] = []
        for k in old:
            child = path_join(path, k)
            if k not in new:
                changes.append(Change("removed", child, old=old[k], volatile=volatile_field(k, old[k], None)))
            else:
                changes += diff_json(old[k], new[k], child, k)
        for k in new:
            if k not in old:
                changes.append(
                    Change("added", path_join(path, k), new=new[k], volatile=volatile_field(k, None, new[k]))
                )
        return changes
    if isinstance(old, list) and isinstance(new, list):
        changes = []
        for index in range(max(len(old), len(new))):
            child = path_join(path, index)
            if index >= len(new):
                changes.append(Change("removed", child, old=old[index]))
            elif index >= len(old):
                changes.append(Change("added", child, new=new[index]))
            else:
                changes += diff_json(old[index], new[index], child, key)
        return changes
    if old == new and type(old) is type(new):
        return []
    return [Change("changed", path, old=old, new=new, volatile=volatile_field(key, old, new))]


def diff_headers(old: list[tuple[str, str]], new: list[tuple[str, str]]) -> list[Change]:
    """Header differences by name (case-insensitive); repeated headers compare as lists."""

    def grouped(headers: list[tuple[str, str]]) -> dict[str, tuple[str, list[str]]]:
        out: dict[str, tuple[str, list[str]]] = {}
        for name, value in headers:
            out.setdefault(name.lower(), (name, []))[1].append(value)
        return out

    a, b = grouped(old), grouped(new)
    changes: list[Change] = []
    for lower, (name, values) in a.items():
        volatile = lower in VOLATILE_HEADERS
        shown_old: Any = values[0] if len(values) == 1 else values
        if lower not in b:
            changes.append(Change("removed", name, old=shown_old, volatile=volatile))
        elif b[lower][1] != values:
            other = b[lower][1]
            changes.append(Change("changed", name, shown_old, other[0] if len(other) == 1 else other, volatile))
    for lower, (name, values) in b.items():
        if lower not in a:
            shown: Any = values[0] if len(values) == 1 else values
            changes.append(Change("added", name, new=shown, volatile=lower in VOLATILE_HEADERS))
    return changes


def _json(body: bytes) -> tuple[bool, Any]:
    if not body.strip():
        return False, None
    try:
        return True, json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return False, None


_VOLATILE_TEXT = re.compile(
    r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}\b"
    r"|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?"
    r"|(?<=PageToken=)[^&\"'<\s]*|\bRQ[0-9a-f]{32}\b"
)


def diff_bodies(old: bytes, new: bytes, labels: tuple[str, str] = ("a", "b")) -> Diff:
    """The body part of a diff: JSON when both parse, else lines (or a size summary for binary data)."""
    diff = Diff(status=(None, None))
    old_ok, old_doc = _json(old)
    new_ok, new_doc = _json(new)
    if old_ok and new_ok:
        diff.body = diff_json(old_doc, new_doc)
        return diff
    try:
        old_text, new_text = old.decode("utf-8"), new.decode("utf-8")
    except UnicodeDecodeError:
        diff.body_kind = "binary"
        if old != new:
            diff.lines = [f"binary bodies differ ({len(old)} bytes → {len(new)} bytes)"]
        return diff
    diff.body_kind = "text"
    if old_text == new_text:
        return diff
    diff.lines = list(
        difflib.unified_diff(old_text.splitlines(), new_text.splitlines(), labels[0], labels[1], lineterm="")
    )
    diff.body_volatile = _VOLATILE_TEXT.sub("", old_text) == _VOLATILE_TEXT.sub("", new_text)
    return diff


def diff_exchanges(old: Exchange, new: Exchange, labels: tuple[str, str] = ("a", "b")) -> Diff:
    """Compare two exchanges' responses (status, headers, body)."""
    a, b = old.response, new.response
    diff = diff_bodies(a.body if a else b"", b.body if b else b"", labels)
    diff.status = (a.status if a else None, b.status if b else None)
    diff.headers = diff_headers(a.headers if a else [], b.headers if b else [])
    return diff


Role = Literal["title", "plain", "added", "removed", "changed", "volatile", "hunk", "summary"]
"""What a line of a diff is, so each front end styles it its own way (ANSI in the CLI, Rich in the TUI)."""

_ANSI: dict[Role, str] = {
    "title": "1", "plain": "", "added": "32", "removed": "31", "changed": "33", "volatile": "2", "hunk": "36",
    "summary": "1",
}  # fmt: skip


def _shown(value: Any) -> str:
    text = line(json.dumps(value, ensure_ascii=False))
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


def _change_row(change: Change, indent: str) -> tuple[str, Role]:
    path = line(change.path)
    role: Role
    if change.kind == "added":
        text, role = f"+ {path}: {_shown(change.new)}", "added"
    elif change.kind == "removed":
        text, role = f"- {path}: {_shown(change.old)}", "removed"
    else:
        text, role = f"~ {path}: {_shown(change.old)} → {_shown(change.new)}", "changed"
    if change.volatile:
        return indent + text + "  (volatile)", "volatile"
    return indent + text, role


def summary(diff: Diff) -> str:
    """`same`, `same (ignoring 3 volatile changes)` or `different: 2 changes (+3 volatile)`."""
    meaningful, volatile = diff.counts()
    if meaningful == 0:
        return "same" + (f" (ignoring {volatile} volatile change{'s' * (volatile != 1)})" if volatile else "")
    text = f"different: {meaningful} change{'s' * (meaningful != 1)}"
    return text + (f" (+{volatile} volatile)" if volatile else "")


def diff_rows(diff: Diff, labels: tuple[str, str]) -> list[tuple[str, Role]]:
    """The diff as (text, role) lines; every text from the exchanges passes through `textsafe.line`."""
    rows: list[tuple[str, Role]] = [(f"--- {line(labels[0])}", "title"), (f"+++ {line(labels[1])}", "title")]
    old, new = diff.status
    rows.append((f"~ status: {old} → {new}", "changed") if old != new else (f"  status: {old} (same)", "plain"))
    if diff.headers:
        rows.append(("headers:", "plain"))
        rows += [_change_row(c, "  ") for c in diff.headers]
    if diff.body_kind == "json" and diff.body:
        rows.append(("body (JSON):", "plain"))
        rows += [_change_row(c, "  ") for c in diff.body]
    elif diff.lines:
        rows.append((f"body ({diff.body_kind}{', volatile text only' if diff.body_volatile else ''}):", "plain"))
        for text in diff.lines:
            role: Role = "added" if text.startswith("+") else "removed" if text.startswith("-") else "plain"
            if text[:2] == "@@":
                role = "hunk"
            if diff.body_volatile and role in ("added", "removed"):
                role = "volatile"
            rows.append(("  " + line(text), role))
    rows.append((summary(diff), "summary"))
    return rows


def format_diff(diff: Diff, labels: tuple[str, str], *, colour: bool = False) -> list[str]:
    """The diff as printable lines (control characters from the bodies made visible)."""
    lines: list[str] = []
    for text, role in diff_rows(diff, labels):
        code = _ANSI[role]
        lines.append(f"\x1b[{code}m{text}\x1b[0m" if colour and code else text)
    return lines
