"""The body viewer's JSONPath filter, without any UI: a shown JSON body in, a document of its matches out.

The viewer runs `run_filter` in a thread (a 20 MB body takes a moment to parse and to walk), parsing the
shown (masked) text once per filter session (`parse_shown`), and hands back a `BodyDocument` it can show
in place of the whole body. The matches are one pretty JSON array, like `twibench send --select` gives
them one per line. The work is bounded: the count is exact, but at most `MAX_SHOWN` matches or
`MAX_SHOWN_BYTES` of text are shown, and `cancelled` is polled between matches so a newer keystroke
stops an older filter at once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from twibench.selection import SelectError, compile_path
from twibench.workbench.body_document import BodyDocument, Chunk

__all__ = ["MAX_PARSE_BYTES", "MAX_SHOWN", "MAX_SHOWN_BYTES", "FilterResult", "parse_shown", "run_filter"]

MAX_SHOWN = 100_000
"""At most this many matches are shown (all are counted)."""
MAX_SHOWN_BYTES = 64 * 1024 * 1024
"""Matches stop being shown once their text passes this (`$..*` repeats every value at every depth)."""
MAX_PARSE_BYTES = 128 * 1024 * 1024
"""Bodies over this are not parsed for the filter: their Python objects would weigh several times as much."""
_CHUNK_LINES = 10_000  # lines per chunk of the result, as the formatter makes them


@dataclass(frozen=True)
class FilterResult:
    """What a filter expression gave.

    Attributes:
        expression: the expression as typed.
        count: how many values matched (every one).
        shown: how many of them the document holds.
        document: the matches as a pretty JSON array, with a note saying what it is; None on an error.
        error: one sentence for a bad expression; None when it ran.
    """

    expression: str
    count: int = 0
    shown: int = 0
    document: BodyDocument | None = None
    error: str | None = None

    @property
    def summary(self) -> str:
        """ "3 matches", "no match", "showing 100,000 of 250,000 matches", or the error."""
        if self.error is not None:
            return self.error
        if self.count == 0:
            return "no match"
        if self.shown < self.count:
            return f"showing {self.shown:,} of {self.count:,} matches"
        return f"{self.count:,} match" + ("" if self.count == 1 else "es")


def parse_shown(document: BodyDocument) -> Any:
    """The shown JSON body as Python values (call it off the UI thread for a large body).

    Raises:
        SelectError: the body is not JSON, or too large to filter here (the message says what to do).
    """
    if document.kind != "json":
        raise SelectError(f"filtering needs a JSON body, and this one is shown as {document.kind}")
    if document.size > MAX_PARSE_BYTES:
        raise SelectError(
            f"the body is {document.size / 1_000_000:.0f} MB, more than the TUI filters "
            f"({MAX_PARSE_BYTES // 1_000_000} MB); use `twibench history show N --select EXPR` instead"
        )
    return json.loads(document.whole())


def run_filter(expression: str, parsed: Any, cancelled: Callable[[], bool] = lambda: False) -> FilterResult | None:
    """Apply a JSONPath to the parsed body; None when `cancelled()` became true midway.

    A bad expression gives a result with `error` set (one sentence, never a traceback).
    """
    try:
        path = compile_path(expression, option="the filter")
    except SelectError as exc:
        return FilterResult(expression, error=str(exc))
    data = json.dumps(parsed) if isinstance(parsed, str) else parsed  # as `selection.select` hands it over
    lines = ["["]
    count, shown, size = 0, 0, 0
    for match in path.finditer(data):
        if cancelled():
            return None
        count += 1
        if shown < MAX_SHOWN and size <= MAX_SHOWN_BYTES:
            text = json.dumps(match.obj, ensure_ascii=False, indent=2)
            size += len(text)
            if shown:
                lines[-1] += ","
            lines.extend("  " + line for line in text.split("\n"))
            shown += 1
    lines[-1:] = ["[]"] if shown == 0 else [lines[-1], "]"]
    result = FilterResult(expression, count, shown)
    document = BodyDocument("json", f"filter {expression}: {result.summary} (escape shows the whole body)", size)
    for start in range(0, len(lines), _CHUNK_LINES):
        document.append(Chunk.pack(lines[start : start + _CHUNK_LINES], start))
    return FilterResult(expression, count, shown, document)
