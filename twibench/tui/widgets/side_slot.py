"""The slot beside the response where the side panel (history, run, inbox) goes, and its f2/f4 toggles.

The slot is on the first frame; the panel inside it is not (`prepare` mounts it just after), so this
module imports `twibench.tui.widgets.side_panel` — the three panes, their tables and the tab set — only
when the panel is first built, which keeps their imports out of the time to the first frame
(bench/tui_startup.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.containers import Vertical

if TYPE_CHECKING:
    from twibench.tui.flows.outcome import Outcome
    from twibench.tui.widgets.side_panel import InboxFactory, SidePanel
    from twibench.workbench.history_log import HistoryLog


class SideSlot(Vertical):
    """Where the side panel goes: shown beside the response on wide terminals, and on demand (-shown)."""

    def __init__(
        self, log: HistoryLog, inbox: InboxFactory, *, show_timings: bool = True, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.history_log = log
        self.inbox_factory = inbox
        self.show_timings = show_timings

    @property
    def panel(self) -> SidePanel:
        """The side panel, mounted on first use; new history entries are added to it as they are written."""
        from twibench.tui.widgets.side_panel import SidePanel

        found = self.query(SidePanel)
        if found:
            return found.first()
        panel = SidePanel(self.history_log, self.inbox_factory, show_timings=self.show_timings, id="side-panel")
        self.mount(panel)

        def recorded(entry_id: int | None) -> None:
            if panel.is_attached:
                panel.history.recorded(entry_id)

        self.history_log.listeners.append(recorded)
        return panel

    def prepare(self) -> None:
        """Mount the panel ahead of its first use, unless the screen has gone meanwhile (a quick quit)."""
        if self.is_attached:
            _ = self.panel

    @property
    def mounted_panel(self) -> SidePanel | None:
        """The side panel if it is mounted already."""
        from twibench.tui.widgets.side_panel import SidePanel

        found = self.query(SidePanel)
        return found.first() if found else None

    @property
    def is_open(self) -> bool:
        """True when the slot is on screen (a wide terminal, or opened with f2 or by a run)."""
        return self.display

    def open(self, tab: str) -> SidePanel:
        """Show the slot (also on a narrow terminal) with the `history`, `run` or `inbox` tab; another pane
        maximized (ctrl+o) gives the screen back first, or the slot would open out of sight."""
        panel = self.panel
        if self.screen.maximized not in (None, panel):
            self.screen.minimize()
        self.remove_class("-hidden")
        self.add_class("-shown")
        panel.show_tab(tab)
        return panel

    def close(self) -> None:
        """Hide the slot (on a wide terminal too), restoring the panes first if it filled the screen."""
        if self.screen.maximized is not None and self.screen.maximized is self.mounted_panel:
            self.screen.minimize()
        self.remove_class("-shown")
        self.add_class("-hidden")

    def built(self, then: Callable[[], object]) -> bool:
        """True once the panel's tabs exist; until then (a key pressed during start-up: the panel is built
        just after the first frame) `then` runs again after the next refresh."""
        if self.panel.query("TabbedContent"):
            return True
        self.call_after_refresh(then)
        return False

    def open_history(self) -> None:
        """Show the history tab and put the cursor in its list."""
        if not self.built(self.open_history):
            return
        panel = self.open("history")
        self.call_after_refresh(panel.history.focus_list)

    def toggle_history(self) -> bool:
        """f2: open the history and go to it; from inside it, close the slot (then True)."""
        if self.is_open and self.holds_focus() and self.panel.tab == "history":
            self.close()
            return True
        self.open_history()
        return False

    def toggle_inbox(self) -> bool:
        """f4: open the inbox (starting it) and go to it; from inside it, close the slot (then True)."""
        if self.is_open and self.holds_focus() and self.panel.tab == "inbox":
            self.close()
            return True
        if not self.built(self.toggle_inbox):
            return False
        panel = self.open("inbox")
        self.call_after_refresh(panel.inbox.focus_list)
        return False

    def follow(self, outcome: Outcome) -> None:
        """A history entry was deleted, or the history cleared: the pane follows."""
        panel = self.mounted_panel
        if panel is not None and outcome.history_removed is not None:
            panel.history.removed(outcome.history_removed)
        if panel is not None and outcome.history_cleared:
            panel.history.reload()

    def holds_focus(self) -> bool:
        """True when the focused widget is inside the side panel."""
        focused = self.screen.focused
        return focused is not None and self.panel in focused.ancestors_with_self
