"""Regenerate the README screenshots from real runs against the deterministic sandbox.

`make screenshots` runs `python scripts/screenshots.py screenshots` (a development tool, not part of the
package). Each picture is the app on the shipped collections at 120×35, driven the way a user would (keys
and clicks), in a throw-away TWIBENCH_HOME with the sandbox in deterministic mode (fixed SIDs and clock)
and times shown as "— ms", so running it twice gives the same files.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.pilot import Pilot

if TYPE_CHECKING:
    from twibench.workbench.workspace import RequestEntry

SIZE = (120, 35)
Step = Callable[[Pilot[Any]], Awaitable[None]]


async def _until(pilot: Pilot[Any], condition: Callable[[], bool], what: str) -> None:
    for _ in range(2000):
        if condition():
            return
        await pilot.pause(0.01)
    raise RuntimeError(f"screenshot: gave up waiting for {what}")


def _status(pilot: Pilot[Any]) -> str:
    from twibench.tui.widgets.status_line import StatusLine

    return pilot.app.screen.query_one(StatusLine).plain


async def _ready(pilot: Pilot[Any]) -> None:
    from textual.widgets import Markdown

    screen = pilot.app.screen
    await _until(pilot, lambda: bool(screen.query("#form-table")) and bool(screen.query("#body-viewer")), "tabs")
    await _until(pilot, lambda: all(md.children for md in screen.query(Markdown)), "the docs")
    await _until(pilot, lambda: all(_has_reference(md.source) for md in screen.query(Markdown)), "the API reference")
    await pilot.pause()


def _has_reference(docs: str) -> bool:
    """True once the Docs tab shows Twilio's API reference (or why there is none) below the request's docs."""
    return "OpenAPI spec" in docs or "is not an operation of Twilio's" in docs


async def _go_to(pilot: Pilot[Any], collection: str, request_id: str) -> None:
    from twibench.tui.app import TwibenchApp

    app = pilot.app
    assert isinstance(app, TwibenchApp)
    entry = next(
        e for e in app.session.workspace.entries() if e.owner.name == collection and e.request.id == request_id
    )
    app.workbench.go_to(entry)
    await _until(pilot, lambda: app.workbench.current is entry, f"{collection} › {request_id}")
    await pilot.pause(0.05)


async def _send(pilot: Pilot[Any]) -> None:
    await pilot.press("ctrl+j")
    await _until(pilot, lambda: _status(pilot)[:3].isdigit(), "the answer")
    await pilot.pause(0.2)  # let the body viewer format the body


async def first_screen(pilot: Pilot[Any]) -> None:
    """The app as `make run` opens it (README step 1): the tree focused on Messages › Send an SMS."""
    await _ready(pilot)
    await _go_to(pilot, "Messages", "send-sms")


async def after_send(pilot: Pilot[Any]) -> None:
    """Messages › Send an SMS, sent: 201 with its documented meaning and the new message."""
    await _ready(pilot)
    await _go_to(pilot, "Messages", "send-sms")
    await _send(pilot)


async def twilio_error(pilot: Pilot[Any]) -> None:
    """The same request with Twilio's magic invalid number in To: error 21211, decoded."""
    from textual.widgets import Input

    await _ready(pilot)
    await _go_to(pilot, "Messages", "send-sms")
    table = pilot.app.screen.query_one("#form-table")
    to_value = next(i for i in table.query(".kv-value").results(Input) if i.value == "{{to}}")
    to_value.focus()
    await pilot.press("ctrl+u", *"+15005550001")
    await _send(pilot)


async def profile_dialog(pilot: Pilot[Any]) -> None:
    """The dialog that adds a credential profile, partly filled in."""
    from textual.widgets import Input

    await _ready(pilot)
    await pilot.click("#profile-edit")
    await _until(pilot, lambda: type(pilot.app.screen).__name__ == "ProfileEditor", "the profile dialog")
    await pilot.press(*"live")
    pilot.app.screen.query_one("#p-account", Input).value = "AC" + "0123456789abcdef" * 2
    pilot.app.screen.query_one("#p-env", Input).value = "TWILIO_AUTH_TOKEN"
    pilot.app.screen.query_one("#p-name", Input).focus()
    await pilot.pause(0.1)


async def help_screen(pilot: Pilot[Any]) -> None:
    """F1 on the collection tree."""
    await _ready(pilot)
    await pilot.press("f1")
    await _until(pilot, lambda: type(pilot.app.screen).__name__ == "HelpScreen", "help")
    await pilot.pause(0.1)


async def _send_and_record(pilot: Pilot[Any]) -> None:
    """Send, wait for a new answer (not the previous one), and for its history entry to be written."""
    from twibench.tui.app import TwibenchApp

    app = pilot.app
    assert isinstance(app, TwibenchApp)
    before = app.session.last_exchange
    await pilot.press("ctrl+j")
    await _until(pilot, lambda: app.session.last_exchange is not before and _status(pilot)[:3].isdigit(), "the answer")
    await app.session.history.drain()


async def history(pilot: Pilot[Any]) -> None:
    """Four sends, then f2: the history beside the response, the first send opened read-only."""
    from twibench.tui.widgets.history_list import HistoryList
    from twibench.tui.widgets.response_view import ResponseView

    await _ready(pilot)
    for collection, request_id in (
        ("Messages", "send-sms"),
        ("Accounts", "fetch"),
        ("Status codes tour", "404-not-found"),
        ("Status codes tour", "429-too-many-requests"),
    ):
        await _go_to(pilot, collection, request_id)
        await _send_and_record(pilot)
    await pilot.press("f2")
    listing = pilot.app.screen.query_one(HistoryList)
    await _until(pilot, lambda: len(listing.entries) == 4, "the history")
    await pilot.press("end")  # the oldest entry: the SMS
    response = pilot.app.screen.query_one(ResponseView)
    await _until(pilot, lambda: "entry 1 " in (response.banner or ""), "the history entry")
    await pilot.pause(0.2)


async def diff_dialog(pilot: Pilot[Any]) -> None:
    """A message before and after delivery: send it, fetch it, then m on the send and d on the fetch."""
    from twibench.tui.widgets.history_list import HistoryList

    await _ready(pilot)
    for request_id in ("send-sms", "fetch"):
        await _go_to(pilot, "Messages", request_id)
        await _send_and_record(pilot)
    await pilot.press("f2")
    listing = pilot.app.screen.query_one(HistoryList)
    await _until(pilot, lambda: len(listing.entries) == 2, "the history")
    await pilot.press("end", "m", "home", "d")  # mark the send (oldest), compare the fetch (newest) with it
    await _until(pilot, lambda: type(pilot.app.screen).__name__ == "DiffScreen", "the comparison")
    await pilot.press("v")  # the volatile lines hold the sandbox's real Date header: hidden, for a repeatable picture
    await pilot.pause(0.2)


async def run_panel(pilot: Pilot[Any]) -> None:
    """ctrl+r on Messages: every request PASS, and the polled fetch's exchange opened from its row."""
    from textual.widgets import OptionList

    from twibench.tui.widgets.response_view import ResponseView
    from twibench.tui.widgets.run_panel import RunPanel

    await _ready(pilot)
    await _go_to(pilot, "Messages", "send-sms")
    await pilot.press("ctrl+r")
    panel = pilot.app.screen.query_one(RunPanel)
    await _until(pilot, lambda: panel.state == "passed", "the run")
    options = panel.query_one(OptionList)
    options.focus()
    options.highlighted = 3  # Fetch a message (polled until delivered)
    await pilot.press("enter")
    response = pilot.app.screen.query_one(ResponseView)
    await _until(pilot, lambda: response.banner is not None, "the run result")
    await pilot.pause(0.2)


async def inbox(pilot: Pilot[Any]) -> None:
    """f4 opens the Inbox; the SMS with `StatusCallback: {{inbox_url}}/status` reports sending → sent →
    delivered, each "signature valid", and the newest entry's signature lab is shown below."""
    from twibench.tui.widgets.inbox_pane import InboxPane

    await _ready(pilot)
    await _go_to(pilot, "Webhooks", "send-sms")
    await pilot.press("f4")
    pane = pilot.app.screen.query_one(InboxPane)
    await _until(pilot, lambda: pane.service is not None and pane.service.started is not None, "the inbox")
    await _send(pilot)
    await _until(pilot, lambda: len(pane.entries) == 3, "three callbacks")
    pane.focus_list()
    await pilot.pause(0.2)


async def call_walk(pilot: Pilot[Any]) -> None:
    """A call runs its TwiML: the sandbox's transcript of what the caller heard, and the call's events."""
    from twibench.tui.widgets.inbox_pane import InboxPane

    await _ready(pilot)
    await pilot.press("f4")
    pane = pilot.app.screen.query_one(InboxPane)
    await _until(pilot, lambda: pane.service is not None and pane.service.started is not None, "the inbox")
    await _go_to(pilot, "Webhooks", "call")
    await _send(pilot)
    await _until(pilot, lambda: len(pane.entries) == 4, "the call's four events")
    await _go_to(pilot, "Webhooks", "transcript")
    for _ in range(50):  # the walk runs when the call is answered, on the sandbox's webhook worker
        await _send(pilot)
        if _status(pilot).startswith("200"):
            break
        await pilot.pause(0.1)
    await pilot.pause(0.2)


TWILIO_DOCS_CURL = """\
curl -X POST "https://api.twilio.com/2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/Messages.json" \\
--data-urlencode "MediaUrl=https://demo.twilio.com/owl.png" \\
--data-urlencode "Body=Hello there!" \\
--data-urlencode "From=+15557122661" \\
--data-urlencode "To=+15558675310" \\
-u $TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN"""
"""Twilio's docs' "Send an MMS" command, as copied from the page."""


def _current_is(pilot: Pilot[Any], test: Callable[[RequestEntry], bool]) -> bool:
    from twibench.tui.app import TwibenchApp

    assert isinstance(pilot.app, TwibenchApp)
    current = pilot.app.workbench.current
    return current is not None and test(current)


async def curl_paste(pilot: Pilot[Any]) -> None:
    """ctrl+n in Messages, then Twilio's multi-line curl pasted into the URL: a new "Create message"."""
    from textual import events

    await _ready(pilot)
    await _go_to(pilot, "Messages", "send-sms")
    from twibench.tui.dialogs.save_to_collection import SaveToCollection

    await pilot.press("ctrl+n")
    await _until(pilot, lambda: isinstance(pilot.app.screen, SaveToCollection), "the new request's dialog")
    await pilot.press("enter")  # the new request's dialog, name left empty: the pasted operation names it
    await _until(pilot, lambda: _current_is(pilot, lambda entry: entry.is_new), "the new request")
    await pilot.press("ctrl+l")
    pilot.app.post_message(events.Paste(TWILIO_DOCS_CURL))  # as a terminal's bracketed paste arrives
    await _until(pilot, lambda: _current_is(pilot, lambda entry: entry.request.method == "POST"), "the pasted request")
    await pilot.pause(0.2)


async def docs_tab(pilot: Pilot[Any]) -> None:
    """Messages › Send an SMS, Docs tab scrolled to the form parameters from Twilio's OpenAPI spec."""
    from textual.widgets import Markdown

    await _ready(pilot)
    await _go_to(pilot, "Messages", "send-sms")
    await pilot.click("#--content-tab-tab-docs")
    screen = pilot.app.screen
    await _until(pilot, lambda: _has_reference(screen.query_one(Markdown).source), "the API reference")
    await _until(pilot, lambda: len(screen.query_one(Markdown).children) > 10, "the rendered docs")
    await pilot.pause(0.1)
    if not screen.query_one(Markdown).goto_anchor("form-parameters"):
        raise RuntimeError("screenshot: the Docs tab has no 'Form parameters' heading")
    await pilot.wait_for_scheduled_animations()
    await pilot.pause(0.1)


async def export_curl(pilot: Pilot[Any]) -> None:
    """Palette › Show as curl on Messages › Send an SMS: the credentials are environment variables."""
    await _ready(pilot)
    await _go_to(pilot, "Messages", "send-sms")
    await pilot.press("ctrl+p")
    await _until(pilot, lambda: type(pilot.app.screen).__name__ == "CommandPalette", "the palette")
    await pilot.press(*"Show as curl")
    await pilot.pause(0.3)
    await pilot.press("enter")
    await _until(pilot, lambda: type(pilot.app.screen).__name__ == "SnippetScreen", "the snippet")
    await pilot.pause(0.2)


async def body_filter(pilot: Pilot[Any]) -> None:
    """Three messages sent, listed, and the list filtered live with a JSONPath (`f` in the body)."""
    from twibench.tui.widgets.body import BodyViewer

    await _ready(pilot)
    await _go_to(pilot, "Messages", "send-sms")
    for _ in range(3):
        await _send(pilot)
    await _go_to(pilot, "Messages", "list")
    await _send(pilot)
    viewer = pilot.app.screen.query_one(BodyViewer)
    viewer.focus()
    await pilot.press("f", *"$.messages[*].sid")
    await _until(pilot, lambda: viewer.filtered and "3 matches" in (viewer.note or ""), "the filter")
    await pilot.pause(0.2)


SHOTS: dict[str, Step] = {
    "first-screen": first_screen,
    "after-send": after_send,
    "twilio-error": twilio_error,
    "profile-dialog": profile_dialog,
    "help": help_screen,
    "history": history,
    "diff": diff_dialog,
    "run": run_panel,
    "curl-paste": curl_paste,
    "docs-tab": docs_tab,
    "export-curl": export_curl,
    "inbox": inbox,
    "call-walk": call_walk,
    "body-filter": body_filter,
}
SIZES: dict[str, tuple[int, int]] = {
    "history": (150, 40), "diff": (150, 40), "run": (150, 40), "docs-tab": (120, 45), "inbox": (150, 40),
    "call-walk": (150, 40),
}  # fmt: skip
"""Pictures of the side panel (opened by their steps: f2, f4, ctrl+r) use a wide terminal, where the
response beside it keeps a readable width; the Docs tab a taller one, where the request editor has room
for a few parameters."""


async def shoot(name: str, step: Step, folder: Path, collections: Path) -> Path:
    """Run one scenario in a fresh app and save its SVG."""
    from twibench.profiles import load_profiles
    from twibench.settings import Settings
    from twibench.tui.app import make_app

    environ = {k: v for k, v in os.environ.items() if not k.startswith("TWILIO_")}
    app = make_app(
        [collections],
        profiles=load_profiles(environ=environ),
        settings=Settings(),
        show_timings=False,
        prewarm=False,
        cursor_blink=False,
    )
    async with app.run_test(size=SIZES.get(name, SIZE)) as pilot:
        await step(pilot)
        await pilot.wait_for_scheduled_animations()  # e.g. the tab underline sliding into place
        await pilot.pause()
        return Path(app.save_screenshot(f"{name}.svg", str(folder)))


def main(argv: list[str]) -> int:
    """Write the screenshots into the folder named by argv[0] (default: screenshots): every one, or those
    named after it (`python scripts/screenshots.py screenshots body-filter`)."""
    from twibench.paths import shipped_collections_dir

    folder = Path(argv[0] if argv else "screenshots").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    collections = shipped_collections_dir()
    if collections is None:
        print("screenshots: no shipped collections found", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as home:
        os.environ["TWIBENCH_HOME"] = home
        os.environ["TWIBENCH_SANDBOX_DETERMINISTIC"] = "1"
        try:
            chosen = argv[1:] or list(SHOTS)
            for name, step in ((n, SHOTS[n]) for n in chosen):
                # A fresh sandbox per picture, so each starts from the same state.
                os.environ["TWIBENCH_HOME"] = str(Path(home) / name)
                path = asyncio.run(shoot(name, step, folder, collections))
                print(path)
        finally:
            from twibench.sandbox import embedded

            embedded.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
