"""The request editor's tabs: Form (or Body), Params, Headers and Docs (mounted after the first frame).

The Docs tab renders, as Markdown, the request's description and docs link, its collection's, and —
when the request is an operation of Twilio's API — the operation from Twilio's OpenAPI spec: summary,
description and every parameter (type, required, enum values, description). The same operation gives
the Form and Params tables their key completions (required parameters first). The Markdown widget is
imported the first time the Docs tab is opened, and the specs are read (in a thread, see
`twibench.spec.reference`) the first time the Docs tab or a key field asks for them, so start-up pays
for neither.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, TabbedContent, TabPane

from twibench.collection import Collection, Request
from twibench.errors import TwibenchError
from twibench.spec import reference as api_reference
from twibench.tui.widgets.form_editor import FormEditor
from twibench.tui.widgets.kv_table import KeyValueTable
from twibench.workbench.workspace import RequestEntry, Table

if TYPE_CHECKING:
    from textual.timer import Timer

    from twibench.spec.docs import OperationDoc

Operation = tuple[str, str]
"""A request's (method, URL template): what decides its operation."""

STARTUP_GRACE = 0.3
"""Seconds the start-up Docs tab waits before reading the specs, so the rest of the app is built first."""

FOLLOW_DELAY = 0.25
"""Seconds the Docs tab waits after the last keystroke in the method or URL before looking the operation up
again (typing a URL character by character looks it up once, when the typing pauses)."""


def docs_markdown(request: Request, collection: Collection) -> str:
    """The Docs tab's Markdown: the request's description and docs link, then the collection's."""
    parts = [f"**{request.name}** · `{request.method} {request.url}`"]
    if request.description:
        parts.append(request.description.strip())
    if request.docs:
        parts.append(f"Twilio docs: [{request.docs}]({request.docs})")
    if not request.description and not request.docs:
        parts.append("_This request has no description or docs link; add `description:` or `docs:` to it._")
    parts.append(f"**Collection: {collection.name}**")
    if collection.description:
        parts.append(collection.description.strip())
    if collection.docs:
        parts.append(f"Twilio docs: [{collection.docs}]({collection.docs})")
    if collection.sandbox_only:
        parts.append("**Sandbox only:** these requests are refused with a live profile.")
    return "\n\n".join(parts)


def reference_markdown(request: Request, doc: OperationDoc | None) -> str:
    """The Docs tab's part from Twilio's API spec: the operation and every parameter, or why there is none."""
    if doc is None:
        return (
            f"_`{request.method} {request.url}` is not an operation of Twilio's bundled API specs, so there "
            "is no parameter reference for it._"
        )
    from twibench.spec.docs import operation_markdown

    return operation_markdown(doc)


class RequestTabs(Vertical):
    """The editor's tab set (mounted by RequestEditor after the first frame)."""

    # Its rules live here, not in app.tcss: parsed when the tabs first mount, after the first frame.
    DEFAULT_CSS = """
    RequestTabs {
        height: 1fr;
    }
    RequestTabs TabPane {
        padding: 0 0;
    }
    #docs-scroll {
        height: 1fr;
    }
    #docs {
        margin: 0;
        padding: 0 1;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._docs = ""
        self._docs_shown = ""
        self._auto_tab = "tab-body"
        """The tab last chosen automatically; any other active tab was picked by the user."""
        self._entry: RequestEntry | None = None
        self._operation: Operation | None = None
        """The (method, URL) the reference below was looked up for."""
        self._reference = ""
        """The Docs tab's part from Twilio's API spec ("" until looked up)."""
        self._shown_once = False
        self._follow_timer: Timer | None = None
        """The pending Docs lookup after an edit of the method or URL."""
        self._deferring = False
        """True during start-up's grace, when the Docs tab is shown without the reference (see `show`)."""

    def compose(self) -> ComposeResult:
        """Form (or Body), Params, Headers, Docs."""
        with TabbedContent(id="request-tabs"):
            with TabPane("Form", id="tab-body"):
                yield FormEditor(id="form-editor")
            with TabPane("Params", id="tab-params"):
                yield KeyValueTable("params", "No query parameters: + Add one (e.g. PageSize).", id="params-table")
            with TabPane("Headers", id="tab-headers"):
                yield KeyValueTable(
                    "headers", "No extra headers; Authorization comes from the profile.", id="headers-table"
                )
            with TabPane("Docs", id="tab-docs"):
                yield VerticalScroll(id="docs-scroll")

    async def show(self, entry: RequestEntry) -> None:
        """Show a request's body, params, headers and docs."""
        request = entry.request
        form = self.query_one(FormEditor)
        tabs = self.query_one(TabbedContent)
        if request.json is not None and request.form is None:
            tabs.get_tab("tab-body").label = "Body (JSON)"
            text = entry.body_text
            if text is None:
                text = json.dumps(request.json, indent=2, ensure_ascii=False)
            await form.show_text(text, "json", entry)
        elif request.body is not None and request.form is None:
            tabs.get_tab("tab-body").label = "Body"
            await form.show_text(request.body, "raw", entry)
        else:
            count = sum(1 for r in entry.table("form") if r.enabled)
            tabs.get_tab("tab-body").label = f"Form ({count})" if count else "Form"
            await form.show_form(entry.table("form"), entry)
        await self.query_one("#params-table", KeyValueTable).load(entry.table("params"), entry)
        await self.query_one("#headers-table", KeyValueTable).load(entry.table("headers"), entry)
        self.update_counts(entry)
        # Show what the request carries (body, else params, else docs) until the user picks a tab; a
        # picked tab stays unless it is empty for this request.
        filled = {
            "tab-body": request.form is not None or request.json is not None or request.body is not None,
            "tab-params": bool(entry.table("params")),
            "tab-headers": bool(entry.table("headers")),
            "tab-docs": True,
        }
        picked = tabs.active != self._auto_tab
        if not (picked and filled.get(tabs.active, True)):
            self._auto_tab = next(tab for tab in ("tab-body", "tab-params", "tab-docs") if filled[tab])
            tabs.active = self._auto_tab
        self._entry = entry
        self._docs = docs_markdown(request, entry.owner.collection)
        self._refresh_reference()
        first_show, self._shown_once = not self._shown_once, True
        if tabs.active != "tab-docs":
            return
        if first_show and not api_reference.is_loaded(request.url):
            # Start-up: the editor and the response tabs are still being built, and reading the specs in
            # a thread now would hold them back (~60 ms, measured with bench/tui_startup.py's "complete").
            # Show the request's docs at once and add the reference a moment later.
            self._deferring = True
            await self._render_docs()
            self.run_worker(self._reference_later(), group="api-reference", exit_on_error=False)
            return
        await self._ensure_reference()  # rendered once, with the reference (the first time, ~40 ms later)
        await self._render_docs()

    def update_counts(self, entry: RequestEntry) -> None:
        """Show how many enabled rows each table has in its tab label."""
        tabs = self.query_one(TabbedContent)
        tables: tuple[tuple[Table, str, str], ...] = (
            ("params", "tab-params", "Params"),
            ("headers", "tab-headers", "Headers"),
        )
        for table, tab_id, title in tables:
            count = sum(1 for r in entry.table(table) if r.enabled and r.key)
            tabs.get_tab(tab_id).label = f"{title} ({count})" if count else title
        if self.query_one(FormEditor).kind == "form":
            count = sum(1 for r in entry.table("form") if r.enabled and r.key)
            tabs.get_tab("tab-body").label = f"Form ({count})" if count else "Form"
        if entry is self._entry:
            self._follow_edit(entry)

    def _follow_edit(self, entry: RequestEntry) -> None:
        """The method or URL may have been edited: the Docs tab follows them as typed (debounced)."""
        self._docs = docs_markdown(entry.request, entry.owner.collection)
        if self._wanted() == self._operation and self._docs_text() == self._docs_shown:
            return
        if self._follow_timer is not None:
            self._follow_timer.stop()  # a newer edit restarts the wait (the debounce)
        self._follow_timer = self.set_timer(FOLLOW_DELAY, self._follow_now)

    async def _follow_now(self) -> None:
        self._follow_timer = None
        if self.query_one(TabbedContent).active == "tab-docs":
            await self._ensure_reference()
            await self._render_docs()
        else:
            self._refresh_reference()  # completions follow too, when the specs are read already

    # --- Twilio's API reference ---------------------------------------------------------------------

    def _wanted(self) -> Operation | None:
        entry = self._entry
        return (entry.request.method, entry.request.url) if entry is not None else None

    def _refresh_reference(self) -> None:
        """Follow an edited method or URL, when the specs are read already (a lookup is then quick)."""
        wanted = self._wanted()
        if wanted is None or wanted == self._operation or not api_reference.is_loaded(wanted[1]):
            return
        try:
            self._use_operation(wanted, api_reference.find_loaded(*wanted))
        except TwibenchError as exc:
            self._reference_failed(wanted, exc)

    async def _ensure_reference(self) -> None:
        """Look up the open request's operation, reading the specs in a thread the first time."""
        wanted = self._wanted()
        if wanted is None or wanted == self._operation:
            return
        try:
            doc = await api_reference.find(*wanted)
        except TwibenchError as exc:
            self._reference_failed(wanted, exc)
            return
        if self._wanted() == wanted:  # still the open request (another may have been opened meanwhile)
            self._use_operation(wanted, doc)

    async def _reference_later(self) -> None:
        await asyncio.sleep(STARTUP_GRACE)
        self._deferring = False
        await self._ensure_reference()
        if self.query_one(TabbedContent).active == "tab-docs":
            await self._render_docs()

    def _use_operation(self, wanted: Operation, doc: OperationDoc | None) -> None:
        """Show the operation in the Docs tab and complete the tables' keys with its parameter names."""
        assert self._entry is not None
        self._operation = wanted
        self._reference = reference_markdown(self._entry.request, doc)
        form = api_reference.parameter_names(doc, "form") if doc is not None else []
        query = api_reference.parameter_names(doc, "query") if doc is not None else []
        self.query_one("#form-table", KeyValueTable).set_key_names(form)
        self.query_one("#params-table", KeyValueTable).set_key_names(query)

    def _reference_failed(self, wanted: Operation, error: TwibenchError) -> None:
        self._operation = wanted
        self._reference = f"_Twilio's API reference could not be read: {error}_"

    def _docs_text(self) -> str:
        if self._operation is None or self._operation != self._wanted():
            return self._docs
        return f"{self._docs}\n\n---\n\n{self._reference}"

    async def _render_docs(self) -> None:
        text = self._docs_text()
        if text == self._docs_shown:
            return
        from textual.widgets import Markdown  # lazy: markdown-it is only loaded when docs are read

        scroll = self.query_one("#docs-scroll", VerticalScroll)
        existing = scroll.query(Markdown)
        if existing:
            await existing.first().update(text)
        else:
            await scroll.mount(Markdown(text, id="docs"))
        self._docs_shown = text

    @on(TabbedContent.TabActivated, "#request-tabs")
    async def _tab(self, event: TabbedContent.TabActivated) -> None:
        event.stop()
        if event.pane.id == "tab-docs":
            if not self._deferring:
                await self._ensure_reference()
            await self._render_docs()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """A key field of the Form or Params table wants the operation's parameter names."""
        widget = event.widget
        if isinstance(widget, Input) and widget.has_class("kv-key") and self._wanted() != self._operation:
            self.run_worker(self._ensure_reference(), group="api-reference", exit_on_error=False)
