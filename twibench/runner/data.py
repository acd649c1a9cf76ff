"""Data files for data-driven runs (`twibench run FILE --data rows.csv|rows.json`).

The collection runs once per row, with the row's columns as variables. A CSV file has a header line of
variable names and one row per line; a JSON file is a list of objects whose values are text, numbers or
booleans. Every problem is one located error: `rows.csv:4: …` for CSV, `rows.json: row 3, field 'to': …`
for JSON (its syntax errors carry line and column), so a bad data file is exit code 2 before anything
is sent.

A row's label (`row 3 (to=+1555…)`) names it in the console and the reports; a column whose name says
it holds a secret (`auth_token`, `password`, …, `secret_fields.is_secret_field`) is masked there, and
its values join the run's redaction set like any captured secret.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from twibench.errors import FileErrors, LocatedError
from twibench.redact import MASK
from twibench.secret_fields import is_secret_field
from twibench.variables import NAME_PATTERN

__all__ = ["DataRow", "DataSet", "load_data"]

LABEL_COLUMNS = 2
"""How many columns a row's label shows."""
LABEL_VALUE_CHARS = 12
"""How much of each value a row's label shows before `…`."""


@dataclass(frozen=True)
class DataRow:
    """One row of a data file: its 1-based number, its values by column, and how it is named."""

    index: int
    values: dict[str, str]
    label: str


@dataclass
class DataSet:
    """The rows of one data file and the union of their columns (in first-seen order)."""

    path: Path
    rows: list[DataRow]
    columns: list[str] = field(default_factory=list)

    @property
    def secret_values(self) -> list[str]:
        """Every non-empty value of a column whose name says it is secret (masked like a captured secret)."""
        secret = [name for name in self.columns if is_secret_field(name)]
        return [row.values[name] for row in self.rows for name in secret if row.values.get(name)]


def load_data(path: Path) -> DataSet:
    """Read a `.csv` or `.json` data file.

    Raises:
        FileErrors: one located error per problem (unreadable file, bad header, a row of the wrong
            width, a JSON item that is not an object of scalar values, no rows at all).
    """
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise FileErrors([LocatedError(path, 1, 1, "--data expects a .csv file or a .json list of objects")])
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise FileErrors([LocatedError(path, 1, 1, "the data file does not exist")]) from None
    except UnicodeDecodeError as exc:
        raise FileErrors([LocatedError(path, 1, 1, f"the data file is not UTF-8 text ({exc.reason})")]) from None
    except OSError as exc:
        raise FileErrors([LocatedError(path, 1, 1, f"cannot read the data file: {exc.strerror or exc}")]) from None
    data = _load_csv(path, text) if suffix == ".csv" else _load_json(path, text)
    if not data.rows:
        raise FileErrors([LocatedError(path, 1, 1, "the data file has no rows; add at least one")])
    return data


def _label(index: int, values: dict[str, str]) -> str:
    """`row 3 (to=+15558675310, body=Hello there…)`: the first columns, long values cut, secret ones masked."""
    shown = []
    for name, value in list(values.items())[:LABEL_COLUMNS]:
        if is_secret_field(name):
            value = MASK
        elif len(value) > LABEL_VALUE_CHARS:
            value = value[:LABEL_VALUE_CHARS] + "…"
        shown.append(f"{name}={value}")
    return f"row {index} ({', '.join(shown)})" if shown else f"row {index}"


def _column_problem(name: str) -> str | None:
    if not name:
        return "a column has no name; give every column a variable name"
    if not NAME_PATTERN.match(name):
        return f"column '{name}' is not a variable name (letters, digits, '_', '.', '-'; not starting with a digit)"
    return None


def _load_csv(path: Path, text: str) -> DataSet:
    errors: list[LocatedError] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise FileErrors(
            [LocatedError(path, reader.line_num or 1, 1, f"the header line is not valid CSV: {exc}")]
        ) from None
    if header is None:
        raise FileErrors([LocatedError(path, 1, 1, "the data file is empty; its first line names the columns")])
    columns = [name.strip() for name in header]
    for name in columns:
        if (problem := _column_problem(name)) is not None:
            errors.append(LocatedError(path, 1, 1, problem))
    for name in {n for n in columns if columns.count(n) > 1 and n}:
        errors.append(LocatedError(path, 1, 1, f"column '{name}' appears twice; name each column once"))
    rows: list[DataRow] = []
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(LocatedError(path, reader.line_num, 1, f"not valid CSV: {exc}"))
            break
        line = reader.line_num
        if not record or all(not cell.strip() for cell in record):
            continue  # blank lines (a trailing newline, a spacer) are not rows
        if len(record) != len(columns):
            errors.append(
                LocatedError(path, line, 1, f"this row has {len(record)} fields but the header names {len(columns)}")
            )
            continue
        values = dict(zip(columns, record, strict=True))
        rows.append(DataRow(len(rows) + 1, values, _label(len(rows) + 1, values)))
    if errors:
        raise FileErrors(errors)
    return DataSet(path, rows, columns)


def _load_json(path: Path, text: str) -> DataSet:
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileErrors([LocatedError(path, exc.lineno, exc.colno, f"not valid JSON: {exc.msg}")]) from None
    if not isinstance(data, list):
        raise FileErrors([LocatedError(path, 1, 1, "expected a JSON list of objects, one per row")])
    errors: list[LocatedError] = []
    rows: list[DataRow] = []
    columns: dict[str, None] = {}
    starts = _item_starts(text)
    for number, item in enumerate(data, start=1):
        line, col = starts[number - 1]
        if not isinstance(item, dict):
            errors.append(LocatedError(path, line, col, f"row {number}: expected an object of variable → value"))
            continue
        values: dict[str, str] = {}
        for name, value in item.items():
            where = f"row {number}, field '{name}'"
            if (problem := _column_problem(name)) is not None:
                errors.append(LocatedError(path, line, col, f"row {number}: {problem}"))
            elif isinstance(value, bool):
                values[name] = "true" if value else "false"
            elif isinstance(value, (str, int, float)):
                values[name] = value if isinstance(value, str) else json.dumps(value)
            else:
                kind = "null" if value is None else type(value).__name__.replace("dict", "object")
                errors.append(
                    LocatedError(path, line, col, f"{where}: expected text, a number or a boolean, not {kind}")
                )
            columns.setdefault(name)
        rows.append(DataRow(number, values, _label(number, values)))
    if errors:
        raise FileErrors(errors)
    return DataSet(path, rows, list(columns))


def _item_starts(text: str) -> list[tuple[int, int]]:
    """(line, column) where each item of a JSON list (already parsed, so valid) begins."""
    decoder = json.JSONDecoder()

    def skip(index: int) -> int:
        while index < len(text) and text[index] in " \t\r\n":
            index += 1
        return index

    def place(index: int) -> tuple[int, int]:
        line_start = text.rfind("\n", 0, index) + 1
        return text.count("\n", 0, index) + 1, index - line_start + 1

    starts: list[tuple[int, int]] = []
    index = skip(skip(0) + 1)  # past the opening [
    while index < len(text) and text[index] != "]":
        starts.append(place(index))
        _, index = decoder.raw_decode(text, index)
        index = skip(index)
        if index < len(text) and text[index] == ",":
            index = skip(index + 1)
    return starts
