"""Soft wrap (`w`) for the body viewer, laid out for the lines on screen only.

A 20 MB body has half a million lines; measuring them all to number the wrapped rows would cost what
formatting did. So with wrap on, the viewer scrolls by *lines*: the scroll offset is the first line on
screen (its "position": the note row, then one position per line), and only the lines from there down to
the bottom of the screen are measured and cut into rows. The functions here take `height(position)`,
the rows one position needs at the current width, and never ask for more than a screen's worth.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["Height", "last_top", "rows_from", "top_ending_at", "top_showing"]

Height = Callable[[int], int]
"""Rows a position takes at the current width (at least 1)."""


def rows_from(top: int, total: int, page: int, height: Height) -> list[tuple[int, int]]:
    """The screen's rows from position `top`: (position, piece) pairs, piece 0 being the line's first row."""
    rows: list[tuple[int, int]] = []
    position = top
    while len(rows) < page and position < total:
        rows.extend((position, piece) for piece in range(min(height(position), page - len(rows))))
        position += 1
    return rows


def top_ending_at(position: int, page: int, height: Height) -> int:
    """The first position of the screen whose last whole line is `position` (the screen ends there)."""
    top, used = position, height(position)
    while top > 0:
        above = height(top - 1)
        if used + above > page:
            break
        top, used = top - 1, used + above
    return top


def last_top(total: int, page: int, height: Height) -> int:
    """The largest useful scroll offset: the one that shows the last line at the bottom of the screen."""
    return 0 if total <= 0 else top_ending_at(total - 1, page, height)


def top_showing(position: int, top: int, page: int, height: Height) -> int:
    """The scroll offset nearest `top` that shows `position` whole (as far as a screen can)."""
    if position <= top:
        return position
    if position - top >= page:  # every position takes a row at least: it is below the screen
        return top_ending_at(position, page, height)
    used = sum(height(p) for p in range(top, position + 1))
    return top if used <= page else top_ending_at(position, page, height)
