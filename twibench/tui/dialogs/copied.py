"""What the body viewer last copied, shown to select or save: the fallback for terminals that ignore OSC 52."""

from __future__ import annotations

from typing import ClassVar

from twibench.tui.dialogs.snippet import SnippetScreen


class CopiedScreen(SnippetScreen):
    """The copied value or body (secrets masked), in a read-only text area with Copy, Save to file… and Close."""

    HELP: ClassVar[str] = (
        "What the body viewer copied, with secrets masked. Copying goes through the terminal (OSC 52), "
        "which some terminals ignore without a word: select the text here with the mouse or "
        "**shift+arrows** (**ctrl+a** selects all), press **Copy** to try again, or **Save to file…**. "
        "**escape** closes."
    )
