"""Where the body viewer's lines go on screen: the note row, the gutter, the scroll range, and soft wrap.

Without wrap, a row of the scroll range is a line (after the note row) and long lines scroll sideways.
With wrap on (`w`), the scroll offset counts *positions* (the note row, then one per line) and only the
lines from the top of the screen down are measured and cut into rows (see `wrap`), so wrapping costs the
same on a 20 MB body as on a 2 KB one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.geometry import Size

from twibench.tui.widgets.body import wrap
from twibench.tui.widgets.body.painter import MAX_LINE_CHARS, LinePainter

if TYPE_CHECKING:
    from twibench.tui.widgets.body.host import LayoutHost

__all__ = ["Layout"]


class Layout:
    """The viewer's geometry; `wrap` says whether long lines are soft-wrapped at the pane's width."""

    def __init__(self, viewer: LayoutHost, painter: LinePainter) -> None:
        self.viewer = viewer
        self.painter = painter
        self.wrap = False
        self.content_width = 0  # the widest line seen, in cells (the sideways scroll range without wrap)
        self._rows: tuple[tuple[object, ...], list[tuple[int, int]]] | None = None

    @property
    def header_rows(self) -> int:
        """Rows above the first line: the note, or the placeholder when there are no lines."""
        document = self.viewer.document
        if document is None or document.line_count == 0:
            return 1 if self.viewer.formatting or document is not None else 0
        return 1 if document.note else 0

    @property
    def gutter_width(self) -> int:
        """The line numbers' column, with a space after them."""
        count = self.viewer.line_count
        return len(str(count)) + 1 if count else 0

    @property
    def page_rows(self) -> int:
        """Rows showing content (a prompt or search status takes the bottom one; wrapped, no scrollbar does)."""
        viewer = self.viewer
        bottom = 1 if viewer.bottom_row is not None else 0
        region = viewer.content_region if self.wrap else viewer.scrollable_content_region
        return max(1, region.height - bottom)

    def update_virtual_size(self) -> None:
        """Set the viewer's scroll range from the shown document (and the pane's width, with wrap on)."""
        viewer = self.viewer
        bottom = 1 if viewer.bottom_row is not None else 0
        total = self.header_rows + viewer.line_count
        if self.wrap:
            page = self.page_rows
            last = wrap.last_top(total, page, self.height)
            rows = last + page if last else sum(self.height(p) for p in range(total))
            viewer.virtual_size = Size(0, rows + bottom)
            return
        document = viewer.document
        widest = 0 if document is None else min(document.widest, MAX_LINE_CHARS + 1)
        self.content_width = max(self.content_width, widest + 1)
        viewer.virtual_size = Size(self.gutter_width + self.content_width, total + bottom)

    def height(self, position: int) -> int:
        """Rows a position takes with wrap on: the note row takes one, a line its width over the pane's."""
        viewer = self.viewer
        header, document = self.header_rows, viewer.document
        if position < header or document is None:
            return 1
        styled = self.painter.content(document, position - header, viewer.search_text, viewer.app.console)
        return max(1, -(-styled[1] // self.wrap_width))

    @property
    def wrap_width(self) -> int:
        """Cells per wrapped row: the pane less the gutter and a vertical scrollbar, shown or not (the
        scrollbar comes and goes with the scroll range, which would change every line's row count)."""
        viewer = self.viewer
        return max(1, viewer.content_region.width - viewer.styles.scrollbar_size_vertical - self.gutter_width)

    def row_at(self, y: int) -> tuple[int, int] | None:
        """The (position, piece) a screen row shows; piece > 0 is a wrapped line's continuation."""
        viewer = self.viewer
        if not self.wrap:
            return viewer.scroll_offset.y + y, 0
        region = viewer.scrollable_content_region
        key = (viewer.scroll_offset.y, region.width, self.page_rows, viewer.document, viewer.line_count)
        if self._rows is None or self._rows[0] != key:
            total = self.header_rows + viewer.line_count
            self._rows = key, wrap.rows_from(viewer.scroll_offset.y, total, self.page_rows, self.height)
        rows = self._rows[1]
        return rows[y] if 0 <= y < len(rows) else None

    def scroll_to_cursor(self, *, center: bool = False, column_of: str = "") -> None:
        """Scroll so the cursor line shows (centred if asked and it was off screen), and a match on it."""
        viewer = self.viewer
        cursor = viewer.cursor_line
        row = self.header_rows + cursor
        top, page = viewer.scroll_offset.y, self.page_rows
        if self.wrap:
            shown = top <= row and wrap.top_showing(row, top, page, self.height) == top
            if cursor == 0:
                top = 0
            elif center and not shown:
                top = wrap.top_ending_at(row, max(1, page // 2), self.height)
            else:
                top = wrap.top_showing(row, top, page, self.height)
            viewer.scroll_to(y=top, animate=False)
            return
        if center and not top <= row < top + page:
            viewer.scroll_to(y=max(0, row - page // 2), animate=False)
        elif row < top or cursor == 0:
            viewer.scroll_to(y=0 if cursor == 0 else row, animate=False)
        elif row >= top + page:
            viewer.scroll_to(y=row - page + 1, animate=False)
        document = viewer.document
        if column_of and document is not None and viewer.line_count:
            text, _ = document.preview(cursor, MAX_LINE_CHARS)
            at = text.lower().find(column_of.lower())
            width = viewer.scrollable_content_region.width - self.gutter_width
            x = viewer.scroll_offset.x
            if at >= 0 and not x <= at < x + width - len(column_of):
                viewer.scroll_to(x=max(0, at - width // 3), animate=False)

    def page_up(self) -> int:
        """The scroll offset one page up (with wrap: the screen that ends just above this one)."""
        top = self.viewer.scroll_offset.y
        if not self.wrap:
            return max(0, top - self.page_rows)
        return wrap.top_ending_at(top - 1, self.page_rows, self.height) if top else 0

    def page_down(self) -> int:
        """How far one page down scrolls (with wrap: to the last line on screen, which then shows whole)."""
        if not self.wrap:
            return self.page_rows
        rows = [self.row_at(y) for y in range(self.page_rows)]
        last = max((r[0] for r in rows if r is not None), default=self.viewer.scroll_offset.y)
        return max(1, last - self.viewer.scroll_offset.y)
