"""The body viewer's bottom-row prompts: the search's state, and editing a one-line prompt (search, filter)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Change", "Search", "edit_line"]

Change = Literal["close", "submit", "typed"]


def edit_line(text: str, key: str, character: str | None) -> tuple[Change | None, str]:
    """Apply a key to a prompt's text: what changed (None for keys left to bindings) and the new text.

    Args:
        text: the prompt's text before the key.
        key: the key's name.
        character: the character typed, or None when the key is not printable.
    """
    if key == "escape":
        return "close", text
    if key == "enter":
        return "submit", text
    if key == "backspace":
        return ("close", text) if not text else ("typed", text[:-1])
    if key == "ctrl+u":
        return "typed", ""
    if character:
        return "typed", text + character
    return None, text


@dataclass
class Search:
    """What is being searched (the search controller does the searching, the viewer the drawing).

    Attributes:
        prompt: the search being typed; None when the prompt is closed.
        origin: the cursor line when the prompt was opened (each keystroke searches again from there).
        needle: the search whose matches are highlighted and that n/N repeat.
        last: the last needle searched, which n/N repeat after the highlight is closed.
        failed: the last search found nothing.
        status: what the bottom row says after the search ("3/17 matches", "no match", a wrap notice).
    """

    prompt: str | None = None
    origin: int = 0
    needle: str = ""
    last: str = ""
    failed: bool = False
    status: str = ""

    def open(self, cursor: int) -> None:
        """Open the prompt, empty, from the cursor line."""
        self.prompt = ""
        self.origin = cursor
        self.failed = False
        self.status = ""

    def close(self) -> None:
        """Close the prompt and drop the highlight (n/N still repeat `last`)."""
        self.prompt = None
        self.needle = ""
        self.failed = False
        self.status = ""

    def edit(self, key: str, character: str | None) -> Change | None:
        """Apply a key to the open prompt; None for keys it leaves to bindings (arrows, app keys)."""
        change, self.prompt = edit_line(self.prompt or "", key, character)
        return change
