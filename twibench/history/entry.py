"""One stored exchange (`Entry`), how an Exchange becomes a row, and how a row becomes the JSON shape again.

Everything here works on data that is already redacted: `StoredRow.build` is the only place an
Exchange's raw bytes are read, and it passes each of them through the Redactor before anything else.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

from twibench import exchange as exchange_mod
from twibench import status
from twibench.collection import Auth, Request
from twibench.errors import TwibenchError
from twibench.exchange import Exchange, Response, SentRequest, Timings, TransportError
from twibench.profiles import SANDBOX
from twibench.redact import Redactor

Headers = list[tuple[str, str]]
# Only the start of each body is indexed for free-text search: enough to find a SID, a phone number
# or an error message, without the index growing with megabyte bodies.
SEARCH_BODY_BYTES = 32 * 1024
_FORM_LIKE = re.compile(r"^[^\s=&]+=[^\s]*$")
# Headers the HTTP client computes for the new connection; replaying the recorded values would send a
# stale Host (the old sandbox port) or a wrong length. Authorization comes from the profile again.
_NOT_REPLAYED = {"authorization", "proxy-authorization", "host", "content-length", "transfer-encoding", "connection"}


class ReplayError(TwibenchError):
    """A recorded request that cannot be sent again as it was (body cut at the cap, or binary)."""


def _literal(text: str) -> str:
    """Recorded text is literal; `{{{{` is how a Request template writes a literal `{{`."""
    return text.replace("{{", "{{{{")


def _cap(data: bytes, cap: int) -> tuple[bytes, bool]:
    """At most `cap` bytes of `data`, cut on a character boundary when it is UTF-8 text."""
    if len(data) <= cap:
        return data, False
    head = data[:cap]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return head, True
    return head.decode("utf-8", "ignore").encode("utf-8"), True


CAP_MARGIN = 64 * 1024
"""Extra bytes redacted past the cap, so a secret (or a secret JSON field's value) that straddles the
cut is masked whole before the cut; at least as long as the redactor's longest needle."""


def redact_capped(data: bytes, redactor: Redactor, cap: int) -> tuple[bytes, bool]:
    """`data` redacted and cut to at most `cap` bytes, redacting only the head (never the whole body).

    Redacting a 20 MB body whole holds the GIL for a quarter of a second; only the first `cap` bytes
    are stored, so only those (plus a margin, so a secret at the cut is masked before it is cut) are
    redacted. UTF-8 text is cut on a character boundary before and after.
    """
    if len(data) <= cap:
        return _cap(redactor.body(data), cap)
    window = data[: cap + max(CAP_MARGIN, 4 * redactor.longest_needle)]
    try:
        head = codecs.getincrementaldecoder("utf-8")().decode(window, final=False).encode("utf-8")
    except UnicodeDecodeError:
        head = window  # binary: masked byte-wise
    return _cap(redactor.body(head), cap)[0], True


def body_search_text(data: bytes | None) -> str:
    """The searchable text of a stored body: its start as text, with form bodies also URL-decoded.

    Binary bodies (a NUL byte in the indexed part) add nothing. This function must stay deterministic:
    a row leaves the contentless full-text index only when given exactly the text it was indexed with.
    """
    if not data:
        return ""
    head = data[:SEARCH_BODY_BYTES]
    if b"\x00" in head:
        return ""
    text = head.decode("utf-8", "ignore")
    if _FORM_LIKE.match(text):
        return text + "\n" + unquote_plus(text)
    return text


def search_text(
    path: str,
    name: str | None,
    collection: str | None,
    request_id: str | None,
    request_body: bytes | None,
    response_body: bytes | None,
) -> str:
    """The text a row is indexed under: URL path, names and the start of both bodies."""
    parts = [path, name or "", collection or "", request_id or ""]
    parts.append(body_search_text(request_body))
    parts.append(body_search_text(response_body))
    return "\n".join(parts)


def _headers_json(headers: Headers) -> str:
    return json.dumps([[k, v] for k, v in headers], ensure_ascii=False)


def _rejoin(headers: Headers, redactor: Redactor) -> list[list[str]]:
    """Stored (already redacted) headers in the JSON shape, masked once more as plain text."""
    return [[k, redactor.text(v)] for k, v in headers]


def _headers_from(text: str | None) -> Headers | None:
    if text is None:
        return None
    return [(str(k), str(v)) for k, v in json.loads(text)]


@dataclass
class StoredRow:
    """An exchange as it is written: every text and body already redacted, bodies capped."""

    values: dict[str, Any]
    request_body: bytes
    response_body: bytes | None

    @property
    def stored_bytes(self) -> int:
        """What this row counts against `history.max_bytes`: its stored bodies."""
        return len(self.request_body) + len(self.response_body or b"")

    def search_text(self) -> str:
        """The text the full-text index holds for this row."""
        v = self.values
        body, response = self.request_body, self.response_body
        return search_text(v["path"], v["name"], v["collection"], v["request_id"], body, response)

    @classmethod
    def build(
        cls,
        exchange: Exchange,
        redactor: Redactor,
        body_cap: int,
        *,
        run_id: str | None = None,
        collection_file: str | Path | None = None,
    ) -> StoredRow:
        """Redact every part of `exchange` and shape it as a row (the one place raw bytes are read)."""
        req = exchange.request
        request_body, request_truncated = redact_capped(req.body, redactor, body_cap)
        response = exchange.response
        response_body: bytes | None = None
        response_truncated = False
        twilio_error: str | None = None
        if response is not None:
            response_body, capped = redact_capped(response.body, redactor, body_cap)
            response_truncated = capped or response.truncated
            if response.status >= 400:
                decoded = status.decode_twilio_error(response_body, response.content_type)
            else:  # a resource reporting its own error (a fetched message's error_code 30007)
                decoded = status.resource_error(response_body, response.content_type)
            if decoded is not None:
                twilio_error = json.dumps(
                    {
                        "code": decoded.code,
                        "title": decoded.title,
                        "message": redactor.text(decoded.message),
                        "more_info": decoded.more_info,
                    },
                    ensure_ascii=False,
                )
        file_text = str(collection_file) if collection_file is not None else None

        def text(value: str | None) -> str | None:
            return None if value is None else redactor.text(value)

        values: dict[str, Any] = {
            "uid": exchange.id,
            "time": exchange.time,
            "profile": exchange.profile,
            "collection": text(exchange.collection),
            "collection_file": file_text,
            "collection_stem": Path(file_text).stem.casefold() if file_text else None,
            "request_id": text(exchange.request_id),
            "name": text(exchange.name),
            "run_id": run_id,
            "method": req.method.upper(),
            "url": redactor.text(req.url),
            "path": redactor.text(req.path),
            "status": response.status if response else None,
            "reason": response.reason if response else None,
            "http_version": response.http_version if response else None,
            "duration_ms": float(exchange.timings.total_ms),
            "phases": json.dumps(exchange.timings.phases),
            "request_headers": _headers_json(redactor.headers(req.headers)),
            "response_headers": _headers_json(redactor.headers(response.headers)) if response else None,
            "request_size": len(req.body),
            "response_size": len(response.body) if response else None,
            "request_truncated": int(request_truncated),
            "response_truncated": int(response_truncated),
            "twilio_error": twilio_error,
            "error_kind": exchange.error.kind if exchange.error else None,
            "error_message": redactor.text(exchange.error.message) if exchange.error else None,
        }
        row = cls(values=values, request_body=request_body, response_body=response_body)
        values["stored_bytes"] = row.stored_bytes
        return row


# The exchanges columns `list` reads (never the bodies).
ENTRY_COLUMNS = (
    "id", "uid", "time", "profile", "collection", "collection_file", "request_id", "name", "run_id",
    "method", "url", "path", "status", "reason", "http_version", "duration_ms", "phases",
    "request_headers", "response_headers", "request_size", "response_size", "request_truncated",
    "response_truncated", "twilio_error", "error_kind", "error_message",
)  # fmt: skip


@dataclass
class Entry:
    """One recorded exchange as read back (already redacted). Bodies are None until `get` loads them."""

    id: int
    uid: str
    time: str
    profile: str
    method: str
    url: str
    path: str
    status: int | None
    reason: str | None
    http_version: str | None
    duration_ms: float
    phases: dict[str, float]
    request_headers: Headers
    response_headers: Headers | None
    request_size: int
    response_size: int | None
    request_truncated: bool
    response_truncated: bool
    twilio_error: dict[str, Any] | None
    error_kind: str | None
    error_message: str | None
    collection: str | None = None
    collection_file: str | None = None
    request_id: str | None = None
    name: str | None = None
    run_id: str | None = None
    request_body: bytes | None = field(default=None, repr=False)
    response_body: bytes | None = field(default=None, repr=False)
    bodies_loaded: bool = False

    @classmethod
    def from_row(cls, row: tuple[Any, ...], bodies: tuple[bytes | None, bytes | None] | None = None) -> Entry:
        """Build an Entry from a row of ENTRY_COLUMNS (and optionally its bodies)."""
        v = dict(zip(ENTRY_COLUMNS, row, strict=True))
        entry = cls(
            id=int(v["id"]),
            uid=v["uid"],
            time=v["time"],
            profile=v["profile"],
            method=v["method"],
            url=v["url"],
            path=v["path"],
            status=v["status"],
            reason=v["reason"],
            http_version=v["http_version"],
            duration_ms=float(v["duration_ms"]),
            phases={str(k): float(x) for k, x in json.loads(v["phases"]).items()},
            request_headers=_headers_from(v["request_headers"]) or [],
            response_headers=_headers_from(v["response_headers"]),
            request_size=int(v["request_size"]),
            response_size=v["response_size"],
            request_truncated=bool(v["request_truncated"]),
            response_truncated=bool(v["response_truncated"]),
            twilio_error=json.loads(v["twilio_error"]) if v["twilio_error"] else None,
            error_kind=v["error_kind"],
            error_message=v["error_message"],
            collection=v["collection"],
            collection_file=v["collection_file"],
            request_id=v["request_id"],
            name=v["name"],
            run_id=v["run_id"],
        )
        if bodies is not None:
            entry.request_body = bytes(bodies[0] or b"")
            entry.response_body = None if bodies[1] is None else bytes(bodies[1])
            entry.bodies_loaded = True
        return entry

    @property
    def is_live(self) -> bool:
        """True unless it went to the built-in sandbox or a loopback host (the `profile:live` filter)."""
        from urllib.parse import urlsplit

        from twibench.proxies import is_loopback

        return self.profile != SANDBOX and not is_loopback(urlsplit(self.url).hostname or "")

    @property
    def label(self) -> str:
        """The request's name, or its path when it had none."""
        return self.name or self.path

    def to_exchange(self) -> Exchange:
        """The entry as an Exchange (bodies empty unless loaded), for printing and replay."""
        request = SentRequest(
            method=self.method,
            url=self.url,
            path=self.path,
            headers=list(self.request_headers),
            body=self.request_body or b"",
        )
        response = None
        if self.status is not None:
            response = Response(
                status=self.status,
                reason=self.reason or "",
                headers=list(self.response_headers or []),
                body=self.response_body or b"",
                truncated=self.response_truncated,
                http_version=self.http_version or "HTTP/1.1",
            )
        error = TransportError(self.error_kind, self.error_message or "") if self.error_kind else None
        return Exchange(
            request=request,
            response=response,
            error=error,
            timings=Timings(total_ms=self.duration_ms, phases=dict(self.phases)),
            profile=self.profile,
            collection=self.collection,
            request_id=self.request_id,
            name=self.name,
            id=self.uid,
            time=self.time,
        )

    def to_json(self, include_bodies: bool | None = None, redactor: Redactor | None = None) -> dict[str, Any]:
        """The DESIGN §4 Exchange shape, with `id` = this history row's id.

        Built by `exchange.to_json` itself so the shape cannot drift; the sizes and the decoded Twilio
        error come from what was recorded, so a list without bodies still reports them.

        Args:
            include_bodies: default: whether the bodies were loaded.
            redactor: masks again on the way out (the stored data is already redacted).
        """
        with_bodies = self.bodies_loaded if include_bodies is None else include_bodies
        if with_bodies and not self.bodies_loaded:
            raise ValueError(f"history entry {self.id}: bodies were not loaded (use HistoryStore.get)")
        redactor = redactor or Redactor()
        data = exchange_mod.to_json(self.to_exchange(), redactor, include_bodies=with_bodies)
        data["id"] = self.id
        # Authorization was masked when recorded (`Basic AC01…cdef:••••`); masking it again would lose
        # the masked SID, so stored headers pass through the redactor as plain text only.
        data["request"]["headers"] = _rejoin(self.request_headers, redactor)
        data["twilio_error"] = self.twilio_error
        if data["response"] is not None and self.response_size is not None:
            data["response"]["size"] = self.response_size
        if data["response"] is not None:
            data["response"]["headers"] = _rejoin(self.response_headers or [], redactor)
        return data

    def to_request(self) -> Request:
        """The recorded request as a Request model: method, relative path, headers and body, all literal.

        Replay (the CLI, the TUI's re-send) sends it with `client.send` against any profile: the path is
        joined to that profile's current base, and credentials come from the profile — only when the
        original carried them (`auth: none` requests stay without). The TUI can also save it into a
        collection. Masked values (`••••`) stay masked.

        Raises:
            ReplayError: the body was stored truncated, or is not UTF-8 text.
        """
        if self.request_truncated:
            raise ReplayError(
                f"history entry {self.id}: its request body was stored truncated, so it cannot be sent again as it was"
            )
        body: str | None = None
        if self.request_body:
            try:
                body = self.request_body.decode("utf-8")
            except UnicodeDecodeError:
                raise ReplayError(
                    f"history entry {self.id}: its request body is binary, which replay cannot send"
                ) from None
        elif self.request_body is None and self.request_size:
            raise ValueError(f"history entry {self.id}: bodies were not loaded (use HistoryStore.get)")
        had_credentials = any(k.lower() == "authorization" for k, _ in self.request_headers)
        return Request(
            name=self.name or self.path,
            id=self.request_id or "",
            method=self.method,
            url=_literal(self.path),
            headers=[(_literal(k), _literal(v)) for k, v in self.request_headers if k.lower() not in _NOT_REPLAYED],
            body=None if body is None else _literal(body),
            auth=Auth(mode="profile" if had_credentials else "none"),
        )
