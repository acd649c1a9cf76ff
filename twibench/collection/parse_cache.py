"""A cache of parsed collection files, so a TUI start whose files have not changed never imports PyYAML.

PyYAML's import (~8 ms, 16 regular expressions) and the parse of the shipped collections (~2.5 ms) were the
largest part of `make_app`. An entry keeps what `yamlload.parse` returned for one file (the LocDict/LocList
tree with every mark and raw text), so `check_collection` on it gives exactly what it gives on a fresh
parse: the same model, the same error positions later, the same exact saves.

One JSON file per collection file, named by a digest of the file's resolved path, holding
`[stamp, digest of the file's text, tree]`. It is used only when the stamp (this format, twibench's version,
and yamlload's own source) and the text digest match exactly. A cache file is input like any other: it is
read with a size bound and every part of it is checked (types, marks, depth, number sizes) before it is
trusted; anything else is a miss, the file is parsed as usual and the entry rewritten. Only files that
parsed and passed `check_collection` are written, and a failure to write changes nothing.

The tree is JSON with no plain objects: a mapping is `{"d": [keys, marks, raws, values]}` (marks flat: its
own line and column, then four per key: key line, key col, value line, value col), a sequence is
`{"s": [marks, raws, values]}` (its own, then two per item), a timestamp is `{"t": [isoformat]}`. Decoding
builds them in `json`'s object hook, so scalars never leave C.
"""

from __future__ import annotations

import datetime
import functools
import os
import re
from pathlib import Path
from typing import Any

from twibench import __version__, yamlload
from twibench.atomic import write_atomic
from twibench.cachefile import digest, loads_json, read_regular
from twibench.paths import ensure_private_dir
from twibench.yamlload import LocDict, LocList

__all__ = ["FORMAT", "MAX_DEPTH", "ParseCache"]

FORMAT = 1
"""The entry format; change it when the layout below changes (yamlload's output is covered by its source)."""
MAX_DEPTH = 100
"""Deeper trees are neither written nor read (no collection nests that far; checks refuse such bodies)."""
SLACK_BYTES = 65_536
MAX_ENTRIES = 1_000
"""Entries kept: one per collection file ever loaded (the whole API is ~180). Writing a new entry past it
removes the entries written longest ago, down to three quarters of it; a removed one is a miss, and rewritten."""

_ENTRY_NAME = r"[0-9a-f]{40}\.json"  # `entry_file`'s names, the only files pruned (compiled by `prune`, not at start)

_TIMES = frozenset({datetime.date, datetime.datetime})  # YAML timestamps (`2024-01-01`) as PyYAML reads them
_SCALARS = frozenset({str, int, float, bool, type(None)}) | _TIMES
_CONTAINERS = frozenset({LocDict, LocList})
_VALUES = _SCALARS | _CONTAINERS
_INT = frozenset({int})
_STR = frozenset({str})
_RAW = frozenset({str, type(None)})
_MAX_INT_BITS = int(yamlload.MAX_INT_DIGITS * 3.3219)  # as yamlload: the bits of the largest number it reads


class _Refused(ValueError):
    """This entry (or this tree) is not one the cache may use."""


@functools.cache
def _stamp() -> str:
    """The format, twibench's version and a digest of yamlload's source: any change makes old entries misses."""
    try:
        source = Path(yamlload.__file__).read_bytes()
    except (OSError, TypeError):  # no source shipped: the version alone
        source = b""
    return f"twibench-parse-cache/{FORMAT}/{__version__}/{digest(source, 8)}"


def _limit(text: str) -> int:
    """The largest entry read or written for `text`: a few times its size, plus slack."""
    return 8 * len(text) + SLACK_BYTES


class ParseCache:
    """The entries in one folder (`paths.cache_dir()` for the TUI)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._count: int | None = None  # entries in the folder, from the last scan and the new ones since

    def entry_file(self, path: Path) -> Path:
        """The entry of collection file `path` (named by its resolved path, so two spellings share one)."""
        name = str(path.resolve()).encode("utf-8", "surrogateescape")
        return self.folder / f"{digest(name)}.json"

    def get(self, path: Path, text: str) -> Any | None:
        """What `yamlload.parse(path, text)` returns, from the entry when it matches; None on any miss.

        Every failure is a miss: the caller parses as usual. That includes failures no check foresaw
        (the broad except): a damaged cache must never stop a start.
        """
        try:
            limit = _limit(text)
            payload = read_regular(self.entry_file(path), limit)
            if payload is None:
                return None
            text_digest = digest(text.encode("utf-8", "surrogatepass"))
            head = payload[:256]  # another version or another text is a miss before the tree is decoded
            if f'"{_stamp()}"'.encode() not in head or f'"{text_digest}"'.encode() not in head:
                return None
            return _decode(payload, text_digest, len(text) + 2)
        except Exception:  # any damage is a miss (see above)
            return None

    def put(self, path: Path, text: str, data: Any) -> None:
        """Write the entry for `path` (call it only after `check_collection` accepted `data`).

        A tree the format cannot hold exactly (binary data, a set, shared or too deep containers, too
        large) is not written; nor is anything when the folder cannot be written: either way the next
        start parses.
        """
        try:
            limit = _limit(text)
            tree = _Encoder(limit).node(data, 0)
            import json

            entry = [_stamp(), digest(text.encode("utf-8", "surrogatepass")), tree]
            payload = json.dumps(entry, separators=(",", ":"))
            if len(payload) > limit:
                return
            ensure_private_dir(self.folder)
            file = self.entry_file(path)
            new = not file.exists()
            write_atomic(file, payload, mode=0o600, durable=False)  # checked when read
            if new:
                self._count = None if self._count is None else self._count + 1
                if self._count is None or self._count > MAX_ENTRIES:
                    self.prune(keep=file.name)
        except (OSError, ValueError, RecursionError):
            return

    def prune(self, keep: str = "") -> int:
        """Past `MAX_ENTRIES`, remove the entries written longest ago (never `keep`); how many went.

        Only the folder's entry files count and go (the CSS cache's file beside them stays). `put` scans
        the folder at its first new entry, then counts the new ones it writes and scans again only past
        the limit (a first start on the whole API writes ~180 entries: one scan, not 180)."""
        entry_name = re.compile(_ENTRY_NAME)
        entries = []
        with os.scandir(self.folder) as found:
            for item in found:
                if entry_name.fullmatch(item.name) and item.is_file(follow_symlinks=False):
                    entries.append((item.stat(follow_symlinks=False).st_mtime_ns, item.name))
        self._count = len(entries)
        if len(entries) <= MAX_ENTRIES:
            return 0
        entries.sort()
        gone = [name for _, name in entries[: len(entries) - MAX_ENTRIES * 3 // 4] if name != keep]
        for name in gone:
            (self.folder / name).unlink(missing_ok=True)
        self._count -= len(gone)
        return len(gone)


class _Encoder:
    """The tree as JSON-ready lists, refusing what it cannot hold exactly."""

    def __init__(self, limit: int) -> None:
        self.budget = limit
        self.seen: set[int] = set()

    def node(self, value: Any, depth: int) -> Any:
        kind = type(value)
        if kind is str:
            self.spend(len(value))
            return value
        if kind in _TIMES:
            return {"t": [value.isoformat()]}
        if kind in _SCALARS:
            return value
        if kind not in _CONTAINERS or depth >= MAX_DEPTH:
            raise _Refused(kind.__name__)
        if id(value) in self.seen:  # a YAML alias of a container: JSON would copy it (and could blow up)
            raise _Refused("shared")
        self.seen.add(id(value))
        if kind is LocDict:
            keys = list(value)
            marks: list[int] = [*value.start]
            for key in keys:
                marks.extend(value.key_mark(key))
                marks.extend(value.value_mark(key))
                self.spend(len(key))
            raws = [value.raw.get(key) for key in keys]
            self.spend(sum(len(raw) for raw in raws if raw is not None))
            values = [self.node(item, depth + 1) for item in value.values()]
            return {"d": [keys, marks, raws, values]}
        marks = [*value.start, *(number for mark in value.marks for number in mark)]
        self.spend(sum(len(raw) for raw in value.raw if raw is not None))
        values = [self.node(item, depth + 1) for item in value]
        return {"s": [marks, list(value.raw), values]}

    def spend(self, size: int) -> None:
        self.budget -= size
        if self.budget < 0:
            raise _Refused("too large")


def _decode(payload: bytes, text_digest: str, mark_limit: int) -> Any:
    """The tree of an entry, checked part by part; `_Refused` (or json's own errors) for anything else.

    Most containers hold scalars only, so their checks are whole-list operations done in C; only a
    container holding containers pays for the per-item checks (raw text in step, depth). This runs once
    per container of every file on a warm start, hence one flat function.
    """
    # id -> (the container, kept alive so its id stays unique; its depth), for containers holding containers;
    # a container missing here holds scalars only (depth 1).
    depths: dict[int, tuple[Any, int]] = {}
    no_depth = (None, 1)

    def container(pairs: list[tuple[str, Any]]) -> Any:
        if len(pairs) != 1:
            raise _Refused("shape")
        tag, body = pairs[0]
        if type(body) is not list:
            raise _Refused("shape")
        if tag == "d" and len(body) == 4:
            keys, marks, raws, values = body
            if type(keys) is not list or not set(map(type, keys)) <= _STR:
                raise _Refused("keys")
            count = len(keys)
            line_count = 2 + 4 * count
        elif tag == "s" and len(body) == 3:
            marks, raws, values = body
            keys = None
            count = len(values) if type(values) is list else -1
            line_count = 2 + 2 * count
        elif tag == "t" and len(body) == 1 and type(body[0]) is str:
            text = body[0]
            return datetime.datetime.fromisoformat(text) if "T" in text else datetime.date.fromisoformat(text)
        else:
            raise _Refused("tag")
        if not (
            type(marks) is list
            and len(marks) == line_count
            and set(map(type, marks)) <= _INT
            and min(marks) >= 1
            and max(marks) <= mark_limit
        ):
            raise _Refused("marks")
        if not (type(raws) is list and type(values) is list and len(raws) == len(values) == count):
            raise _Refused("lengths")
        kinds = set(map(type, values))
        if not (kinds <= _VALUES and set(map(type, raws)) <= _RAW):
            raise _Refused("types")
        if int in kinds and any(type(v) is int and v.bit_length() > _MAX_INT_BITS for v in values):
            raise _Refused("number")
        # yamlload keeps raw text for scalars only
        if kinds.isdisjoint(_CONTAINERS):
            if None in raws:
                raise _Refused("raw text out of step")
            depth = 1
        else:
            if [raw is None for raw in raws] != [type(v) in _CONTAINERS for v in values]:
                raise _Refused("raw text out of step")
            depth = 1 + max(depths.get(id(v), no_depth)[1] for v in values if type(v) in _CONTAINERS)
            if depth > MAX_DEPTH:
                raise _Refused("depth")
        # Every list's length is checked above, so the zips below pair exactly (no strict check needed).
        made: LocDict | LocList
        if keys is not None:
            made = mapping = LocDict()
            mapping.update(zip(keys, values, strict=False))
            if len(mapping) != count:
                raise _Refused("duplicate key")
            mapping.key_marks = dict(zip(keys, zip(marks[2::4], marks[3::4], strict=False), strict=False))
            mapping.value_marks = dict(zip(keys, zip(marks[4::4], marks[5::4], strict=False), strict=False))
            if depth == 1:
                mapping.raw = dict(zip(keys, raws, strict=False))
            else:
                mapping.raw = {key: raw for key, raw in zip(keys, raws, strict=False) if raw is not None}
        else:
            made = sequence = LocList()
            sequence.extend(values)
            sequence.marks = list(zip(marks[2::2], marks[3::2], strict=False))
            sequence.raw = raws
        made.start = (marks[0], marks[1])
        if depth > 1:
            depths[id(made)] = (made, depth)
        return made

    entry = loads_json(payload.decode("ascii"), container)
    if not (type(entry) is list and len(entry) == 3 and entry[0] == _stamp() and entry[1] == text_digest):
        raise _Refused("stamp")
    tree = entry[2]
    if type(tree) is not LocDict:
        raise _Refused("not a collection")
    return tree
