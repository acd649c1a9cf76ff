"""The request body: a form table with the SMS segment counter, or a text editor for JSON / raw bodies.

Twilio's REST API takes form-encoded bodies, so the form table is the usual view. While a `Body` field
is being typed, the line under the table tells how many SMS segments it takes and in which encoding
(an emoji turns the whole message into UCS-2: 70 characters per segment instead of 160).
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import ContentSwitcher, Static
from textual.widgets.text_area import LanguageDoesNotExist

from twibench import variables
from twibench.sms import count_segments
from twibench.tui.widgets.kv_table import KeyValueTable
from twibench.workbench.workspace import Row

if TYPE_CHECKING:
    from textual.widgets import TextArea

BodyKind = Literal["form", "json", "raw"]


def segment_line(rows: list[Row]) -> Text | None:
    """The counter line for the first enabled `Body` row, or None when the form has no Body."""
    body = next((r.value for r in rows if r.enabled and r.key == "Body"), None)
    if body is None:
        return None
    counted = count_segments(body)
    line = Text.assemble(("Body ", "bold"), counted.describe())
    if counted.encoding == "UCS-2":
        line.append("  — a character outside GSM-7 makes it UCS-2", style="italic")
    if any(True for _ in variables.references(body)):
        line.append("  ({{variables}} counted as written)", style="dim")
    return line


class FormEditor(Vertical):
    """Form table (with segment counter) or body text, depending on the request."""

    DEFAULT_CSS = """
    FormEditor ContentSwitcher, #form-view, #text-view {
        height: auto;
        max-height: 100%;
    }
    #segments {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    """

    class BodyEdited(Message):
        """The JSON/raw body text changed."""

        def __init__(self, text: str, kind: BodyKind, owner: object | None) -> None:
            self.text = text
            self.kind = kind
            self.owner = owner
            """The request entry the text belongs to."""
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.kind: BodyKind = "form"
        self.owner: object | None = None

    def compose(self) -> ComposeResult:
        """A switcher between the form table and the body text."""
        with ContentSwitcher(initial="form-view"):
            with Vertical(id="form-view"):
                yield KeyValueTable("form", "No form fields: + Add one to send a form body.", id="form-table")
                yield Static("", id="segments", markup=False)
            yield Vertical(id="text-view")

    async def show_form(self, rows: list[Row], owner: object | None = None) -> None:
        """Show form rows (of `owner`, the request entry)."""
        self.kind = "form"
        self.owner = owner
        self.query_one(ContentSwitcher).current = "form-view"
        await self.query_one("#form-table", KeyValueTable).load(rows, owner)
        self.update_segments(rows)

    async def show_text(self, text: str, kind: BodyKind, owner: object | None = None) -> None:
        """Show a JSON or raw body (of `owner`) in a text editor, created the first time one is needed."""
        self.kind = kind
        self.owner = owner
        from twibench.tui.widgets.body_text import BodyTextArea  # TextArea is loaded only for such bodies

        view = self.query_one("#text-view", Vertical)
        editors = view.query(BodyTextArea)
        if editors:
            editor = editors.first()
        else:
            editor = BodyTextArea(id="body-text", soft_wrap=True, show_line_numbers=True, tab_behavior="indent")
            await view.mount(editor)
        with self.prevent(BodyTextArea.Changed):
            editor.load_text(text)
        editor.language = None
        if kind == "json" and "json" in editor.available_languages:
            # tree-sitter may be installed without tree-sitter-json (the dev tools bring tree-sitter): plain text.
            with contextlib.suppress(LanguageDoesNotExist):
                editor.language = "json"
        self.query_one(ContentSwitcher).current = "text-view"

    def update_segments(self, rows: list[Row]) -> None:
        """Refresh the SMS segment counter from the form rows."""
        counter = self.query_one("#segments", Static)
        line = segment_line(rows)
        counter.display = line is not None
        if line is not None:
            counter.update(line)

    @on(KeyValueTable.Changed, "#form-table")
    def _form_changed(self, event: KeyValueTable.Changed) -> None:
        # Let the message bubble on to the screen; just refresh the counter on the way.
        self.update_segments(event.rows)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        """The JSON/raw body was edited."""
        event.stop()
        self.post_message(self.BodyEdited(event.text_area.text, self.kind, self.owner))
