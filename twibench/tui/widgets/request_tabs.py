"""The request editor's tabs: Form (or Body), Params, Headers and Docs (mounted after the first frame).

The Docs tab renders the request's description and docs link as Markdown; the Markdown widget (and its
parser) is only imported the first time that tab is opened, so start-up never pays for it.
"""

from __future__ import annotations

import json

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import TabbedContent, TabPane

from twibench.collection import Collection, Request
from twibench.tui.widgets.form_editor import FormEditor
from twibench.tui.widgets.kv_table import KeyValueTable
from twibench.tui.workspace import RequestEntry, Table


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


class RequestTabs(Vertical):
    """The editor's tab set (mounted by RequestEditor after the first frame)."""

    def __init__(self) -> None:
        super().__init__()
        self._docs = ""
        self._docs_shown = ""
        self._auto_tab = "tab-body"
        """The tab last chosen automatically; any other active tab was picked by the user."""

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
        self._docs = docs_markdown(request, entry.owner.collection)
        if tabs.active == "tab-docs":
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

    async def _render_docs(self) -> None:
        if self._docs == self._docs_shown:
            return
        from textual.widgets import Markdown  # lazy: markdown-it is only loaded when docs are read

        scroll = self.query_one("#docs-scroll", VerticalScroll)
        existing = scroll.query(Markdown)
        if existing:
            await existing.first().update(self._docs)
        else:
            await scroll.mount(Markdown(self._docs, id="docs"))
        self._docs_shown = self._docs

    @on(TabbedContent.TabActivated, "#request-tabs")
    async def _tab(self, event: TabbedContent.TabActivated) -> None:
        event.stop()
        if event.pane.id == "tab-docs":
            await self._render_docs()
