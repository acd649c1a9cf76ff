"""The panel beside the response: the request history, the latest collection run and the inbox, as tabs.

It lives in the main screen's side slot (`side_slot.SideSlot`), is mounted just after the first frame, and is shown
on wide terminals (and on demand with f2, f4 or when a run starts). It only holds the panes; the main
screen decides what they show. The Inbox tab's receiver starts only when that tab is first shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import TabbedContent, TabPane

from twibench.tui.widgets.history_pane import HistoryPane
from twibench.tui.widgets.inbox_pane import InboxPane
from twibench.tui.widgets.run_panel import RunPanel
from twibench.workbench.history_log import HistoryLog

if TYPE_CHECKING:
    from twibench.workbench.inbox_service import InboxService

InboxFactory = Callable[[], "InboxService"]


class SidePanel(Vertical):
    """History, Run and Inbox tabs."""

    # Its rules (and its panes') live in the widgets, not in app.tcss: parsed when the panel first mounts,
    # after the first frame.
    DEFAULT_CSS = """
    SidePanel, #side-tabs, #side-tabs TabPane {
        height: 1fr;
    }
    #side-tabs TabPane {
        padding: 0 0;
    }
    """

    def __init__(
        self, log: HistoryLog, inbox: InboxFactory, *, show_timings: bool = True, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.history_log = log
        self.inbox_factory = inbox
        self.show_timings = show_timings

    def compose(self) -> ComposeResult:
        """The three tabs."""
        with TabbedContent(id="side-tabs"):
            with TabPane("History", id="tab-history"):
                yield HistoryPane(self.history_log, show_times=self.show_timings, id="history-pane")
            with TabPane("Run", id="tab-run"):
                yield RunPanel(show_timings=self.show_timings, id="run-panel")
            with TabPane("Inbox", id="tab-inbox"):
                yield InboxPane(self.inbox_factory, show_times=self.show_timings, id="inbox-pane")

    @property
    def inbox(self) -> InboxPane:
        """The inbox pane."""
        return self.query_one(InboxPane)

    @property
    def history(self) -> HistoryPane:
        """The history pane."""
        return self.query_one(HistoryPane)

    @property
    def run_panel(self) -> RunPanel:
        """The run panel."""
        return self.query_one(RunPanel)

    @property
    def tab(self) -> str:
        """`history`, `run` or `inbox`: the tab shown."""
        return self.query_one(TabbedContent).active.removeprefix("tab-")

    def show_tab(self, name: str) -> None:
        """Show the `history`, `run` or `inbox` tab; a focus inside the panel moves to the tab shown.

        (A focused widget left in the hidden tab would switch it back: TabbedContent shows the tab
        that holds the focus.)
        """
        focused = self.screen.focused
        inside = focused is not None and self in focused.ancestors_with_self
        self.query_one(TabbedContent).active = f"tab-{name}"
        if name == "history":
            self.history.activate()
        if name == "inbox":
            self.inbox.activate()
        if inside:  # each moves the focus at once: the hidden tab's widget would hand it to the tabs
            if name == "history":
                self.history.focus_list()
            elif name == "inbox":
                self.inbox.focus_list()
            else:
                self.run_panel.focus_results()

    @on(TabbedContent.TabActivated)
    def _tab_clicked(self, event: TabbedContent.TabActivated) -> None:
        """A click on the Inbox tab starts the inbox too."""
        if event.pane.id == "tab-inbox":
            self.inbox.activate()
