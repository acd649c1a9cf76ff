"""The body viewer's keys, and what F1 says about them."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from twibench.tui.widgets.body.copying import OSC52_LIMIT
from twibench.tui.widgets.body.painter import MAX_LINE_CHARS, WRAP_MARK

__all__ = ["BODY_HELP", "BODY_KEYS"]

BODY_HELP = (
    "The response body, formatted by content type. **up**/**down**, **pageup**/**pagedown** and "
    "**home**/**end** move the highlighted line; **left**/**right** scroll long lines (drawn cut at "
    f"{MAX_LINE_CHARS:,} characters, with …), and `w` wraps them at the pane's width instead "
    f"(continuation rows show {WRAP_MARK} in the gutter; `w` again unwraps).\n\n"
    "`/` searches the whole body as you type (case-insensitive); the bottom row says which match the "
    'cursor is on ("3/17 matches": a match is a line that holds the text), "no match", and when '
    "the search wrapped past the end. **enter** keeps the search, `n`/`N` go to the next/previous "
    "match, **escape** closes it.\n\n"
    "`f` filters a JSON body with a JSONPath (RFC 9535), such as `$.messages[*].sid` or "
    "`$.messages[?@.status == 'failed']`: the matches replace the body as you type, with their count "
    "(or what is wrong with the expression); **enter** keeps the filter, **escape** shows the whole "
    "body again.\n\n"
    "`c` copies the value under the cursor (a JSON string without its quotes, a number, or a whole "
    "object or array from its opening line) and `C` the body as shown, secrets masked, through the "
    "terminal (OSC 52, up to "
    f"{OSC52_LIMIT // (1024 * 1024)} MB). Some terminals ignore OSC 52: `v` shows the last copy to "
    "select it with the mouse or save it to a file.\n\n"
    "**enter** on a line with a Twilio `uri` (or a `subresource_uris` entry) opens it as a new "
    "request; `]` opens the page's `next_page_uri`."
)

BODY_KEYS: list[BindingType] = [
    Binding("slash", "start_search", "Search", id="body.search"),
    Binding("n", "next_match", "Next match", id="body.next_match"),
    Binding("N,shift+n", "previous_match", "Prev match", id="body.prev_match"),
    Binding("f", "filter", "Filter", id="body.filter", tooltip="Filter a JSON body with a JSONPath, live"),
    Binding("c", "copy_value", "Copy value", id="body.copy_value", tooltip="Copy the value under the cursor"),
    Binding("C,shift+c", "copy_body", "Copy body", id="body.copy_body", show=False, tooltip="Copy the body as shown"),
    Binding(
        "v",
        "show_copy",
        "Show copy",
        id="body.show_copy",
        show=False,
        tooltip="Show the last copy to select or save it (when the terminal ignores OSC 52)",
    ),
    Binding("w", "wrap(True)", "Wrap", id="body.wrap", tooltip="Soft-wrap long lines at the pane's width"),
    Binding("w", "wrap(False)", "Unwrap", id="body.unwrap", tooltip="Long lines are wrapped: show them on one row"),
    Binding("enter", "open_uri", "Open URI", id="body.open_uri"),
    Binding("right_square_bracket", "next_page", "Next page", id="body.next_page"),
    Binding("escape", "close_search", "Close search or filter", id="body.close_search", show=False),
    Binding("up", "cursor_up", "Up", id="body.cursor_up", show=False),
    Binding("down", "cursor_down", "Down", id="body.cursor_down", show=False),
    Binding("pageup", "page_up", "Page up", id="body.page_up", show=False),
    Binding("pagedown", "page_down", "Page down", id="body.page_down", show=False),
    Binding("home", "cursor_home", "First line", id="body.first_line", show=False),
    Binding("end", "cursor_end", "Last line", id="body.last_line", show=False),
    Binding("left", "scroll_columns(-8)", "Scroll left", id="body.scroll_left", show=False),
    Binding("right", "scroll_columns(8)", "Scroll right", id="body.scroll_right", show=False),
]
