"""The response tabs: Body, Headers, the Request as sent, and Timing (mounted after the first frame).

The Body tab is the BodyViewer (Line API, searchable, opens `uri` lines). The Request tab shows the
request exactly as it went out, redacted: the Authorization header reads `Basic AC01…cdef:••••`.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import parse_qsl

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static, TabbedContent, TabPane

from twibench.exchange import Exchange
from twibench.redact import Redactor
from twibench.textsafe import block, line
from twibench.tui.widgets.body import BodyViewer
from twibench.tui.widgets.status_line import human_size

PHASES = (
    ("connect", "TCP connect"),
    ("tls", "TLS handshake"),
    ("send", "sending the request"),
    ("wait", "waiting for the first byte"),
    ("receive", "receiving the body"),
)


def headers_table(headers: list[tuple[str, str]]) -> Table | Text:
    """Headers as a two-column table (repeated headers stay on their own rows)."""
    if not headers:
        return Text("No headers.", style="dim")
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for name, value in headers:
        table.add_row(Text(line(name)), Text(line(value)))
    return table


def request_text(exchange: Exchange, redactor: Redactor) -> Text:
    """The request as sent, with every secret masked."""
    sent = exchange.request
    text = Text()
    text.append(f"{sent.method} ", style="bold")
    text.append(line(redactor.text(sent.url)) + "\n\n")
    for name, value in redactor.headers(sent.headers):
        text.append(f"{line(name)}: ", style="bold")
        text.append(line(value) + "\n")
    if sent.body:
        body = block(redactor.body(sent.body).decode("utf-8", errors="replace"))
        text.append("\n")
        text.append(body + "\n")
        content_type = next((v for k, v in sent.headers if k.lower() == "content-type"), "")
        if content_type.startswith("application/x-www-form-urlencoded"):
            text.append("\nForm fields (decoded):\n", style="dim")
            for name, value in parse_qsl(body, keep_blank_values=True):
                text.append(f"  {line(name)} = ", style="bold")
                text.append(f"{line(value)}\n")
    return text


def timing_text(exchange: Exchange, *, show_timings: bool = True) -> Text:
    """Total time and the phases httpx reported, as bars."""
    if not show_timings:
        return Text("Timings are hidden in this mode (— ms).", style="dim")
    timings = exchange.timings
    text = Text()
    text.append(f"Total {timings.total_ms:.1f} ms\n\n", style="bold")
    longest = max(timings.phases.values(), default=0.0) or 1.0
    for key, label in PHASES:
        if key not in timings.phases:
            continue
        ms = timings.phases[key]
        bar = "█" * max(1, round(30 * ms / longest))
        text.append(f"{label:<28}", style="bold")
        text.append(f"{ms:>9.1f} ms  ")
        text.append(bar + "\n", style="cyan")
    if not timings.phases:
        text.append("No phase timings (the connection was reused or the transport gives none).", style="dim")
    return text


class ResponseTabs(Vertical):
    """Body, Headers, Request and Timing (mounted by ResponseView after the first frame)."""

    # Its rules live here, not in app.tcss: parsed when the tabs first mount, after the first frame.
    DEFAULT_CSS = """
    ResponseTabs, #response-tabs, #body-viewer {
        height: 1fr;
    }
    #response-tabs TabPane {
        padding: 0 0;
        height: 1fr;
    }
    #response-headers, #sent-request, #timing {
        padding: 0 1;
    }
    #twiml-verdict {
        height: auto;
        max-height: 8;
        padding: 0 1;
        background: $boost;
    }
    """

    def compose(self) -> ComposeResult:
        """The four tabs."""
        with TabbedContent(id="response-tabs"):
            with TabPane("Body", id="tab-response-body"):
                twiml = Static("", id="twiml-verdict", markup=False)
                twiml.display = False
                yield twiml
                yield BodyViewer(id="body-viewer")
            with TabPane("Headers", id="tab-response-headers"), VerticalScroll():
                yield Static("", id="response-headers")
            with TabPane("Request", id="tab-response-request"), VerticalScroll():
                yield Static("", id="sent-request", markup=False)
            with TabPane("Timing", id="tab-response-timing"), VerticalScroll():
                yield Static("", id="timing", markup=False)

    def show(self, exchange: Exchange, redactor: Redactor, secrets: Sequence[str], show_timings: bool) -> None:
        """Show an exchange in every tab."""
        viewer = self.query_one(BodyViewer)
        response = exchange.response
        self._show_twiml(response.body if response is not None else b"", response.content_type if response else None)
        if response is None:
            viewer.clear()
            self.query_one("#response-headers", Static).update(Text("No response.", style="dim"))
        else:
            viewer.load(Redactor(secrets=secrets).mask_values(response.body), response.content_type)
            headers = headers_table(response.headers)
            self.query_one("#response-headers", Static).update(headers)
        tabs = self.query_one(TabbedContent)
        size = f"Body ({human_size(len(response.body))})" if response is not None else "Body"
        tabs.get_tab("tab-response-body").label = size
        self.query_one("#sent-request", Static).update(request_text(exchange, redactor))
        self.query_one("#timing", Static).update(timing_text(exchange, show_timings=show_timings))

    def _show_twiml(self, body: bytes, content_type: str | None) -> None:
        """Above an XML body rooted at `<Response>`: the TwiML verdict (`twibench twiml check`'s)."""
        from twibench.workbench.twiml_verdict import verdict

        lines = verdict(body, content_type)
        widget = self.query_one("#twiml-verdict", Static)
        widget.display = lines is not None
        if lines is not None:
            style = "green" if " valid " in f" {lines[0]} " and "invalid" not in lines[0] else "bold red"
            text = Text(lines[0], style=style)
            for line in lines[1:]:
                text.append("\n" + line, style="yellow" if "warning" in line else "red")
            widget.update(text)

    def clear(self) -> None:
        """Empty every tab (nothing has been sent yet)."""
        self._show_twiml(b"", None)
        self.query_one(BodyViewer).clear()
        self.query_one(TabbedContent).get_tab("tab-response-body").label = "Body"
        for widget_id in ("#response-headers", "#sent-request", "#timing"):
            self.query_one(widget_id, Static).update("")

    def focus_body(self) -> None:
        """Put the cursor in the body viewer."""
        self.query_one(TabbedContent).active = "tab-response-body"
        self.query_one("#body-viewer").focus()
