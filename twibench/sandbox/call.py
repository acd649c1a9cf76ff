"""The plain objects a resource handler receives and returns, so handlers stay free of ASGI details.

A handler is a synchronous function `Call -> Reply` that may raise `ApiError`; the app turns the reply
into bytes in the requested representation (JSON, CSV or XML), adds ETags and the Twilio headers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from twibench.sandbox.clock import Clock
from twibench.sandbox.config import SandboxConfig
from twibench.sandbox.sids import SidFactory
from twibench.sandbox.store import Store

Format = Literal["json", "csv", "xml"]
PrincipalKind = Literal["auth_token", "api_key", "test"]


class Params:
    """Request parameters (query string or form body) in order; a repeated name keeps every value."""

    def __init__(self, pairs: list[tuple[str, str]] | None = None) -> None:
        self.pairs = pairs or []
        self._first: dict[str, str] = {}
        for name, value in reversed(self.pairs):
            self._first[name] = value

    def get(self, name: str) -> str | None:
        """The first value of `name`, or None when absent (an empty string is a value)."""
        return self._first.get(name)

    def getall(self, name: str) -> list[str]:
        """Every value of `name`, in order."""
        return [value for key, value in self.pairs if key == name]

    def __contains__(self, name: object) -> bool:
        return name in self._first


@dataclass(frozen=True)
class Principal:
    """Who is calling, once the credentials have been checked."""

    account_sid: str
    kind: PrincipalKind
    key_sid: str | None = None


class Kicker(Protocol):
    """The webhook worker as a request sees it: told when a job was written."""

    def kick(self) -> None:
        """Make sure the worker runs, and looks at the jobs now."""


@dataclass
class Context:
    """Everything shared by the requests of one sandbox."""

    config: SandboxConfig
    store: Store
    clock: Clock
    sids: SidFactory
    dispatcher: Kicker | None = None
    """The webhook worker that sends this sandbox's callbacks (None: jobs wait for another sandbox)."""


@dataclass
class Call:
    """One authenticated request, routed to its resource."""

    method: str
    path: str
    fmt: Format
    args: dict[str, str]
    params: Params
    principal: Principal
    origin: str
    """`scheme://host[:port]` as the client addressed the sandbox (for absolute redirect targets)."""
    ctx: Context

    @property
    def now(self) -> float:
        """The sandbox clock's current time."""
        return self.ctx.clock.now()


@dataclass
class Reply:
    """What a handler answers; the app renders it."""

    status: int = 200
    payload: dict[str, Any] | None = None
    element: str = ""
    """The XML element of one record (`Message`); lists name their records key in `records_key`."""
    records_key: str | None = None
    cacheable: bool = False
    """A fetch: carries an ETag and honours If-None-Match."""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = None
    """A JSON content type other than `application/json` (a spec-driven operation documenting one)."""


Handler = Callable[[Call], Reply]
