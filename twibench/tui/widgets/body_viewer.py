"""The response body viewer: a Line-API view that stays responsive with multi-megabyte bodies.

Why it is built this way (DESIGN §4):

- Only the rows on screen become styled strips (`render_line`), through an LRU cache, so scrolling a
  20 MB body costs what scrolling a 2 KB one does. No `TextArea`/`Static`/`RichLog` ever holds the body.
- The formatted body is kept as UTF-8 chunks with a table of line offsets (about 1.2x the body) rather
  than a `list[str]` (about 3x, more with non-ASCII text); a line is sliced and decoded only when it is
  drawn, searched or asked for.
- Formatting runs in a thread worker fed by `render.iter_render`, which parses JSON one record at a time
  so no C call holds the GIL for long, and the worker packs each batch before handing it over, so the
  UI thread only appends chunks. Measured with a 10 ms ticker (bench/tui_large_response.py) the UI's
  longest stall is ~10-40 ms at 5 MB and, at 20 MB, one gen-2 garbage collection (~11 ms of CPU for
  this app's heap; 30-120 ms of wall time from an idle to a heavily loaded machine): inside the goals
  (100 / 150 ms), so formatting stays in-process, with no process pool to start, feed and cancel.
  Lines are drawn as batches arrive. Bodies under `SYNC_LIMIT` are formatted inline so small
  responses appear in the same frame (and tests are deterministic); `Formatted` is posted either way.
  Afterwards the freed heap is handed back to the OS (glibc keeps it otherwise).
- Search scans the chunks with a compiled bytes pattern, one chunk per event-loop turn, so even a
  case-insensitive search of 20 MB never freezes the screen.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, on, work
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from twibench import render
from twibench.workbench.body_document import (
    Batch,
    BodyDocument,
    Chunk,
    Lines,
    fallback_batch,
    packed_batches,
    xml_spans,
)
from twibench.workbench.memory import release_free_memory

__all__ = ["MAX_LINE_CHARS", "SYNC_LIMIT", "BodyViewer"]

SYNC_LIMIT = 256 * 1024
"""Bodies smaller than this are formatted on the UI thread: it takes a few ms and avoids a blank frame."""
MAX_LINE_CHARS = 4_000
"""Longer lines are drawn cut, with an ELLIPSIS marker; `text_of_line` still returns them whole."""
ELLIPSIS = "…"
_BATCH_LINES = 10_000  # lines per batch from the formatter: small enough to paint the first page early
_CACHE_LINES = 1_024  # styled lines kept (~1 KB each): many screens, so scrolling back is free


_Styled = tuple[list[Segment], int]  # a styled line: its segments and its width in cells


def _crop(styled: _Styled, start: int, end: int) -> _Styled:
    """The cells [start, end) of a styled line (it is usually shorter than the screen: no work)."""
    segments, length = styled
    if start == 0 and length <= end:
        return styled
    if start >= length:
        return [], 0
    visible = list(Segment.divide(segments, [start, end]))[1]
    return visible, Segment.get_line_length(visible)


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

    DEFAULT_CSS = """
    BodyViewer {
        background: $surface;
        color: $foreground;
        & > .body-viewer--key { color: $text-primary; }
        & > .body-viewer--string { color: $text-success; }
        & > .body-viewer--number { color: $text-warning; }
        & > .body-viewer--literal { color: $text-error; }
        & > .body-viewer--punct { color: $foreground 60%; }
        & > .body-viewer--tag { color: $text-primary; }
        & > .body-viewer--gutter { color: $foreground 40%; background: $surface-darken-1; }
        & > .body-viewer--gutter-cursor { color: $foreground; background: $surface-darken-1; }
        & > .body-viewer--cursor-line { background: $foreground 8%; }
        & > .body-viewer--match { background: $warning 45%; color: $foreground; text-style: bold; }
        & > .body-viewer--dim { color: $foreground 55%; text-style: italic; }
        & > .body-viewer--marker { color: $text-warning; text-style: bold; }
        & > .body-viewer--prompt { background: $panel; color: $foreground; }
        & > .body-viewer--prompt-cursor { background: $foreground; color: $panel; }
        & > .body-viewer--prompt-error { background: $panel; color: $text-error; }
        &:focus > .body-viewer--cursor-line { background: $primary 25%; }
    }
    """

    HELP_TITLE: ClassVar[str] = "Response body"

    HELP: ClassVar[str] = (
        "The response body, formatted by content type. **up**/**down**, **pageup**/**pagedown** and "
        "**home**/**end** move the highlighted line; **left**/**right** scroll long lines (drawn cut at "
        f"{MAX_LINE_CHARS:,} characters, with …). `/` searches the whole body as you type "
        "(case-insensitive): **enter** keeps the search, **escape** closes it, and `n`/`N` go to the "
        "next/previous match. **enter** on a line with a Twilio `uri` (or a `subresource_uris` entry) "
        "opens it as a new request; `]` opens the page's `next_page_uri`."
    )

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "body-viewer--key",
        "body-viewer--string",
        "body-viewer--number",
        "body-viewer--literal",
        "body-viewer--punct",
        "body-viewer--tag",
        "body-viewer--gutter",
        "body-viewer--gutter-cursor",
        "body-viewer--cursor-line",
        "body-viewer--match",
        "body-viewer--dim",
        "body-viewer--marker",
        "body-viewer--prompt",
        "body-viewer--prompt-cursor",
        "body-viewer--prompt-error",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "start_search", "Search", id="body.search"),
        Binding("n", "next_match", "Next match", id="body.next_match"),
        Binding("N,shift+n", "previous_match", "Prev match", id="body.prev_match"),
        Binding("enter", "open_uri", "Open URI", id="body.open_uri"),
        Binding("right_square_bracket", "next_page", "Next page", id="body.next_page"),
        Binding("escape", "close_search", "Close search", id="body.close_search", show=False),
        Binding("up", "cursor_up", "Up", id="body.cursor_up", show=False),
        Binding("down", "cursor_down", "Down", id="body.cursor_down", show=False),
        Binding("pageup", "page_up", "Page up", id="body.page_up", show=False),
        Binding("pagedown", "page_down", "Page down", id="body.page_down", show=False),
        Binding("home", "cursor_home", "First line", id="body.first_line", show=False),
        Binding("end", "cursor_end", "Last line", id="body.last_line", show=False),
        Binding("left", "scroll_columns(-8)", "Scroll left", id="body.scroll_left", show=False),
        Binding("right", "scroll_columns(8)", "Scroll right", id="body.scroll_right", show=False),
    ]

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
        self._styled_lines: LRUCache[tuple[int, str], _Styled] = LRUCache(_CACHE_LINES)
        self._styles: dict[str, Style] = {}
        self._content_width = 0
        self._prompt: str | None = None  # the search being typed; None when the prompt is closed
        self._prompt_origin = 0
        self._needle = ""  # the search whose matches are highlighted and that n/N repeat
        self._last_needle = ""
        self._search_failed = False

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
        return self._needle

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
            rendered = render.render_body(body, content_type)
            chunk = Chunk.pack(rendered.lines, 0) if rendered.lines else None
            self._apply(Batch(rendered.kind, rendered.note, rendered.size, True, chunk))
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
        self._needle = self._last_needle = needle
        generation = self._generation
        start = self._cursor if include_cursor else self._cursor + (-1 if backwards else 1)
        found = None if self._document is None else await self._document.find(needle, start, backwards)
        if generation != self._generation:  # another body was loaded meanwhile
            return None
        self._search_failed = found is None
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
        self._styled_lines.clear()
        self._content_width = 0
        self._prompt = None
        self._needle = ""
        self._search_failed = False
        self.scroll_to(0, 0, animate=False)
        self._update_virtual_size()

    @work(thread=True, exclusive=True, group="body-format", exit_on_error=False, description="format body")
    def _format_in_thread(self, body: bytes, content_type: str | None, generation: int) -> None:
        """Feed render's batches to the UI thread; stop early when a newer body replaces this one."""
        worker = get_current_worker()
        error = None
        try:
            for batch in packed_batches(render.iter_render(body, content_type, batch_lines=_BATCH_LINES)):
                if worker.is_cancelled:
                    return
                self.post_message(_FormatStep(generation, batch))
        except Exception as exc:  # a formatter bug must not take the app down: show the body as text
            error = f"could not format the body ({type(exc).__name__}: {exc}); shown as text"
        if error is not None:
            self.post_message(_FormatStep(generation, fallback_batch(body, error)))
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
            self._styled_lines.clear()
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
        return max(1, self.scrollable_content_region.height - (1 if self._prompt is not None else 0))

    def _update_virtual_size(self) -> None:
        document = self._document
        widest = 0 if document is None else min(document.widest, MAX_LINE_CHARS + 1)
        self._content_width = max(self._content_width, widest + 1)
        rows = self._header_rows + self.line_count + (1 if self._prompt is not None else 0)
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
        self._styles.clear()
        self._styled_lines.clear()

    def _style(self, name: str) -> Style:
        """A component style; token colours keep no background so the cursor line shows through."""
        style = self._styles.get(name)
        if style is None:
            full = self.get_component_rich_style(f"body-viewer--{name}")
            if name in ("key", "string", "number", "literal", "punct", "tag", "marker", "dim"):
                full = Style(color=full.color, bold=full.bold, italic=full.italic, underline=full.underline)
            style = self._styles[name] = full
        return style

    def render_line(self, y: int) -> Strip:
        """Draw one row of the widget (the Line API asks only for rows on screen).

        A row is built as segments and wrapped in one Strip at the end: every Strip sets up its own
        caches, which made building several per row the main cost of drawing a fresh page.
        """
        width = self.scrollable_content_region.width
        base = self.rich_style
        if self._prompt is not None and y == self.scrollable_content_region.height - 1:
            return self._prompt_strip(width, base)
        row = self.scroll_offset.y + y
        header = self._header_rows
        if row < header:
            text = self._header_text()[:width]
            segments = [Segment(text, self._style("dim")), Segment(" " * (width - cell_len(text)))]
            return Strip(Segment.apply_style(segments, base), width)
        index = row - header
        if index >= self.line_count:
            return Strip.blank(width, base)
        gutter_width = self._gutter_width
        content_width = max(0, width - gutter_width)
        scroll_x = self.scroll_offset.x
        visible, length = _crop(self._content(index), scroll_x, scroll_x + content_width)
        body: Iterable[Segment] = [*visible, Segment(" " * (content_width - length))]
        is_cursor = index == self._cursor
        if is_cursor:
            body = Segment.apply_style(body, self._style("cursor-line"))
        number = Segment(f"{index + 1:>{gutter_width - 1}} ", self._style("gutter-cursor" if is_cursor else "gutter"))
        return Strip(Segment.apply_style([number, *body], base), width)

    def _header_text(self) -> str:
        document = self._document
        if document is None:
            return f"formatting {self._pending_size / 1_000_000:.1f} MB{ELLIPSIS}"
        if document.line_count == 0:
            return document.note or ("(empty body)" if document.kind == "empty" else "(nothing to show)")
        return document.note or ""

    def _content(self, index: int) -> _Styled:
        """A line styled by kind, cut at MAX_LINE_CHARS, matches highlighted; cached until restyled.

        Cached as plain segments: a Strip carries several caches of its own, which made 1,000 cached
        lines weigh more than a 1 MB body.
        """
        assert self._document is not None
        key = (index, self._needle)
        styled = self._styled_lines.get(key)
        if styled is not None:
            return styled
        line, cut = self._document.preview(index, MAX_LINE_CHARS)
        text = Text(line, no_wrap=True, end="")
        kind = self._document.kind
        spans = render.json_tokens(line) if kind == "json" else xml_spans(line) if kind == "xml" else []
        for start, end, token in spans:
            text.stylize(self._style(token), start, end)
        if self._needle:
            for found in re.finditer(re.escape(self._needle), line, re.IGNORECASE):
                text.stylize(self._style("match"), found.start(), found.end())
        if cut:
            text.append(ELLIPSIS, self._style("marker"))
        styled = self._styled_lines[key] = (list(text.render(self.app.console)), text.cell_len)
        if styled[1] + 1 > self._content_width:  # wide characters: grow the scroll range
            self._content_width = styled[1] + 1
            self.call_later(self._update_virtual_size)
        return styled

    def _prompt_strip(self, width: int, base: Style) -> Strip:
        prompt = self._prompt or ""
        style = self._style("prompt")
        segments = [Segment("/" + prompt, style), Segment(" ", self._style("prompt-cursor"))]
        if self._search_failed and prompt:
            segments.append(Segment("  not found", self._style("prompt-error")))
        return Strip(Segment.apply_style(segments, base)).crop_extend(0, width, style + base)

    # ----------------------------------------------------------------------------------------------
    # Search

    @work(exclusive=True, group="body-search", exit_on_error=False, description="search body")
    async def _search_worker(self, needle: str, backwards: bool, include_cursor: bool) -> None:
        await self.search_for(needle, backwards=backwards, include_cursor=include_cursor)

    def _search_as_typed(self) -> None:
        """Incremental search: each keystroke searches again from where the prompt was opened."""
        prompt = self._prompt or ""
        if not prompt:
            self._needle = ""
            self._search_failed = False
            self._styled_lines.clear()
            self.refresh()
            return
        self._cursor = self._prompt_origin
        self._search_worker(prompt, False, True)

    # ----------------------------------------------------------------------------------------------
    # Keys and actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """n/N only once something was searched; escape only while a search is open or highlighted."""
        if action in ("next_match", "previous_match"):
            return bool(self._last_needle)
        if action == "close_search":
            return self._prompt is not None or bool(self._needle)
        return True

    def action_start_search(self) -> None:
        """Open the search prompt on the bottom row."""
        self._prompt = ""
        self._prompt_origin = self._cursor
        self._search_failed = False
        self._update_virtual_size()
        self._scroll_to_cursor()
        self.refresh_bindings()
        self.refresh()

    def action_close_search(self) -> None:
        """Close the prompt and drop the highlight (n/N still repeat the last search)."""
        self._prompt = None
        self._needle = ""
        self._search_failed = False
        self._styled_lines.clear()
        self._update_virtual_size()
        self.refresh_bindings()
        self.refresh()

    def action_next_match(self) -> None:
        """Move to the next line matching the last search."""
        self._search_worker(self._last_needle, False, False)

    def action_previous_match(self) -> None:
        """Move to the previous line matching the last search."""
        self._search_worker(self._last_needle, True, False)

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
        if self._prompt is not None and self._prompt_key(event):
            event.stop()
            event.prevent_default()

    def _prompt_key(self, event: events.Key) -> bool:
        """Edit the search prompt; returns False for keys it leaves to bindings (arrows, app keys)."""
        prompt = self._prompt or ""
        if event.key == "escape":
            self.action_close_search()
        elif event.key == "enter":
            needle = prompt or self._last_needle
            self._prompt = None
            self._update_virtual_size()
            self.refresh_bindings()
            if needle and needle != self._needle:
                self._cursor = self._prompt_origin
                self._search_worker(needle, False, True)
            self.refresh()
        elif event.key == "backspace":
            if not prompt:
                self.action_close_search()
            else:
                self._prompt = prompt[:-1]
                self._search_as_typed()
        elif event.key == "ctrl+u":
            self._prompt = ""
            self._search_as_typed()
        elif event.is_printable and event.character:
            self._prompt = prompt + event.character
            self._search_as_typed()
        else:
            return False
        self.refresh()
        return True

    @on(events.Paste)
    def _paste_into_prompt(self, event: events.Paste) -> None:
        if self._prompt is not None:
            event.stop()
            self._prompt += event.text.splitlines()[0] if event.text.strip() else ""
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
