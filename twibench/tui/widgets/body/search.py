"""The body viewer's search: the prompt typed on the bottom row, the highlighted needle, what n/N repeat."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Search"]

Change = Literal["close", "submit", "typed"]


@dataclass
class Search:
    """What is being searched (the viewer does the searching and the drawing).

    Attributes:
        prompt: the search being typed; None when the prompt is closed.
        origin: the cursor line when the prompt was opened (each keystroke searches again from there).
        needle: the search whose matches are highlighted and that n/N repeat.
        last: the last needle searched, which n/N repeat after the highlight is closed.
        failed: the last search found nothing.
    """

    prompt: str | None = None
    origin: int = 0
    needle: str = ""
    last: str = ""
    failed: bool = False

    def open(self, cursor: int) -> None:
        """Open the prompt, empty, from the cursor line."""
        self.prompt = ""
        self.origin = cursor
        self.failed = False

    def close(self) -> None:
        """Close the prompt and drop the highlight (n/N still repeat `last`)."""
        self.prompt = None
        self.needle = ""
        self.failed = False

    def edit(self, key: str, character: str | None) -> Change | None:
        """Apply a key to the open prompt; None for keys it leaves to bindings (arrows, app keys).

        Args:
            key: the key's name.
            character: the character typed, or None when the key is not printable.
        """
        prompt = self.prompt or ""
        if key == "escape":
            return "close"
        if key == "enter":
            return "submit"
        if key == "backspace":
            if not prompt:
                return "close"
            self.prompt = prompt[:-1]
        elif key == "ctrl+u":
            self.prompt = ""
        elif character:
            self.prompt = prompt + character
        else:
            return None
        return "typed"
