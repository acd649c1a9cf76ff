"""The body viewer's `/` search: incremental from where the prompt opened, `n`/`N`, and what it found.

The cursor moves to a match as soon as the (C-speed, chunk-per-turn) scan finds one; then the matching
lines are counted the same way for "3/17 matches" (cached per body and needle, so `n` costs a bisect).
A match found past the end (or before the start) says "search wrapped to the top" (or "bottom").
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from typing import TYPE_CHECKING

from twibench.tui.widgets.body.search import Search

if TYPE_CHECKING:
    from twibench.tui.widgets.body.host import SearchHost
    from twibench.workbench.body_document import BodyDocument

__all__ = ["SearchController"]


def status_text(position: int, count: int, wrapped: str) -> str:
    """ "3/17 matches", with the wrap notice after it."""
    text = f"{position}/{count:,} match" + ("" if count == 1 else "es")
    return f"{text} · search wrapped to the {wrapped}" if wrapped else text


class SearchController:
    """Searches the viewer's shown document and keeps `state` (which the viewer draws)."""

    def __init__(self, viewer: SearchHost) -> None:
        self.viewer = viewer
        self.state = Search()
        self._counted: tuple[BodyDocument, int, str, array[int]] | None = None

    def forget(self) -> None:
        """Another body: close the search and drop the cached count."""
        self.state.close()
        self._counted = None

    async def search_for(self, needle: str, *, backwards: bool = False, include_cursor: bool = False) -> int | None:
        """Highlight `needle` and move the cursor to its next (or previous) match, wrapping around.

        Returns:
            The matching line, or None (the cursor stays) when nothing matches.
        """
        viewer, state = self.viewer, self.state
        if not needle:
            viewer.action_close_search()
            return None
        state.needle = state.last = needle
        document, generation = viewer.document, viewer.generation
        start = viewer.cursor_line if include_cursor else viewer.cursor_line + (-1 if backwards else 1)
        found = None if document is None else await document.find(needle, start, backwards)
        if generation != viewer.generation or document is None or document is not viewer.document:
            return None  # another body (or the filter's matches) is shown now
        state.failed = found is None
        state.status = "no match" if found is None else "…"
        if found is not None:
            viewer.place_cursor(found, needle)
        viewer.refresh_search()
        if found is not None:
            wrapped = ("bottom" if found > start else "") if backwards else ("top" if found < start else "")
            lines = await self._matching_lines(document, needle)
            if generation == viewer.generation and state.needle == needle and lines:
                state.status = status_text(bisect_left(lines, found) + 1, len(lines), wrapped)
                viewer.refresh()
        return found

    async def _matching_lines(self, document: BodyDocument, needle: str) -> array[int]:
        counted = self._counted
        if counted is not None and counted[0] is document and counted[1:3] == (document.line_count, needle):
            return counted[3]
        lines = await document.matching_lines(needle)
        self._counted = (document, document.line_count, needle, lines)
        return lines

    def start(self) -> None:
        """Open the prompt on the bottom row."""
        self.state.open(self.viewer.cursor_line)

    def as_typed(self) -> None:
        """Incremental search: each keystroke searches again from where the prompt was opened."""
        viewer, state = self.viewer, self.state
        if not state.prompt:
            state.needle, state.failed, state.status = "", False, ""
            viewer.restyle_lines()
            return
        viewer.move_cursor(state.origin)
        viewer.search_in_background(state.prompt, False, True)

    def key(self, key: str, character: str | None) -> bool:
        """A key while the prompt is open: False for keys it leaves to bindings (arrows, app keys)."""
        change = self.state.edit(key, character)
        if change == "close":
            self.viewer.action_close_search()
        elif change == "submit":
            self.submit()
        elif change == "typed":
            self.as_typed()
        return change is not None

    def paste(self, text: str) -> None:
        """Pasted text goes into the open prompt."""
        self.state.prompt = (self.state.prompt or "") + text
        self.as_typed()
        self.viewer.refresh_search()

    def submit(self) -> None:
        """enter: keep the search highlighted (the bottom row then says what it found)."""
        state = self.state
        needle = state.prompt or state.last
        state.prompt = None
        if needle and needle != state.needle:
            self.viewer.move_cursor(state.origin)
            self.viewer.search_in_background(needle, False, True)
