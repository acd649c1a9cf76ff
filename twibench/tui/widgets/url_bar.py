"""The request line: method selector, URL input with `{{variable}}` highlighting, Send, and a preview.

The preview under the URL shows the address the request will really go to, with every variable
resolved for the active profile; a variable nothing defines is shown in red and named, before sending.
"""

from __future__ import annotations

from typing import ClassVar

from rich.highlighter import Highlighter
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from twibench import variables
from twibench.collection import METHODS
from twibench.tui.widgets.action_button import ActionButton
from twibench.tui.widgets.blank import BlankContainer, Row
from twibench.tui.widgets.picker import Picker

URL_HINT = "Type a URL, paste a curl command, or pick a request ←"
"""The empty URL field's placeholder: a sentence, so it cannot be mistaken for an address that is there."""


class VariableHighlighter(Highlighter):
    """Colours `{{name}}` references: known ones in the accent colour, unknown ones in red."""

    def __init__(self) -> None:
        super().__init__()
        self.known: set[str] = set()

    def highlight(self, text: Text) -> None:
        """Style each reference in place."""
        for span in variables.references(text.plain):
            style = "bold cyan" if span.name in self.known else "bold red underline"
            text.stylize(style, span.start, span.end)


class UrlInput(Input):
    """The URL field; ctrl+l puts the cursor at its end without selecting the text."""

    class Pasted(Message):
        """A whole `http(s)://` URL was pasted: the screen turns it into a path and parameters."""

        def __init__(self, text: str) -> None:
            self.text = text
            super().__init__()

    class CurlPasted(Message):
        """A curl command was pasted (all its lines): the screen turns it into the open request."""

        def __init__(self, text: str) -> None:
            self.text = text
            super().__init__()

    def _on_paste(self, event: events.Paste) -> None:
        # Runs before Input's own handler, which would keep only the first line of the paste.
        text = event.text.strip()
        message: Message | None = None
        from twibench.workbench.paste import ABSOLUTE_URL  # the paste readers load on the first paste

        if ABSOLUTE_URL.match(text):
            message = self.Pasted(text)
        elif text.lstrip("$ \t").startswith("curl"):
            from twibench.workbench.curl_paste import looks_like_curl  # the curl reader loads on the first paste

            if looks_like_curl(text):
                message = self.CurlPasted(event.text)
        if message is not None:
            event.stop()
            event.prevent_default()
            self.post_message(message)
        # Anything else: Input's handler (next in the MRO) inserts it as usual.

    HELP_TITLE: ClassVar[str] = "URL"

    HELP: ClassVar[str] = (
        "The request URL: a path such as `/2010-04-01/Accounts/{{account_sid}}/Messages.json`, joined "
        "to the active profile's API host, or a full `https://` URL. `{{name}}` inserts a variable "
        "(collection variables, then the profile's). The line below previews the final address; an "
        "unknown variable is shown in red there and stops the request before it is sent. "
        "Pasting a full `https://api.twilio.com/…` URL keeps its path (your Account SID becomes "
        "`{{account_sid}}`) and moves its query string to **Params**. Pasting a curl command (from "
        "Twilio's docs or a browser, several lines with `\\` included) makes the open request send what "
        "it sends: method, URL, form, params, headers; `-u` is never kept (the profile's credentials are "
        "used). "
        "**ctrl+l** comes back here from anywhere, cursor at the end."
    )


class MethodSelect(Picker):
    """The HTTP method."""

    HELP_TITLE: ClassVar[str] = "Method"

    HELP: ClassVar[str] = (
        "The HTTP method. Twilio uses GET to fetch and list, POST to create and update, DELETE to "
        "delete (204 on success). **ctrl+t** opens this list from anywhere."
    )


class UrlBar(Vertical, BlankContainer):
    """Method, URL, Send, and the resolved-URL preview."""

    class MethodChanged(Message):
        """The user picked a method."""

        def __init__(self, method: str) -> None:
            self.method = method
            super().__init__()

    class UrlChanged(Message):
        """The user edited the URL."""

        def __init__(self, url: str) -> None:
            self.url = url
            super().__init__()

    class SendPressed(Message):
        """The Send button was pressed."""

    def __init__(self, method: str = "GET", url: str = "", *, id: str | None = None) -> None:
        """The request line, showing `method` and `url` from the start."""
        super().__init__(id=id)
        self.highlighter = VariableHighlighter()
        self._initial = (method if method in METHODS else "GET", url)

    def compose(self) -> ComposeResult:
        """Method, URL and Send on one line, the preview below."""
        with Row(id="url-line"):
            yield MethodSelect([(m, m) for m in METHODS], id="method", value=self._initial[0])
            yield UrlInput(
                self._initial[1],
                placeholder=URL_HINT,
                id="url",
                highlighter=self.highlighter,
                select_on_focus=False,
                # Input marks the value it is given valid: with the class given too, that restyles nothing
                # before the field is even mounted.
                classes="-valid" if self._initial[1] else None,
            )
            yield ActionButton("Send", id="send", primary=True)
        yield Static("", id="url-preview", markup=False)

    def show(self, method: str, url: str) -> None:
        """Show a request's method and URL (without reporting them back as edits)."""
        with self.prevent(Picker.Changed, Input.Changed):
            method_select = self.query_one(MethodSelect)
            method_select.value = method if method in METHODS else "GET"
            url_input = self.query_one(UrlInput)
            url_input.value = url
            url_input.cursor_position = len(url)

    @property
    def compact(self) -> bool:
        """True when method, URL and Send take one row (short terminals), not three."""
        return self.has_class("-compact")

    @compact.setter
    def compact(self, compact: bool) -> None:
        self.set_class(compact, "-compact")
        self.query_one(MethodSelect).compact = compact
        self.query_one(UrlInput).compact = compact
        self.query_one("#send", ActionButton).compact = compact

    def set_preview(self, preview: Text, *, known: set[str]) -> None:
        """Show the resolved URL (built by the screen from the request, profile and variables) and highlight
        the variable names that are `known` (defined)."""
        self.highlighter.known = known
        self.query_one(UrlInput).refresh()
        self.query_one("#url-preview", Static).update(preview)

    def focus_url(self) -> None:
        """Focus the URL with the cursor at the end and nothing selected."""
        url_input = self.query_one(UrlInput)
        url_input.focus()
        url_input.cursor_position = len(url_input.value)

    def open_methods(self) -> None:
        """Focus the method selector and open its list."""
        self.query_one(MethodSelect).open()

    # A Changed message can arrive after `show()` replaced the value again; only the value the widget
    # holds now is an edit.

    @on(Picker.Changed, "#method")
    def _method(self, event: Picker.Changed) -> None:
        event.stop()
        if event.value == event.picker.value:
            self.post_message(self.MethodChanged(event.value))

    @on(Input.Changed, "#url")
    def _url(self, event: Input.Changed) -> None:
        event.stop()
        if event.value == event.input.value:
            self.post_message(self.UrlChanged(event.value))

    @on(Input.Submitted, "#url")
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.SendPressed())

    @on(ActionButton.Pressed, "#send")
    def _send(self, event: ActionButton.Pressed) -> None:
        event.stop()
        self.post_message(self.SendPressed())
