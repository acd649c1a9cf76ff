"""The Docs tab shows Twilio's API reference for the open request; Form and Params keys complete with it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from textual.widgets import Input, Markdown, TabbedContent

from tests.tui.conftest import SIZE, FakeTwilio, build_app, settle
from tests.tui.helpers import click, open_request
from twibench.tui.app import TwibenchApp
from twibench.tui.widgets.kv_table import KeyValueTable

ROOT = Path(__file__).resolve().parents[2]


def docs_source(app: TwibenchApp) -> str:
    """The Docs tab's Markdown source ("" before it is mounted)."""
    found = app.screen.query(Markdown)
    return found.first().source if found else ""


async def test_the_docs_tab_shows_the_operation_and_every_parameter(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Messages", "send-sms")
        await click(pilot, "#--content-tab-tab-docs")
        await settle(pilot, lambda: "StatusCallback" in docs_source(app))
        source = docs_source(app)
        # The collection's own docs come first, then the operation from the spec.
        assert source.index("Send and read messages.") < source.index("## Create message")
        assert "`POST https://api.twilio.com/2010-04-01/Accounts/{AccountSid}/Messages.json`" in source
        assert "- **`To`** (string, phone-number) — *required* — The recipient's phone number" in source
        assert (
            "- **`StatusCallback`** (string, uri) — The URL of the endpoint to which Twilio sends "
            "[Message status callback requests]" in source
        )
        assert "- **`ContentRetention`** (string) — one of `retain`, `discard`" in source  # enum values
        assert "- **`MediaUrl`** (array of string) — The URL of media to include" in source  # optional ones too
        markdown = app.screen.query_one(Markdown)
        await settle(pilot, lambda: len(markdown.children) > 10)  # rendered, not only set

        await open_request(pilot, app, "Messages", "fetch")  # the open Docs tab follows the request
        await settle(pilot, lambda: "## Fetch message" in docs_source(app))
        assert "- **`Sid`** (string) — *required*" in docs_source(app)

        url = app.screen.query_one("#url", Input)
        url.value = "/not/twilio"  # an edit: the reference follows it
        await open_request(pilot, app, "Accounts", "list")
        await open_request(pilot, app, "Messages", "fetch")
        await settle(pilot, lambda: "is not an operation of Twilio's bundled API specs" in docs_source(app))


async def test_the_docs_tab_open_at_start_gets_the_reference_a_moment_later(
    collections: Path, twilio: FakeTwilio
) -> None:
    app = build_app(collections, twilio)  # the first request carries nothing: the editor opens on Docs
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: "**Fetch your account**" in docs_source(app))  # at once, without it
        await settle(pilot, lambda: "## Fetch account" in docs_source(app))
        assert "- **`Sid`** (string) — *required*" in docs_source(app)


async def test_form_and_params_keys_complete_with_the_operations_parameters(
    collections: Path, twilio: FakeTwilio
) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Messages", "send-sms")
        form = app.screen.query_one("#form-table", KeyValueTable)
        await click(pilot, "#form-table .kv-add")
        key = app.screen.focused
        assert isinstance(key, Input) and key.has_class("kv-key")
        await settle(pilot, lambda: "MediaUrl" in form.key_names)
        assert form.key_names[0] == "To"  # required first
        await pilot.press(*"med")
        await settle(pilot, lambda: key._suggestion == "MediaUrl")
        await pilot.press("right")  # accepts the completion
        assert key.value == "MediaUrl"

        # A new row's placeholder names parameters the form does not use yet.
        await click(pilot, "#form-table .kv-add")
        fresh = app.screen.focused
        assert isinstance(fresh, Input)
        assert "To" not in fresh.placeholder.split(", ") and "MediaUrl" not in fresh.placeholder.split(", ")
        assert fresh.placeholder.startswith("StatusCallback, ")

        await open_request(pilot, app, "Accounts", "list")  # a list operation: query parameters
        params = app.screen.query_one("#params-table", KeyValueTable)
        await settle(pilot, lambda: "FriendlyName" in params.key_names)
        assert params.key_names[:3] == ["FriendlyName", "Status", "PageSize"]
        tabs = app.screen.query_one("#request-tabs", TabbedContent)
        await settle(pilot, lambda: tabs.active == "tab-params")


PROBE = """
import asyncio, json, sys
from pathlib import Path
from twibench.tui.app import TwibenchApp, make_app

LAZY = ("twibench.spec.docs", "twibench.importers.curl", "twibench.exporters", "textual.widgets._markdown")
seen = {}

class Probe(TwibenchApp):
    def on_ready(self) -> None:
        seen["first_frame"] = sorted(m for m in LAZY if m in sys.modules)

async def main() -> None:
    app = make_app([Path(sys.argv[1])], prewarm=False)
    app.__class__ = Probe
    async with app.run_test(size=(120, 35)) as pilot:
        for _ in range(6000):  # a hang guard (60 s of 10 ms pauses), not a time limit
            if app.screen.query("#request-tabs"):
                break
            await pilot.pause(0.01)
        await app.workers.wait_for_complete()  # every load the editor started has finished ...
        await pilot.pause()  # ... and every message it posted was handled
        seen["editor_ready"] = sorted(m for m in LAZY if m in sys.modules)
        await pilot.click("#--content-tab-tab-docs")  # the control: asking for the Docs tab loads the reader
        for _ in range(6000):  # a hang guard (60 s of 10 ms pauses), not a time limit
            if "twibench.spec.docs" in sys.modules:
                break
            await pilot.pause(0.01)
        seen["docs_asked"] = "twibench.spec.docs" in sys.modules

asyncio.run(main())
print(json.dumps(seen))
"""


def test_the_specs_curl_reader_exporters_and_markdown_wait_until_asked(home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()  # the first request carries a form, so the editor opens on it (not on the Docs tab)
    (folder / "m.yaml").write_text(
        "name: M\nrequests:\n  - name: Send\n    id: send\n    method: POST\n"
        "    url: /2010-04-01/Accounts/{{account_sid}}/Messages.json\n    form: {To: '+15558675310'}\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(folder)], capture_output=True, text=True, cwd=ROOT, timeout=120, check=True
    )
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {"first_frame": [], "editor_ready": [], "docs_asked": True}


VERIFY_YAML = """\
name: Verify
requests:
  - name: Start a verification
    id: start
    method: POST
    url: https://verify.twilio.com/v2/Services/{{service_sid}}/Verifications
    form: {To: "+15558675310"}
"""


async def test_every_product_has_its_reference_and_key_completion(collections: Path, twilio: FakeTwilio) -> None:
    (collections / "verify.yaml").write_text(VERIFY_YAML)
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Verify", "start")
        await click(pilot, "#--content-tab-tab-docs")
        await settle(pilot, lambda: "## Create verification" in docs_source(app))
        source = docs_source(app)
        assert "`POST https://verify.twilio.com/v2/Services/{ServiceSid}/Verifications`" in source
        assert "- **`Channel`** (string) — *required*" in source
        assert "*From Twilio's OpenAPI spec `twilio_verify_v2.json`.*" in source
        form = app.screen.query_one("#form-table", KeyValueTable)
        await settle(pilot, lambda: "Channel" in form.key_names)
        assert form.key_names[:2] == ["To", "Channel"]  # required first, in spec order


async def test_the_docs_tab_follows_the_method_and_url_as_typed(collections: Path, twilio: FakeTwilio) -> None:
    from twibench.tui.widgets.url_bar import MethodSelect

    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Messages", "fetch")
        await click(pilot, "#--content-tab-tab-docs")
        await settle(pilot, lambda: "## Fetch message" in docs_source(app))

        app.screen.query_one(MethodSelect).value = "DELETE"  # what ctrl+t → DELETE does
        await settle(pilot, lambda: "## Delete message" in docs_source(app))
        assert "`DELETE /2010-04-01/Accounts/{{account_sid}}/Messages/{{message_sid}}.json`" in docs_source(app)

        app.screen.query_one(MethodSelect).value = "GET"
        url = app.screen.query_one("#url", Input)
        url.focus()
        await pilot.press("ctrl+u", *"/2010-04-01/Accounts/{{account_sid}}/Calls.json")
        await settle(pilot, lambda: "## List call" in docs_source(app).replace("List Call", "List call"))
        assert "Fetch message" not in docs_source(app)

        await pilot.press(*"/nothing")
        await settle(pilot, lambda: "is not an operation of Twilio's bundled API specs" in docs_source(app))
