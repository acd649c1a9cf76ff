"""Drawing the body viewer's rows: token colours, the styled-line cache, the gutter and the search prompt.

Only the rows on screen are drawn. A line is styled once (by kind, cut at `MAX_LINE_CHARS`, matches of
the search highlighted) and cached as plain segments: a Strip carries several caches of its own, which
made 1,000 cached lines weigh more than a 1 MB body. A row is built as segments and wrapped in one Strip
at the end, since building several per row was the main cost of drawing a fresh page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.strip import Strip

from twibench import render
from twibench.workbench.body_document import BodyDocument, xml_spans

__all__ = [
    "BODY_VIEWER_CSS",
    "COMPONENT_CLASSES",
    "ELLIPSIS",
    "MAX_LINE_CHARS",
    "WRAP_MARK",
    "BottomRow",
    "LinePainter",
    "Styled",
]

MAX_LINE_CHARS = 4_000
"""Longer lines are drawn cut, with an ELLIPSIS marker; `text_of_line` still returns them whole."""
ELLIPSIS = "…"
_CACHE_LINES = 1_024  # styled lines kept (~1 KB each): many screens, so scrolling back is free
_TOKENS = ("key", "string", "number", "literal", "punct", "tag", "marker", "dim")

BODY_VIEWER_CSS = """
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
"""The viewer's colours, one component class per kind of token or part of a row."""

COMPONENT_CLASSES = {
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

Styled = tuple[list[Segment], int]
"""A styled line: its segments and its width in cells."""

WRAP_MARK = "↪"
"""The gutter of a soft-wrapped line's continuation rows (`w`)."""


@dataclass(frozen=True)
class BottomRow:
    """What the viewer's bottom row shows.

    Attributes:
        prefix: "/" for the search, "filter " for the filter.
        text: what was typed.
        typing: the prompt is open (a cursor is drawn after the text).
        status: what was found ("3/17 matches", "no match", an error), after the text.
        error: the status is an error (drawn in the error colour).
    """

    prefix: str
    text: str
    typing: bool
    status: str = ""
    error: bool = False


def _crop(styled: Styled, start: int, end: int) -> Styled:
    """The cells [start, end) of a styled line (it is usually shorter than the screen: no work)."""
    segments, length = styled
    if start == 0 and length <= end:
        return styled
    if start >= length:
        return [], 0
    visible = list(Segment.divide(segments, [start, end]))[1]
    return visible, Segment.get_line_length(visible)


class LinePainter:
    """The viewer's styles (from its component classes) and its cache of styled lines."""

    def __init__(self, component_style: Callable[[str], Style]) -> None:
        self._component_style = component_style
        self._styles: dict[str, Style] = {}
        self._lines: LRUCache[tuple[int, str], Styled] = LRUCache(_CACHE_LINES)

    def restyle(self) -> None:
        """The theme or CSS changed: styles and cached lines are stale."""
        self._styles.clear()
        self._lines.clear()

    def forget_lines(self) -> None:
        """Another body, or another search: the cached lines are stale."""
        self._lines.clear()

    def style(self, name: str) -> Style:
        """A component style; token colours keep no background so the cursor line shows through."""
        style = self._styles.get(name)
        if style is None:
            full = self._component_style(f"body-viewer--{name}")
            if name in _TOKENS:
                full = Style(color=full.color, bold=full.bold, italic=full.italic, underline=full.underline)
            style = self._styles[name] = full
        return style

    def content(self, document: BodyDocument, index: int, needle: str, console: Console) -> Styled:
        """A line styled by kind, cut at MAX_LINE_CHARS, matches of `needle` highlighted (cached)."""
        key = (index, needle)
        styled = self._lines.get(key)
        if styled is not None:
            return styled
        line, cut = document.preview(index, MAX_LINE_CHARS)
        text = Text(line, no_wrap=True, end="")
        kind = document.kind
        spans = render.json_tokens(line) if kind == "json" else xml_spans(line) if kind == "xml" else []
        for start, end, token in spans:
            text.stylize(self.style(token), start, end)
        if needle:
            for found in re.finditer(re.escape(needle), line, re.IGNORECASE):
                text.stylize(self.style("match"), found.start(), found.end())
        if cut:
            text.append(ELLIPSIS, self.style("marker"))
        styled = self._lines[key] = (list(text.render(console)), text.cell_len)
        return styled

    def header(self, text: str, width: int, base: Style) -> Strip:
        """The dim row above the lines (render's note, or a placeholder)."""
        text = text[:width]
        segments = [Segment(text, self.style("dim")), Segment(" " * (width - cell_len(text)))]
        return Strip(Segment.apply_style(segments, base), width)

    def row(
        self,
        styled: Styled,
        index: int,
        *,
        cursor: bool,
        gutter: int,
        scroll_x: int,
        width: int,
        base: Style,
        continued: bool = False,
        span: int | None = None,
    ) -> Strip:
        """A line with its number in the gutter, scrolled sideways by `scroll_x` cells.

        With soft wrap, a row shows `span` cells of the line from `scroll_x`, and a `continued` row (the
        rest of a wrapped line) shows WRAP_MARK in the gutter, not a number.
        """
        content_width = max(0, width - gutter)
        visible, length = _crop(styled, scroll_x, scroll_x + min(content_width, span or content_width))
        body: Iterable[Segment] = [*visible, Segment(" " * (content_width - length))]
        if cursor:
            body = Segment.apply_style(body, self.style("cursor-line"))
        label = WRAP_MARK if continued else str(index + 1)
        number = Segment(f"{label:>{gutter - 1}} ", self.style("gutter-cursor" if cursor else "gutter"))
        return Strip(Segment.apply_style([number, *body], base), width)

    def prompt(self, bottom: BottomRow, width: int, base: Style) -> Strip:
        """The bottom row: a prompt being typed (with its cursor), or what the last search or filter found."""
        style = self.style("prompt")
        segments = [Segment(bottom.prefix + bottom.text, style)]
        if bottom.typing:
            segments.append(Segment(" ", self.style("prompt-cursor")))
        if bottom.status:
            segments.append(Segment("  " + bottom.status, self.style("prompt-error" if bottom.error else "prompt")))
        return Strip(Segment.apply_style(segments, base)).crop_extend(0, width, style + base)
