"""The history rows: one line per recorded exchange, newest first, drawn with the Line API.

The list holds only the pages loaded so far (`HistoryPane` loads 200 at a time) and draws only the rows
on screen, so it costs the same with 100,000 entries in the store as with 10. A header row stays on
top. Columns adapt to the width: the name takes what is left, and on a narrow pane the duration, then
the profile, make room for it. Keys act on the entry under the cursor; the list says what the user
asked for with `ActionRequested` and asks for the next page with `NearEnd`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal, get_args

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from twibench.workbench.history_log import clock_time, duration_cell, status_cell

if TYPE_CHECKING:
    from twibench.history import Entry

EntryAction = Literal["show", "resend", "resend_original", "edit", "save", "delete", "clear", "diff"]
"""What `ActionRequested.action` can be."""
ACTIONS: tuple[EntryAction, ...] = get_args(EntryAction)

NEAR_END = 40
"""Ask for the next page when the cursor or the bottom of the view is this close to the last row."""


@dataclass(frozen=True)
class Columns:
    """Column widths for one list width (0 = the column is left out)."""

    profile: int
    name: int
    duration: int

    TIME: ClassVar[int] = 8
    METHOD: ClassVar[int] = 6
    STATUS: ClassVar[int] = 4

    @classmethod
    def fit(cls, width: int) -> Columns:
        """Give the name what is left; drop the duration, then the profile, below 12 columns of name."""
        fixed = cls.TIME + 1 + cls.METHOD + 1 + cls.STATUS + 1
        for profile, duration in ((10, 8), (8, 0), (0, 0)):
            name = width - fixed - (profile + 1 if profile else 0) - (duration + 1 if duration else 0)
            if name >= 12 or (profile, duration) == (0, 0):
                return cls(profile, max(1, name), duration)
        raise AssertionError("unreachable")


def _cell(text: str | Text, width: int, *, right: bool = False) -> Text:
    """`text` cut with … or padded to exactly `width` cells."""
    cell = text.copy() if isinstance(text, Text) else Text(text)
    cell.no_wrap = True
    if cell.cell_len > width:
        cell.truncate(max(0, width - 1))
        cell.append("…")
    pad = width - cell.cell_len
    if pad > 0:
        cell = Text.assemble(" " * pad, cell) if right else Text.assemble(cell, " " * pad)
    return cell


def _join(parts: list[Text]) -> Text:
    """Cells separated by one space that belongs to the cell before it (no cell starts with a space)."""
    for part in parts[:-1]:
        part.append(" ")
    return Text("").join(parts)


def row_text(entry: Entry, columns: Columns, *, show_times: bool) -> Text:
    """One entry as a line of exactly the list's width."""
    parts: list[Text] = [_cell(clock_time(entry.time, show=show_times), Columns.TIME)]
    if columns.profile:
        style = "bold red" if entry.is_live else ""
        parts.append(_cell(Text(entry.profile, style=style), columns.profile))
    parts.append(_cell(Text(entry.method, style="bold"), Columns.METHOD))
    status = status_cell(entry)
    if entry.status is None:
        status = Text("ERR", style=status.style)
    parts.append(_cell(status, Columns.STATUS))
    parts.append(_cell(entry.label, columns.name))
    if columns.duration:
        parts.append(_cell(Text(duration_cell(entry, show=show_times), style="dim"), columns.duration, right=True))
    return _join(parts)


def header_text(columns: Columns) -> Text:
    """The column titles."""
    parts = [_cell("TIME", Columns.TIME)]
    if columns.profile:
        parts.append(_cell("PROFILE", columns.profile))
    parts += [_cell("METHOD", Columns.METHOD), _cell("CODE", Columns.STATUS), _cell("NAME / PATH", columns.name)]
    if columns.duration:
        parts.append(_cell("DURATION", columns.duration, right=True))
    return _join(parts)


class HistoryList(ScrollView, can_focus=True):
    """Recorded exchanges, newest first, with a cursor row."""

    DEFAULT_CSS = """
    HistoryList {
        height: 1fr;
        scrollbar-size-vertical: 1;
        background: $surface;
        & > .history-list--header { color: $text-muted; text-style: bold; background: $surface-darken-1; }
        & > .history-list--cursor { background: $foreground 10%; }
        & > .history-list--note { color: $text-muted; text-style: italic; }
        & > .history-list--marked { text-style: bold underline; color: $accent; }
        &:focus > .history-list--cursor { background: $primary 30%; }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "history-list--header",
        "history-list--cursor",
        "history-list--note",
        "history-list--marked",
    }

    HELP_TITLE: ClassVar[str] = "History"

    HELP: ClassVar[str] = (
        "Every request twibench sent — from this window, `twibench send`, `twibench run` or a replay — "
        "newest first, secrets masked. Moving the cursor shows the recorded exchange in the response "
        "area, **read-only** and marked *History*. **r** re-sends it with the current profile, **R** with "
        "the profile it was recorded with; **e** opens it in the editor as a new unsaved request; **s** "
        "saves it into a collection; **d** compares its response with the previous response of the same "
        "request — or, after **m** marked another entry, with that one; **delete** removes it; **C** clears "
        "the whole history (it asks first). Type in the filter above the list (`/` goes there): free words, "
        "`status:4xx`, `status:404`, `status:error`, `method:POST`, `profile:live`, `profile:NAME`, "
        "`collection:NAME`, `run:ID`. Older entries load as you scroll."
    )

    # fmt: off
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "request('show')", "Show", id="history.show", show=False),
        Binding("r", "request('resend')", "Re-send", id="history.resend",
                tooltip="Send this request again with the current profile (recorded as a new entry)"),
        Binding("R,shift+r", "request('resend_original')", "Re-send as recorded", id="history.resend_original",
                tooltip="Send this request again with the profile it was recorded with"),
        Binding("e", "request('edit')", "Edit", id="history.edit",
                tooltip="Open this request in the editor as a new unsaved request"),
        Binding("s", "request('save')", "Save to collection", id="history.save",
                tooltip="Save this request into a collection file (you pick the file and the name)"),
        Binding("d", "request('diff')", "Diff", id="history.diff",
                tooltip="Compare this response with the marked entry (m), else with the previous response of "
                "the same request"),
        Binding("m", "mark", "Mark", id="history.mark",
                tooltip="Mark this entry (or unmark it); d on another entry then compares the two"),
        Binding("delete", "request('delete')", "Delete", id="history.delete",
                tooltip="Delete this entry from the history"),
        Binding("C,shift+c", "request('clear')", "Clear all", id="history.clear",
                tooltip="Delete every history entry (asks first)"),
        Binding("slash", "request('filter')", "Filter", id="history.filter", show=False,
                tooltip="Go to the filter above the list"),
        Binding("up", "move(-1)", "Up", id="history.up", show=False),
        Binding("down", "move(1)", "Down", id="history.down", show=False),
        Binding("pageup", "page(-1)", "Page up", id="history.page_up", show=False),
        Binding("pagedown", "page(1)", "Page down", id="history.page_down", show=False),
        Binding("home", "jump(0)", "Newest", id="history.newest", show=False),
        Binding("end", "jump(-1)", "Oldest loaded", id="history.oldest", show=False),
    ]
    # fmt: on

    class ActionRequested(Message):
        """The user asked for something on the entry under the cursor (see ACTIONS)."""

        def __init__(
            self, history_list: HistoryList, action: EntryAction, entry: Entry, base: int | None = None
        ) -> None:
            super().__init__()
            self.history_list = history_list
            self.action = action
            self.entry = entry
            self.base = base
            """For `diff`: the marked entry to compare with (None: the previous response of the request)."""

        @property
        def control(self) -> HistoryList:
            """The list."""
            return self.history_list

    class FilterWanted(Message):
        """`/`: the user wants to type a filter."""

        def __init__(self, history_list: HistoryList) -> None:
            super().__init__()
            self.history_list = history_list

        @property
        def control(self) -> HistoryList:
            """The list."""
            return self.history_list

    class NearEnd(Message):
        """The cursor or the view came near the last loaded row: load the next page if there is one."""

        def __init__(self, history_list: HistoryList) -> None:
            super().__init__()
            self.history_list = history_list

        @property
        def control(self) -> HistoryList:
            """The list."""
            return self.history_list

    def __init__(self, *, show_times: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self.show_times = show_times
        self._entries: list[Entry] = []
        self._cursor = 0
        self.note = "Loading…"
        """What the list says when it has no rows."""
        self.complete = False
        """True once the oldest matching entry is loaded (no page to ask for)."""
        self.marked: int | None = None
        """The id of the entry marked with `m` (what `d` compares with)."""

    # --- data (down) -------------------------------------------------------------------------------

    @property
    def entries(self) -> Sequence[Entry]:
        """The loaded entries, newest first."""
        return self._entries

    @property
    def cursor(self) -> int:
        """The index of the cursor row."""
        return self._cursor

    @property
    def current(self) -> Entry | None:
        """The entry under the cursor."""
        return self._entries[self._cursor] if self._entries else None

    def replace(self, entries: Sequence[Entry], *, complete: bool, note: str = "") -> None:
        """Show a fresh first page (a new filter, a reload), cursor on top."""
        self._entries = list(entries)
        self.complete = complete
        self.note = note
        self._cursor = 0
        self.scroll_to(y=0, animate=False)
        self._resized()

    def extend(self, entries: Sequence[Entry], *, complete: bool) -> None:
        """Add an older page at the end."""
        known = {e.id for e in self._entries[-len(entries) :]} if entries else set()
        self._entries.extend(e for e in entries if e.id not in known)
        self.complete = complete
        self._resized()

    def prepend(self, entries: Sequence[Entry]) -> None:
        """Add newer entries on top: a cursor on the newest entry stays on top, else on its entry."""
        known = {e.id for e in self._entries[: len(entries)]}
        fresh = [e for e in entries if e.id not in known]
        if not fresh:
            return
        follow = self._cursor == 0
        self._entries[:0] = fresh
        if not follow:
            self._cursor += len(fresh)
        self._resized()

    def drop(self, entry_id: int) -> None:
        """Drop one entry (deleted); the cursor moves to the entry that took its place."""
        index = next((i for i, e in enumerate(self._entries) if e.id == entry_id), None)
        if index is None:
            return
        del self._entries[index]
        if self.marked == entry_id:
            self.marked = None
        if self._cursor > index or self._cursor >= len(self._entries):
            self._cursor = max(0, self._cursor - 1)
        self._resized()

    # --- keys and mouse (up) -----------------------------------------------------------------------

    def action_request(self, action: str) -> None:
        """Tell the pane what to do with the entry under the cursor."""
        if action == "filter":
            self.post_message(self.FilterWanted(self))
            return
        entry = self.current
        wanted = next((known for known in ACTIONS if known == action), None)
        if entry is not None and wanted is not None:
            base = self.marked if wanted == "diff" and self.marked != entry.id else None
            self.post_message(self.ActionRequested(self, wanted, entry, base))

    def action_mark(self) -> None:
        """Mark the entry under the cursor as the one to compare with (`d` on another), or unmark it."""
        entry = self.current
        if entry is None:
            return
        self.marked = None if self.marked == entry.id else entry.id
        self.refresh()
        if self.marked is not None:
            self.notify(f"Entry {entry.id} marked: press d on another entry to compare the two (m unmarks).")

    def action_move(self, delta: int) -> None:
        """Move the cursor and show the entry under it."""
        self._move_to(self._cursor + delta)

    def action_page(self, direction: int) -> None:
        """Move the cursor by a screenful."""
        self._move_to(self._cursor + direction * max(1, self._page_rows - 1))

    def action_jump(self, index: int) -> None:
        """First or last loaded entry."""
        self._move_to(index if index >= 0 else len(self._entries) - 1)

    def _move_to(self, index: int) -> None:
        if not self._entries:
            return
        index = max(0, min(index, len(self._entries) - 1))
        if index == self._cursor:
            return
        self._cursor = index
        self._scroll_to_cursor()
        self.refresh()
        self._check_near_end()
        self.action_request("show")

    async def _on_click(self, event: events.Click) -> None:
        row = self.scroll_offset.y + event.y - 1
        if event.y >= 1 and 0 <= row < len(self._entries):
            self.focus()
            if row == self._cursor:
                self.action_request("show")
            else:
                self._move_to(row)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Scrolling near the end asks for the next page too."""
        super().watch_scroll_y(old_value, new_value)
        self._check_near_end()

    def _check_near_end(self) -> None:
        if self.complete or not self._entries:
            return
        bottom = int(self.scroll_offset.y) + self._page_rows
        if max(self._cursor, bottom) >= len(self._entries) - NEAR_END:
            self.post_message(self.NearEnd(self))

    # --- geometry and drawing ----------------------------------------------------------------------

    @property
    def _page_rows(self) -> int:
        """Rows below the header."""
        return max(1, self.scrollable_content_region.height - 1)

    def _resized(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._entries) + 1)
        self.refresh()

    def on_resize(self) -> None:
        """Columns follow the width."""
        self._resized()

    def _scroll_to_cursor(self) -> None:
        top, page = int(self.scroll_offset.y), self._page_rows
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False)
        elif self._cursor >= top + page:
            self.scroll_to(y=self._cursor - page + 1, animate=False)

    def render_line(self, y: int) -> Strip:
        """The header (row 0), else the entry shown on screen row `y`."""
        width = self.scrollable_content_region.width
        base = self.rich_style
        columns = Columns.fit(width)
        if y == 0:
            header = self.get_component_rich_style("history-list--header")
            return self._strip(header_text(columns), width, base + header)
        index = int(self.scroll_offset.y) + y - 1
        if index >= len(self._entries):
            if index == 0 and self.note:
                note = self.get_component_rich_style("history-list--note")
                return self._strip(Text(self.note), width, base + note)
            return Strip.blank(width, base)
        style = base
        entry = self._entries[index]
        if entry.id == self.marked:
            style = style + self.get_component_rich_style("history-list--marked")
        if index == self._cursor:
            style = style + self.get_component_rich_style("history-list--cursor")
        return self._strip(row_text(entry, columns, show_times=self.show_times), width, style)

    def _strip(self, text: Text, width: int, style: Style) -> Strip:
        text.truncate(width, pad=True)
        segments = list(text.render(self.app.console))
        return Strip(Segment.apply_style(segments, style), width).crop_extend(0, width, style)
