"""Soft wrap's layout (UI-free): rows for the screen only, the last useful scroll offset, keeping a line shown."""

from __future__ import annotations

from twibench.tui.widgets.body.wrap import last_top, rows_from, top_ending_at, top_showing

HEIGHTS = [1, 3, 1, 1, 5, 1, 2, 1]


def height(position: int) -> int:
    return HEIGHTS[position]


def test_rows_from_cuts_lines_into_pieces_and_stops_at_the_screen() -> None:
    assert rows_from(0, len(HEIGHTS), 5, height) == [(0, 0), (1, 0), (1, 1), (1, 2), (2, 0)]
    assert rows_from(4, len(HEIGHTS), 3, height) == [(4, 0), (4, 1), (4, 2)]  # a line taller than the screen
    assert rows_from(6, len(HEIGHTS), 10, height) == [(6, 0), (6, 1), (7, 0)]


def test_only_a_screen_of_lines_is_measured() -> None:
    asked: list[int] = []

    def counting(position: int) -> int:
        asked.append(position)
        return 1

    rows_from(1_000, 500_000, 30, counting)
    last_top(500_000, 30, counting)
    top_showing(400_000, 10, 30, counting)
    assert len(asked) <= 3 * 31


def test_the_last_top_shows_the_last_line_at_the_bottom() -> None:
    assert last_top(len(HEIGHTS), 4, height) == 5  # 1 + 2 + 1 rows; the 5-row line would not fit
    assert last_top(len(HEIGHTS), 100, height) == 0
    assert top_ending_at(4, 6, height) == 3


def test_top_showing_scrolls_only_as_far_as_needed() -> None:
    assert top_showing(2, 0, 5, height) == 0  # already shown
    assert top_showing(0, 3, 5, height) == 0  # above: it becomes the top
    assert top_showing(4, 0, 6, height) == 3  # below: it ends the screen
