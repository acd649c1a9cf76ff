"""The generic checks every rule of a collection file is made of, each recording a located error.

Each check records a LocatedError and carries on, so a user fixing a file sees all of its problems at
once rather than one per attempt. The rules themselves live in `schema` (collection and request) and
`runner_keys` (capture, expect, poll, retry); they build on `Checker`.
"""

from __future__ import annotations

import datetime
import difflib
import math
from pathlib import Path
from typing import Any, Final

from twibench.collection.model import DURATION_HINT, parse_duration
from twibench.errors import LocatedError
from twibench.variables import NAME_PATTERN
from twibench.yamlload import LocDict, LocList, Mark

__all__ = ["INVALID", "MAX_VALUE_NODES", "Checker", "is_scalar", "kind"]

# A YAML alias can make a small file describe a huge value ("billion laughs"); bodies never need this.
MAX_VALUE_NODES = 100_000
_MAX_VALUE_DEPTH = 100


def kind(value: object) -> str:
    """How a YAML value is called in an error message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, datetime.date):
        return "a date"
    if isinstance(value, bytes):
        return "binary data"
    return f"a {type(value).__name__}"


def is_scalar(value: object) -> bool:
    """True for the YAML scalars that have a text form (bool is an int; dates keep their source text)."""
    return isinstance(value, str | int | float | datetime.date)


class _Invalid:
    """Marks a value that failed its check (its error is already recorded)."""


INVALID: Final = _Invalid()


class Checker:
    """Checks one parsed collection file, collecting every problem on the way (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.errors: list[LocatedError] = []
        # (id of a mapping, key) already offered as "did you mean": its absence is the same problem.
        self.suggested: set[tuple[int, str]] = set()

    def error(self, mark: Mark, message: str) -> None:
        """Record one problem at `mark`."""
        self.errors.append(LocatedError(self.path, mark[0], mark[1], message))

    # ----- generic checks ------------------------------------------------------------------------

    def unknown_keys(self, data: LocDict, allowed: tuple[str, ...], what: str) -> None:
        """Report every key of `data` that is not in `allowed`, suggesting the closest allowed key."""
        for key in data:
            if key in allowed:
                continue
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            if close:
                self.suggested.add((id(data), close[0]))
            self.error(data.key_mark(key), f"unknown key '{key}'{hint}; {what} takes: {', '.join(allowed)}")

    def missing(self, data: LocDict, key: str, message: str) -> None:
        """Report a required key that is absent, unless a misspelling of it was already reported."""
        if (id(data), key) not in self.suggested:
            self.error(data.start, message)

    def scalar_text(self, value: object, raw: str | None, mark: Mark, what: str) -> str | None:
        """A scalar as the text the user wrote: `020` stays "020", `yes` stays "yes"."""
        if isinstance(value, str):
            return value
        if value is None:
            self.error(mark, f'{what} is empty (null); expected text (write "" for empty text)')
            return None
        if is_scalar(value):
            return raw if raw is not None else str(value)
        self.error(mark, f"{what} must be text, not {kind(value)}")
        return None

    def text(self, data: LocDict, key: str, what: str, *, required: bool = False) -> str | None:
        """The text value of `data[key]`, or None when absent (an error too when `required`)."""
        if key not in data:
            if required:
                self.missing(data, key, f"missing '{key}:' ({what})")
            return None
        return self.scalar_text(data[key], data.raw.get(key), data.value_mark(key), f"'{key}'")

    def line_text(self, data: LocDict, key: str, what: str, *, required: bool = False) -> str | None:
        """Like `text`, but the value must be one non-blank line (names, URLs, ids)."""
        value = self.text(data, key, what, required=required)
        if value is None:
            return None
        if not value.strip():
            self.error(data.value_mark(key), f"'{key}' is empty; expected {what}")
            return None
        if "\n" in value or "\r" in value:
            self.error(data.value_mark(key), f"'{key}' must be a single line")
            return None
        return value

    def boolean(self, data: LocDict, key: str) -> bool | None:
        """`data[key]` when it is true or false; None (and an error) otherwise."""
        if key not in data:
            return None
        value = data[key]
        if isinstance(value, bool):
            return value
        self.error(data.value_mark(key), f"'{key}' must be true or false, not {kind(value)}")
        return None

    def mapping(self, data: LocDict, key: str, expected: str) -> LocDict | None:
        """`data[key]` when it is a mapping; None (and an error naming `expected`) otherwise."""
        value = data[key]
        if isinstance(value, LocDict):
            return value
        self.error(data.value_mark(key), f"'{key}' must be {expected}, not {kind(value)}")
        return None

    def duration(self, data: LocDict, key: str, label: str) -> float | None:
        """A positive duration in seconds (see `parse_duration`)."""
        value = data[key]
        try:
            if isinstance(value, str | int | float):
                seconds = parse_duration(value)
                if seconds > 0:
                    return seconds
        except ValueError:
            pass
        self.error(data.value_mark(key), f"'{label}' must be {DURATION_HINT} (more than zero), not {value!r}")
        return None

    def variable_name(self, data: LocDict, key: str, what: str) -> bool:
        """True when `key` can be used as `{{key}}`; an error otherwise."""
        if NAME_PATTERN.match(key):
            return True
        self.error(
            data.key_mark(key),
            f"{what} '{key}' cannot be used as {{{{{key}}}}}; use letters, digits, '_', '.' and '-', "
            "starting with a letter or '_'",
        )
        return False

    def json_value(self, value: object, mark: Mark, root: str, budget: list[int], path: tuple[Any, ...] = ()) -> Any:
        """`value` as plain JSON-compatible Python (dict/list/str/int/float/bool/None), or an error.

        Args:
            value: what the YAML holds.
            mark: where it starts.
            root: the field's name for messages, such as "json".
            budget: how many more nodes may be visited (one-element list, shared by the walk).
            path: keys and indexes from the field down to `value`.

        Returns:
            The plain value, or `INVALID` when it cannot be sent as JSON (the error is recorded).
        """
        # An invalid part makes the whole value invalid and stops the walk, so each check fires once.
        budget[0] -= 1
        if budget[0] < 0:
            self.error(mark, f"{root} holds more than {MAX_VALUE_NODES} values (YAML aliases repeat it)")
            return INVALID
        if len(path) > _MAX_VALUE_DEPTH:
            self.error(mark, f"{root} is nested more than {_MAX_VALUE_DEPTH} levels deep")
            return INVALID
        if value is None or isinstance(value, str | bool | int):
            return value
        if isinstance(value, float) and math.isfinite(value):
            return value
        if isinstance(value, LocDict):
            result: dict[str, Any] = {}
            for key, item in value.items():
                converted = self.json_value(item, value.value_mark(key), root, budget, (*path, key))
                if converted is INVALID:
                    return INVALID
                result[key] = converted
            return result
        if isinstance(value, LocList):
            items: list[Any] = []
            for index, item in enumerate(value):
                converted = self.json_value(item, value.item_mark(index), root, budget, (*path, index))
                if converted is INVALID:
                    return INVALID
                items.append(converted)
            return items
        where = root + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path)
        shown = f"{value}" if isinstance(value, float) else kind(value)
        hint = "; quote it to send text" if isinstance(value, float | datetime.date) else ""
        self.error(mark, f"{where} is {shown}, which JSON cannot hold{hint}")
        return INVALID
