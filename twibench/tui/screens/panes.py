"""How the main screen shares the terminal between its panes: breakpoints, the side slot, maximizing.

A terminal is never too small for the response: below `SHORT_BELOW` rows the request line turns compact
(one row instead of three) and the CSS (`MainScreen.-short` in app.tcss) shrinks the request editor and
drops the tab underlines, so 80×24 still shows a screenful of body. The history/run/inbox slot shows
beside the response by itself only from `WIDE_FROM` columns; below that it takes the body's width only
when the user opens it (f2, f4, a run). ctrl+o makes the pane with the cursor fill the screen, and back.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget

from twibench.tui.widgets.blank import BlankContainer
from twibench.tui.widgets.collection_tree import CollectionTree
from twibench.tui.widgets.request_editor import RequestEditor
from twibench.tui.widgets.response_view import ResponseView
from twibench.tui.widgets.side_slot import SideSlot
from twibench.tui.widgets.url_bar import UrlBar

WIDE_FROM = 200
"""From this many columns the side slot (history, run, inbox) shows beside the response unasked."""

SHORT_BELOW = 35
"""Below this many rows the screen is `-short`: compact request line, smaller editor, no tab underlines."""


def panes() -> tuple[type[Widget], ...]:
    """What ctrl+o can maximize (the request line and the profile bar are one row: the response is shown).

    The side panel's module is imported here, on first use, not before the first frame (`side_slot`)."""
    from twibench.tui.widgets.side_panel import SidePanel

    return (CollectionTree, RequestEditor, ResponseView, SidePanel)


class PaneScreen(Screen[None], BlankContainer):
    """The layout half of the main screen (the main screen subclasses it and adds the wiring). It is the
    bottom screen, whose own lines are its opaque background (`BlankContainer`)."""

    # Screen declares these without ClassVar (RUF012).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE_FROM, "-wide")]  # noqa: RUF012
    VERTICAL_BREAKPOINTS = [(0, "-short"), (SHORT_BELOW, "-tall")]  # noqa: RUF012
    ESCAPE_TO_MINIMIZE: ClassVar[bool | None] = False
    """escape keeps its meanings (cancel the send, close a search); the main screen's escape restores last."""

    def on_compose(self) -> None:
        """The breakpoint classes (-narrow/-wide, -short/-tall) for the terminal's size, set before the
        widgets mount: Textual sets them at the first resize, after the first frame, which restyled every
        widget (~6 ms) and drew a short terminal's first frame without its -short layout."""
        self._set_breakpoints(self.app.size)

    def _set_breakpoints(self, size: Size) -> None:
        """Set the breakpoint classes for `size` (restyles only when they change)."""
        horizontal, vertical = self.HORIZONTAL_BREAKPOINTS, self.VERTICAL_BREAKPOINTS
        classes = {name: False for _, name in horizontal + vertical}
        # Chosen as Textual chooses them on a resize (`Screen._get_breakpoint_classes`).
        chosen = self._get_breakpoint_classes(size.width, horizontal)
        chosen |= self._get_breakpoint_classes(size.height, vertical)
        classes.update(dict.fromkeys(chosen, True))
        self.update_classes(classes, animate=False)

    _styled = False
    """True once the screen has been resumed (shown) a first time."""

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """The first time it is shown, the screen skips Textual's restyle of every widget (runs before
        `Screen._on_screen_resume`, which does the rest): they were styled as they mounted, a moment ago,
        and every class or focus change since restyled what it touched, so a second pass changes
        nothing and cost ~7 ms before the first frame (bench/tui_startup.py). Later resumes restyle."""
        if not self._styled:
            self._styled = True
            event.refresh_styles = False
            self._laid_out = self.app.size
            self._set_breakpoints(self._laid_out)  # a resize during start-up skips Textual's (`on_resize`)
            self._compact_fields(self._laid_out)  # the first frame of a short terminal is its final layout

    _laid_out: Size | None = None
    """The terminal size the screen was last laid out for."""

    def on_resize(self, event: events.Resize) -> None:
        """Short terminals get the one-row request line (Textual's compact fields; CSS cannot set it).

        A resize to the size the screen is laid out for already skips Textual's handling, which lays out
        and repaints every widget again: Textual sends three such events right after the first frame
        (~10 ms of work before the tab sets mount)."""
        self._compact_fields(event.size)
        if event.size == self._laid_out:
            event.prevent_default()
        self._laid_out = event.size

    def _compact_fields(self, size: Size) -> None:
        """The request line is one row (compact fields) below `SHORT_BELOW` rows."""
        for bar in self.query(UrlBar):
            bar.compact = size.height < SHORT_BELOW

    @property
    def side(self) -> SideSlot:
        """The history, run and inbox slot."""
        return self.query_one(SideSlot)

    def action_toggle_maximize(self) -> None:
        """ctrl+o: the pane with the cursor fills the screen (the response if the cursor is in none); again, back."""
        if self.restore_panes():
            return
        focused = self.focused
        nodes = focused.ancestors_with_self if focused is not None else []
        kinds = panes()
        pane = next((node for node in nodes if isinstance(node, kinds)), None)
        if not isinstance(pane, Widget):
            response = self.query_one(ResponseView)
            pane = response
            response.focus_body()
        self.maximized = pane  # Screen.maximize() would pick the innermost container (a tab set) instead
        self.notify("ctrl+o or escape shows every pane again.", title="Maximized", timeout=3)

    def restore_panes(self) -> bool:
        """Show every pane again if one is maximized; False if none was."""
        if self.maximized is None:
            return False
        self.minimize()
        return True

    def action_focus_inbox(self) -> None:
        """f4: open the inbox (starting it on first use) and go to it; from inside the inbox, close it."""
        if self.side.toggle_inbox():
            self.query_one(CollectionTree).focus()

    def action_open_history(self) -> None:
        """Open the history and focus it (never closes it)."""
        self.side.open_history()
