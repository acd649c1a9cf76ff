"""The Variables view: every `{{name}}` the open request sees, its value, and where it comes from.

Sources, lowest to highest: the collection's `variables:`, the profile (`account_sid` and its own
`variables:`), values captured this session (single sends and runs), and values edited here. Captured
secrets (`capture_secret:`) are masked. An edited value overrides the others for every later send and
run of this session; resetting it lets the next source show through again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from twibench.variables import parse_assignment

if TYPE_CHECKING:
    from collections.abc import Callable

    from twibench.collection import Collection
    from twibench.runner import VariableEntry
    from twibench.tui.dialogs.prompts import TextPrompt
    from twibench.workbench.session import Session

SOURCE_LABELS = {
    "collection": "collection",
    "profile": "profile",
    "captured": "captured",
    "override": "edited",
}
MAX_VALUE = 48
MIN_VALUE = 12
"""Values are cut to fit the dialog (between these widths); the other columns always show whole."""


def shown_value(entry: VariableEntry, limit: int = MAX_VALUE) -> Text:
    """The value as the table shows it: secrets masked, values longer than `limit` cut with …."""
    if entry.secret:
        return Text(entry.shown, style="bold yellow")
    value = entry.value if len(entry.value) <= limit else entry.value[: limit - 1] + "…"
    return Text(value)


class VariablesScreen(ModalScreen[None]):
    """The session's variables for one collection; enter edits, delete resets, a adds, escape closes."""

    CSS_PATH = "dialogs.tcss"
    DEFAULT_CSS = """
    VariablesScreen { align: center middle; }
    #variables-dialog { width: 110; height: auto; max-height: 90%; }
    #variables-table { height: auto; max-height: 20; overflow-x: hidden; margin: 0 0 1 0; }  /* values cut to fit */
    """

    HELP: ClassVar[str] = (
        "Every variable the open request can use, with the source that wins: the collection's "
        "`variables:`, the profile (`account_sid` and its own variables), a value **captured** by a "
        "request (`capture:`; `capture_secret:` values are masked) or one **edited** here. **enter** "
        "edits the value under the cursor: it then wins over every other source for the rest of this "
        "session, in single sends and collection runs. **delete** resets an edited value, **a** adds a "
        "variable (`name=value`), **escape** closes."
    )
    # fmt: off
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="variables.close"),
        Binding("enter", "edit", "Edit value", id="variables.edit"),
        Binding("delete", "reset", "Reset edited", id="variables.reset"),
        Binding("a", "add", "Add variable", id="variables.add"),
    ]
    # fmt: on

    def __init__(self, session: Session, collection: Collection | None, title: str) -> None:
        super().__init__()
        self.session = session
        self.collection = collection
        self.view_title = title
        self.entries: list[VariableEntry] = []
        self.value_limit = MAX_VALUE

    def compose(self) -> ComposeResult:
        """Title, note, table, keys."""
        with Vertical(classes="dialog", id="variables-dialog"):
            yield Label(f"Variables · {self.view_title}", classes="dialog-title")
            yield Static(
                "Lowest to highest: collection < profile < captured < edited. "
                "An edited value wins for the rest of this session.",
                classes="dialog-note",
                markup=False,
            )
            yield DataTable(id="variables-table", cursor_type="row", zebra_stripes=True)
            yield Static(
                "enter edits · delete resets an edited value · a adds · escape closes",
                classes="dialog-note",
                markup=False,
            )

    def on_mount(self) -> None:
        """Fill the table and put the cursor in it."""
        self.refill()
        self.query_one(DataTable).focus()

    def on_resize(self) -> None:
        """A new width: values as long as they may be, then cut to fit once the table is laid out."""
        self.value_limit = MAX_VALUE
        self.refill(keep=self.current.name if self.current else None)
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        """Cut the values by what the table overflows, so Source and From show whole (at 80 columns the
        From column read `messages.yam`)."""
        table = self.query_one(DataTable)
        overflow = table.virtual_size.width - table.scrollable_content_region.width
        longest = max((len(shown_value(e, self.value_limit).plain) for e in self.entries if not e.secret), default=0)
        if overflow > 0 and longest > MIN_VALUE:
            self.value_limit = max(MIN_VALUE, longest - overflow)
            self.refill(keep=self.current.name if self.current else None)

    def refill(self, keep: str | None = None) -> None:
        """Read the variables again and redraw; the cursor goes back to `keep`."""
        self.entries = self.session.variable_entries(self.collection)
        table = self.query_one(DataTable)
        table.clear(columns=True)  # column widths follow the (possibly shorter) values
        table.add_columns("Name", "Value", "Source", "From")
        for entry in self.entries:
            table.add_row(
                Text(entry.name, style="bold"),
                shown_value(entry, self.value_limit),
                SOURCE_LABELS[entry.source],
                entry.origin,
                key=entry.name,
            )
        if keep is not None:
            index = next((i for i, e in enumerate(self.entries) if e.name == keep), 0)
            table.move_cursor(row=index)

    @property
    def current(self) -> VariableEntry | None:
        """The variable under the cursor."""
        table = self.query_one(DataTable)
        if not self.entries or not 0 <= table.cursor_row < len(self.entries):
            return None
        return self.entries[table.cursor_row]

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:
        """Ask for a new value for the variable under the cursor."""
        from twibench.tui.dialogs.prompts import TextPrompt

        entry = self.current
        if entry is None:
            return
        note = (
            "It is secret: type the new value (it stays masked)."
            if entry.secret
            else f"Now from the {SOURCE_LABELS[entry.source]} ({entry.origin})."
        )
        prompt = TextPrompt(
            f"New value for {{{{{entry.name}}}}}",
            value="" if entry.secret else entry.value,
            note=note + " The new value is used for the rest of this session.",
            password=entry.secret,
            confirm="Set",
        )

        def done(value: str | None) -> None:
            if value is None:
                return
            self.session.set_override(entry.name, value, secret=entry.secret)
            self.refill(keep=entry.name)

        self._ask(prompt, done)

    def _ask(self, prompt: TextPrompt, done: Callable[[str | None], None]) -> None:
        """Show `prompt` in place of this dialog (one frame on screen, not two stacked), then this again."""
        dialog = self.query_one("#variables-dialog")
        dialog.display = False

        def back(value: str | None) -> None:
            dialog.display = True
            done(value)

        self.app.push_screen(prompt, back)

    def action_reset(self) -> None:
        """Forget the edited value under the cursor."""
        entry = self.current
        if entry is None:
            return
        if not self.session.drop_override(entry.name):
            self.notify(f"{{{{{entry.name}}}}} was not edited here; nothing to reset.")
            return
        self.refill(keep=entry.name)

    def action_add(self) -> None:
        """Ask for `name=value` and add it as an edited value."""
        from twibench.tui.dialogs.prompts import TextPrompt

        def done(text: str | None) -> None:
            if not text:
                return
            try:
                name, value = parse_assignment(text)
            except ValueError:
                self.notify(f"Expected name=value with a name like message_sid, not {text!r}.", severity="error")
                return
            self.session.set_override(name, value, secret=False)
            self.refill(keep=name)

        self._ask(TextPrompt("Add a variable", placeholder="name=value", confirm="Add"), done)

    def action_close(self) -> None:
        """Close the view."""
        self.dismiss(None)
