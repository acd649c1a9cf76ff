"""The Request / Collection model: what a collection file describes, once it has been checked.

A collection is one YAML file with an ordered list of requests (DESIGN §2). The model is the single
source of truth for a request being edited: the TUI, the CLI, history and the runner all use it. The
runner keys (`expect`, `poll`, `retry`) are typed here and parsed once, when the file loads
(`schema`); the runner reads these models and never re-parses YAML values. Loading lives in `load`,
the rules of the format in `schema`, writing in `writer`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "DURATION_HINT",
    "EXPECT_KEYS",
    "METHODS",
    "PAGINATE_KEYS",
    "POLL_KEYS",
    "RETRY_KEYS",
    "Auth",
    "Collection",
    "Expect",
    "Paginate",
    "Pairs",
    "Poll",
    "Request",
    "Retry",
    "StatusSpec",
    "parse_duration",
    "slug",
]

METHODS = ("GET", "POST", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS")
Pairs = list[tuple[str, str]]


def slug(name: str) -> str:
    """The default request id: lowercase, runs outside [a-z0-9] become one '-', trimmed."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


StatusSpec = int | str | list[int | str]
"""A status (201), a class ("2xx", lower case), or a list of them — as the file wrote it."""

EXPECT_KEYS = ("status", "json", "headers", "max_ms")
POLL_KEYS = ("until", "every", "timeout")
RETRY_KEYS = ("on", "max")
PAGINATE_KEYS = ("limit",)


def _present(model: object, keys: tuple[str, ...]) -> dict[str, Any]:
    """The keys a file wrote (those not None), in the documented order: what the writer emits."""
    return {key: getattr(model, key) for key in keys if getattr(model, key) is not None}


@dataclass(frozen=True)
class Expect:
    """`expect:` — what makes a request PASS (DESIGN §6). A field that is None was not written.

    An `expect` without `status` does not look at the status at all (so it can check an error body);
    a request with no `expect` passes when the status is below 400.
    """

    status: StatusSpec | None = None
    json: dict[str, Any] | None = None
    """JSONPath (or `header:Name`, `status`) → expected value, `exists` or `absent`."""
    headers: dict[str, str] | None = None
    max_ms: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """The keys as written, in file order."""
        return _present(self, EXPECT_KEYS)


@dataclass(frozen=True)
class Poll:
    """`poll:` — send again until every condition of `until` holds, or `timeout` passes."""

    until: dict[str, Any]
    every: float | None = None
    """Seconds between polls; None when not written (the runner's default applies)."""
    timeout: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """The keys as written, in file order."""
        return _present(self, POLL_KEYS)


@dataclass(frozen=True)
class Retry:
    """`retry:` — send again after the failures `on` names (statuses, classes, `transport`), `max` times."""

    on: list[int | str] | None = None
    """Always a list (a single status in the file becomes a list of one); None when not written."""
    max: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """The keys as written, in file order."""
        return _present(self, RETRY_KEYS)


@dataclass(frozen=True)
class Paginate:
    """`paginate:` — follow a list's next-page links until `limit` records (or the last page); captures and
    `expect.json` then look at one merged document: the first page's envelope with every page's records."""

    limit: int

    def as_dict(self) -> dict[str, Any]:
        """The keys as written, in file order."""
        return _present(self, PAGINATE_KEYS)


@dataclass
class Auth:
    """How a request authenticates.

    `profile`: the active profile's credentials (the default); `none`: no credentials at all (no host
    guard, no sandbox start); `basic`: user and secret taken from variables, e.g. a key captured earlier
    in the same run (`{basic: ["{{key_sid}}", "{{key_secret}}"]}`).
    """

    mode: Literal["profile", "none", "basic"] = "profile"
    user: str = ""
    secret: str = ""


@dataclass
class Request:
    """One request of a collection, exactly as the YAML describes it (templates not yet rendered)."""

    name: str
    id: str
    method: str = "GET"
    url: str = ""
    description: str | None = None
    docs: str | None = None
    params: Pairs = field(default_factory=list)
    headers: Pairs = field(default_factory=list)
    form: Pairs | None = None
    json: Any = None
    body: str | None = None
    auth: Auth = field(default_factory=Auth)
    timeout: float | None = None
    follow_redirects: bool = False
    capture: dict[str, str] = field(default_factory=dict)
    capture_secret: dict[str, str] = field(default_factory=dict)
    expect: Expect | None = None
    poll: Poll | None = None
    retry: Retry | None = None
    paginate: Paginate | None = None
    explicit_id: bool = False
    line: int = 0

    @property
    def has_json(self) -> bool:
        """True when the request sends a JSON body."""
        return self.json is not None


@dataclass
class Collection:
    """One collection file: its metadata and ordered requests."""

    name: str
    path: Path
    requests: list[Request] = field(default_factory=list)
    description: str | None = None
    docs: str | None = None
    sandbox_only: bool = False
    variables: dict[str, str] = field(default_factory=dict)

    def get(self, request_id: str) -> Request | None:
        """The request with this id, or None."""
        for request in self.requests:
            if request.id == request_id:
                return request
        return None


# --------------------------------------------------------------------------------------------------
# Durations
# --------------------------------------------------------------------------------------------------

_DURATION = re.compile(r"(\d+(?:\.\d*)?|\.\d+)\s*(ms|s|m)?")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, None: 1.0}
DURATION_HINT = "a duration such as 30, 500ms, 2s or 1m"


def parse_duration(text: str | float) -> float:
    """Turn `500ms`, `2s`, `1m` or a number of seconds into float seconds.

    Collections, the runner (`poll.every`, `Retry-After`) and the CLI all accept durations, so they share
    this one parser and therefore one notion of what a duration is.

    Args:
        text: a number of seconds, or text made of a number and an optional unit (ms, s, m).

    Returns:
        The duration in seconds (finite, zero or more).

    Raises:
        ValueError: the value is not a duration; the message names the accepted forms.
    """
    if isinstance(text, bool):
        raise ValueError(f"expected {DURATION_HINT}, not {text!r}")
    if isinstance(text, int | float):
        try:
            seconds = float(text)
        except OverflowError:  # an integer beyond any float: as much "not a duration" as infinity
            raise ValueError(f"expected {DURATION_HINT}, not a {len(str(text))}-digit number") from None
    else:
        match = _DURATION.fullmatch(text.strip())
        if match is None:
            raise ValueError(f"expected {DURATION_HINT}, not {text!r}")
        seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"expected {DURATION_HINT}, not {text!r}")
    return seconds
