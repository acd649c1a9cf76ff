"""The workbench screen: it wires the tree, the request line, the editor and the response together.

Widgets report edits as messages; this screen applies them to the request model (the workspace entry)
and pushes the result back down (tree marker, URL preview). Sending runs in an exclusive worker of
group "send"; every worker outcome is handled in one `Worker.StateChanged` handler. Dialog flows
(saving with conflicts, renaming, profiles…) live in `twibench.tui.flows`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer
from textual.worker import Worker, WorkerState

from twibench import profiles
from twibench.errors import TwibenchError
from twibench.tui.widgets.collection_tree import CollectionTree
from twibench.tui.widgets.profile_bar import ProfileBar
from twibench.tui.widgets.request_editor import RequestEditor
from twibench.tui.widgets.response_view import ResponseView
from twibench.tui.widgets.url_bar import UrlBar, UrlInput
from twibench.workbench.session import Session, url_preview
from twibench.workbench.workspace import TABLES, RequestEntry

if TYPE_CHECKING:
    from twibench.exchange import Exchange
    from twibench.profiles import Profile
    from twibench.tui.app import TwibenchApp
    from twibench.tui.widgets.body_viewer import BodyViewer
    from twibench.tui.widgets.form_editor import FormEditor
    from twibench.tui.widgets.history_list import HistoryList
    from twibench.tui.widgets.kv_table import KeyValueTable
    from twibench.tui.widgets.run_panel import RunPanel


class MainScreen(Screen[None]):
    """Tree on the left; profile, request line, editor and response on the right."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]  # noqa: RUF012 (Screen declares it without ClassVar)
    """From 140 columns the history and run panel is shown beside the response (see app.tcss)."""

    # fmt: off
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+j,alt+enter,f5", "send", "Send", id="send", priority=True,
            tooltip="Send the open request; the focus stays where it is",
        ),
        Binding(
            "escape", "cancel", "Cancel", id="cancel", show=False,
            tooltip="Cancel the request in flight, or stop the collection run; otherwise leave the field for the tree",
        ),
        Binding(
            "ctrl+l", "focus_url", "URL", id="focus_url", priority=True,
            tooltip="Go to the URL, cursor at the end (nothing selected)",
        ),
        Binding("ctrl+t", "method", "Method", id="method", priority=True, tooltip="Choose the HTTP method"),
        Binding(
            "ctrl+s", "save", "Save", id="save", priority=True,
            tooltip="Write the open request into its collection file (the rest of the file is kept)",
        ),
        Binding(
            "ctrl+n", "new_request", "New", id="new_request", priority=True,
            tooltip="Add a new request to the collection under the cursor",
        ),
        Binding(
            "ctrl+r", "run_collection", "Run collection", id="run_collection", show=False, priority=True,
            tooltip="Run the selected collection in order, with its checks; escape stops it",
        ),
        Binding(
            "f2", "focus_history", "History", id="focus_history", show=False,
            tooltip="Open the request history and go to it; from the history, close it",
        ),
        Binding(
            "f3", "variables", "Variables", id="variables", show=False,
            tooltip="See and edit the variables and captured values of this session",
        ),
    ]
    # fmt: on

    def __init__(self, session: Session, *, show_timings: bool = True) -> None:
        super().__init__()
        self.session = session
        self.show_timings = show_timings
        self.current: RequestEntry | None = None
        self._send_worker: Worker[Exchange] | None = None

    @property
    def twibench(self) -> TwibenchApp:
        """The app, typed."""
        from twibench.tui.app import TwibenchApp

        assert isinstance(self.app, TwibenchApp)
        return self.app

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
                    # History and runs (twibench.tui.history_flows mounts them after the first frame).
                    yield Vertical(id="history-slot")
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
        self.call_after_refresh(self._attach_side)

    def _attach_side(self) -> None:
        from twibench.tui import history_flows

        history_flows.attach(self)

    # --- showing a request ----------------------------------------------------------------------

    async def open_entry(self, entry: RequestEntry) -> None:
        """Show a request in the request line and the editor (the response goes back to live)."""
        from twibench.tui import history_flows

        history_flows.leave(self)
        self.current = entry
        request = entry.request
        self.query_one(UrlBar).show(request.method, request.url)
        self.refresh_preview()
        self.query_one("#request-editor").border_subtitle = f"{entry.owner.name} › {request.name}"
        await self.query_one(RequestEditor).show(entry)

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

    @on(CollectionTree.RequestOpened)
    async def _opened(self, event: CollectionTree.RequestOpened) -> None:
        if event.entry is not self.current:
            await self.open_entry(event.entry)

    # --- edits (messages up) -------------------------------------------------------------------

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
        kind = event.table.kind
        entry = event.owner
        if isinstance(entry, RequestEntry) and kind in TABLES:
            entry.set_table(kind, event.rows)
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
        from twibench.workbench.paste import split_pasted_url
        from twibench.workbench.workspace import Row

        entry = self.current
        pasted = split_pasted_url(event.text, self.session.profile)
        if entry is None or pasted is None:
            return
        entry.edit().url = pasted.url
        if pasted.params:
            entry.set_table("params", [*entry.table("params"), *(Row(k, v) for k, v in pasted.params)])
        await self.open_entry(entry)
        self.entry_changed(entry)
        self.query_one(UrlBar).focus_url()
        if pasted.note:
            self.notify(pasted.note)

    @on(UrlInput.CurlPasted)
    def _curl_pasted(self, event: UrlInput.CurlPasted) -> None:
        from twibench.tui import curl_paste

        curl_paste.paste(self, event.text)

    @on(UrlBar.SendPressed)
    def _send_pressed(self) -> None:
        self.action_send()

    @on(ProfileBar.Switched)
    def _switched(self, event: ProfileBar.Switched) -> None:
        self.switch_profile(event.name)

    @on(ProfileBar.EditRequested)
    def _edit_profile(self) -> None:
        from twibench.tui import flows

        flows.edit_profile(self, None)

    def on_body_viewer_open_uri(self, event: BodyViewer.OpenUri) -> None:
        """enter on a `uri` line, or `]`: open that path as a new request and send it."""
        self.open_uri(event.uri)

    def on_history_list_action_requested(self, event: HistoryList.ActionRequested) -> None:
        """A key on a history entry: show, re-send, edit, save, delete, clear."""
        from twibench.tui import history_flows

        history_flows.act(self, event.action, event.entry)

    def on_run_panel_result_chosen(self, event: RunPanel.ResultChosen) -> None:
        """enter on a run result: show its exchange."""
        from twibench.tui import run_flows

        run_flows.show_result(self, event.panel, event.result)

    # --- commands --------------------------------------------------------------------------------

    def switch_profile(self, name: str) -> None:
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

    def show_profiles(self) -> None:
        """Redraw the profile selector (after a profile was added or edited)."""
        self.query_one(ProfileBar).show(self.session.profiles, self.session.active)
        self.refresh_preview()

    def open_uri(self, uri: str) -> None:
        """Open a path from a response as a new GET request in "Opened links", and send it."""
        entry = self.session.workspace.open_uri(uri)
        tree = self.query_one(CollectionTree)
        tree.add_entry(entry)
        tree.select_entry(entry)
        self.run_worker(self._open_and_send(entry), group="open", exit_on_error=False)

    async def _open_and_send(self, entry: RequestEntry) -> None:
        await self.open_entry(entry)
        self.action_send()

    def go_to(self, entry: RequestEntry) -> None:
        """Select a request in the tree (which opens it) and focus the tree."""
        tree = self.query_one(CollectionTree)
        tree.select_entry(entry)
        tree.focus()

    def add_entry(self, entry: RequestEntry) -> None:
        """Show a new request in the tree and open it."""
        tree = self.query_one(CollectionTree)
        tree.add_entry(entry)
        tree.select_entry(entry)

    def reload_tree(self) -> None:
        """Rebuild the tree (after a reload or a new collection file) and keep the current request."""
        tree = self.query_one(CollectionTree)
        tree.load(self.session.workspace)
        if self.current is not None:
            tree.select_entry(self.current)

    # --- actions (keys) -------------------------------------------------------------------------

    def action_send(self) -> None:
        """Send the open request; focus stays where it is."""
        entry = self.current
        if entry is None:
            self.notify("Choose a request in the tree first.")
            return
        self.send_entry(entry)

    def send_entry(self, entry: RequestEntry, profile: Profile | None = None) -> None:
        """Send `entry` with `profile` (default: the active one) in the exclusive "send" worker."""
        from twibench.tui import history_flows

        history_flows.leave(self)
        request = entry.request
        self.query_one(ResponseView).busy(f"{request.method} {request.url}")
        self._send_worker = self.run_worker(
            self._send(entry, profile), name="send", group="send", exclusive=True, exit_on_error=False
        )

    async def _send(self, entry: RequestEntry, profile: Profile | None = None) -> Exchange:
        profile = profile or self.session.profile
        if profiles.needs_prompt(profile):
            from twibench.tui.dialogs.prompts import SecretPrompt  # dialogs load when first needed

            secret = await self.app.push_screen_wait(SecretPrompt(profile.name, profile.kind_label, profile.masked_sid))
            if not secret:
                raise TwibenchError(f"no secret was entered for profile '{profile.name}'; nothing was sent")
            profiles.remember_prompted_secret(profile, secret)
        return await self.session.send(entry, profile)

    def action_cancel(self) -> None:
        """Cancel the request in flight, else stop the collection run; otherwise leave the field for the tree."""
        from twibench.tui import run_flows

        worker = self._send_worker
        if worker is not None and worker.state in (WorkerState.PENDING, WorkerState.RUNNING):
            worker.cancel()
            return
        if run_flows.stop(self):
            return
        self.query_one(CollectionTree).focus()

    def action_focus_url(self) -> None:
        """Cursor at the end of the URL, nothing selected."""
        self.query_one(UrlBar).focus_url()

    def action_method(self) -> None:
        """Open the method list."""
        self.query_one(UrlBar).open_methods()

    def action_save(self) -> None:
        """Save the open request into its file."""
        from twibench.tui import flows

        if self.current is not None:
            flows.save(self, self.current)

    def action_new_request(self) -> None:
        """A new request in the collection under the cursor, just below the open one."""
        workspace = self.session.workspace
        owner = self.query_one(CollectionTree).current_collection
        if owner is None or owner.scratch:
            owner = workspace.collections[0] if workspace.collections else None
        if owner is None:
            self.notify("Open or create a collection first (command palette: New collection file).")
            return
        after = self.current if self.current is not None and self.current.owner is owner else None
        entry = workspace.new_request(owner, after)
        self.add_entry(entry)
        self.notify(f"New request in '{owner.name}'; ctrl+s writes it to {owner.path.name}.")

    def action_run_collection(self) -> None:
        """Run the collection of the selected request (twibench.tui.run_flows)."""
        from twibench.tui import run_flows

        run_flows.start(self)

    def action_focus_history(self) -> None:
        """Open the history and go to it; from inside it, close it (twibench.tui.history_flows)."""
        from twibench.tui import history_flows

        history_flows.toggle(self)

    def action_variables(self) -> None:
        """Show the variables the open request sees; edits apply to later sends and runs."""
        from twibench.tui.dialogs.variables import VariablesScreen

        entry = self.current
        collection = entry.owner.collection if entry is not None else None
        title = f"{entry.owner.name} › {entry.request.name}" if entry is not None else "no request open"
        self.app.push_screen(VariablesScreen(self.session, collection, title), lambda _: self.refresh_preview())

    # --- worker outcomes -------------------------------------------------------------------------

    @on(Worker.StateChanged)
    def _worker_state(self, event: Worker.StateChanged) -> None:
        worker, state = event.worker, event.state
        response = self.query_one(ResponseView)
        if worker.group == "send" and worker is not self._send_worker:
            return  # superseded by a newer send (exclusive): the newer one reports
        if state == WorkerState.SUCCESS and worker.group == "send":
            exchange = worker.result
            if exchange is not None:
                captured = self.session.last_captured
                response.show(
                    exchange,
                    self.session.redactor(),
                    secrets=self.session.known_secrets(),
                    show_timings=self.show_timings,
                )
                if captured:
                    names = ", ".join(f"{{{{{name}}}}} = {value}" for name, value in captured)
                    self.notify(f"Captured {names} for the requests that follow.", title="Captured")
                    self.refresh_preview()
        elif state == WorkerState.CANCELLED and worker.group == "send":
            response.cancelled()
        elif state == WorkerState.ERROR:
            error = worker.error
            message = str(error) if isinstance(error, TwibenchError) else f"unexpected error: {error!r}"
            if worker.group == "send":
                response.problem(message)
            else:
                self.notify(message, severity="error", title="Not done")
