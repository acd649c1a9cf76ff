"""CSV as aligned columns (up to `CSV_ALIGN_MAX_ROWS` rows, cells cut at `CSV_CELL_MAX`), else raw lines."""

from __future__ import annotations

import csv
import io
import unicodedata

from twibench.render.lines import CSV_ALIGN_MAX_ROWS, CSV_CELL_MAX, text_lines, visible_text

__all__ = ["csv_lines"]


def _width(text: str) -> int:
    """Terminal cells taken by text: wide East Asian characters take two, combining marks none."""
    if text.isascii():
        return len(text)
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _cut(text: str, limit: int) -> str:
    if _width(text) <= limit:
        return text
    if text.isascii():
        return text[: limit - 1] + "…"
    kept = ""
    for char in text:
        if _width(kept + char) > limit - 1:
            break
        kept += char
    return kept + "…"


def csv_lines(text: str) -> tuple[list[str], str | None]:
    """Aligned columns (header underlined) for up to CSV_ALIGN_MAX_ROWS rows, raw lines above that."""
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            rows.append(row)
            if len(rows) > CSV_ALIGN_MAX_ROWS:
                return text_lines(text), f"more than {CSV_ALIGN_MAX_ROWS:,} rows: columns not aligned"
    except csv.Error as exc:
        return text_lines(text), f"CSV could not be read ({exc}); shown as text"
    cut = False
    cells: list[list[str]] = []
    for row in rows:
        shown = []
        for cell in row:
            visible = visible_text(cell)
            short = _cut(visible, CSV_CELL_MAX)
            cut = cut or short is not visible
            shown.append(short)
        cells.append(shown)
    columns = max((len(row) for row in cells), default=0)
    widths = [0] * columns
    for row in cells:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], _width(cell))
    lines = []
    for index, row in enumerate(cells):
        padded = [cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)]
        lines.append(" │ ".join(padded).rstrip())
        if index == 0 and len(cells) > 1:
            lines.append("─┼─".join("─" * w for w in widths))
    return lines, f"cells longer than {CSV_CELL_MAX} characters are cut with …" if cut else None
