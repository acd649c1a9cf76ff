"""Save a request into a collection: choose the collection file and the request's name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from twibench.workbench.workspace import CollectionEntry


class SaveToCollection(ModalScreen[tuple[CollectionEntry, str] | None]):
    """Pick a collection (any loaded one) and a name; escape cancels (None)."""

    CSS_PATH = "dialogs.tcss"
    DEFAULT_CSS = """
    SaveToCollection { align: center middle; }
    SaveToCollection Label { color: $text-muted; }
    SaveToCollection .dialog-title { color: $foreground; }
    """

    HELP: ClassVar[str] = (
        "Choose the collection file the request goes into and give it a name (names are unique in a "
        "file: a taken one gets a number). It is added at the end of the file; the rest of the file, "
        "comments included, is kept."
    )
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="dialog_cancel")]

    def __init__(
        self, collections: Sequence[CollectionEntry], name: str, *, preferred: CollectionEntry | None = None
    ) -> None:
        super().__init__()
        self.collections = list(collections)
        self.request_name = name
        self.preferred = preferred if preferred in self.collections else None

    def compose(self) -> ComposeResult:
        """Collection, name, buttons."""
        options = [(f"{c.name} — {c.path.name}", index) for index, c in enumerate(self.collections)]
        start = self.collections.index(self.preferred) if self.preferred is not None else 0
        with Vertical(classes="dialog", id="save-to-collection"):
            yield Label("Save into a collection", classes="dialog-title")
            yield Static("The request is added at the end of the file you choose.", classes="dialog-note")
            yield Label("Collection")
            yield Select(options, value=start, allow_blank=False, id="save-collection")
            yield Label("Name")
            yield Input(self.request_name, id="save-name", select_on_focus=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", variant="primary", id="save-ok")
                yield Button("Cancel", id="save-cancel")

    def on_mount(self) -> None:
        """Cursor in the name."""
        self.query_one("#save-name", Input).focus()

    @on(Input.Submitted, "#save-name")
    @on(Button.Pressed, "#save-ok")
    def _ok(self) -> None:
        name = self.query_one("#save-name", Input).value.strip()
        if not name:
            self.notify("Give the request a name.", severity="warning")
            return
        index = self.query_one("#save-collection", Select).value
        if not isinstance(index, int):
            return
        self.dismiss((self.collections[index], name))

    @on(Button.Pressed, "#save-cancel")
    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
