"""The status line: what happened to the last request, in words, coloured by status class.

`201 CREATED — <documented meaning>` with the time, size and Twilio-Request-Id; for a Twilio error body
the decoded `Twilio error 21211 — <title>: <message>` and its more-info link; for a failure before any
answer (refused, DNS, TLS, timeout, an unknown variable) one sentence saying what went wrong.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from twibench.tui.later_css import add_css

if TYPE_CHECKING:
    from twibench.exchange import Exchange

STATUS_CLASSES = ("-info", "-success", "-redirect", "-client_error", "-server_error", "-failed", "-idle", "-busy")

LATER_CSS = """
StatusLine.-busy {
    background: $boost;
}

StatusLine.-info {
    background: $primary-muted;
}

StatusLine.-success {
    background: $success-muted;
}

StatusLine.-redirect {
    background: $secondary-muted;
}

StatusLine.-client_error {
    background: $warning-muted;
}

StatusLine.-server_error, StatusLine.-failed {
    background: $error-muted;
}
"""
"""The status colours but the idle one, as app.tcss rules added with the first of them (`later_css`): the
first frame shows the idle status only."""


def human_size(size: int) -> str:
    """`845 B`, `12.3 KB`, `4.0 MB`."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def exchange_text(exchange: Exchange, *, show_timings: bool = True, owner: str | None = None) -> tuple[Text, str]:
    """The status line for an exchange, and its CSS class.

    Lines: `201 CREATED — meaning`; for a Twilio error body its decoded code, title and message, then its
    more-info link; last the time, size and Twilio-Request-Id.

    Args:
        exchange: what came back.
        show_timings: False shows `— ms` (deterministic screenshots and tests).
        owner: whose answer this is (`Send an SMS · sent 12:00:03`), first on the last line.

    Returns:
        The text (one to three lines) and the class name it is coloured with.
    """
    from twibench import status  # the status tables load with the first answer, not at start-up
    from twibench.textsafe import line as visible

    elapsed = f"{exchange.timings.total_ms:.0f} ms" if show_timings else "— ms"
    if exchange.response is None:
        failure = exchange.error
        kind, message = (failure.kind, failure.message) if failure else ("error", "no response")
        text = Text.assemble((f"No response ({kind})", "bold"), f" — {visible(message)}", (f"   {elapsed}", "dim"))
        return text, "-failed"
    response = exchange.response
    error = exchange.reported_error
    code = error.code if error is not None and response.status >= 400 else None
    text = Text(status.status_line(response.status, code), style="bold")
    if error is not None:
        text.append("\n")
        text.append(status.format_twilio_error(error))
        text.append("\n")
        text.append("More info: ", style="dim")
        more_info = visible(error.more_info)
        linkable = more_info == error.more_info and more_info.startswith(("https://", "http://"))
        text.append(more_info, style=Style(underline=True, link=more_info if linkable else None))
    if exchange.hint:
        text.append("\n")
        text.append(f"Hint: {exchange.hint}", style="italic")
    size = human_size(len(response.body)) + (" (truncated)" if response.truncated else "")
    meta = [*([owner] if owner else []), elapsed, size]
    request_id = exchange.twilio_request_id
    if request_id:
        meta.append(f"Twilio-Request-Id {visible(request_id)}")
    if response.note:
        meta.append(visible(response.note))
    text.append("\n")
    text.append("  ·  ".join(meta), style="dim")
    return text, "-" + status.status_class(response.status)


class StatusLine(Static):
    """One to three lines about the last request; colour follows the status class."""

    HELP_TITLE: ClassVar[str] = "Status line"

    HELP: ClassVar[str] = (
        "What the last request got back. The first line is the status code, its name and what it "
        "means — Twilio's documented meaning for the codes its docs list (200, 201, 204, 302, 304, "
        "401, 404, 405, 429, 500, 503), the standard HTTP meaning otherwise. Then the method and path, "
        "the time taken, the body size and the Twilio-Request-Id (quote it to Twilio support). A Twilio "
        "error body is decoded into its code, title and message, with the link to its docs page."
    )

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, classes="-idle", markup=False)  # its class now: `idle` restyles nothing
        self.plain = ""
        """The text shown, without styles (what a screen reader, or a test, reads)."""
        self.idle()

    def _show(self, text: Text, css_class: str) -> None:
        """Show `text` coloured by `css_class`, restyling only when the class changes (removing every
        class and adding one back restyled twice on every move in the tree, four times before the first
        frame)."""
        self.plain = text.plain
        if css_class != "-idle":  # the first colour after the idle one brings the colours' rules
            add_css(self, LATER_CSS, name="StatusLine.LATER_CSS")
        self.update_classes({**dict.fromkeys(STATUS_CLASSES, False), css_class: True})
        self.update(text)

    def idle(self) -> None:
        """Before the first send."""
        self._show(
            Text.assemble(
                ("No response yet", "bold"), " — press ", ("ctrl+j", "bold"), " or ", ("f5", "bold"), " to send."
            ),
            "-idle",
        )

    def not_sent(self, name: str) -> None:
        """The open request has no answer this session yet."""
        self._show(
            Text.assemble(
                ("Not sent yet", "bold"),
                f" — '{name}' has no response this session; ",
                ("ctrl+j", "bold"),
                " sends it.",
            ),
            "-idle",
        )

    def sending(self, what: str) -> None:
        """While a request is in flight."""
        self._show(Text.assemble(("Sending ", "bold"), what, ("   escape cancels", "dim")), "-busy")

    def cancelled(self) -> None:
        """The user cancelled the request in flight."""
        self._show(Text.assemble(("Cancelled", "bold"), " — the request was abandoned; no answer was read."), "-failed")

    def problem(self, message: str, title: str = "Not sent") -> None:
        """A problem found before sending (unknown variable, missing secret, refused host)."""
        self._show(Text.assemble((title, "bold"), " — ", message), "-failed")

    def exchange(self, exchange: Exchange, *, show_timings: bool = True, owner: str | None = None) -> None:
        """The outcome of a request (`owner`: the request it belongs to and when it was sent)."""
        text, css_class = exchange_text(exchange, show_timings=show_timings, owner=owner)
        self._show(text, css_class)
