"""The request editor: a light shell that builds its tabs (`RequestTabs`) right after the first frame.

Start-up paints the tree, the profile and the URL first; the tabs and their widgets (tables, form,
Markdown docs) are imported and mounted a moment later, and the open request is shown in them then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.containers import Vertical

from twibench.workbench.workspace import RequestEntry

if TYPE_CHECKING:
    from twibench.tui.widgets.request_tabs import RequestTabs


class RequestEditor(Vertical):
    """Tabs for the body, the query parameters, the headers and the docs of the open request."""

    HELP_TITLE: ClassVar[str] = "Request editor"

    HELP: ClassVar[str] = (
        "Edits the open request. **Form** holds the form fields Twilio expects in a POST body (or "
        "**Body** for a JSON/raw body); **Params** the query string; **Headers** extra headers "
        "(Authorization is added from the profile); **Docs** what the request does, a link to "
        "Twilio's page and, for an operation of Twilio's API, its reference from Twilio's OpenAPI spec "
        "(every parameter: type, required, allowed values). Form and Params keys complete with those "
        "parameter names as you type (**right** accepts). Edits are kept per request until you save "
        "with ctrl+s; the palette's **Revert request** drops them."
    )

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._entry: RequestEntry | None = None
        self._tabs: RequestTabs | None = None

    def on_mount(self) -> None:
        """Build the tabs right after the first frame."""
        self.call_after_refresh(self._build)

    async def _build(self) -> None:
        from twibench.tui.widgets.request_tabs import RequestTabs

        tabs = RequestTabs()
        await self.mount(tabs)
        self._tabs = tabs
        if self._entry is not None:
            await tabs.show(self._entry)

    async def show(self, entry: RequestEntry) -> None:
        """Show a request (in the tabs once they exist)."""
        self._entry = entry
        if self._tabs is not None:
            await self._tabs.show(entry)

    def update_counts(self, entry: RequestEntry) -> None:
        """Refresh the row counts in the tab labels after an edit."""
        if self._tabs is not None:
            self._tabs.update_counts(entry)
