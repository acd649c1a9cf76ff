"""Editing and saving: tables, the SMS counter, saving into the file (comments kept), conflicts with
changes made on disk, and quitting with unsaved edits."""

from __future__ import annotations

from pathlib import Path

import httpx
from textual.widgets import Button, Checkbox, Input, Static, TabbedContent

from tests.tui.conftest import LIVE_SID, MESSAGES_YAML, SIZE, FakeTwilio, build_app, settle
from tests.tui.helpers import click, dialog, open_request, table_row, type_into
from twibench.collection import load_collection
from twibench.tui.app import TwibenchApp
from twibench.tui.dialogs.prompts import Choice, TextPrompt
from twibench.tui.widgets.collection_tree import CollectionTree
from twibench.tui.widgets.kv_table import KeyValueRow, KeyValueTable

MESSAGES = f"/2010-04-01/Accounts/{LIVE_SID}/Messages.json"


def tree_label(app: TwibenchApp, name: str) -> str:
    tree = app.screen.query_one(CollectionTree)
    for node in tree.root.children:
        for child in node.children:
            if name in str(child.label):
                return str(child.label)
    raise AssertionError(f"no tree node for {name}")


async def test_edits_mark_the_tree_survive_switching_and_save_only_that_request(
    collections: Path, twilio: FakeTwilio
) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        send = await open_request(pilot, app, "Messages", "send-sms")
        body = table_row(app, "form-table", "Body").query_one(".kv-value", Input)
        await type_into(pilot, body, ", again")
        await settle(pilot, lambda: send.modified)
        assert send.request.form is not None and ("Body", "Hello from twibench, again") in send.request.form
        assert send.saved is not None and ("Body", "Hello from twibench") in (send.saved.form or [])
        assert tree_label(app, "Send an SMS") == "POST ● Send an SMS"

        await open_request(pilot, app, "Accounts", "fetch")
        await open_request(pilot, app, "Messages", "send-sms")
        body = table_row(app, "form-table", "Body").query_one(".kv-value", Input)
        assert body.value == "Hello from twibench, again"

        await pilot.press("ctrl+s")
        await settle(pilot, lambda: not send.modified)
        assert tree_label(app, "Send an SMS") == "POST Send an SMS"
        text = (collections / "messages.yaml").read_text()
        assert text == MESSAGES_YAML.replace("Body: Hello from twibench\n", "Body: Hello from twibench, again\n")
        assert load_collection(collections / "messages.yaml").requests[0].form == [
            ("To", "{{to}}"),
            ("From", "+15005550006"),
            ("Body", "Hello from twibench, again"),
        ]


async def test_rows_can_be_added_repeated_disabled_and_deleted(collections: Path, twilio: FakeTwilio) -> None:
    twilio.json("POST", MESSAGES, 201, {"sid": "MM" + "2" * 32})
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        send = await open_request(pilot, app, "Messages", "send-sms")
        table = app.screen.query_one("#form-table", KeyValueTable)
        for url in ("https://example.com/a.png", "https://example.com/b.png"):
            table.query_one(".kv-add", Button).press()
            await settle(pilot, lambda: isinstance(app.screen.focused, Input) and app.screen.focused.value == "")
            await pilot.press(*"MediaUrl", "enter", *url)
        # Disable the From row: it stays in the table but is not sent.
        table_row(app, "form-table", "From").query_one(Checkbox).toggle()
        await settle(pilot, lambda: all(k != "From" for k, _ in send.request.form or []))
        # Delete the To row.
        table_row(app, "form-table", "To").query_one(".kv-delete", Button).press()
        await settle(pilot, lambda: len(send.table("form")) == 4)
        assert len(table.query(KeyValueRow)) == 4
        assert [(r.key, r.enabled) for r in send.table("form")] == [
            ("From", False),
            ("Body", True),
            ("MediaUrl", True),
            ("MediaUrl", True),
        ]
        await pilot.press("ctrl+j")
        await settle(pilot, lambda: len(twilio.seen) == 1)
        sent = httpx.QueryParams(twilio.seen[0].content.decode())
        assert sent.get_list("MediaUrl") == ["https://example.com/a.png", "https://example.com/b.png"]
        assert "From" not in sent and "To" not in sent
        assert app.screen.query_one("#tab-body").parent is not None
        assert "Form (3)" in str(app.screen.query_one("#request-tabs", TabbedContent).get_tab("tab-body").label)


async def test_the_body_field_shows_its_sms_segments_as_you_type(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Messages", "send-sms")
        counter = app.screen.query_one("#segments", Static)
        await settle(pilot, lambda: "GSM-7" in str(counter.render()))
        assert str(counter.render()).startswith("Body 19 septets · GSM-7 · 1 segment of 160 (141 left)")
        body = table_row(app, "form-table", "Body").query_one(".kv-value", Input)
        body.focus()
        body.insert_text_at_cursor(" 👋")  # an emoji arrives as text (keyboards paste or compose it)
        await settle(pilot, lambda: "UCS-2" in str(counter.render()))
        assert str(counter.render()).startswith("Body 22 chars · UCS-2 · 1 segment of 70 (48 left)")


async def test_a_file_changed_on_disk_asks_and_reload_keeps_the_edits(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    path = collections / "messages.yaml"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        send = await open_request(pilot, app, "Messages", "send-sms")
        await type_into(pilot, app.screen.query_one("#url", Input), "?x=1")
        await settle(pilot, lambda: send.modified)
        path.write_text(path.read_text().replace("# End of file.", "# Edited elsewhere."))

        await pilot.press("ctrl+s")
        choice = await dialog(pilot, app, Choice)
        assert "changed on disk" in choice.choice_title
        await click(pilot, "#choice-reload")
        await settle(pilot, lambda: not isinstance(app.screen, Choice))
        await pilot.pause()
        assert app.screen.query_one("#url", Input).value.endswith("?x=1")  # nothing typed is lost
        assert "# Edited elsewhere." in path.read_text()
        assert "?x=1" not in path.read_text()

        await pilot.press("ctrl+s")  # the file is now what was loaded: no question
        await settle(pilot, lambda: "?x=1" in path.read_text())
        text = path.read_text()
        assert "# Edited elsewhere." in text and "# Fixture: saving one request" in text
        assert "# Needs message_sid, which nothing defines." in text


async def test_a_conflict_can_be_saved_as_a_new_file(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    path = collections / "messages.yaml"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        send = await open_request(pilot, app, "Messages", "send-sms")
        await type_into(pilot, app.screen.query_one("#url", Input), "?mine=1")
        await settle(pilot, lambda: send.modified)
        before = path.read_text().replace("# End of file.", "# Theirs.")
        path.write_text(before)
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, Choice))
        await click(pilot, "#choice-save_as")
        await settle(pilot, lambda: isinstance(app.screen, TextPrompt))
        field = app.screen.query_one(Input)
        assert field.value == str(collections / "messages-mine.yaml")
        await pilot.press("enter")
        target = collections / "messages-mine.yaml"
        await settle(pilot, lambda: target.exists())
        assert path.read_text() == before  # their version untouched
        saved = load_collection(target)
        assert saved.requests[0].url.endswith("?mine=1")
        assert [r.id for r in saved.requests] == ["send-sms", "fetch"]


async def test_an_overwrite_writes_the_request_into_the_changed_file(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    path = collections / "messages.yaml"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        send = await open_request(pilot, app, "Messages", "send-sms")
        await type_into(pilot, app.screen.query_one("#url", Input), "?mine=1")
        await settle(pilot, lambda: send.modified)
        path.write_text(path.read_text().replace("# End of file.", "# Theirs."))
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, Choice))
        await click(pilot, "#choice-overwrite")
        await settle(pilot, lambda: "?mine=1" in path.read_text())
        assert "# Theirs." in path.read_text()
        await settle(pilot, lambda: not send.modified)


async def test_quitting_with_unsaved_edits_asks_first(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        send = await open_request(pilot, app, "Messages", "send-sms")
        await type_into(pilot, app.screen.query_one("#url", Input), "?q=1")
        await settle(pilot, lambda: send.modified)
        await pilot.press("ctrl+q")
        choice = await dialog(pilot, app, Choice)
        assert "'Send an SMS'" in choice.message
        await pilot.press("escape")
        await settle(pilot, lambda: not isinstance(app.screen, Choice))
        assert app.is_running
        await pilot.press("ctrl+q")
        await settle(pilot, lambda: isinstance(app.screen, Choice))
        await click(pilot, "#choice-discard")
        await settle(pilot, lambda: not app.is_running)
    assert "?q=1" not in (collections / "messages.yaml").read_text()


async def test_quitting_with_nothing_unsaved_does_not_ask(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+q")
        await settle(pilot, lambda: not app.is_running)


async def test_a_json_body_opens_as_text_when_tree_sitter_has_no_json_grammar(
    collections: Path, twilio: FakeTwilio
) -> None:
    """tree-sitter can be installed (the dev tools pull it in) without tree-sitter-json: Textual then lists
    "json" as available but refuses it; the body shows as plain text instead of the app crashing."""
    from textual.widgets import TextArea

    (collections / "studio.yaml").write_text(
        "name: Studio\nrequests:\n  - name: Trigger\n    id: trigger\n    method: POST\n"
        "    url: https://studio.twilio.com/v2/Flows/FW1/Executions\n"
        '    json: {To: "+15558675310", Parameters: {greeting: hi}}\n'
    )
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Studio", "trigger")
        editor = app.screen.query_one("#body-text", TextArea)
        await settle(pilot, lambda: '"greeting": "hi"' in editor.text)
        assert editor.language in {None, "json"}
        assert app.is_running
