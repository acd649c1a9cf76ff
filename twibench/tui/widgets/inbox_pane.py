"""The Inbox pane (f4): callbacks arriving live, each with its signature verdict, and the signature lab.

Nothing starts before the pane is first shown. Then it starts the session's inbox (or follows one that
`twibench inbox` runs), says which URL to use (`{{inbox_url}}` resolves to it), and reads new entries
from the inbox store a few times a second. Moving the cursor onto an entry shows its parameters and the
signature lab below the list: the exact string that was signed, the signature expected, and on a
mismatch the likely cause.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Static

if TYPE_CHECKING:
    from twibench.webhooks.inbox_store import Callback
    from twibench.workbench.inbox_service import InboxService

POLL_SECONDS = 0.2
VERDICT_STYLES = {"valid": "green", "invalid": "bold red", "unsigned": "yellow", "unchecked": "dim"}


class InboxTable(DataTable[Text | str]):
    """The received callbacks, oldest first; the cursor follows new ones while it is on the last row."""

    HELP_TITLE: ClassVar[str] = "Inbox"

    HELP: ClassVar[str] = (
        "Every request the inbox received: status callbacks from the sandbox or from Twilio through a "
        "tunnel, with the `X-Twilio-Signature` verdict (checked with the active profile's Auth Token). "
        "Point a `StatusCallback` at `{{inbox_url}}/status` to see them arrive. Move the cursor to see "
        "an entry's parameters and the signature lab below; `C` forgets every entry."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("C", "clear", "Clear inbox", id="inbox.clear"),
    ]

    def action_clear(self) -> None:
        """Forget every entry (asks nothing: callbacks are a lab's scratch paper)."""
        pane = next(a for a in self.ancestors if isinstance(a, InboxPane))
        pane.clear()


class InboxPane(Vertical):
    """URL line, the list of callbacks, and the selected entry's details."""

    DEFAULT_CSS = """
    InboxPane {
        height: 1fr;
    }
    #inbox-url {
        height: auto;
        padding: 0 1;
    }
    #inbox-table {
        height: 1fr;
        min-height: 4;
        scrollbar-size-vertical: 1;
    }
    #inbox-detail-scroll {
        height: 1fr;
        border-top: hkey $foreground 20%;
    }
    #inbox-detail {
        padding: 0 1;
    }
    """

    def __init__(self, service: Callable[[], InboxService], *, show_times: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self._make_service = service
        self.show_times = show_times
        self.service: InboxService | None = None
        self.entries: list[Callback] = []
        self._last_id = 0

    def compose(self) -> ComposeResult:
        """The URL line, the table, the details."""
        yield Static("The inbox starts when this pane is first shown.", id="inbox-url", markup=False)
        table = InboxTable(id="inbox-table", cursor_type="row", zebra_stripes=False)
        table.add_columns("time", "path", "status", "signature")
        yield table
        with VerticalScroll(id="inbox-detail-scroll"):
            yield Static("", id="inbox-detail", markup=False)

    @property
    def table(self) -> InboxTable:
        """The list of callbacks."""
        return self.query_one(InboxTable)

    def activate(self) -> None:
        """Start (or follow) the inbox on first show, then poll its store."""
        if self.service is not None:
            return
        self.service = self._make_service()
        try:
            started = self.service.start()
        except OSError as exc:
            self.query_one("#inbox-url", Static).update(f"The inbox could not start: {exc.strerror or exc}")
            return
        self.query_one("#inbox-url", Static).update(
            Text.assemble(("{{inbox_url}} ", "bold"), f"= {started.url}\n", (started.note, "dim"))
        )
        self.poll()
        self.set_interval(POLL_SECONDS, self.poll)

    def focus_list(self) -> None:
        """Put the cursor in the list at once (`Widget.focus` waits for the next message, and a tab
        switch meanwhile hides the widget holding the focus, which hands it to the tabs)."""
        self.screen.set_focus(self.table)

    def poll(self) -> None:
        """Add the entries recorded since the last look (the cursor follows the newest if it was on the last)."""
        if self.service is None:
            return
        new = self.service.since(self._last_id)
        if not new:
            return
        from twibench.workbench.inbox_service import row_cells

        table = self.table
        following = not self.entries or table.cursor_row >= len(self.entries) - 1
        for callback in new:
            clock, request, what, verdict = row_cells(callback, show_time=self.show_times)
            table.add_row(clock, request, what, Text(verdict, style=VERDICT_STYLES.get(callback.verdict, "")))
            self.entries.append(callback)
        self._last_id = new[-1].id
        if following:
            table.move_cursor(row=len(self.entries) - 1)
            self._show(len(self.entries) - 1)

    def clear(self) -> None:
        """Forget every entry, here and in the store."""
        if self.service is not None:
            self.service.clear()
        self.entries.clear()
        self.table.clear()
        self.query_one("#inbox-detail", Static).update("")

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show(event.cursor_row)

    def _show(self, index: int) -> None:
        if not 0 <= index < len(self.entries) or self.service is None:
            return
        from twibench.workbench.inbox_service import details

        self.query_one("#inbox-detail", Static).update(details(self.entries[index], self.service.token))

    def on_unmount(self) -> None:
        """Stop this process's receiver (its published URL is withdrawn)."""
        if self.service is not None:
            self.service.stop()
