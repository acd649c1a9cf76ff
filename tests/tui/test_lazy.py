"""Start-up loads nothing it does not need for the first frame; the sandbox is pre-warmed right after;
the Docs tab renders Markdown only when opened."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from textual.widgets import Markdown, TabbedContent

from tests.tui.conftest import SIZE, FakeTwilio, build_app, settle
from tests.tui.helpers import click, open_request

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import asyncio, json, sys, time
from pathlib import Path
from twibench.tui.app import TwibenchApp, make_app

HEAVY = (
    "httpx", "markdown_it", "sqlite3", "uvicorn", "starlette", "ruamel.yaml", "twibench.sandbox.server",
    "twibench.tui.widgets.side_panel", "textual.widgets._tabbed_content",
    "rich._emoji_codes",  # ~1.5 ms to load: Rich markup (a str label given to Tree) replaces :emoji: codes
)
seen = {}

class Probe(TwibenchApp):
    def on_ready(self) -> None:
        seen["first_frame"] = sorted(m for m in HEAVY if m in sys.modules)  # then Textual calls TwibenchApp.on_ready

async def main() -> None:
    app = make_app([Path(sys.argv[1])])
    app.__class__ = Probe
    async with app.run_test(size=(120, 35)) as pilot:
        for _ in range(1000):
            if {"twibench.sandbox.server", "twibench.tui.widgets.side_panel"} <= set(sys.modules):
                break
            await pilot.pause(0.01)
        seen["after_prewarm"] = sorted(m for m in HEAVY if m in sys.modules)

asyncio.run(main())
from twibench.sandbox import embedded
embedded.stop()
print(json.dumps(seen))
"""


def test_the_first_frame_needs_no_httpx_markdown_sqlite_sandbox_or_side_panel(home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.yaml").write_text("name: A\nrequests:\n  - name: R\n    id: r\n    url: /2010-04-01/Accounts.json\n")
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(folder)], capture_output=True, text=True, cwd=ROOT, timeout=120, check=True
    )
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["first_frame"] == []
    assert "twibench.sandbox.server" in seen["after_prewarm"]  # the sandbox started right after
    assert "twibench.tui.widgets.side_panel" in seen["after_prewarm"]  # and the side panel was built


async def test_the_docs_tab_renders_the_description_and_link(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Messages", "send-sms")
        tabs = app.screen.query_one("#request-tabs", TabbedContent)
        assert tabs.active == "tab-body"  # the form, since this request has one
        await click(pilot, "#--content-tab-tab-docs")
        await settle(pilot, lambda: bool(app.screen.query(Markdown)))
        assert tabs.active == "tab-docs"
        markdown = app.screen.query_one(Markdown)
        assert markdown.source.startswith(
            "**Send an SMS** · `POST /2010-04-01/Accounts/{{account_sid}}/Messages.json`\n\nCreates a message."
        )
        assert "[https://www.twilio.com/docs/messaging/api/message-resource]" in markdown.source
        await open_request(pilot, app, "Accounts", "fetch")  # the open Docs tab follows the request
        await settle(pilot, lambda: markdown.source.startswith("**Fetch your account**"))
        assert "no description or docs link" in markdown.source
        await open_request(pilot, app, "Messages", "send-sms")  # picked by the user: Docs stays
        assert tabs.active == "tab-docs"
        await click(pilot, "#--content-tab-tab-headers")
        await open_request(pilot, app, "Accounts", "list")  # no headers here: its params show instead
        await settle(pilot, lambda: tabs.active == "tab-params")
        await open_request(pilot, app, "Accounts", "fetch")  # nothing but docs
        await settle(pilot, lambda: tabs.active == "tab-docs")
        await open_request(pilot, app, "Messages", "send-sms")  # chosen automatically: the form now
        await settle(pilot, lambda: tabs.active == "tab-body")
