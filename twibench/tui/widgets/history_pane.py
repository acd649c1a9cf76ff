"""The history pane: a filter line, the recorded exchanges (newest first), and how many there are.

Nothing is read before the pane is first shown. Then the first page (200 entries) is read in a thread
worker; the next page (keyset: older than the last id shown) only when the list comes near its end, so
the pane opens at once with 100,000 entries. A new exchange recorded by this window (`recorded`) is
added on top without reloading. The filter is parsed as you type; an invalid token is explained in one
line under it and the list keeps its last good result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from twibench.tui.widgets.history_list import HistoryList
from twibench.workbench.history_log import PAGE_SIZE, HistoryLog

if TYPE_CHECKING:
    from twibench.history import Entry, Filter

FILTER_HINT = "Filter: text, status:4xx, method:POST…"


class FilterInput(Input):
    """The filter line; enter or down moves to the list."""

    HELP_TITLE: ClassVar[str] = "History filter"

    HELP: ClassVar[str] = (
        "Narrows the history as you type. Free words match the start of words in the URL, the request's "
        "name, the collection, or the bodies (`SM26` finds message `SM26f1…`). Tokens: `status:404`, "
        "`status:4xx`, `status:error` (no HTTP answer), `method:POST`, `profile:live` (every profile but "
        "the sandbox), `profile:NAME`, `collection:NAME`, `run:ID`. Every word and every kind of token "
        'must match; `"quotes"` keep a phrase together. **enter** or **down** goes to the list.'
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "to_list", "To the list", id="history.filter_down", show=False),
    ]

    def action_to_list(self) -> None:
        """Focus the list below."""
        self.screen.query_one(HistoryList).focus()


class HistoryPane(Vertical):
    """Filter, list, count. The screen sends data down (`activate`, `recorded`, `reload`, `removed`).

    `show` on an entry reads it with its bodies in a thread and posts `EntryRead`; the list's other
    actions bubble on to the screen.
    """

    DEFAULT_CSS = """
    HistoryPane {
        height: 1fr;
    }
    #history-filter {
        height: 3;
    }
    #history-filter-error {
        color: $text-error;
        padding: 0 1;
        height: auto;
    }
    #history-count {
        height: 1;
        padding: 0 1;
        color: $text-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    class EntryRead(Message):
        """The entry to show, read with its bodies (None: it is gone, deleted or pruned)."""

        def __init__(self, entry_id: int, entry: Entry | None) -> None:
            super().__init__()
            self.entry_id = entry_id
            self.entry = entry

    def __init__(self, log: HistoryLog, *, show_times: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self.history_log = log
        self.show_times = show_times
        self.active = False
        """True once the pane has loaded (it stays idle until it is first shown)."""
        self.filter: Filter | None = None
        self.filter_text = ""
        self.count_text = ""
        self._generation = 0
        self._paging = False
        self._total = 0

    def compose(self) -> ComposeResult:
        """The filter, its error line, the list and the count."""
        yield FilterInput(placeholder=FILTER_HINT, id="history-filter", select_on_focus=False)
        error = Static("", id="history-filter-error", markup=False)
        error.display = False
        yield error
        yield HistoryList(show_times=self.show_times, id="history-list")
        yield Static("", id="history-count", markup=False)

    @property
    def history_list(self) -> HistoryList:
        """The list widget."""
        return self.query_one(HistoryList)

    # --- data (down) -------------------------------------------------------------------------------

    def on_show(self, event: events.Show) -> None:
        """Shown for the first time (a wide terminal, f2, a run): read the first page now."""
        self.activate()

    def activate(self) -> None:
        """Load the first page unless it is loaded already."""
        if not self.active:
            self.active = True
            self.reload()

    def reload(self) -> None:
        """Read the first page again for the current filter (after a filter change, a delete, a clear)."""
        from twibench.history import FilterError, parse_filter  # sqlite3 is imported here, never at start-up

        error = self.query_one("#history-filter-error", Static)
        try:
            flt = parse_filter(self.filter_text)
        except FilterError as exc:
            error.update(str(exc))
            error.display = True
            return
        error.display = False
        self.filter = flt
        self._generation += 1
        generation = self._generation
        self._paging = False
        self._in_thread(lambda: self._read_first(flt, generation), "history-first")

    def recorded(self, entry_id: int | None) -> None:
        """An exchange was recorded (or failed to be): add what is new on top."""
        if not self.active:
            return
        if entry_id is None:
            if self.history_log.problem:
                self.notify(self.history_log.problem, severity="warning", title="History")
            return
        flt, generation = self.filter, self._generation
        if flt is not None:
            self._in_thread(lambda: self._read_newer(flt, generation), "history-newer", exclusive=False)

    def removed(self, entry_id: int) -> None:
        """One entry was deleted."""
        self.history_list.drop(entry_id)
        self._in_thread(lambda: self._recount(self._generation), "history-count")

    @on(HistoryList.ActionRequested)
    def _show(self, event: HistoryList.ActionRequested) -> None:
        if event.action != "show":
            return
        event.stop()
        entry_id = event.entry.id

        def read() -> None:
            self._call(self._read, entry_id, self.history_log.get(entry_id))

        self._in_thread(read, "history-entry")

    def _read(self, entry_id: int, entry: Entry | None) -> None:
        current = self.history_list.current
        if current is None or current.id == entry_id:  # else the cursor moved on while this one was read
            self.post_message(self.EntryRead(entry_id, entry))

    # --- reading in threads ------------------------------------------------------------------------

    def _in_thread(self, work: Callable[[], None], group: str, *, exclusive: bool = True) -> None:
        self.run_worker(work, group=group, thread=True, exclusive=exclusive, exit_on_error=False)

    def _call(self, callback: Callable[..., None], *args: Any) -> None:
        """Run `callback` on the event loop (from a thread worker)."""
        self.app.call_from_thread(callback, *args)

    def _read_first(self, flt: Filter, generation: int) -> None:
        try:
            entries = self.history_log.page(flt)
            total = self.history_log.count(flt)
        except Exception as exc:  # a newer or damaged file: say so in the pane
            self._call(self._failed, f"History cannot be read: {exc}", generation)
            return
        self._call(self._first_page, entries, total, generation)

    def _read_more(self, flt: Filter, before: int, generation: int) -> None:
        try:
            entries = self.history_log.page(flt, before=before)
        except Exception as exc:
            self._call(self._failed, f"History cannot be read: {exc}", generation)
            return
        self._call(self._more, entries, generation)

    def _read_newer(self, flt: Filter, generation: int) -> None:
        try:
            entries = self.history_log.page(flt)
            total = self.history_log.count(flt)
        except Exception:
            return  # the next reload says what is wrong
        self._call(self._newer, entries, total, generation)

    def _recount(self, generation: int) -> None:
        if self.filter is None:
            return
        try:
            total = self.history_log.count(self.filter)
        except Exception:
            return
        self._call(self._show_count, total, generation)

    # --- applying on the event loop ----------------------------------------------------------------

    def _first_page(self, entries: list[Entry], total: int, generation: int) -> None:
        if generation != self._generation:
            return
        note = "No exchange matches this filter." if self.filter_text.strip() else "Nothing sent yet."
        self.history_list.replace(entries, complete=len(entries) < PAGE_SIZE, note=note)
        self._show_count(total, generation)

    def _more(self, entries: list[Entry], generation: int) -> None:
        self._paging = False
        if generation != self._generation:
            return
        self.history_list.extend(entries, complete=len(entries) < PAGE_SIZE)
        self._show_count(None, generation)

    def _newer(self, entries: list[Entry], total: int, generation: int) -> None:
        if generation != self._generation:
            return
        shown = self.history_list.entries
        newest = shown[0].id if shown else 0
        fresh = [e for e in entries if e.id > newest]
        if len(fresh) >= PAGE_SIZE and shown:
            self.reload()  # more arrived than a page: start again from the top
            return
        if not shown:
            self.history_list.replace(entries, complete=len(entries) < PAGE_SIZE)
        else:
            self.history_list.prepend(fresh)
        self._show_count(total, generation)

    def _failed(self, message: str, generation: int) -> None:
        self._paging = False
        if generation == self._generation:
            self.history_list.replace([], complete=True, note=message)
            self.query_one("#history-count", Static).update("")

    def _show_count(self, total: int | None, generation: int) -> None:
        if generation != self._generation:
            return
        if total is not None:
            self._total = total
        total = self._total
        loaded = len(self.history_list.entries)
        noun = "entry" if total == 1 else "entries"
        what = f"{total:,} {noun}" + (" match" if self.filter_text.strip() else "")
        if loaded < total:
            what += f" · {loaded:,} loaded"
        self.count_text = what
        self.query_one("#history-count", Static).update(what)

    # --- events (up from the children) -------------------------------------------------------------

    @on(Input.Changed, "#history-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.filter_text = event.value
        if self.active:
            self.reload()

    @on(Input.Submitted, "#history-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.history_list.focus()

    @on(HistoryList.FilterWanted)
    def _filter_wanted(self, event: HistoryList.FilterWanted) -> None:
        event.stop()
        self.query_one(FilterInput).focus()

    @on(HistoryList.NearEnd)
    def _near_end(self, event: HistoryList.NearEnd) -> None:
        event.stop()
        entries = self.history_list.entries
        if self._paging or self.filter is None or not entries or self.history_list.complete:
            return
        self._paging = True
        flt, before, generation = self.filter, entries[-1].id, self._generation
        self._in_thread(lambda: self._read_more(flt, before, generation), "history-more")

    def focus_list(self) -> None:
        """Put the cursor in the list at once (`Widget.focus` waits for the next message, and a tab
        switch meanwhile hides the widget holding the focus, which hands it to the tabs)."""
        self.screen.set_focus(self.history_list)
