"""The request editor: a light shell that builds its tabs (`RequestTabs`) right after the first frame.

Start-up paints the tree, the profile and the URL first; the tabs and their widgets (tables, form,
Markdown docs) are imported and mounted a moment later, and the open request is shown in them then.
Edits in the tables and the body are applied to the request they were showing, then reported up as
`Edited`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.message import Message
from textual.widget import MountError

from twibench.tui.widgets.blank import BlankContainer
from twibench.workbench.workspace import TABLES, RequestEntry

if TYPE_CHECKING:
    from twibench.tui.widgets.form_editor import FormEditor
    from twibench.tui.widgets.kv_table import KeyValueTable
    from twibench.tui.widgets.request_tabs import RequestTabs


class RequestEditor(Vertical, BlankContainer):
    """Tabs for the body, the query parameters, the headers and the docs of the open request."""

    HELP_TITLE: ClassVar[str] = "Request editor"

    HELP: ClassVar[str] = (
        "Edits the open request. **Form** holds the form fields Twilio expects in a POST body (or "
        "**Body** for a JSON/raw body); **Params** the query string; **Headers** extra headers "
        "(Authorization is added from the profile); **Docs** what the request does, a link to "
        "Twilio's page and, for an operation of Twilio's API, its reference from Twilio's OpenAPI spec "
        "(every parameter: type, required, allowed values). Form and Params keys complete with those "
        "parameter names as you type (**right** accepts). Edits are kept per request until you save "
        "with ctrl+s; the palette's **Revert request** drops them. **ctrl+z** undoes the request's last edit "
        "(URL, method, a row added, deleted, toggled or typed in, the body), **ctrl+y** redoes it "
        "(**ctrl+shift+z** too, in terminals that can tell it from ctrl+z); each request has its own steps."
    )

    class Edited(Message):
        """A request was edited in the tabs (`problem`: why its JSON body does not parse, if it does not)."""

        def __init__(self, entry: RequestEntry, problem: str | None = None) -> None:
            super().__init__()
            self.entry = entry
            self.problem = problem

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Request"
        self._entry: RequestEntry | None = None
        self._tabs: RequestTabs | None = None

    def on_mount(self) -> None:
        """Build the tabs right after the first frame."""
        self.call_after_refresh(self._build)

    async def _build(self) -> None:
        from twibench.tui.widgets.request_tabs import RequestTabs

        if not self.is_attached:  # the app quit before its first refresh (as the response view checks)
            return
        tabs = RequestTabs()
        await self.mount(tabs)
        self._tabs = tabs
        if self._entry is not None:
            await self._fill(tabs, self._entry)

    async def show(self, entry: RequestEntry) -> None:
        """Show a request (in the tabs once they exist)."""
        self._entry = entry
        if self._tabs is not None:
            await self._fill(self._tabs, entry)

    async def _fill(self, tabs: RequestTabs, entry: RequestEntry) -> None:
        """Show `entry` in the tabs. Filling them awaits between steps (rows, params, headers, docs); a quit
        meanwhile (or one right at start, before the tabs were composed: Textual mounts nothing in a closing
        widget) leaves no widget for a step to find, and then there is nothing left to show."""
        try:
            await tabs.show(entry)
        except (NoMatches, MountError):
            if self.is_attached and not (self._closing or self._pruning):
                raise

    def update_counts(self, entry: RequestEntry) -> None:
        """Refresh the row counts in the tab labels after an edit."""
        if self._tabs is not None:
            self._tabs.update_counts(entry)

    # The tabs' widgets are imported after the first frame, so these handlers go by name.

    def on_key_value_table_changed(self, event: KeyValueTable.Changed) -> None:
        """A form/params/headers table changed: apply it to the request it was showing."""
        event.stop()
        entry = event.owner
        if isinstance(entry, RequestEntry) and event.table.kind in TABLES:
            entry.set_table(event.table.kind, event.rows)
            self.post_message(self.Edited(entry))

    def on_form_editor_body_edited(self, event: FormEditor.BodyEdited) -> None:
        """The JSON/raw body changed: apply it to the request it was showing."""
        event.stop()
        entry = event.owner
        if isinstance(entry, RequestEntry):
            entry.set_body(event.text, event.kind)
            problem = f"the JSON body is not valid: {entry.body_error}" if entry.body_error else None
            self.post_message(self.Edited(entry, problem))
