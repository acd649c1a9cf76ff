"""The body viewer's keys, and what F1 says about them."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from twibench.tui.widgets.body.painter import MAX_LINE_CHARS

__all__ = ["BODY_HELP", "BODY_KEYS"]

BODY_HELP = (
    "The response body, formatted by content type. **up**/**down**, **pageup**/**pagedown** and "
    "**home**/**end** move the highlighted line; **left**/**right** scroll long lines (drawn cut at "
    f"{MAX_LINE_CHARS:,} characters, with …). `/` searches the whole body as you type "
    "(case-insensitive): **enter** keeps the search, **escape** closes it, and `n`/`N` go to the "
    "next/previous match. **enter** on a line with a Twilio `uri` (or a `subresource_uris` entry) "
    "opens it as a new request; `]` opens the page's `next_page_uri`."
)

BODY_KEYS: list[BindingType] = [
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
