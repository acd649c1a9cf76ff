"""Loading collections: a file, YAML text, a folder of files, or one request named by `FILE#ID`.

Each entry point parses with `yamlload` (which keeps every value's position) and hands the result to
`schema.check_collection`, which applies the rules and builds the model; errors name file:line:col.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from twibench import yamlload
from twibench.collection.model import Collection, Request
from twibench.collection.schema import check_collection
from twibench.errors import FileErrors, LocatedError, TwibenchError

if TYPE_CHECKING:
    from twibench.collection.parse_cache import ParseCache

__all__ = [
    "LoadResult",
    "RequestRefError",
    "collection_files",
    "find_request",
    "load_collection",
    "load_paths",
    "parse_collection",
]


def parse_collection(text: str, path: Path, cache: ParseCache | None = None) -> Collection:
    """Check and build a collection from YAML text that came from `path` (named in the errors).

    With a `cache` (the TUI's), the parsed tree comes from its entry when `text` is what was cached, and a
    file that checks clean is written to it; the rules run either way.

    Raises:
        FileErrors: every problem found in the text, one LocatedError each.
    """
    data = cache.get(path, text) if cache is not None else None
    if data is not None:
        return check_collection(path, data, text)
    try:
        data = yamlload.parse(path, text)
    except LocatedError as exc:
        raise FileErrors([exc]) from None
    collection = check_collection(path, data, text)
    if cache is not None:
        cache.put(path, text, data)
    return collection


def load_collection(path: Path, cache: ParseCache | None = None) -> Collection:
    """Load one collection file (through `cache` when given: see `parse_collection`).

    Raises:
        FileErrors: every problem found in the file, one LocatedError each (`path:line:col: message`).
    """
    try:
        text = yamlload.read_text(path)
    except LocatedError as exc:
        raise FileErrors([exc]) from None
    return parse_collection(text, path, cache)


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


def load_paths(paths: Iterable[Path | str], cache: ParseCache | None = None) -> LoadResult:
    """Load every collection named by `paths`: files, or folders searched recursively.

    A broken file does not stop the others: its problems are reported in `errors` and the rest load.
    A file reached twice (named, and inside a named folder) is loaded once. `cache`: see `parse_collection`.
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
                result.collections.append(load_collection(file, cache))
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
