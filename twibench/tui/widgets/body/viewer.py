"""The response body viewer: a Line-API view that stays responsive with multi-megabyte bodies.

Why it is built this way (DESIGN §4):

- Only the rows on screen are drawn (`render_line`, see `painter`), from an LRU cache of styled lines, so
  scrolling a 20 MB body costs what scrolling a 2 KB one does. No `TextArea`/`Static`/`RichLog` holds it.
- The formatted body is a `twibench.workbench.body_document.BodyDocument`: UTF-8 chunks with a table of
  line offsets (about 1.2x the body), decoded a line at a time; search scans the chunks, one per turn.
- Formatting runs in a thread worker fed by `render.iter_render`, which parses JSON one record at a time
  so no C call holds the GIL for long, and the worker packs each batch before handing it over, so the
  UI thread only appends chunks. Measured with a 10 ms ticker (bench/tui_large_response.py) the UI's
  longest stall is ~10-40 ms at 5 MB and, at 20 MB, one gen-2 garbage collection (~11 ms of CPU for
  this app's heap; 30-120 ms of wall time from an idle to a heavily loaded machine): inside the goals
  (100 / 150 ms), so formatting stays in-process, with no process pool to start, feed and cancel.
  Bodies under `SYNC_LIMIT` are formatted inline so small responses appear in the same frame (and
  tests are deterministic); `Formatted` is posted either way. The freed heap then goes back to the OS.

Its parts live beside it (see the package): `layout` and `wrap` (`w`, laid out for the lines on screen
only), `loading`, and one module per command: `searching` (`/`, n/N, "3/17 matches"), `filtering` (`f`,
a JSONPath shown live), `copying` (`c`/`C`/`v`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import ClassVar, TypeAlias

from textual import events, on, work
from textual.binding import BindingType
from textual.scroll_view import ScrollView
from textual.strip import Strip

from twibench.tui.widgets.body import messages
from twibench.tui.widgets.body.copying import Copier
from twibench.tui.widgets.body.filtering import FilterController, FilterDone
from twibench.tui.widgets.body.keys import BODY_HELP, BODY_KEYS
from twibench.tui.widgets.body.layout import Layout
from twibench.tui.widgets.body.loading import FormatStep, start_formatting
from twibench.tui.widgets.body.painter import (
    BODY_VIEWER_CSS,
    COMPONENT_CLASSES,
    ELLIPSIS,
    MAX_LINE_CHARS,
    BottomRow,
    LinePainter,
)
from twibench.tui.widgets.body.searching import SearchController
from twibench.workbench.body_document import Batch, BodyDocument, Lines, rendered_batch

__all__ = ["MAX_LINE_CHARS", "SYNC_LIMIT", "BodyViewer"]

SYNC_LIMIT = 256 * 1024
"""Bodies smaller than this are formatted on the UI thread: it takes a few ms and avoids a blank frame."""


class BodyViewer(ScrollView, can_focus=True):
    """A scrollable, searchable, filterable view of a response body with a cursor line.

    Data goes down through `load()`/`clear()`; what the user asks for goes up as `OpenUri`; `Formatted`
    says when a body is fully formatted.
    """

    DEFAULT_CSS = BODY_VIEWER_CSS
    COMPONENT_CLASSES: ClassVar[set[str]] = COMPONENT_CLASSES
    BINDINGS: ClassVar[list[BindingType]] = BODY_KEYS
    HELP_TITLE: ClassVar[str] = "Response body"
    HELP: ClassVar[str] = BODY_HELP

    Formatted: TypeAlias = messages.Formatted
    OpenUri: TypeAlias = messages.OpenUri

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._document: BodyDocument | None = None
        self._generation = 0
        self._formatting = False
        self._pending_size = 0
        self._formatted = asyncio.Event()
        self._formatted.set()
        self._cursor = 0
        self._painter = LinePainter(self.get_component_rich_style)
        self._layout = Layout(self, self._painter)
        self._searching = SearchController(self)
        self._filter = FilterController(self)
        self._copier = Copier(self)

    # ----------------------------------------------------------------------------------------------
    # Public API

    @property
    def lines(self) -> Sequence[str]:
        """The shown lines (decoded on access; may grow while `formatting`)."""
        return Lines(self._document)

    @property
    def line_count(self) -> int:
        """How many lines are shown so far."""
        return 0 if self._document is None else self._document.line_count

    @property
    def kind(self) -> str | None:
        """How the body is shown ("json", "xml", "csv", "form", "text", "binary", "empty"), or None."""
        return None if self._document is None else self._document.kind

    @property
    def note(self) -> str | None:
        """The dim first row: render's note about the body, or what the filter shows."""
        return None if self._document is None else self._document.note

    @property
    def formatting(self) -> bool:
        """True while a large body is being formatted in the background."""
        return self._formatting

    @property
    def cursor_line(self) -> int:
        """Index of the highlighted line."""
        return self._cursor

    @property
    def next_page_uri(self) -> str | None:
        """The JSON body's top-level `next_page_uri`, if it has one (of the whole body while filtered)."""
        document = self.whole_document
        return None if document is None else document.next_page_uri

    @property
    def search_text(self) -> str:
        """The search whose matches are highlighted ("" when none)."""
        return self._searching.state.needle

    @property
    def document(self) -> BodyDocument | None:
        """The shown document: the body, or the filter's matches."""
        return self._document

    @property
    def whole_document(self) -> BodyDocument | None:
        """The whole body, filtered or not."""
        return self._filter.whole or self._document

    @property
    def generation(self) -> int:
        """Changes whenever another body is loaded (late results for an older one are dropped)."""
        return self._generation

    @property
    def filtered(self) -> bool:
        """True while the filter's matches are shown instead of the whole body."""
        return self._filter.whole is not None

    @property
    def wrapped(self) -> bool:
        """True while long lines are soft-wrapped at the pane's width (`w`)."""
        return self._layout.wrap

    @property
    def bottom_row(self) -> BottomRow | None:
        """The prompt or status on the bottom row (search or filter), or None when the row shows the body."""
        filtering, search = self._filter, self._searching.state
        if filtering.prompt is not None:
            return BottomRow("filter ", filtering.prompt, True, filtering.status, filtering.failed)
        if search.prompt is not None:
            return BottomRow("/", search.prompt, True, search.status if search.prompt else "", search.failed)
        if search.needle:
            return BottomRow("/", search.needle, False, search.status, search.failed)
        return None

    def uri_of_line(self, index: int) -> str | None:
        """The Twilio path on a JSON line: a `uri`/`*_page_uri` value or a `subresource_uris` member."""
        return None if self._document is None else self._document.uri_of_line(index)

    def text_of_line(self, index: int) -> str:
        """One formatted line, whole (drawing cuts it at MAX_LINE_CHARS)."""
        return self.lines[index]

    def load(self, body: bytes, content_type: str | None) -> None:
        """Show a body: formatted inline when small, else in a thread worker while a placeholder shows.

        Args:
            body: The raw response body (masked: the viewer copies and filters what it shows).
            content_type: The response's Content-Type header, which picks the formatter.
        """
        self._start(len(body))
        if len(body) < SYNC_LIMIT:
            self._apply(rendered_batch(body, content_type))
            self._finish()
        else:
            start_formatting(self, body, content_type, self._generation)

    def clear(self) -> None:
        """Show nothing, stopping any formatting in progress."""
        self._start(0)
        self._formatting = False
        self._formatted.set()
        self.refresh()

    async def wait_formatted(self) -> None:
        """Return once the body loaded last is fully formatted (at once when nothing is pending)."""
        await self._formatted.wait()

    def move_cursor(self, index: int, *, center: bool = False) -> None:
        """Put the cursor on a line (clamped) and scroll it into view."""
        count = self.line_count
        self._cursor = max(0, min(index, count - 1)) if count else 0
        self._layout.scroll_to_cursor(center=center)
        self.refresh()

    async def search_for(self, needle: str, *, backwards: bool = False, include_cursor: bool = False) -> int | None:
        """Highlight `needle` and move the cursor to its next (or previous) match (see `SearchController`)."""
        return await self._searching.search_for(needle, backwards=backwards, include_cursor=include_cursor)

    # ----------------------------------------------------------------------------------------------
    # For the command modules (searching, filtering)

    def place_cursor(self, index: int, needle: str) -> None:
        """Put the cursor on a match, centred when it was off screen, with the match scrolled into view."""
        self._cursor = index
        self._layout.scroll_to_cursor(center=True, column_of=needle)

    def refresh_search(self) -> None:
        """The bottom row changed (opened, closed, says something else)."""
        self._painter.forget_lines()
        self._layout.update_virtual_size()
        self.refresh_bindings()
        self.refresh()

    def restyle_lines(self) -> None:
        """The highlight changed: restyle the lines on screen."""
        self._painter.forget_lines()
        self.refresh()

    @work(exclusive=True, group="body-search", exit_on_error=False, description="search body")
    async def search_in_background(self, needle: str, backwards: bool, include_cursor: bool) -> None:
        """Search in a worker (a newer search replaces it)."""
        await self.search_for(needle, backwards=backwards, include_cursor=include_cursor)

    def replace_document(self, document: BodyDocument) -> None:
        """Show another document of the same body (the filter's matches, or the whole body again)."""
        self._document = document
        self._cursor = 0
        self._layout.content_width = 0
        self.scroll_to(0, 0, animate=False)
        self.refresh_search()

    # ----------------------------------------------------------------------------------------------
    # Formatting

    def _start(self, size: int) -> None:
        """Drop the current body and any formatting in progress (its late batches are ignored)."""
        self._generation += 1
        self.workers.cancel_group(self, "body-format")
        self._filter.forget()
        self._document = None
        self._pending_size = size
        self._formatting = size >= SYNC_LIMIT
        self._formatted.clear()
        self._cursor = 0
        self._painter.forget_lines()
        self._layout.content_width = 0
        self._searching.forget()
        self.scroll_to(0, 0, animate=False)
        self._layout.update_virtual_size()

    @on(FormatStep)
    def _take_format_step(self, message: FormatStep) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        if message.batch is None:
            self._finish()
        else:
            self._apply(message.batch)

    def _apply(self, batch: Batch) -> None:
        document = self._document
        if document is None or batch.reset or batch.kind != document.kind:
            document = self._document = BodyDocument(batch.kind, batch.note, batch.size)
            self._painter.forget_lines()
        document.note = batch.note
        if batch.chunk is not None:
            document.append(batch.chunk)
        self._layout.update_virtual_size()
        self.refresh()

    def _finish(self) -> None:
        if self._document is None:
            self._document = BodyDocument("empty", None, 0)
        self._formatting = False
        self._formatted.set()
        self.refresh_bindings()
        self.refresh()
        self.post_message(self.Formatted(self, self._document.kind, self._document.line_count))

    @on(FilterDone)
    def _filter_done(self, message: FilterDone) -> None:
        message.stop()
        self._filter.done(message)

    @on(events.Resize)
    def _relayout(self) -> None:
        if self._layout.wrap:
            self._layout.update_virtual_size()

    # ----------------------------------------------------------------------------------------------
    # Drawing

    def notify_style_update(self) -> None:
        """The theme or CSS changed: styles and cached strips are stale."""
        super().notify_style_update()
        self._painter.restyle()

    def render_line(self, y: int) -> Strip:
        """Draw one row of the widget (the Line API asks only for rows on screen)."""
        width = self.scrollable_content_region.width
        base = self.rich_style
        painter = self._painter
        bottom = self.bottom_row
        if bottom is not None and y == self.scrollable_content_region.height - 1:
            return painter.prompt(bottom, width, base)
        at = self._layout.row_at(y)
        if at is None:
            return Strip.blank(width, base)
        row, piece = at
        header = self._layout.header_rows
        if row < header:
            return painter.header(self._header_text(), width, base)
        index = row - header
        if index >= self.line_count or self._document is None:
            return Strip.blank(width, base)
        styled = painter.content(self._document, index, self.search_text, self.app.console)
        layout, gutter = self._layout, self._layout.gutter_width
        if not layout.wrap and styled[1] + 1 > layout.content_width:  # wide characters: grow the scroll range
            layout.content_width = styled[1] + 1
            self.call_later(layout.update_virtual_size)
        scroll_x = piece * layout.wrap_width if layout.wrap else self.scroll_offset.x
        return painter.row(
            styled,
            index,
            cursor=index == self._cursor,
            gutter=gutter,
            scroll_x=scroll_x,
            width=width,
            base=base,
            continued=piece > 0,
            span=layout.wrap_width if layout.wrap else None,
        )

    def _header_text(self) -> str:
        document = self._document
        if document is None:
            return f"formatting {self._pending_size / 1_000_000:.1f} MB{ELLIPSIS}"
        if document.line_count == 0:
            return document.note or ("(empty body)" if document.kind == "empty" else "(nothing to show)")
        return document.note or ""

    # ----------------------------------------------------------------------------------------------
    # Keys and actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """n/N once something was searched; escape while a search or filter is open; `w` shows the wrap state."""
        if action in ("next_match", "previous_match"):
            return bool(self._searching.state.last)
        if action == "close_search":
            return self.bottom_row is not None or self.filtered
        if action == "wrap":
            return parameters[0] != self._layout.wrap if parameters else True
        return True

    def action_start_search(self) -> None:
        """Open the search prompt on the bottom row."""
        self._searching.start()
        self.refresh_search()
        self._layout.scroll_to_cursor()

    def action_close_search(self) -> None:
        """escape: close the search (n/N still repeat it), else the filter (back to the whole body)."""
        search = self._searching.state
        if search.prompt is not None or search.needle or (self._filter.prompt is None and not self.filtered):
            search.close()
        else:
            self._filter.close()
        self.refresh_search()

    def action_filter(self) -> None:
        """Open the JSONPath filter on the bottom row."""
        self._filter.start()
        self.refresh_search()

    def action_next_match(self) -> None:
        """Move to the next line matching the last search."""
        self.search_in_background(self._searching.state.last, False, False)

    def action_previous_match(self) -> None:
        """Move to the previous line matching the last search."""
        self.search_in_background(self._searching.state.last, True, False)

    def action_copy_value(self) -> None:
        """Copy the value on the cursor line (a JSON scalar decoded, an object or array whole)."""
        self._copier.copy_value(self._document, self._cursor)

    def action_copy_body(self) -> None:
        """Copy the body as shown (the filter's matches while filtered), secrets masked."""
        self._copier.copy_body(self._document, self.filtered)

    def action_show_copy(self) -> None:
        """Show the last copy to select or save it (for terminals that ignore OSC 52)."""
        self._copier.show()

    def action_wrap(self, on: bool) -> None:
        """Soft-wrap long lines at the pane's width (or stop)."""
        self._layout.wrap = on
        self.scroll_to(x=0, animate=False)
        self._layout.update_virtual_size()
        self._layout.scroll_to_cursor()
        self.refresh_bindings()
        self.refresh()

    def action_open_uri(self) -> None:
        """Post `OpenUri` for the Twilio path on the cursor line; ring the bell when there is none."""
        uri = self.uri_of_line(self._cursor)
        if uri is None:
            self.app.bell()
        else:
            self.post_message(self.OpenUri(self, uri))

    def action_next_page(self) -> None:
        """Post `OpenUri` for the body's `next_page_uri`; ring the bell on the last page."""
        uri = self.next_page_uri
        if uri is None:
            self.app.bell()
        else:
            self.post_message(self.OpenUri(self, uri))

    def action_cursor_up(self) -> None:
        """Move the cursor one line up."""
        self.move_cursor(self._cursor - 1)

    def action_cursor_down(self) -> None:
        """Move the cursor one line down."""
        self.move_cursor(self._cursor + 1)

    def action_page_up(self) -> None:
        """Scroll and move the cursor one page up."""
        top, target = self.scroll_offset.y, self._layout.page_up()
        self.scroll_to(y=target, animate=False)
        self.move_cursor(self._cursor - (top - target if self._layout.wrap else self._layout.page_rows))

    def action_page_down(self) -> None:
        """Scroll and move the cursor one page down."""
        step = self._layout.page_down()
        self.scroll_to(y=self.scroll_offset.y + step, animate=False)
        self.move_cursor(self._cursor + step)

    def action_cursor_home(self) -> None:
        """Go to the first line."""
        self.move_cursor(0)

    def action_cursor_end(self) -> None:
        """Go to the last line."""
        self.move_cursor(self.line_count - 1)

    def action_scroll_columns(self, columns: int) -> None:
        """Scroll long lines sideways."""
        self.scroll_to(x=max(0, self.scroll_offset.x + columns), animate=False)

    @on(events.Key)
    def _route_key_to_prompt(self, event: events.Key) -> None:
        """While a prompt is open, typing goes to it (bindings are checked only if the key bubbles on)."""
        character = event.character if event.is_printable else None
        if self._filter.prompt is not None:
            taken = self._filter.key(event.key, character)
        else:
            taken = self._searching.state.prompt is not None and self._searching.key(event.key, character)
        if taken:
            event.stop()
            event.prevent_default()
            self.refresh_search()

    @on(events.Paste)
    def _paste_into_prompt(self, event: events.Paste) -> None:
        text = event.text.splitlines()[0] if event.text.strip() else ""
        if self._filter.prompt is not None or self._searching.state.prompt is not None:
            event.stop()
            target = self._filter if self._filter.prompt is not None else self._searching
            target.paste(text)

    @on(events.Click)
    def _click_moves_cursor(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        at = None if offset is None or not self.line_count else self._layout.row_at(offset.y)
        index = -1 if at is None else at[0] - self._layout.header_rows
        if 0 <= index < self.line_count:
            self.move_cursor(index)

    @on(events.Unmount)
    def _drop_late_batches(self) -> None:
        self._generation += 1  # late batches from a running formatter are dropped
