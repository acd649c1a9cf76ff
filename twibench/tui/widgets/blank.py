"""Containers that draw only their background: the lines Textual would draw for them, made in one go.

Textual draws every widget on the screen, containers too: a transparent Vertical or Horizontal renders its
whole area line by line (content, padding, styles, filters) only for its children to cover most of it. For a
container without border, outline, tint, opacity or hatch those lines are all one blank strip in its inner
background, so `BlankContainer` makes that strip once, exactly as Textual's styles cache makes it (tests
compare); any other container is drawn by Textual. The first frame's wrappers (screen, profile bar, request
line, editor and response shells, rows) draw ~2 ms faster.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.segment import Segment
from textual._segment_tools import line_pad  # the styles cache's own padding helper (textual is pinned)
from textual.containers import Horizontal, Vertical
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.geometry import Region


class BlankContainer(Widget):
    """A container whose own lines are its background (its children are drawn over them).

    Mixed in after the container class (`class Row(Horizontal, BlankContainer)`): Textual takes a widget's
    CSS type names and DEFAULT_CSS from its first base only."""

    def render_lines(self, crop: Region) -> list[Strip]:
        """Textual's lines for an empty container, without drawing each: blanks in the inner background
        (`Style(background=base + background)`), the content rows padded left and right as the styles cache
        pads them, through the line filters."""
        styles = self.styles
        framed = any(edge[0] for edge in (*styles.border, *styles.outline))
        effects = styles.tint.a or self.opacity != 1.0 or styles.text_opacity != 1.0 or styles.has_rule("hatch")
        if framed or effects:  # drawn by Textual: this is only the plain background
            return super().render_lines(crop)
        base_background, background = self.background_colors
        inner = Style(background=base_background + background).rich_style
        width, height = self.region.size  # as the styles cache: the whole widget, then its content
        top, right, bottom, left = styles.padding
        rows = [Strip.blank(width, inner)]
        if left or right:
            content = [Segment(" " * self.content_region.width, inner)]
            rows.append(Strip(line_pad(content, left, right, inner)))
        filters = self.get_line_filters()
        for line_filter in filters:
            rows = [strip.apply_filter(line_filter, background) for strip in rows]
        padded, content_row = rows[0], rows[-1]
        strips = [padded if y < top or y >= height - bottom else content_row for y in crop.line_range]
        if crop.column_span != (0, width):
            x1, x2 = crop.column_span
            strips = [strip.crop(x1, x2) for strip in strips]
        return strips


class Row(Horizontal, BlankContainer):
    """A Horizontal that draws only its background."""


class Column(Vertical, BlankContainer):
    """A Vertical that draws only its background."""
