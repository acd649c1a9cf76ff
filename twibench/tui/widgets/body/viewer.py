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
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import ClassVar

from textual import events, on, work
from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from twibench.tui.widgets.body.keys import BODY_HELP, BODY_KEYS
from twibench.tui.widgets.body.painter import BODY_VIEWER_CSS, COMPONENT_CLASSES, ELLIPSIS, MAX_LINE_CHARS, LinePainter
from twibench.tui.widgets.body.search import Search
from twibench.workbench.body_document import Batch, BodyDocument, Lines, formatted_batches, rendered_batch
from twibench.workbench.memory import release_free_memory

__all__ = ["MAX_LINE_CHARS", "SYNC_LIMIT", "BodyViewer"]

SYNC_LIMIT = 256 * 1024
"""Bodies smaller than this are formatted on the UI thread: it takes a few ms and avoids a blank frame."""
_BATCH_LINES = 10_000  # lines per batch from the formatter: small enough to paint the first page early


class _FormatStep(Message, bubble=False):
    """From the formatting thread to the viewer itself: a batch, or the end (batch None)."""

    def __init__(self, generation: int, batch: Batch | None) -> None:
        super().__init__()
        self.generation = generation
        self.batch = batch


class BodyViewer(ScrollView, can_focus=True):
    """A scrollable, searchable view of a response body with a cursor line.

    Data goes down through `load()`/`clear()`; what the user asks for goes up as `OpenUri`; `Formatted`
    says when a body is fully formatted.
    """

    DEFAULT_CSS = BODY_VIEWER_CSS
    COMPONENT_CLASSES: ClassVar[set[str]] = COMPONENT_CLASSES
    BINDINGS: ClassVar[list[BindingType]] = BODY_KEYS
    HELP_TITLE: ClassVar[str] = "Response body"
    HELP: ClassVar[str] = BODY_HELP

    class Formatted(Message):
        """The body loaded last is fully formatted (posted for small, inline-formatted bodies too)."""

        def __init__(self, viewer: BodyViewer, kind: str, line_count: int) -> None:
            super().__init__()
            self.viewer = viewer
            self.kind = kind
            self.line_count = line_count

        @property
        def control(self) -> BodyViewer:
            """The viewer that formatted the body."""
            return self.viewer

    class OpenUri(Message):
        """The user asked to open a Twilio URI found in the body (a path such as "/2010-04-01/...")."""

        def __init__(self, viewer: BodyViewer, uri: str) -> None:
            super().__init__()
            self.viewer = viewer
            self.uri = uri

        @property
        def control(self) -> BodyViewer:
            """The viewer the URI came from."""
            return self.viewer

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
        self._content_width = 0
        self._search = Search()

    # ----------------------------------------------------------------------------------------------
    # Public API

    @property
    def lines(self) -> Sequence[str]:
        """The formatted lines (decoded on access; may grow while `formatting`)."""
        return Lines(self._document)

    @property
    def line_count(self) -> int:
        """How many formatted lines there are so far."""
        return 0 if self._document is None else self._document.line_count

    @property
    def kind(self) -> str | None:
        """How the body is shown ("json", "xml", "csv", "form", "text", "binary", "empty"), or None."""
        return None if self._document is None else self._document.kind

    @property
    def note(self) -> str | None:
        """Render's note about the body (e.g. where JSON is invalid), shown as the first, dim row."""
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
        """The JSON body's top-level `next_page_uri`, if it has one."""
        return None if self._document is None else self._document.next_page_uri

    @property
    def search_text(self) -> str:
        """The search whose matches are highlighted ("" when none)."""
        return self._search.needle

    def uri_of_line(self, index: int) -> str | None:
        """The Twilio path on a JSON line: a `uri`/`*_page_uri` value or a `subresource_uris` member."""
        return None if self._document is None else self._document.uri_of_line(index)

    def text_of_line(self, index: int) -> str:
        """One formatted line, whole (drawing cuts it at MAX_LINE_CHARS)."""
        return self.lines[index]

    def load(self, body: bytes, content_type: str | None) -> None:
        """Show a body: formatted inline when small, else in a thread worker while a placeholder shows.

        Args:
            body: The raw response body.
            content_type: The response's Content-Type header, which picks the formatter.
        """
        self._start(len(body))
        if len(body) < SYNC_LIMIT:
            self._apply(rendered_batch(body, content_type))
            self._finish()
        else:
            self._format_in_thread(body, content_type, self._generation)

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
        self._scroll_to_cursor(center=center)
        self.refresh()

    async def search_for(self, needle: str, *, backwards: bool = False, include_cursor: bool = False) -> int | None:
        """Highlight `needle` and move the cursor to its next (or previous) match, wrapping around.

        The whole body is searched, case-insensitively, one chunk per event-loop turn.

        Returns:
            The matching line, or None (the cursor stays) when nothing matches.
        """
        if not needle:
            self.action_close_search()
            return None
        self._search.needle = self._search.last = needle
        generation = self._generation
        start = self._cursor if include_cursor else self._cursor + (-1 if backwards else 1)
        found = None if self._document is None else await self._document.find(needle, start, backwards)
        if generation != self._generation:  # another body was loaded meanwhile
            return None
        self._search.failed = found is None
        if found is not None:
            self._cursor = found
            self._scroll_to_cursor(center=True, column_of=needle)
        self.refresh_bindings()
        self.refresh()
        return found

    # ----------------------------------------------------------------------------------------------
    # Formatting

    def _start(self, size: int) -> None:
        """Drop the current body and any formatting in progress (its late batches are ignored)."""
        self._generation += 1
        self.workers.cancel_group(self, "body-format")
        self._document = None
        self._pending_size = size
        self._formatting = size >= SYNC_LIMIT
        self._formatted.clear()
        self._cursor = 0
        self._painter.forget_lines()
        self._content_width = 0
        self._search.close()
        self.scroll_to(0, 0, animate=False)
        self._update_virtual_size()

    @work(thread=True, exclusive=True, group="body-format", exit_on_error=False, description="format body")
    def _format_in_thread(self, body: bytes, content_type: str | None, generation: int) -> None:
        """Feed render's batches to the UI thread; stop early when a newer body replaces this one."""
        worker = get_current_worker()
        for batch in formatted_batches(body, content_type, _BATCH_LINES):
            if worker.is_cancelled:
                return
            self.post_message(_FormatStep(generation, batch))
        self.post_message(_FormatStep(generation, None))
        release_free_memory()

    @on(_FormatStep)
    def _take_format_step(self, message: _FormatStep) -> None:
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
        self._update_virtual_size()
        self.refresh()

    def _finish(self) -> None:
        if self._document is None:
            self._document = BodyDocument("empty", None, 0)
        self._formatting = False
        self._formatted.set()
        self.refresh_bindings()
        self.refresh()
        self.post_message(self.Formatted(self, self._document.kind, self._document.line_count))

    # ----------------------------------------------------------------------------------------------
    # Geometry

    @property
    def _header_rows(self) -> int:
        """Rows above the first line: the note, or the placeholder when there are no lines."""
        document = self._document
        if document is None or document.line_count == 0:
            return 1 if self._formatting or document is not None else 0
        return 1 if document.note else 0

    @property
    def _gutter_width(self) -> int:
        count = self.line_count
        return len(str(count)) + 1 if count else 0

    @property
    def _page_rows(self) -> int:
        """Rows showing content (the search prompt takes the bottom one)."""
        return max(1, self.scrollable_content_region.height - (1 if self._search.prompt is not None else 0))

    def _update_virtual_size(self) -> None:
        document = self._document
        widest = 0 if document is None else min(document.widest, MAX_LINE_CHARS + 1)
        self._content_width = max(self._content_width, widest + 1)
        rows = self._header_rows + self.line_count + (1 if self._search.prompt is not None else 0)
        self.virtual_size = Size(self._gutter_width + self._content_width, rows)

    def _scroll_to_cursor(self, *, center: bool = False, column_of: str = "") -> None:
        row = self._header_rows + self._cursor
        top, page = self.scroll_offset.y, self._page_rows
        if center and not top <= row < top + page:
            self.scroll_to(y=max(0, row - page // 2), animate=False)
        elif row < top or self._cursor == 0:
            self.scroll_to(y=0 if self._cursor == 0 else row, animate=False)
        elif row >= top + page:
            self.scroll_to(y=row - page + 1, animate=False)
        if column_of and self._document is not None and self.line_count:
            text, _ = self._document.preview(self._cursor, MAX_LINE_CHARS)
            at = text.lower().find(column_of.lower())
            width = self.scrollable_content_region.width - self._gutter_width
            if at >= 0 and not self.scroll_offset.x <= at < self.scroll_offset.x + width - len(column_of):
                self.scroll_to(x=max(0, at - width // 3), animate=False)

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
        if self._search.prompt is not None and y == self.scrollable_content_region.height - 1:
            return painter.prompt(self._search.prompt or "", self._search.failed, width, base)
        row = self.scroll_offset.y + y
        header = self._header_rows
        if row < header:
            return painter.header(self._header_text(), width, base)
        index = row - header
        if index >= self.line_count or self._document is None:
            return Strip.blank(width, base)
        styled = painter.content(self._document, index, self._search.needle, self.app.console)
        if styled[1] + 1 > self._content_width:  # wide characters: grow the scroll range
            self._content_width = styled[1] + 1
            self.call_later(self._update_virtual_size)
        cursor, gutter, scroll_x = index == self._cursor, self._gutter_width, self.scroll_offset.x
        return painter.row(styled, index, cursor=cursor, gutter=gutter, scroll_x=scroll_x, width=width, base=base)

    def _header_text(self) -> str:
        document = self._document
        if document is None:
            return f"formatting {self._pending_size / 1_000_000:.1f} MB{ELLIPSIS}"
        if document.line_count == 0:
            return document.note or ("(empty body)" if document.kind == "empty" else "(nothing to show)")
        return document.note or ""

    # ----------------------------------------------------------------------------------------------
    # Search

    @work(exclusive=True, group="body-search", exit_on_error=False, description="search body")
    async def _search_worker(self, needle: str, backwards: bool, include_cursor: bool) -> None:
        await self.search_for(needle, backwards=backwards, include_cursor=include_cursor)

    def _search_as_typed(self) -> None:
        """Incremental search: each keystroke searches again from where the prompt was opened."""
        prompt = self._search.prompt or ""
        if not prompt:
            self._search.needle, self._search.failed = "", False
            self._painter.forget_lines()
            self.refresh()
            return
        self._cursor = self._search.origin
        self._search_worker(prompt, False, True)

    # ----------------------------------------------------------------------------------------------
    # Keys and actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """n/N only once something was searched; escape only while a search is open or highlighted."""
        if action in ("next_match", "previous_match"):
            return bool(self._search.last)
        if action == "close_search":
            return self._search.prompt is not None or bool(self._search.needle)
        return True

    def action_start_search(self) -> None:
        """Open the search prompt on the bottom row."""
        self._search.open(self._cursor)
        self._update_virtual_size()
        self._scroll_to_cursor()
        self.refresh_bindings()
        self.refresh()

    def action_close_search(self) -> None:
        """Close the prompt and drop the highlight (n/N still repeat the last search)."""
        self._search.close()
        self._painter.forget_lines()
        self._update_virtual_size()
        self.refresh_bindings()
        self.refresh()

    def action_next_match(self) -> None:
        """Move to the next line matching the last search."""
        self._search_worker(self._search.last, False, False)

    def action_previous_match(self) -> None:
        """Move to the previous line matching the last search."""
        self._search_worker(self._search.last, True, False)

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
        page = self._page_rows
        self.scroll_to(y=max(0, self.scroll_offset.y - page), animate=False)
        self.move_cursor(self._cursor - page)

    def action_page_down(self) -> None:
        """Scroll and move the cursor one page down."""
        page = self._page_rows
        self.scroll_to(y=self.scroll_offset.y + page, animate=False)
        self.move_cursor(self._cursor + page)

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
        """While the prompt is open, typing goes to it (bindings are checked only if the key bubbles on)."""
        if self._search.prompt is not None and self._prompt_key(event):
            event.stop()
            event.prevent_default()

    def _prompt_key(self, event: events.Key) -> bool:
        """Edit the search prompt; returns False for keys it leaves to bindings (arrows, app keys)."""
        change = self._search.edit(event.key, event.character if event.is_printable else None)
        if change == "close":
            self.action_close_search()
        elif change == "submit":
            search = self._search
            needle = search.prompt or search.last
            search.prompt = None
            self._update_virtual_size()
            self.refresh_bindings()
            if needle and needle != search.needle:
                self._cursor = search.origin
                self._search_worker(needle, False, True)
        elif change == "typed":
            self._search_as_typed()
        self.refresh()
        return change is not None

    @on(events.Paste)
    def _paste_into_prompt(self, event: events.Paste) -> None:
        if self._search.prompt is not None:
            event.stop()
            self._search.prompt += event.text.splitlines()[0] if event.text.strip() else ""
            self._search_as_typed()

    @on(events.Click)
    def _click_moves_cursor(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and self.line_count:
            index = self.scroll_offset.y + offset.y - self._header_rows
            if 0 <= index < self.line_count:
                self.move_cursor(index)

    @on(events.Unmount)
    def _drop_late_batches(self) -> None:
        self._generation += 1  # late batches from a running formatter are dropped
