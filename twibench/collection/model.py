"""The Request / Collection model, and loading collections from YAML with located errors.

A collection is one YAML file with an ordered list of requests (DESIGN §2). The model is the single
source of truth for a request being edited: the TUI, the CLI, history and the runner all use it.

This module is the entry point (load a file, a folder, or `FILE#ID`); the rules of the format live in
`collection_check`, and writing (whole files, or one request in place) in `collection_io`.
"""

from __future__ import annotations

import difflib
import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from twibench import yamlload
from twibench.errors import FileErrors, LocatedError, TwibenchError

__all__ = [
    "DURATION_HINT",
    "METHODS",
    "Auth",
    "Collection",
    "LoadResult",
    "Pairs",
    "Request",
    "RequestRefError",
    "collection_files",
    "find_request",
    "load_collection",
    "load_paths",
    "parse_collection",
    "parse_duration",
    "slug",
]

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


# --------------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------------


def parse_collection(text: str, path: Path) -> Collection:
    """Check and build a collection from YAML text that came from `path` (named in the errors).

    Raises:
        FileErrors: every problem found in the text, one LocatedError each.
    """
    try:
        data = yamlload.parse(path, text)
    except LocatedError as exc:
        raise FileErrors([exc]) from None
    from twibench.collection.schema import check_collection  # the rules import this module's model

    return check_collection(path, data, text)


def load_collection(path: Path) -> Collection:
    """Load one collection file.

    Raises:
        FileErrors: every problem found in the file, one LocatedError each (`path:line:col: message`).
    """
    try:
        text = yamlload.read_text(path)
    except LocatedError as exc:
        raise FileErrors([exc]) from None
    return parse_collection(text, path)


@dataclass
class LoadResult:
    """What `load_paths` found: the collections that loaded and the problems of those that did not."""

    collections: list[Collection] = field(default_factory=list)
    """Every file that loaded, in path order."""
    errors: list[LocatedError] = field(default_factory=list)
    """Every problem of every file that did not load (a broken file never hides the others)."""

    @property
    def ok(self) -> bool:
        """True when every path loaded."""
        return not self.errors


def _is_collection_file(name: str) -> bool:
    return name.endswith((".yaml", ".yml")) and not name.startswith(".")


def collection_files(folder: Path) -> list[Path]:
    """The `*.yaml`/`*.yml` files under `folder`, recursively and sorted; hidden files and folders skipped.

    Raises:
        LocatedError: the folder (or a sub-folder) cannot be listed.
    """
    found: list[Path] = []
    problems: list[OSError] = []
    for root, dirs, files in os.walk(folder, onerror=problems.append):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(Path(root, name) for name in files if _is_collection_file(name))
    if problems:
        problem = problems[0]
        where = Path(problem.filename) if problem.filename else folder
        raise LocatedError(where, 1, 1, f"cannot read the folder: {problem.strerror or problem}")
    return sorted(found, key=lambda p: p.relative_to(folder).parts)


def load_paths(paths: Iterable[Path | str]) -> LoadResult:
    """Load every collection named by `paths`: files, or folders searched recursively.

    A broken file does not stop the others: its problems are reported in `errors` and the rest load.
    A file reached twice (named, and inside a named folder) is loaded once.
    """
    result = LoadResult()
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            try:
                files = collection_files(path)
            except LocatedError as exc:
                result.errors.append(exc)
                continue
        elif path.exists():
            files = [path]
        else:
            result.errors.append(LocatedError(path, 1, 1, "no such file or folder"))
            continue
        for file in files:
            key = file.resolve()
            if key in seen:
                continue
            seen.add(key)
            try:
                result.collections.append(load_collection(file))
            except FileErrors as exc:
                result.errors.extend(exc.errors)
            except (ValueError, ArithmeticError, RecursionError, MemoryError) as exc:
                # A value no rule foresaw must still not hide the files after it: report it and go on.
                result.errors.append(LocatedError(file, 1, 1, f"cannot load this file ({exc.__class__.__name__})"))
    return result


class RequestRefError(TwibenchError):
    """A `FILE#ID` reference that does not name a request."""


def find_request(ref: str, base: Path | None = None) -> tuple[Collection, Request]:
    """Resolve `FILE#ID` (e.g. `collections/messages.yaml#send-sms`) to its collection and request.

    Args:
        ref: the file (relative to `base` or the working folder), `#`, and the request id.
        base: the folder relative file names start from.

    Raises:
        RequestRefError: the reference is malformed, the file is missing, or no request has the id.
        FileErrors: the file does not load.
    """
    file_part, sep, request_id = ref.rpartition("#")
    if not sep or not file_part.strip() or not request_id.strip():
        raise RequestRefError(
            f"{ref!r} is not a request reference; expected FILE#ID, such as collections/messages.yaml#send-sms"
        )
    path = Path(file_part).expanduser()
    if base is not None and not path.is_absolute():
        path = base / path
    if path.is_dir():
        raise RequestRefError(f"{path} is a folder; expected a collection file before '#{request_id}'")
    if not path.exists():
        raise RequestRefError(f"{path}: no such collection file (from {ref!r})")
    collection = load_collection(path)
    request = collection.get(request_id.strip())
    if request is not None:
        return collection, request
    ids = [r.id for r in collection.requests]
    if not ids:
        raise RequestRefError(f"{path} has no requests, so it has no request '{request_id}'")
    close = difflib.get_close_matches(request_id, ids, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    raise RequestRefError(f"{path} has no request '{request_id}'; {hint}available ids: {', '.join(ids)}")
