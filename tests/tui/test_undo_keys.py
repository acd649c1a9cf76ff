"""ctrl+z / ctrl+y (and ctrl+shift+z) undo and redo the open request's edits, per request (issue 12, item 15)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Input

from tests.tui.conftest import SIZE, FakeTwilio, build_app, settle
from tests.tui.helpers import current, open_request, table_row, type_into
from twibench.tui.widgets.kv_table import KeyValueRow, KeyValueTable
from twibench.tui.widgets.url_bar import UrlInput

LIST = "/2010-04-01/Accounts.json"


async def test_undo_and_redo_in_the_url_and_the_tables_per_request(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        fetch = await open_request(pilot, app, "Accounts", "fetch")
        url = app.screen.query_one(UrlInput)
        await type_into(pilot, url, "?mine")
        listed = await open_request(pilot, app, "Accounts", "list")
        await type_into(pilot, url, "?x=1")
        await settle(pilot, lambda: listed.request.url == LIST + "?x=1")
        params = app.screen.query_one("#params-table", KeyValueTable)
        page_size = table_row(app, "params-table", "PageSize")
        page_size.query_one(".kv-delete", Button).press()  # ✕ on PageSize
        await settle(pilot, lambda: listed.request.params == [])

        await pilot.press("ctrl+z")  # the row comes back
        await settle(pilot, lambda: listed.request.params == [("PageSize", "20")])
        await settle(pilot, lambda: len(params.query(KeyValueRow)) == 1)
        await pilot.press("ctrl+z")  # the typed query goes, in one step
        await settle(pilot, lambda: url.value == LIST)
        assert not current(app).modified
        await pilot.press("ctrl+y")
        await settle(pilot, lambda: url.value == LIST + "?x=1")
        await pilot.press("ctrl+shift+z")
        await settle(pilot, lambda: listed.request.params == [])
        await settle(pilot, lambda: len(params.query(KeyValueRow)) == 0)

        await open_request(pilot, app, "Accounts", "fetch")  # its own stack: the list's steps are not here
        assert fetch.request.url.endswith("?mine")
        await pilot.press("ctrl+z")
        await settle(pilot, lambda: url.value == "/2010-04-01/Accounts/{{account_sid}}.json")
        assert listed.request.url == LIST + "?x=1"


async def test_typing_in_a_table_value_is_undone_in_the_field(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listed = await open_request(pilot, app, "Accounts", "list")
        await type_into(pilot, table_row(app, "params-table", "PageSize").query_one(".kv-value", Input), "0")
        await settle(pilot, lambda: listed.request.params == [("PageSize", "200")])
        await pilot.press("ctrl+z")
        await settle(pilot, lambda: listed.request.params == [("PageSize", "20")])
        value = table_row(app, "params-table", "PageSize").query_one(".kv-value", Input)
        await settle(pilot, lambda: value.value == "20")
