"""The workbench screen: it composes the widgets, routes their messages, and applies what flows return.

Widgets report edits as messages; this screen applies them to the request model (the workspace entry)
and pushes the result back down (tree marker, URL preview). Commands that ask something run the coroutines
of `twibench.tui.flows` (imported on first use, `on_demand`) as workers and apply their `Outcome`; a
TwibenchError from any of them is one notification (`_worker_state`). The keys: `twibench.tui.screens.keys`.
"""

from __future__ import annotations

from collections.abc import Awaitable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.worker import Worker, WorkerState

from twibench.errors import TwibenchError
from twibench.tui.screens.keys import MAIN_KEYS
from twibench.tui.screens.on_demand import commands, exports, history, outcome, paste, profiles, requests
from twibench.tui.screens.panes import PaneScreen
from twibench.tui.widgets.blank import Column, Row
from twibench.tui.widgets.collection_tree import CollectionTree
from twibench.tui.widgets.key_footer import KeyFooter
from twibench.tui.widgets.profile_bar import ProfileBar
from twibench.tui.widgets.request_editor import RequestEditor
from twibench.tui.widgets.response_view import ResponseView
from twibench.tui.widgets.side_slot import SideSlot
from twibench.tui.widgets.url_bar import UrlBar, UrlInput
from twibench.workbench.session import Session, url_preview
from twibench.workbench.workspace import RequestEntry

if TYPE_CHECKING:
    from twibench.profiles import Profile
    from twibench.tui.commands import PaletteState
    from twibench.tui.flows.outcome import Outcome
    from twibench.tui.widgets.body import BodyViewer
    from twibench.tui.widgets.history_list import EntryAction, HistoryList
    from twibench.tui.widgets.history_pane import HistoryPane
    from twibench.tui.widgets.run_panel import RunPanel
    from twibench.workbench.workspace import CollectionEntry


class MainScreen(PaneScreen):
    """Tree on the left; profile, request line, editor and response on the right (sizes: `PaneScreen`)."""

    BINDINGS: ClassVar[list[BindingType]] = MAIN_KEYS

    def __init__(self, session: Session, *, show_timings: bool = True) -> None:
        super().__init__()
        self.session = session
        self.show_timings = show_timings
        self.current: RequestEntry | None = None

    def compose(self) -> ComposeResult:
        """The layout (see app.tcss: the screen lays the tree and the workbench out side by side)."""
        yield CollectionTree(id="tree")
        with Column(id="workbench"):
            yield ProfileBar(self.session.profiles, self.session.active, id="profile-bar")
            first = self.session.workspace.start()
            if first is None:
                yield UrlBar(id="url-bar")
            else:
                yield UrlBar(first.request.method, first.request.url, id="url-bar")
            yield RequestEditor(id="request-editor")
            with Row(id="response-row"):
                yield ResponseView(id="response")
                yield SideSlot(
                    self.session.history,
                    self.session.inbox_service,
                    show_timings=self.show_timings,
                    id="history-slot",
                )
        yield KeyFooter()

    async def on_mount(self) -> None:
        """Show the collections and open the first request, with the tree focused."""
        tree = self.query_one(CollectionTree)
        tree.load(self.session.workspace)
        first = self.session.workspace.start()
        tree.focus()
        if first is not None:
            tree.select_entry(first)
            await self.open_entry(first)
        self.call_after_refresh(self.side.prepare)

    # --- showing a request ----------------------------------------------------------------------

    async def open_entry(self, entry: RequestEntry) -> None:
        """Show a request in the request line and the editor, and its own last response (or "not sent yet")."""
        self.current = self.query_one(CollectionTree).opened = entry
        self.show_live()
        request = entry.request
        self.query_one(UrlBar).show(request.method, request.url)
        self.refresh_preview()
        editor = self.query_one(RequestEditor)
        editor.border_subtitle = f"{entry.owner.name} › {request.name}"
        await editor.show(entry)

    def refresh_preview(self) -> None:
        """Recompute the resolved-URL preview and the variable highlighting."""
        entry = self.current
        if entry is None:
            return
        values = self.session.values(entry)
        self.query_one(UrlBar).set_preview(url_preview(entry, self.session.profile, values)[0], known=set(values))

    def entry_changed(self, entry: RequestEntry) -> None:
        """An edit happened: update the tree marker, and the tab counts and preview if it is open."""
        self.query_one(CollectionTree).refresh_entry(entry)
        if entry is self.current:
            self.query_one(RequestEditor).update_counts(entry)
            self.refresh_preview()

    def go_to(self, entry: RequestEntry) -> None:
        """Select a request in the tree (which opens it) and focus the tree."""
        tree = self.query_one(CollectionTree)
        tree.select_entry(entry)
        tree.focus()

    def show_live(self) -> None:
        """The open request's last answer (a recorded exchange, history or a run result, gives way to it)."""
        self.query_one(ResponseView).show_live(self.session, self.current, show_timings=self.show_timings)

    # --- messages up ------------------------------------------------------------------------------

    @on(CollectionTree.RequestOpened)
    async def _opened(self, event: CollectionTree.RequestOpened) -> None:
        if event.entry is not self.current:
            await self.open_entry(event.entry)

    @on(UrlBar.MethodChanged)
    @on(UrlBar.UrlChanged)
    def _line_edited(self, event: UrlBar.MethodChanged | UrlBar.UrlChanged) -> None:
        entry = self.current
        name, value = ("method", event.method) if isinstance(event, UrlBar.MethodChanged) else ("url", event.url)
        if entry is not None and getattr(entry.request, name) != value:
            setattr(entry.edit(name), name, value)
            self.entry_changed(entry)

    @on(RequestEditor.Edited)
    def _edited(self, event: RequestEditor.Edited) -> None:
        self.entry_changed(event.entry)
        if event.problem:
            self.query_one(ResponseView).problem(event.problem)

    @on(UrlInput.Pasted)
    async def _pasted(self, event: UrlInput.Pasted) -> None:
        await self.apply(paste.paste_url(self.session, self.current, event.text))

    @on(UrlInput.CurlPasted)
    def _curl_pasted(self, event: UrlInput.CurlPasted) -> None:
        self.flow(paste.paste_curl(self.session, self.current, event.text), group="curl-paste")

    @on(UrlBar.SendPressed)
    def _send_pressed(self) -> None:
        self.action_send()

    @on(ProfileBar.Switched)
    def _switched(self, event: ProfileBar.Switched) -> None:
        self.action_switch_profile(event.name)

    @on(ProfileBar.EditRequested)
    def _edit_profile(self) -> None:
        self.action_edit_profile(None)

    @on(ResponseView.Answered)
    def _answered(self) -> None:
        self.refresh_preview()

    async def on_run_panel_ended(self, event: RunPanel.Ended) -> None:
        """A run ended: its captures may show in the URL preview."""
        if event.outcome is not None:
            await self.apply(event.outcome)
        self.refresh_preview()

    def on_body_viewer_open_uri(self, event: BodyViewer.OpenUri) -> None:
        """enter on a `uri` line, or `]`: open that path as a new GET request in "Opened links", and send it."""
        entry = self.session.workspace.open_uri(event.uri)
        self.query_one(CollectionTree).follow(outcome.Outcome(added=entry), self.session.workspace, self.current)

        async def open_and_send() -> None:
            await self.open_entry(entry)
            self.action_send()

        self.run_worker(open_and_send(), group="open", exit_on_error=False)

    def on_history_list_action_requested(self, event: HistoryList.ActionRequested) -> None:
        """A key on a history entry: re-send, edit, save, delete, clear (the pane shows one itself)."""
        self.action_history(event.action, event.entry.id, event.base)

    def on_history_pane_entry_read(self, event: HistoryPane.EntryRead) -> None:
        """Show a history entry read-only in the response area."""
        if event.entry is None:
            self.notify(f"History entry {event.entry_id} is gone (deleted or pruned).", severity="warning")
        else:
            self.query_one(ResponseView).show_recorded(event.entry, self.session, show_timings=self.show_timings)

    def on_run_panel_result_chosen(self, event: RunPanel.ResultChosen) -> None:
        """enter on a run result: show its exchange, marked as a run result."""
        result = event.result
        if result.exchange is None:
            self.notify(result.reasons[0] if result.reasons else "This request was not sent.", title="Not sent")
        else:
            response = self.query_one(ResponseView)
            response.show_run_result(result, event.panel.run_id, self.session, show_timings=self.show_timings)

    # --- flows ------------------------------------------------------------------------------------

    def flow(self, flow: Awaitable[Outcome] | Outcome, *, group: str = "dialog") -> None:
        """Run a flow as a worker and apply its outcome (a TwibenchError becomes a notification)."""

        async def run() -> None:
            await self.apply(flow if isinstance(flow, outcome.Outcome) else await flow)

        self.run_worker(run(), group=group, exit_on_error=False)

    async def apply(self, outcome: Outcome) -> None:
        """Show what a flow changed (see `Outcome` for the order)."""
        self.query_one(CollectionTree).follow(outcome, self.session.workspace, self.current)
        if outcome.removed is not None and self.current is outcome.removed:
            self.current = None
        if outcome.reopen is not None and outcome.reopen is self.current:
            await self.open_entry(outcome.reopen)
        if outcome.changed is not None:
            self.entry_changed(outcome.changed)
        if outcome.go_to is not None:
            self.go_to(outcome.go_to)
        if outcome.profile is not None:
            self.action_switch_profile(outcome.profile)
            self.query_one(ProfileBar).show(self.session.profiles, self.session.active)  # added or renamed
        if outcome.profile is not None or outcome.preview:
            self.refresh_preview()
        self._apply_history(outcome)
        if outcome.clipboard is not None:
            self.app.copy_to_clipboard(outcome.clipboard)
        if outcome.focus_url:
            self.query_one(UrlBar).focus_url()
        for note in outcome.notes:
            self.notify(note.text, title=note.title, severity=note.severity, timeout=note.timeout, markup=note.markup)
        if outcome.send is not None:
            self.send_entry(*outcome.send)
        if outcome.error is not None:
            self.notify(outcome.error, severity="error", title="Not done")
        if outcome.quit:
            self.app.exit()

    def _apply_history(self, outcome: Outcome) -> None:
        self.side.follow(outcome)
        removed, banner = outcome.history_removed, self.query_one(ResponseView).banner or ""
        if outcome.history_cleared or (removed is not None and f"entry {removed} " in banner):
            self.show_live()

    # --- sending ----------------------------------------------------------------------------------

    def action_send(self) -> None:
        """Send the open request; focus stays where it is."""
        if self.current is None:
            self.notify("Choose a request in the tree first.")
        else:
            self.send_entry(self.current)

    def send_entry(self, entry: RequestEntry, profile: Profile | None = None) -> None:
        """Send `entry` with `profile` (default: the active one); the response view shows the answer."""
        self.query_one(ResponseView).send(self.session, entry, profile, show_timings=self.show_timings)

    def action_cancel(self) -> None:
        """Cancel the request in flight, else stop the run, else show every pane; otherwise go to the tree."""
        if not self.query_one(ResponseView).cancel_send() and not self.action_stop_run() and not self.restore_panes():
            self.query_one(CollectionTree).focus()

    # --- actions (keys and palette) ---------------------------------------------------------------

    def action_focus_url(self) -> None:
        """Cursor at the end of the URL, nothing selected."""
        self.query_one(UrlBar).focus_url()

    def action_method(self) -> None:
        """Open the method list."""
        self.query_one(UrlBar).open_methods()

    def action_save(self) -> None:
        """Save the open request into its file."""
        if self.current is not None:
            self.flow(requests.save(self.app, self.session, self.current, self.current))

    def action_new_request(self) -> None:
        """Ask for a new request's name and collection (default: the one under the cursor)."""
        under_cursor = self.query_one(CollectionTree).current_collection
        self.flow(requests.new_request(self.app, self.session.workspace, under_cursor, self.current))

    def action_duplicate(self) -> None:
        """Copy the open request (with its edits) just below it."""
        if self.current is not None:
            self.flow(requests.duplicate(self.session.workspace, self.current))

    def action_rename(self) -> None:
        """Ask for a new name for the open request."""
        if self.current is not None:
            self.flow(requests.rename(self.app, self.session.workspace, self.current))

    def action_delete(self) -> None:
        """Delete the open request, from its file too, after asking."""
        if self.current is not None:
            self.flow(requests.delete(self.app, self.session.workspace, self.current, self.current))

    def action_revert(self) -> None:
        """Drop the open request's unsaved edits (after asking)."""
        if self.current is not None:
            self.flow(requests.revert(self.app, self.current))

    def action_new_collection(self, folder: str) -> None:
        """Ask for a name and create a collection file in `folder`."""
        self.flow(requests.new_collection(self.app, self.session.workspace, Path(folder)))

    def action_quit_workbench(self) -> None:
        """Quit, asking first when requests have unsaved edits."""
        self.flow(requests.quit_app(self.app, self.session.workspace))

    def action_save_body(self) -> None:
        """Write the last response body to a file (secrets masked)."""
        self.flow(profiles.save_body(self.app, self.session, self.query_one(ResponseView).shown_exchange))

    def action_export(self, key: str, verb: exports.Verb) -> None:
        """Copy, show or save the open request as a snippet (`curl`, `twilio-cli`, `python`)."""
        self.flow(exports.export(self.app, self.session, self.current, key, verb), group="export")

    def action_switch_profile(self, name: str) -> None:
        """Make `name` the active profile and show it."""
        if self.query_one(ProfileBar).switch(self.session, name):
            self.refresh_preview()

    def action_edit_profile(self, name: str | None) -> None:
        """Open the profile dialog (add a profile when `name` is None)."""
        editing = self.session.profiles.profiles.get(name) if name is not None else None
        self.flow(profiles.edit_profile(self.app, self.session, editing))

    def action_run_collection(self) -> None:
        """Run the collection of the selected request in the run panel (see `twibench.tui.flows.run`)."""
        self.side.panel.run_panel.run(self.session, self.run_target(), partial(self.side.open, "run"))

    def run_target(self) -> CollectionEntry | None:
        """The collection to run: the one under the tree cursor, else the open request's."""
        owner = self.query_one(CollectionTree).current_collection
        if owner is None and self.current is not None:
            owner = self.current.owner
        return owner

    def action_stop_run(self) -> bool:
        """escape: stop the run; False when there is none."""
        panel = self.side.mounted_panel
        return panel is not None and panel.run_panel.stop()

    def action_focus_history(self) -> None:
        """f2: open the history and put the cursor in it; from inside the history, close it."""
        if self.side.toggle_history():
            self.query_one(CollectionTree).focus()
            self.show_live()

    def action_history(self, action: EntryAction, entry_id: int, base: int | None = None) -> None:
        """Re-send, edit, save, delete, compare (with `base`) a history entry, or clear the history."""
        self.flow(history.act(self.app, self.session, action, entry_id, base))

    def action_variables(self) -> None:
        """Show the variables the open request sees; edits apply to later sends and runs."""
        self.flow(profiles.variables(self.app, self.session, self.current))

    async def action_response(self, name: str) -> None:
        """The response area's palette commands (`diff_previous`, `fetch_all_pages`, `body('filter')`, …)."""
        await self.query_one(ResponseView).run_action(name)

    def action_go_to_palette(self) -> None:
        """The palette with only the requests."""
        self.app.push_screen(commands.requests_palette())

    def palette_state(self) -> PaletteState:
        """What the palette's workbench commands depend on now (each runs one of this screen's actions)."""
        panel = self.side.mounted_panel
        return commands.PaletteState(
            session=self.session,
            run_target=self.run_target(),
            running=panel is not None and panel.run_panel.running,
            history_entry=panel.history.history_list.current if panel is not None else None,
            new_collection_folder=requests.new_collection_folder(self.session.workspace, self.current),
            maximized=self.maximized is not None,
            shown=self.query_one(ResponseView).shown_exchange,
        )

    @on(Worker.StateChanged)
    def _worker_state(self, event: Worker.StateChanged) -> None:
        """Any worker of this screen that fails (a flow, a run) says why in one notification."""
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            message = str(error) if isinstance(error, TwibenchError) else f"unexpected error: {error!r}"
            self.notify(message, severity="error", title="Not done")
