"""Which recorded response to compare a response with, and the comparison itself (UI-free).

"The previous response of the same request" is the newest earlier history entry with a response that
was sent by the same collection request (collection name and request id: a `fetch` of two different
message SIDs is still the same request), or — for a request from no collection (an opened link, a
pasted curl) — with the same method and the same URL template: the path with every Twilio SID
(`SM…`, `AC…`: two capitals and 32 hex digits) taken as a placeholder. The comparison is
`twibench.diff`'s, on masked data: history is stored masked, and a live exchange is masked here with the
session's redactor before it is compared.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from twibench.diff import Diff, diff_exchanges
from twibench.exchange import Exchange

if TYPE_CHECKING:
    from twibench.history import Entry, HistoryStore
    from twibench.redact import Redactor

__all__ = ["Comparison", "RequestKey", "compare", "entry_label", "path_template", "previous_response"]

_SID = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}[0-9a-f]{32}(?![A-Za-z0-9])")
_SID_PLACEHOLDER = "{sid}"
_SCAN = 200
"""Candidates read per query when the URL template decides (the SQL pattern may match a little more)."""


def path_template(path: str) -> str:
    """The path without its query, every SID a placeholder: `/…/Messages/{sid}.json`."""
    return _SID.sub(_SID_PLACEHOLDER, path.split("?", 1)[0])


def _like_pattern(path: str) -> str:
    """A LIKE pattern matching `path` with any SID where it has one (and nothing after a `?`)."""
    out: list[str] = []
    position = 0
    bare = path.split("?", 1)[0]
    for match in _SID.finditer(bare):
        out.append(_escape(bare[position : match.start()]) + "_" * 34)
        position = match.end()
    out.append(_escape(bare[position:]))
    return "".join(out) + "%"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class RequestKey:
    """What makes two exchanges "the same request" (see the module docstring)."""

    method: str
    collection: str | None
    request_id: str | None
    template: str

    @classmethod
    def of_entry(cls, entry: Entry) -> RequestKey:
        """The key of a history entry."""
        return cls(entry.method.upper(), entry.collection, entry.request_id, path_template(entry.path))

    @classmethod
    def of_exchange(cls, exchange: Exchange) -> RequestKey:
        """The key of an exchange (a live answer, a run result)."""
        sent = exchange.request
        return cls(sent.method.upper(), exchange.collection, exchange.request_id, path_template(sent.path))

    @property
    def by_request(self) -> bool:
        """True when a collection request identifies it (else the method and URL template do)."""
        return bool(self.collection and self.request_id)

    def matches(self, entry: Entry) -> bool:
        """True when `entry` was sent by the same request."""
        if entry.method.upper() != self.method:
            return False
        if self.by_request:
            return entry.collection == self.collection and entry.request_id == self.request_id
        return path_template(entry.path) == self.template


def previous_response(
    store: HistoryStore, key: RequestKey, *, before: int | None = None, skip_uid: str | None = None
) -> Entry | None:
    """The newest entry with a response sent by the same request, older than entry `before` and not the
    exchange `skip_uid` (the live answer, once recorded), with its bodies; None when there is none.

    Blocking (SQLite): call it from a thread.
    """
    pattern = None if key.by_request else _like_pattern(key.template.replace(_SID_PLACEHOLDER, "SM" + "0" * 32))
    request = (key.collection or "", key.request_id or "") if key.by_request else None
    while True:
        candidates = store.answered(key.method, request=request, path_like=pattern, before=before, limit=_SCAN)
        for candidate in candidates:
            if candidate.uid != skip_uid and key.matches(candidate):
                return store.get(candidate.id)
        if len(candidates) < _SCAN:
            return None
        before = candidates[-1].id


def entry_label(entry: Entry, *, show_time: bool = True) -> str:
    """`history 12 · GET /2010-04-01/…/Messages/SM….json · 200 · 12:00:03` (the local recording time,
    left out when times are hidden: deterministic screenshots)."""
    status = str(entry.status) if entry.status is not None else (entry.error_kind or "no response")
    from twibench.workbench.history_log import clock_time

    label = f"history {entry.id} · {entry.method} {entry.path} · {status}"
    return label + f" · {clock_time(entry.time)}" if show_time else label


def exchange_label(exchange: Exchange, what: str = "this response") -> str:
    """`this response · POST /2010-04-01/…/Messages.json · 201`."""
    response = exchange.response
    status = str(response.status) if response is not None else "no response"
    return f"{what} · {exchange.request.method} {exchange.request.path} · {status}"


@dataclass(frozen=True)
class Comparison:
    """Two responses compared: the diff and what each side is."""

    diff: Diff
    labels: tuple[str, str]


def masked(exchange: Exchange, redactor: Redactor) -> Exchange:
    """A copy of `exchange` whose response headers and body are masked (a live answer before comparing)."""
    response = exchange.response
    if response is None:
        return exchange
    safe = dataclasses.replace(
        response,
        headers=redactor.headers(response.headers),
        body=redactor.body(response.body, response.content_type),
    )
    return dataclasses.replace(exchange, response=safe)


def compare(old: Entry | Exchange, new: Entry | Exchange, redactor: Redactor, *, show_times: bool = True) -> Comparison:
    """Compare two responses, older first, each masked with `redactor` first (history is stored masked:
    for an entry this is a safety net, like `twibench history diff`'s)."""

    def side(item: Entry | Exchange) -> tuple[Exchange, str]:
        if isinstance(item, Exchange):
            return masked(item, redactor), exchange_label(item)
        return masked(item.to_exchange(), redactor), entry_label(item, show_time=show_times)

    (a, label_a), (b, label_b) = side(old), side(new)
    labels = (label_a, label_b)
    return Comparison(diff_exchanges(a, b, labels), labels)
