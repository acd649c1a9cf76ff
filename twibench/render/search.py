"""Finding a line in a rendered body (the viewer's `/` search), wrapping around in either direction."""

from __future__ import annotations

import re

__all__ = ["search"]


def search(
    lines: list[str], needle: str, start: int = 0, backwards: bool = False, case_sensitive: bool = False
) -> int | None:
    """The index of the first line containing `needle`, from `start` (inclusive), wrapping around.

    Forwards it looks at start, start+1, … then from 0; backwards at start, start-1, … then from the end.
    For "next match" the caller passes the current match + 1 (or − 1 backwards). `start` is taken modulo
    the number of lines. Returns None for an empty needle or when no line matches.
    """
    count = len(lines)
    if not needle or not count:
        return None
    start %= count
    order = [range(start, -1, -1), range(count - 1, start, -1)] if backwards else [range(start, count), range(0, start)]
    if case_sensitive:
        for span in order:
            for index in span:
                if needle in lines[index]:
                    return index
        return None
    pattern = re.compile(re.escape(needle), re.IGNORECASE)
    find = pattern.search
    for span in order:
        for index in span:
            if find(lines[index]):
                return index
    return None
