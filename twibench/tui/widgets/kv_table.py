"""An editable key/value table (form fields, query parameters, headers).

Each row is a checkbox (a cleared one disables the row: it is kept but not sent), a key, a value and a
delete button. Keys may repeat — Twilio reads a repeated key as a list (`MediaUrl=a&MediaUrl=b`).
Enter in a key moves to its value; enter in the last value adds a row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.suggester import Suggester, SuggestFromList
from textual.widgets import Button, Checkbox, Input, Label

from twibench.workbench.workspace import Row


class KeyValueRow(Horizontal):
    """One row: enabled, key, value, delete."""

    def __init__(self, row: Row, *, suggester: Suggester | None = None, key_placeholder: str = "key") -> None:
        """A row showing `row`; its key completes with `suggester` and shows `key_placeholder` when empty."""
        super().__init__(classes="kv-row")
        self.row = row
        self.suggester = suggester
        self.key_placeholder = key_placeholder
        self.set_class(not row.enabled, "-disabled")

    def compose(self) -> ComposeResult:
        """The row's four controls."""
        yield Checkbox(value=self.row.enabled, compact=True, classes="kv-enabled", tooltip="Send this row")
        yield Input(
            self.row.key,
            placeholder=self.key_placeholder,
            compact=True,
            classes="kv-key",
            select_on_focus=False,
            suggester=self.suggester,
        )
        yield Input(self.row.value, placeholder="value", compact=True, classes="kv-value", select_on_focus=False)
        yield Button("✕", compact=True, classes="kv-delete", tooltip="Delete this row")

    def value(self) -> Row:
        """The row as the widgets show it now."""
        return Row(
            self.query_one(".kv-key", Input).value,
            self.query_one(".kv-value", Input).value,
            self.query_one(".kv-enabled", Checkbox).value,
        )


class KeyValueTable(Vertical):
    """Rows of key/value pairs, reporting every change as a whole new list of rows."""

    # Its rules live here, not in app.tcss: parsed when the first table mounts, after the first frame.
    DEFAULT_CSS = """
    KeyValueTable {
        height: auto;
        max-height: 100%;
    }
    .kv-rows {
        height: auto;
        max-height: 7;
    }
    .kv-row {
        height: 1;
    }
    .kv-row.-disabled Input {
        color: $text-disabled;
        text-style: strike;
    }
    .kv-enabled {
        width: 5;  /* "▐X▌" and the space Checkbox keeps for its (empty) label */
    }
    .kv-key {
        width: 1fr;
        max-width: 28;
        margin: 0 1 0 0;
    }
    .kv-value {
        width: 2fr;
        margin: 0 1 0 0;
    }
    .kv-delete {
        width: 3;
        min-width: 3;
    }
    .kv-footer {
        height: 1;
    }
    .kv-add {
        width: auto;
        min-width: 7;
    }
    .kv-hint {
        color: $text-muted;
        padding: 0 1;
    }
    """

    HELP_TITLE: ClassVar[str] = "Key/value table"

    HELP: ClassVar[str] = (
        "An editable table of key/value pairs. Type in place; **enter** in a key jumps to its value, "
        "**enter** in the last value adds a row. Clear the checkbox to keep a row without sending it "
        "(disabled rows are not written when you save). ✕ deletes a row. A key may appear more than "
        "once: Twilio reads repeated keys as a list (e.g. several `MediaUrl`). Values may use `{{name}}` "
        "variables. When the request is an operation of Twilio's API, a key completes with its parameter "
        "names as you type (**right** accepts); a new row's placeholder names some not used yet, and the "
        "**Docs** tab lists them all."
    )

    class Changed(Message):
        """The rows changed (edited, added, deleted, enabled or disabled)."""

        def __init__(self, table: KeyValueTable, rows: list[Row]) -> None:
            self.table = table
            self.rows = rows
            self.owner = table.owner
            """What the rows belonged to when they changed (the request entry shown then)."""
            super().__init__()

        @property
        def control(self) -> KeyValueTable:
            """The table that changed (lets `@on(..., "#selector")` match it)."""
            return self.table

    def __init__(self, kind: str, empty_hint: str, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="kv-table")
        self.kind = kind
        self.empty_hint = empty_hint
        self.owner: object | None = None
        self._rows: list[Row] = []
        self._loading = False
        self._key_names: list[str] = []
        self._suggester: Suggester | None = None

    def compose(self) -> ComposeResult:
        """The rows, and the add button."""
        yield VerticalScroll(classes="kv-rows")
        with Horizontal(classes="kv-footer"):
            yield Button("+ Add", compact=True, classes="kv-add")
            yield Label(self.empty_hint, classes="kv-hint")

    @property
    def rows(self) -> list[Row]:
        """The rows as last reported."""
        return list(self._rows)

    async def load(self, rows: list[Row], owner: object | None = None) -> None:
        """Show these rows (without reporting a change).

        Args:
            rows: the rows to show.
            owner: what they belong to (the request entry); every Changed message carries it, so an
                edit is never applied to a request opened after it was made.
        """
        self.owner = owner
        self._rows = [Row(r.key, r.value, r.enabled) for r in rows]
        container = self.query_one(".kv-rows", VerticalScroll)
        self._loading = True
        try:
            with self.prevent(Input.Changed, Checkbox.Changed):
                await container.remove_children()
                await container.mount_all([KeyValueRow(r, suggester=self._suggester) for r in self._rows])
        finally:
            self._loading = False
        self.query_one(".kv-hint", Label).display = not rows

    @property
    def key_names(self) -> list[str]:
        """The names keys complete with (empty when the request is not a known operation)."""
        return list(self._key_names)

    def set_key_names(self, names: Sequence[str]) -> None:
        """Complete keys with `names` (most wanted first: the operation's required parameters); [] for none."""
        if list(names) == self._key_names:
            return
        self._key_names = list(names)
        self._suggester = SuggestFromList(self._key_names, case_sensitive=False) if names else None
        for key in self.query(".kv-key").results(Input):
            key.suggester = self._suggester

    def _new_key_placeholder(self) -> str:
        """`To, StatusCallback, …`: names not used yet, for a new row; "key" when there are none."""
        used = {row.key.casefold() for row in self._collect()}
        unused = [name for name in self._key_names if name.casefold() not in used]
        if not unused:
            return "key"
        return ", ".join(unused[:3]) + (", …" if len(unused) > 3 else "")

    def _collect(self) -> list[Row]:
        return [row.value() for row in self.query(KeyValueRow)]

    def _report(self) -> None:
        if self._loading:
            return
        rows = self._collect()
        if rows != self._rows:
            self._rows = rows
            self.post_message(self.Changed(self, rows))
        self.query_one(".kv-hint", Label).display = not rows

    @on(Input.Changed)
    def _edited(self, event: Input.Changed) -> None:
        event.stop()
        self._report()

    @on(Checkbox.Changed)
    def _toggled(self, event: Checkbox.Changed) -> None:
        event.stop()
        row = event.checkbox.parent
        if isinstance(row, KeyValueRow):
            row.set_class(not event.value, "-disabled")
        self._report()

    @on(Button.Pressed, ".kv-delete")
    async def _delete(self, event: Button.Pressed) -> None:
        event.stop()
        row = event.button.parent
        if isinstance(row, KeyValueRow):
            await row.remove()
            self._report()

    @on(Button.Pressed, ".kv-add")
    async def _add(self, event: Button.Pressed) -> None:
        event.stop()
        await self.add_row()

    async def add_row(self, key: str = "", value: str = "") -> None:
        """Append a row and put the cursor in its key."""
        row = KeyValueRow(Row(key, value), suggester=self._suggester, key_placeholder=self._new_key_placeholder())
        await self.query_one(".kv-rows", VerticalScroll).mount(row)
        row.query_one(".kv-key", Input).focus()
        row.scroll_visible()
        self._report()

    @on(Input.Submitted)
    async def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        row = event.input.parent
        if not isinstance(row, KeyValueRow):
            return
        if event.input.has_class("kv-key"):
            row.query_one(".kv-value", Input).focus()
            return
        rows = list(self.query(KeyValueRow))
        index = rows.index(row)
        if index + 1 < len(rows):
            rows[index + 1].query_one(".kv-key", Input).focus()
        else:
            await self.add_row()
