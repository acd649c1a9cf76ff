"""The Request / Collection model, and loading collections from YAML with located errors.

A collection is one YAML file with an ordered list of requests (DESIGN §2). The model is the single
source of truth for a request being edited: the TUI, the CLI, history and the runner all use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

METHODS = ("GET", "POST", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS")
Pairs = list[tuple[str, str]]


def slug(name: str) -> str:
    """The default request id: lowercase, runs outside [a-z0-9] become one '-', trimmed."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


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
    expect: dict[str, Any] | None = None
    poll: dict[str, Any] | None = None
    retry: dict[str, Any] | None = None
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
