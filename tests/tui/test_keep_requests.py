"""Keeping requests (issue 12, items 2 and 3): an opened link saved from the dialog as a template, into any
collection or a new file, at 80 columns; ctrl+n asks where the request goes and names it, and starts empty."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Button, Input, Select

from tests.tui.conftest import LIVE_SID, FakeTwilio, build_app, settle
from tests.tui.helpers import click, current, dialog, open_request, run_command, type_into
from twibench import paths
from twibench.collection import load_collection
from twibench.tui.app import TwibenchApp
from twibench.tui.dialogs.prompts import TextPrompt
from twibench.tui.dialogs.save_to_collection import NEW_FILE, SaveToCollection
from twibench.tui.widgets.body import BodyViewer
from twibench.tui.widgets.url_bar import UrlInput

MESSAGES = f"/2010-04-01/Accounts/{LIVE_SID}/Messages.json"
NEXT_PAGE = f"{MESSAGES}?To=%2B15558675310&PageSize=5&Page=1&PageToken=PASM0123"


def names(app: TwibenchApp, collection: str) -> list[str]:
    return [e.request.name for e in app.session.workspace.entries() if e.owner.name == collection]


async def follow_next_page(pilot: Pilot[Any], app: TwibenchApp, twilio: FakeTwilio) -> None:
    twilio.json("GET", "/2010-04-01/Accounts.json", 200, {"accounts": [], "next_page_uri": NEXT_PAGE})
    twilio.json("GET", MESSAGES, 200, {"messages": [], "next_page_uri": None})
    await open_request(pilot, app, "Accounts", "list")
    await pilot.press("ctrl+j")
    viewer = app.screen.query_one(BodyViewer)
    await settle(pilot, lambda: viewer.next_page_uri == NEXT_PAGE)
    viewer.focus()
    await pilot.press("right_square_bracket")
    await settle(pilot, lambda: len(twilio.seen) == 2 and current(app).owner.scratch)


async def test_an_opened_next_page_is_saved_as_a_template_into_a_new_collection_file(
    collections: Path, twilio: FakeTwilio
) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await follow_next_page(pilot, app, twilio)
        await pilot.press("ctrl+s")
        save = await dialog(pilot, app, SaveToCollection)
        name = save.query_one("#save-name", Input)
        assert name.value == "List Messages"  # not the tree's cut label 'Messages.json?To=%2B1555…'
        note = str(save.query_one(".dialog-note").render())
        assert "dropped the paging parameters Page, PageToken" in note and "{{account_sid}}" in note
        # Every choice fits at 80 columns: one drop-down for the collections, Save and Cancel visible.
        inside = save.query_one("#save-to-collection").content_region  # what the dialog shows, not its overflow
        assert inside.right <= 80 and inside.bottom <= 24
        for widget in (save.query_one("#save-collection"), save.query_one("#save-ok"), save.query_one("#save-cancel")):
            assert widget.region.width > 0 and inside.contains_region(widget.region), widget
        assert str(save.query_one("#save-cancel", Button).label) == "Cancel"
        options = save.query_one("#save-collection", Select)
        options.value = NEW_FILE
        await settle(pilot, lambda: save.query_one("#save-new-file").region.width > 0)
        await pilot.pause()
        inside = save.query_one("#save-to-collection").content_region
        assert inside.bottom <= 24, inside
        for widget in (save.query_one("#save-new-file"), save.query_one("#save-ok"), save.query_one("#save-cancel")):
            assert inside.contains_region(widget.region), (widget, widget.region, inside)  # the new file's name fits
        await type_into(pilot, save.query_one("#save-new-file", Input), "Paging")
        await pilot.press("enter")
        path = paths.collections_dir() / "paging.yaml"
        await settle(pilot, lambda: path.exists())
        saved = load_collection(path)
        assert saved.name == "Paging"
        [request] = saved.requests
        assert (request.name, request.id) == ("List Messages", "list-messages")
        assert request.url == "/2010-04-01/Accounts/{{account_sid}}/Messages.json"
        assert request.params == [("To", "+15558675310"), ("PageSize", "5")]
        await settle(pilot, lambda: current(app).owner.path == path)
        assert "List Messages" not in names(app, "Opened links")


async def test_an_opened_link_goes_into_any_collection_and_cancel_keeps_it(
    collections: Path, twilio: FakeTwilio
) -> None:
    app = build_app(collections, twilio)
    accounts = collections / "accounts.yaml"
    before = accounts.read_text()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await follow_next_page(pilot, app, twilio)
        await pilot.press("ctrl+s")
        save = await dialog(pilot, app, SaveToCollection)
        await click(pilot, "#save-cancel")
        await settle(pilot, lambda: not isinstance(app.screen, SaveToCollection))
        assert current(app).owner.scratch and accounts.read_text() == before

        await pilot.press("ctrl+s")
        save = await dialog(pilot, app, SaveToCollection)
        save.query_one("#save-collection", Select).value = 0  # Accounts
        save.query_one("#save-name", Input).value = "Messages to my phone"
        await click(pilot, "#save-ok")
        await settle(pilot, lambda: accounts.read_text() != before)
        text = accounts.read_text()
        assert text.startswith(before)  # appended: no other byte changed
        assert "Messages to my phone" in text and LIVE_SID not in text and "PageToken" not in text
        request = load_collection(accounts).requests[-1]
        assert request.id == "messages-to-my-phone"


async def test_ctrl_n_asks_name_and_collection_and_starts_empty(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    path = collections / "messages.yaml"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Messages", "send-sms")
        await pilot.press("ctrl+n")
        ask = await dialog(pilot, app, SaveToCollection)
        assert ask.query_one("#save-collection", Select).value == 1  # default: the current collection
        assert ask.new_file_folder is None  # an empty request cannot start a file: "New collection file" does that
        await pilot.press(*"List recent messages", "enter")
        await settle(pilot, lambda: "List recent messages" in names(app, "Messages"))
        assert names(app, "Messages") == ["Send an SMS", "List recent messages", "Fetch a message"]
        created = current(app)
        assert (created.request.id, created.request.url, created.request.method) == ("list-recent-messages", "", "GET")
        url = app.screen.query_one(UrlInput)
        await settle(pilot, lambda: url.has_focus and url.value == "")  # empty, cursor there to type it
        await pilot.press("ctrl+s")  # no URL yet: refused, nothing written
        await pilot.pause()
        assert "List recent messages" not in path.read_text()

        await run_command(pilot, app, "Rename request")
        await dialog(pilot, app, TextPrompt)
        await pilot.press("ctrl+u", *"Recent messages", "enter")
        await settle(pilot, lambda: created.request.name == "Recent messages")
        assert created.request.id == "recent-messages"  # a request not in its file yet: the id follows
        await type_into(pilot, url, "/2010-04-01/Accounts/{{account_sid}}/Messages.json")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: "Recent messages" in path.read_text())
        assert [r.id for r in load_collection(path).requests] == ["send-sms", "recent-messages", "fetch"]


async def test_ctrl_n_into_another_collection_goes_at_its_end(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Messages", "send-sms")
        await pilot.press("ctrl+n")
        ask = await dialog(pilot, app, SaveToCollection)
        ask.query_one("#save-collection", Select).value = 0  # Accounts
        await pilot.press(*"Usage", "enter")
        await settle(pilot, lambda: "Usage" in names(app, "Accounts"))
        assert names(app, "Accounts") == ["Fetch your account", "List accounts", "Usage"]
