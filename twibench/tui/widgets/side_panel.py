"""The panel beside the response: the request history and the latest collection run, as two tabs.

It lives in the main screen's side slot, is mounted just after the first frame, and is shown on wide
terminals (and on demand with f2 or when a run starts). It only holds the two panes:
`twibench.tui.history_flows` and `twibench.tui.run_flows` decide what they show.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import TabbedContent, TabPane

from twibench.tui.widgets.history_pane import HistoryPane
from twibench.tui.widgets.run_panel import RunPanel
from twibench.workbench.history_log import HistoryLog


class SidePanel(Vertical):
    """History and Run tabs."""

    def __init__(self, log: HistoryLog, *, show_timings: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self.history_log = log
        self.show_timings = show_timings

    def compose(self) -> ComposeResult:
        """The two tabs."""
        with TabbedContent(id="side-tabs"):
            with TabPane("History", id="tab-history"):
                yield HistoryPane(self.history_log, show_times=self.show_timings, id="history-pane")
            with TabPane("Run", id="tab-run"):
                yield RunPanel(show_timings=self.show_timings, id="run-panel")

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
        """`history` or `run`: the tab shown."""
        return self.query_one(TabbedContent).active.removeprefix("tab-")

    def show_tab(self, name: str) -> None:
        """Show the `history` or `run` tab; a focus inside the panel moves to the tab shown.

        (A focused widget left in the hidden tab would switch it back: TabbedContent shows the tab
        that holds the focus.)
        """
        focused = self.screen.focused
        inside = focused is not None and self in focused.ancestors_with_self
        self.query_one(TabbedContent).active = f"tab-{name}"
        if name == "history":
            self.history.activate()
        if inside:
            if name == "history":
                self.history.focus_list()
            else:
                self.run_panel.focus_results()
