"""The variables of a run: collection defaults, the profile's, values captured so far, and `--var`.

The session outlives single requests so a value captured by one request fills `{{name}}` in the
next, in the documented precedence (collection < profile < captured < `--var`). It is also what a
Variables view shows: every name with its value, where it came from, and whether it is secret.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from twibench import variables
from twibench.client import values_for
from twibench.collection import Collection
from twibench.profiles import Profile
from twibench.redact import MASK
from twibench.runner.capture import Captured

__all__ = ["Session", "VariableEntry"]

Source = Literal["collection", "profile", "captured", "override"]


@dataclass(frozen=True)
class VariableEntry:
    """One variable as a Variables view shows it (the entry that wins for its name).

    Attributes:
        name: the variable name.
        value: its text (for a secret, the real value: mask it with `shown`).
        source: which layer it comes from.
        origin: a readable origin: the collection file, the profile name, `FILE#ID`, or `--var`.
        secret: True for a `capture_secret` value.
    """

    name: str
    value: str
    source: Source
    origin: str
    secret: bool = False

    @property
    def shown(self) -> str:
        """The value safe to display: secrets masked."""
        return MASK if self.secret else self.value


class Session:
    """Captured values and `--var` overrides for one run (or one interactive session)."""

    def __init__(self, profile: Profile, overrides: Mapping[str, str] | None = None) -> None:
        self.profile = profile
        self.overrides: dict[str, str] = dict(overrides or {})
        self.captured: dict[str, Captured] = {}
        self._captured_values: dict[str, str] = {}

    def remember(self, values: Iterable[Captured]) -> None:
        """Keep captured values for the requests that follow (a later capture of a name replaces it)."""
        for item in values:
            self.captured[item.name] = item
            self._captured_values[item.name] = item.value

    def forget(self, names: Iterable[str]) -> None:
        """Drop captured values (their request did not capture them this time)."""
        for name in names:
            self.captured.pop(name, None)
            self._captured_values.pop(name, None)

    def values(self, collection: Collection, row: Mapping[str, str] | None = None) -> dict[str, str]:
        """The merged variables a request of `collection` is rendered with.

        A data file's `row` sits between the profile and captured values: collection < profile < row <
        captured < `--var` (the runner forgets captures of a row's columns when the row begins).
        """
        if row:
            return variables.merge(
                collection.variables, self.profile.builtin_variables(), row, self._captured_values, self.overrides
            )
        return values_for(self.profile, collection.variables, self._captured_values, self.overrides)

    @property
    def secret_names(self) -> list[str]:
        """The names of captured secrets (the outbound guard refuses to carry their values elsewhere)."""
        return [item.name for item in self.captured.values() if item.secret]

    @property
    def secret_values(self) -> list[str]:
        """Every captured secret (for a Redactor built after the fact)."""
        return [item.value for item in self.captured.values() if item.secret]

    def entries(self, collection: Collection | None = None) -> list[VariableEntry]:
        """Every variable visible to a request of `collection`, sorted by name, each from its winning layer."""
        found: dict[str, VariableEntry] = {}
        if collection is not None:
            for name, value in collection.variables.items():
                found[name] = VariableEntry(name, value, "collection", collection.path.name)
        for name, value in self.profile.builtin_variables().items():
            found[name] = VariableEntry(name, value, "profile", self.profile.name)
        for item in self.captured.values():
            found[item.name] = VariableEntry(item.name, item.value, "captured", item.source, item.secret)
        for name, value in self.overrides.items():
            found[name] = VariableEntry(name, value, "override", "--var")
        return [found[name] for name in sorted(found)]
