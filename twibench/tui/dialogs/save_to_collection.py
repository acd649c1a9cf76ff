"""Choose where a request goes and its name: save into a collection (history, an opened link) or ctrl+n.

The collections are a drop-down list (one line at any width, however many there are), with, when the
caller allows it, "+ New collection file…" at the end: choosing it asks for the new collection's name, and
the file is created in the user's collections folder. Save and Cancel are always visible.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from twibench.workbench.workspace import CollectionEntry

NEW_FILE = -1
"""The Select value of "+ New collection file…"."""


@dataclass(frozen=True)
class SaveTarget:
    """The answer: a loaded collection, or the name of a new collection file to create; and the request's name."""

    name: str
    collection: CollectionEntry | None = None
    new_file: str | None = None


class SaveToCollection(ModalScreen[SaveTarget | None]):
    """Pick a collection (any loaded one, or a new file) and a name; escape or Cancel gives None."""

    CSS_PATH = "dialogs.tcss"
    DEFAULT_CSS = """
    SaveToCollection { align: center middle; }
    SaveToCollection Label { color: $text-muted; }
    SaveToCollection .dialog-title { color: $foreground; }
    SaveToCollection #save-new-file-row { height: auto; }
    """

    HELP: ClassVar[str] = (
        "Give the request a name (names are unique in a file: a taken one gets a number) and choose the "
        "collection file it goes into, or **+ New collection file…** to create one in your collections "
        "folder. The rest of the file, comments included, is kept. **escape** cancels."
    )
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="dialog_cancel")]

    def __init__(
        self,
        collections: Sequence[CollectionEntry],
        name: str,
        *,
        preferred: CollectionEntry | None = None,
        title: str = "Save into a collection",
        note: str = "The request is added at the end of the file you choose.",
        new_file_folder: Path | None = None,
        confirm: str = "Save",
        name_required: bool = True,
    ) -> None:
        """`new_file_folder`: where "+ New collection file…" creates its file (None: not offered);
        `name_required=False` accepts an empty name (the caller names the request later)."""
        super().__init__()
        self.collections = list(collections)
        self.request_name = name
        self.preferred = preferred if preferred in self.collections else None
        self.title_text = title
        self.note = note
        self.new_file_folder = new_file_folder
        self.confirm = confirm
        self.name_required = name_required

    def compose(self) -> ComposeResult:
        """Name, collection (and the new file's name when that is chosen), buttons."""
        options = [(f"{c.name} — {c.path.name}", index) for index, c in enumerate(self.collections)]
        if self.new_file_folder is not None:
            options.append(("+ New collection file…", NEW_FILE))
        start = self.collections.index(self.preferred) if self.preferred is not None else 0
        if not self.collections:
            start = NEW_FILE
        with Vertical(classes="dialog", id="save-to-collection"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.note, classes="dialog-note", markup=False)
            yield Label("Name")
            yield Input(
                self.request_name, placeholder="List recent calls", id="save-name", select_on_focus=True, compact=True
            )
            yield Label("Collection")
            yield Select(options, value=start, allow_blank=False, id="save-collection", compact=True)
            with Vertical(id="save-new-file-row"):
                yield Label(f"New collection's name (the file goes in {self.new_file_folder})", markup=False)
                yield Input(placeholder="My requests", id="save-new-file", compact=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.confirm, variant="primary", id="save-ok")
                yield Button("Cancel", id="save-cancel")

    def on_mount(self) -> None:
        """Cursor in the name; the new file's name shows only when a new file is chosen."""
        self._new_file_shown()
        self.query_one("#save-name", Input).focus()

    @on(Select.Changed, "#save-collection")
    def _new_file_shown(self) -> None:
        self.query_one("#save-new-file-row").display = self.query_one("#save-collection", Select).value == NEW_FILE

    @on(Input.Submitted)
    @on(Button.Pressed, "#save-ok")
    def _ok(self) -> None:
        name = self.query_one("#save-name", Input).value.strip()
        if not name and self.name_required:
            self.notify("Give the request a name.", severity="warning")
            return
        index = self.query_one("#save-collection", Select).value
        if index == NEW_FILE:
            new_file = self.query_one("#save-new-file", Input).value.strip()
            if not new_file:
                self.notify("Give the new collection a name.", severity="warning")
                self.query_one("#save-new-file", Input).focus()
                return
            self.dismiss(SaveTarget(name, new_file=new_file))
        elif isinstance(index, int):
            self.dismiss(SaveTarget(name, collection=self.collections[index]))

    @on(Button.Pressed, "#save-cancel")
    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
