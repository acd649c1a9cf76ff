"""Pasting a full URL: the path stays (Account SID as {{account_sid}}), the query goes to Params."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import TabbedContent

from tests.tui.conftest import LIVE_SID, SIZE, FakeTwilio, build_app, live_profiles, settle
from tests.tui.helpers import open_request
from twibench.tui.widgets.url_bar import UrlInput
from twibench.workbench.paste import split_pasted_url

LIVE = live_profiles().profiles["live"]
DUBLIN = live_profiles().profiles["key"]


def test_a_twilio_url_becomes_a_path_and_params() -> None:
    pasted = split_pasted_url(
        f"https://api.twilio.com/2010-04-01/Accounts/{LIVE_SID}/Messages.json?To=%2B15558675310&PageSize=20", LIVE
    )
    assert pasted is not None
    assert pasted.url == "/2010-04-01/Accounts/{{account_sid}}/Messages.json"
    assert pasted.params == [("To", "+15558675310"), ("PageSize", "20")]
    assert pasted.note == (
        "Pasted URL: dropped the host api.twilio.com (the active profile's API host is used); "
        "wrote the profile's Account SID as {{account_sid}}; moved 2 query parameters to Params."
    )


def test_the_profile_region_host_and_repeated_keys() -> None:
    pasted = split_pasted_url(
        "https://api.dublin.ie1.twilio.com/2010-04-01/Accounts.json?MediaUrl=a&MediaUrl=b", DUBLIN
    )
    assert pasted is not None
    assert pasted.url == "/2010-04-01/Accounts.json"
    assert pasted.params == [("MediaUrl", "a"), ("MediaUrl", "b")]


def test_another_host_keeps_the_absolute_url_and_plain_text_is_not_touched() -> None:
    pasted = split_pasted_url("https://messaging.example.com/v1/Services?PageSize=5#top", LIVE)
    assert pasted is not None
    assert pasted.url == "https://messaging.example.com/v1/Services"
    assert pasted.params == [("PageSize", "5")]
    assert split_pasted_url("/2010-04-01/Accounts.json", LIVE) is None
    assert split_pasted_url("see https://api.twilio.com/", LIVE) is None


async def test_pasting_into_the_url_field(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        entry = await open_request(pilot, app, "Accounts", "fetch")
        await pilot.press("ctrl+l")
        url = app.screen.query_one(UrlInput)
        url.post_message(events.Paste(f"https://api.twilio.com/2010-04-01/Accounts/{LIVE_SID}/Calls.json?Status=busy"))
        await settle(pilot, lambda: url.value == "/2010-04-01/Accounts/{{account_sid}}/Calls.json")
        assert entry.request.params == [("Status", "busy")]
        assert entry.modified
        tabs = app.screen.query_one("#request-tabs", TabbedContent)
        await settle(pilot, lambda: "Params (1)" in str(tabs.get_tab("tab-params").label))
        assert app.screen.focused is url
        url.post_message(events.Paste("plain words"))  # ordinary text is inserted as usual
        await settle(pilot, lambda: url.value.endswith("plain words"))
