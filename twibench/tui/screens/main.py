"""The workbench screen: it composes the widgets, routes their messages, and applies what flows return.

Widgets report edits as messages; this screen applies them to the request model (the workspace entry)
and pushes the result back down (tree marker, URL preview). Commands that ask something run the
coroutines of `twibench.tui.flows` as workers and apply their `Outcome`; a TwibenchError from any of
them is shown as one notification (`_worker_state`). The keys are in `twibench.tui.screens.keys`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Iterator
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer
from textual.worker import Worker, WorkerState

from twibench.errors import TwibenchError
from twibench.tui.flows.outcome import Outcome
from twibench.tui.screens.keys import MAIN_KEYS
from twibench.tui.widgets.collection_tree import CollectionTree
from twibench.tui.widgets.profile_bar import ProfileBar
from twibench.tui.widgets.request_editor import RequestEditor
from twibench.tui.widgets.response_view import ResponseView
from twibench.tui.widgets.side_panel import SideSlot
from twibench.tui.widgets.url_bar import UrlBar, UrlInput
from twibench.workbench.session import Session, url_preview
from twibench.workbench.workspace import TABLES, RequestEntry

if TYPE_CHECKING:
    from twibench.history import Entry
    from twibench.profiles import Profile
    from twibench.tui.flows.exports import Verb
    from twibench.tui.widgets.body_viewer import BodyViewer
    from twibench.tui.widgets.form_editor import FormEditor
    from twibench.tui.widgets.history_list import EntryAction, HistoryList
    from twibench.tui.widgets.kv_table import KeyValueTable
    from twibench.tui.widgets.run_panel import RunPanel
    from twibench.workbench.workspace import CollectionEntry


class MainScreen(Screen[None]):
    """Tree on the left; profile, request line, editor and response on the right."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]  # noqa: RUF012 (Screen declares it without ClassVar)
    """From 140 columns the history and run panel is shown beside the response (see app.tcss)."""

    BINDINGS: ClassVar[list[BindingType]] = MAIN_KEYS

    def __init__(self, session: Session, *, show_timings: bool = True) -> None:
        super().__init__()
        self.session = session
        self.show_timings = show_timings
        self.current: RequestEntry | None = None

    def compose(self) -> ComposeResult:
        """The layout (see app.tcss)."""
        with Horizontal(id="main"):
            tree = CollectionTree(id="tree")
            tree.border_title = "Collections"
            yield tree
            with Vertical(id="workbench"):
                yield ProfileBar(self.session.profiles, self.session.active, id="profile-bar")
                first = self.session.workspace.first()
                if first is None:
                    yield UrlBar(id="url-bar")
                else:
                    yield UrlBar(first.request.method, first.request.url, id="url-bar")
                editor = RequestEditor(id="request-editor")
                editor.border_title = "Request"
                yield editor
                with Horizontal(id="response-row"):
                    response = ResponseView(id="response")
                    response.border_title = "Response"
                    yield response
                    # History and runs: the side panel is mounted into the slot after the first frame.
                    yield SideSlot(self.session.history, show_timings=self.show_timings, id="history-slot")
        yield Footer()

    async def on_mount(self) -> None:
        """Show the collections and open the first request, with the tree focused."""
        tree = self.query_one(CollectionTree)
        tree.load(self.session.workspace)
        first = self.session.workspace.first()
        tree.focus()
        if first is not None:
            tree.select_entry(first)
            await self.open_entry(first)
        self.call_after_refresh(lambda: self.side.panel)

    @property
    def side(self) -> SideSlot:
        """The history and run slot."""
        return self.query_one(SideSlot)

    # --- showing a request ----------------------------------------------------------------------

    async def open_entry(self, entry: RequestEntry) -> None:
        """Show a request in the request line and the editor (the response goes back to live)."""
        self.show_live()
        self.current = entry
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
        text, _unknown = url_preview(entry, self.session.profile, values)
        bar = self.query_one(UrlBar)
        bar.set_known(set(values))
        bar.set_preview(text)

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
        """Back to the live answer if a recorded exchange (history or a run result) is shown."""
        self.query_one(ResponseView).show_live(self.session, show_timings=self.show_timings)

    # --- messages up ------------------------------------------------------------------------------

    @on(CollectionTree.RequestOpened)
    async def _opened(self, event: CollectionTree.RequestOpened) -> None:
        if event.entry is not self.current:
            await self.open_entry(event.entry)

    @on(UrlBar.MethodChanged)
    def _method(self, event: UrlBar.MethodChanged) -> None:
        if self.current is not None and self.current.request.method != event.method:
            self.current.edit().method = event.method
            self.entry_changed(self.current)

    @on(UrlBar.UrlChanged)
    def _url(self, event: UrlBar.UrlChanged) -> None:
        if self.current is not None and self.current.request.url != event.url:
            self.current.edit().url = event.url
            self.entry_changed(self.current)

    # The editor's widgets are imported after the first frame, so these handlers go by name.

    def on_key_value_table_changed(self, event: KeyValueTable.Changed) -> None:
        """A form/params/headers table changed: apply it to the request it was showing."""
        entry = event.owner
        if isinstance(entry, RequestEntry) and event.table.kind in TABLES:
            entry.set_table(event.table.kind, event.rows)
            self.entry_changed(entry)

    def on_form_editor_body_edited(self, event: FormEditor.BodyEdited) -> None:
        """The JSON/raw body changed: apply it to the request it was showing."""
        entry = event.owner
        if isinstance(entry, RequestEntry):
            entry.set_body(event.text, event.kind)
            self.entry_changed(entry)
            if entry.body_error:
                self.query_one(ResponseView).problem(f"the JSON body is not valid: {entry.body_error}")

    @on(UrlInput.Pasted)
    async def _pasted(self, event: UrlInput.Pasted) -> None:
        from twibench.tui.flows.paste import paste_url

        await self.apply(paste_url(self.session, self.current, event.text))

    @on(UrlInput.CurlPasted)
    def _curl_pasted(self, event: UrlInput.CurlPasted) -> None:
        from twibench.tui.flows.paste import paste_curl

        self.flow(paste_curl(self.session, self.current, event.text), group="curl-paste")

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

    def on_body_viewer_open_uri(self, event: BodyViewer.OpenUri) -> None:
        """enter on a `uri` line, or `]`: open that path as a new GET request in "Opened links", and send it."""
        entry = self.session.workspace.open_uri(event.uri)
        tree = self.query_one(CollectionTree)
        tree.add_entry(entry)
        tree.select_entry(entry)
        self.run_worker(self._open_and_send(entry), group="open", exit_on_error=False)

    async def _open_and_send(self, entry: RequestEntry) -> None:
        await self.open_entry(entry)
        self.action_send()

    def on_history_list_action_requested(self, event: HistoryList.ActionRequested) -> None:
        """A key on a history entry: show, re-send, edit, save, delete, clear."""
        if event.action == "show":
            self.show_history_entry(event.entry.id)
        else:
            self.action_history(event.action, event.entry.id)

    def on_run_panel_result_chosen(self, event: RunPanel.ResultChosen) -> None:
        """enter on a run result: show its exchange, marked as a run result."""
        from twibench.tui.flows.run import result_banner

        result = event.result
        if result.exchange is None:
            self.notify(result.reasons[0] if result.reasons else "This request was not sent.", title="Not sent")
            return
        session = self.session
        self.query_one(ResponseView).show(
            result.exchange,
            session.redactor(),
            secrets=[*session.known_secrets(), *session.secret_values()],
            show_timings=self.show_timings,
            banner=result_banner(result, event.panel.run_id, show_timings=self.show_timings),
        )

    # --- the history ------------------------------------------------------------------------------

    def show_history_entry(self, entry_id: int) -> None:
        """Read an entry with its bodies (thread worker) and show it read-only in the response area."""
        from twibench.workbench.history_log import banner_text
        from twibench.workbench.replay import StoredRedactor

        def load() -> None:
            found = self.session.history.get(entry_id)
            self.app.call_from_thread(display, found)

        def display(found: Entry | None) -> None:
            panel = self.side.mounted_panel
            current = panel.history.history_list.current if panel is not None else None
            if current is not None and current.id != entry_id:
                return  # the cursor moved on while this one was read
            if found is None:
                self.notify(f"History entry {entry_id} is gone (deleted or pruned).", severity="warning")
                return
            self.query_one(ResponseView).show(
                found.to_exchange(),
                StoredRedactor(secrets=self.session.secret_values()),
                secrets=self.session.known_secrets(),
                show_timings=self.show_timings,
                banner=banner_text(found, show_times=self.show_timings),
            )

        self.run_worker(load, group="history-entry", thread=True, exclusive=True, exit_on_error=False)

    def toggle_history(self) -> None:
        """f2: open the history and put the cursor in it; from inside the history, close it."""
        side = self.side
        panel = side.panel
        if side.is_open and side.holds_focus() and panel.tab == "history":
            side.close()
            self.query_one(CollectionTree).focus()
            self.show_live()
            return
        self.action_open_history()

    # --- flows ------------------------------------------------------------------------------------

    def flow(self, flow: Awaitable[Outcome], *, group: str = "dialog") -> None:
        """Run a flow as a worker and apply its outcome (a TwibenchError becomes a notification)."""

        async def run() -> None:
            await self.apply(await flow)

        self.run_worker(run(), group=group, exit_on_error=False)

    async def apply(self, outcome: Outcome) -> None:
        """Show what a flow changed (see `Outcome` for the order)."""
        tree = self.query_one(CollectionTree)
        if outcome.reload_tree:
            tree.load(self.session.workspace)
            if self.current is not None:
                tree.select_entry(self.current)
        if outcome.refresh_tree:
            tree.refresh_all()
        if outcome.removed is not None:
            tree.remove_entry(outcome.removed)
            if self.current is outcome.removed:
                self.current = None
        if outcome.added is not None:
            tree.add_entry(outcome.added)
            tree.select_entry(outcome.added)
        if outcome.reopen is not None and outcome.reopen is self.current:
            await self.open_entry(outcome.reopen)
        if outcome.changed is not None:
            self.entry_changed(outcome.changed)
        if outcome.go_to is not None:
            self.go_to(outcome.go_to)
        if outcome.profile is not None:
            self.action_switch_profile(outcome.profile)
            self.query_one(ProfileBar).show(self.session.profiles, self.session.active)
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
        panel = self.side.mounted_panel
        if outcome.history_removed is not None:
            if panel is not None:
                panel.history.removed(outcome.history_removed)
            banner = self.query_one(ResponseView).banner
            if banner is not None and f"entry {outcome.history_removed} " in banner:
                self.show_live()
        if outcome.history_cleared:
            if panel is not None:
                panel.history.reload()
            self.show_live()

    # --- sending ----------------------------------------------------------------------------------

    def action_send(self) -> None:
        """Send the open request; focus stays where it is."""
        if self.current is None:
            self.notify("Choose a request in the tree first.")
            return
        self.send_entry(self.current)

    def send_entry(self, entry: RequestEntry, profile: Profile | None = None) -> None:
        """Send `entry` with `profile` (default: the active one); the response view shows the answer."""
        self.query_one(ResponseView).send(self.session, entry, profile, show_timings=self.show_timings)

    def action_cancel(self) -> None:
        """Cancel the request in flight, else stop the collection run; otherwise leave the field for the tree."""
        if not self.query_one(ResponseView).cancel_send() and not self.action_stop_run():
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
        from twibench.tui.flows import requests

        if self.current is not None:
            self.flow(requests.save(self.app, self.session.workspace, self.current, self.current))

    def action_new_request(self) -> None:
        """A new request in the collection under the cursor, just below the open one."""
        from twibench.tui.flows import requests

        under_cursor = self.query_one(CollectionTree).current_collection
        self.flow(self._now(requests.new_request(self.session.workspace, under_cursor, self.current)))

    def action_duplicate(self) -> None:
        """Copy the open request (with its edits) just below it."""
        from twibench.tui.flows import requests

        if self.current is not None:
            self.flow(self._now(requests.duplicate(self.session.workspace, self.current)))

    def action_rename(self) -> None:
        """Ask for a new name for the open request."""
        from twibench.tui.flows import requests

        if self.current is not None:
            self.flow(requests.rename(self.app, self.session.workspace, self.current))

    def action_delete(self) -> None:
        """Delete the open request, from its file too, after asking."""
        from twibench.tui.flows import requests

        if self.current is not None:
            self.flow(requests.delete(self.app, self.session.workspace, self.current, self.current))

    def action_revert(self) -> None:
        """Drop the open request's unsaved edits (after asking)."""
        from twibench.tui.flows import requests

        if self.current is not None:
            self.flow(requests.revert(self.app, self.current))

    def action_new_collection(self, folder: str) -> None:
        """Ask for a name and create a collection file in `folder`."""
        from pathlib import Path

        from twibench.tui.flows import requests

        self.flow(requests.new_collection(self.app, self.session.workspace, Path(folder)))

    def action_quit_workbench(self) -> None:
        """Quit, asking first when requests have unsaved edits."""
        from twibench.tui.flows import requests

        self.flow(requests.quit_app(self.app, self.session.workspace))

    def action_save_body(self) -> None:
        """Write the last response body to a file (secrets masked)."""
        from twibench.tui.flows import profiles

        self.flow(profiles.save_body(self.app, self.session))

    def action_export(self, key: str, verb: Verb) -> None:
        """Copy, show or save the open request as a snippet (`curl`, `twilio-cli`, `python`)."""
        from twibench.tui.flows.exports import export
        from twibench.workbench.snippets import FORMATS

        fmt = next(f for f in FORMATS if f.key == key)
        self.flow(export(self.app, self.session, self.current, fmt, verb), group="export")

    def action_switch_profile(self, name: str) -> None:
        """Make `name` the active profile and show it."""
        if name == self.session.active:
            return
        try:
            profile = self.session.switch(name)
        except TwibenchError as exc:
            self.notify(str(exc), severity="error")
            return
        self.query_one(ProfileBar).show(self.session.profiles, profile.name)
        self.refresh_preview()
        if profile.is_live:
            self.notify(f"Profile '{profile.name}' is LIVE: requests reach a real Twilio account.", title="Live")

    def action_edit_profile(self, name: str | None) -> None:
        """Open the profile dialog (add a profile when `name` is None)."""
        from twibench.tui.flows import profiles

        editing = self.session.profiles.profiles.get(name) if name is not None else None
        self.flow(profiles.edit_profile(self.app, self.session, editing))

    def action_run_collection(self) -> None:
        """Run the collection of the selected request (see `twibench.tui.flows.run`)."""
        from twibench.tui.flows.run import GROUP, run_collection

        owner = self.run_target()
        if owner is None:
            self.notify("Choose a request of the collection to run in the tree first.")
        elif owner.scratch:
            self.notify("Opened links are not a collection file; save a request into a collection to run it.")
        else:
            side = self.side
            run = run_collection(self.app, self.session, owner, side.panel.run_panel, partial(side.open, "run"))
            self.run_worker(self._run(run), name="run", group=GROUP, exclusive=True, exit_on_error=False)

    async def _run(self, run: Awaitable[Outcome]) -> None:
        try:
            await self.apply(await run)
        finally:
            self.refresh_preview()  # the run's captures

    def run_target(self) -> CollectionEntry | None:
        """The collection to run: the one under the tree cursor, else the open request's."""
        owner = self.query_one(CollectionTree).current_collection
        if owner is None and self.current is not None:
            owner = self.current.owner
        return owner

    def running(self) -> bool:
        """True while a run (or its start: prompts, confirmation) is going on."""
        return any(w.group == "run" and w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in self.workers)

    def action_stop_run(self) -> bool:
        """escape: stop the run; False when there is none."""
        stopping = [
            w for w in self.workers if w.group == "run" and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
        ]
        for worker in stopping:
            worker.cancel()
        return bool(stopping)

    def action_focus_history(self) -> None:
        """Open the history and go to it; from inside it, close it."""
        self.toggle_history()

    def action_open_history(self) -> None:
        """Open the history and focus it (never closes it)."""
        panel = self.side.open("history")
        self.call_after_refresh(panel.history.focus_list)

    def action_history(self, action: EntryAction, entry_id: int) -> None:
        """Re-send, edit, save, delete a history entry, or clear the history."""
        from twibench.tui.flows.history import act

        self.flow(act(self.app, self.session, action, entry_id))

    def action_variables(self) -> None:
        """Show the variables the open request sees; edits apply to later sends and runs."""
        from twibench.tui.dialogs.variables import VariablesScreen

        entry = self.current
        collection = entry.owner.collection if entry is not None else None
        title = f"{entry.owner.name} › {entry.request.name}" if entry is not None else "no request open"
        self.app.push_screen(VariablesScreen(self.session, collection, title), lambda _: self.refresh_preview())

    def action_go_to_palette(self) -> None:
        """The palette with only the requests."""
        from textual.command import CommandPalette

        from twibench.tui.commands import RequestsProvider

        self.app.push_screen(CommandPalette(providers=[RequestsProvider], placeholder="Go to request…"))

    def palette_commands(self) -> Iterator[SystemCommand]:
        """The workbench's commands for the palette (each runs one of this screen's actions)."""
        from twibench.tui.commands import PaletteState, workbench_commands
        from twibench.tui.flows.requests import new_collection_folder

        panel = self.side.mounted_panel
        state = PaletteState(
            session=self.session,
            run_target=self.run_target(),
            running=self.running(),
            history_entry=panel.history.history_list.current if panel is not None else None,
            new_collection_folder=new_collection_folder(self.session.workspace, self.current),
        )
        for title, help_text, action in workbench_commands(state):
            yield SystemCommand(title, help_text, partial(self.run_action, action))

    @staticmethod
    async def _now(outcome: Outcome) -> Outcome:
        return outcome

    @on(Worker.StateChanged)
    def _worker_state(self, event: Worker.StateChanged) -> None:
        """Any worker of this screen that fails (a flow, a run) says why in one notification."""
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            message = str(error) if isinstance(error, TwibenchError) else f"unexpected error: {error!r}"
            self.notify(message, severity="error", title="Not done")
