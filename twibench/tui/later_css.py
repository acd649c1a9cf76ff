"""CSS for states no widget of the first frame is in, added to the stylesheet when the state first comes.

Textual parses a widget class's DEFAULT_CSS and app.tcss before the first frame (~0.6 µs a character). Rules
that only match later — a status line coloured by an answer, a button hovered, focused or pressed — are kept
apart and added the first time they can match, with the weight they would have had where they came from
(app.tcss, or the widget's DEFAULT_CSS), so every style is what it was (tests/tui/test_later_css.py).
"""

from __future__ import annotations

from inspect import getfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.dom import DOMNode


def add_css(node: DOMNode, css: str, *, name: str, default_of: str = "") -> bool:
    """Add `css` to the app's stylesheet unless it is there already; True if it was added now.

    Args:
        node: a mounted widget (its app's stylesheet gets the rules).
        css: the rules.
        name: where they come from, as Textual names CSS sources (`StatusLine.LATER_CSS`).
        default_of: for rules of a widget's DEFAULT_CSS, the widget's CSS type name (they are scoped to it and
            weigh as defaults); empty for rules of app.tcss.
    """
    sheet = node.app.stylesheet
    location = (getfile(type(node)), name)
    if location in sheet.source:
        return False
    sheet.add_source(css, read_from=location, is_default_css=bool(default_of), scope=default_of)
    return True
