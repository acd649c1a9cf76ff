"""Errors the user sees: one sentence that names the file, line and column, and what was expected."""

from __future__ import annotations

from pathlib import Path


class TwibenchError(Exception):
    """Base class for errors shown to the user as one line (exit code 2 unless stated otherwise)."""

    exit_code = 2


class LocatedError(TwibenchError):
    """A problem at a place in a file: `path:line:column: message`."""

    def __init__(self, path: Path | str, line: int, column: int, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.column = column
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"

    def __repr__(self) -> str:
        return f"LocatedError({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LocatedError) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))


class FileErrors(TwibenchError):
    """Every problem found in one file (each one a LocatedError)."""

    def __init__(self, errors: list[LocatedError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))
