"""The Exchange: one request as sent and what came back, and its one JSON shape (DESIGN §4).

Every output — `send --json`, history, the run report — serialises an Exchange through `to_json`, which
always redacts. The live objects keep raw bytes so the screen can show a new key's secret once.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from twibench import status
from twibench.redact import Redactor

Headers = list[tuple[str, str]]


@dataclass
class SentRequest:
    """The request exactly as it went out (credentials still in the headers until redacted)."""

    method: str
    url: str
    path: str
    headers: Headers = field(default_factory=list)
    body: bytes = field(default=b"", repr=False)  # never in a repr: asyncio may repr a finished task's result


@dataclass
class Response:
    """What the server answered."""

    status: int
    reason: str
    headers: Headers = field(default_factory=list)
    body: bytes = field(default=b"", repr=False)  # never in a repr: asyncio may repr a finished task's result
    truncated: bool = False
    http_version: str = "HTTP/1.1"
    note: str | None = None
    """Why the body is not decoded (an unsupported Content-Encoding), or None."""

    def header(self, name: str) -> str | None:
        """The first value of a header (case-insensitive), or None."""
        lowered = name.lower()
        for key, value in self.headers:
            if key.lower() == lowered:
                return value
        return None

    @property
    def content_type(self) -> str | None:
        """The Content-Type header."""
        return self.header("content-type")


@dataclass
class TransportError:
    """A failure before any HTTP answer: refused, dns, tls, timeout, reset, redirects, protocol, cancelled."""

    kind: str
    message: str


@dataclass
class Timings:
    """Total time and per-phase times in milliseconds (connect, tls, send, wait, receive)."""

    total_ms: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)


@dataclass
class Exchange:
    """One request/response pair (or a transport failure), ready to show, store or report."""

    request: SentRequest
    response: Response | None = None
    error: TransportError | None = None
    timings: Timings = field(default_factory=Timings)
    profile: str = ""
    collection: str | None = None
    request_id: str | None = None
    name: str | None = None
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    time: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="milliseconds"))

    @property
    def ok(self) -> bool:
        """True when a response came back with a status below 400."""
        return self.response is not None and self.response.status < 400

    @property
    def twilio_error(self) -> status.TwilioError | None:
        """The decoded Twilio error body, if the response is one."""
        if self.response is None or self.response.status < 400:
            return None
        return status.decode_twilio_error(self.response.body, self.response.content_type)

    @property
    def hint(self) -> str | None:
        """A hint for what the answer alone does not say (a 20003 from a regional host: per-region credentials)."""
        if self.response is None:
            return None
        from twibench.regions import credentials_hint

        error = self.twilio_error
        return credentials_hint(self.request.url, self.response.status, error.code if error else None)

    @property
    def reported_error(self) -> status.TwilioError | None:
        """The error to show: a Twilio error body, else the error a resource reports about itself (a
        fetched message's `error_code` 30007), decoded with its title from Twilio's dictionary."""
        error = self.twilio_error
        if error is None and self.response is not None and self.response.status < 400:
            error = status.resource_error(self.response.body, self.response.content_type)
        return error

    @property
    def twilio_request_id(self) -> str | None:
        """The `Twilio-Request-Id` response header."""
        return self.response.header("twilio-request-id") if self.response else None


def encode_body(data: bytes) -> tuple[str, str]:
    """A body as JSON-safe text: (text, "utf-8") when it decodes, else (base64, "base64")."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return base64.b64encode(data).decode("ascii"), "base64"


def to_json(exchange: Exchange, redactor: Redactor, include_bodies: bool = True) -> dict[str, Any]:
    """The documented Exchange JSON shape, redacted (DESIGN §4)."""
    req = exchange.request
    request: dict[str, Any] = {
        "method": req.method,
        "url": redactor.text(req.url),
        "path": redactor.text(req.path),
        "headers": [[k, v] for k, v in redactor.headers(req.headers)],
    }
    if include_bodies:
        request["body"] = encode_body(redactor.body(req.body))[0] if req.body else ""
    response: dict[str, Any] | None = None
    resp = exchange.response
    if resp is not None:
        response = {
            "status": resp.status,
            "reason": resp.reason,
            "meaning": status.meaning(resp.status).meaning,
            "headers": [[k, v] for k, v in redactor.headers(resp.headers)],
            "size": len(resp.body),
        }
        if include_bodies:
            text, encoding = encode_body(redactor.body(resp.body, resp.content_type))
            response["body"] = text
            response["body_encoding"] = encoding
            response["truncated"] = resp.truncated
    twilio_error = exchange.twilio_error
    return {
        "id": exchange.id,
        "time": exchange.time,
        "profile": exchange.profile,
        "collection": exchange.collection,
        "request_id": exchange.request_id,
        "name": exchange.name,
        "request": request,
        "response": response,
        "twilio_error": None
        if twilio_error is None
        else {
            "code": twilio_error.code,
            "title": twilio_error.title,
            "message": redactor.text(twilio_error.message),
            "more_info": twilio_error.more_info,
        },
        "timings": {"total_ms": round(exchange.timings.total_ms, 3), "phases": exchange.timings.phases},
        "error": None
        if exchange.error is None
        else {"kind": exchange.error.kind, "message": redactor.text(exchange.error.message)},
    }
