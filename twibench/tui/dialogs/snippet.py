"""A modal showing an exported snippet (curl, twilio-cli, Python) as selectable, read-only text.

Copying goes through the terminal (OSC 52), which many terminals ignore without a word; this dialog is
the fallback that always works: the snippet is in a read-only TextArea, where the terminal's own
selection (or the TextArea's: shift+arrows, ctrl+a, ctrl+c) can take it. Snippets are small, so a
TextArea is the right widget here.
"""

from __future__ import annotations

import contextlib
from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static, TextArea
from textual.widgets.text_area import LanguageDoesNotExist

SnippetAction = Literal["save"]


class SnippetScreen(ModalScreen[SnippetAction | None]):
    """The snippet, with Copy, Save to file… and Close; dismissed with "save" when the user wants a file."""

    CSS_PATH = ["dialogs.tcss", "snippet.tcss"]  # noqa: RUF012 (Textual types a list of paths as a list)

    HELP: ClassVar[str] = (
        "The open request as a snippet. It reads credentials from environment variables "
        "(`$TWILIO_ACCOUNT_SID`, `$TWILIO_AUTH_TOKEN`…) and never holds a secret. Select text with the "
        "mouse or **shift+arrows** (**ctrl+a** selects all), or press **Copy** (through the terminal: "
        "some terminals ignore it). **Save to file…** writes it; **escape** closes."
    )
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close", id="dialog_cancel")]

    def __init__(self, title: str, snippet: str, *, language: str | None = None, note: str = "") -> None:
        """A dialog showing `snippet`.

        Args:
            title: what the snippet is ("Messages › Send an SMS as curl").
            snippet: the text.
            language: a TextArea syntax language ("bash", "python"), used when its grammar is installed.
            note: one line under the title (how the snippet gets its credentials).
        """
        super().__init__()
        self.snippet_title = title
        self.snippet = snippet
        self.language = language
        self.note = note

    def compose(self) -> ComposeResult:
        """Title, note, the snippet, buttons."""
        with Vertical(classes="dialog", id="snippet-dialog"):
            yield Label(self.snippet_title, classes="dialog-title")
            if self.note:
                yield Static(self.note, classes="dialog-note", markup=False)
            yield TextArea(
                self.snippet,
                read_only=True,
                soft_wrap=False,
                show_line_numbers=False,
                id="snippet-text",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Copy", variant="primary", id="snippet-copy")
                yield Button("Save to file…", id="snippet-save")
                yield Button("Close", id="snippet-close")

    def on_mount(self) -> None:
        """Highlight the snippet when the grammar is there; focus the text so selecting works at once."""
        text = self.query_one("#snippet-text", TextArea)
        if self.language is not None and self.language in text.available_languages:
            # tree-sitter may be installed without this language's grammar package: then plain text.
            with contextlib.suppress(LanguageDoesNotExist):
                text.language = self.language
        text.focus()

    @on(Button.Pressed, "#snippet-copy")
    def _copy(self) -> None:
        self.app.copy_to_clipboard(self.snippet)
        self.notify("Copied through the terminal (OSC 52); if nothing arrives, select the text here instead.")

    @on(Button.Pressed, "#snippet-save")
    def _save(self) -> None:
        self.dismiss("save")

    @on(Button.Pressed, "#snippet-close")
    def action_close(self) -> None:
        """Close the dialog."""
        self.dismiss(None)
