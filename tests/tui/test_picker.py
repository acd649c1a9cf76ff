"""Picker and ActionButton: the light selector and button of the request line and the profile bar.

They replace Textual's Select and Button there (start-up speed), so they must do what those did: open with
the keys and the mouse, choose, keep the value on escape, jump by letters, report a change once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Input

from tests.tui.conftest import FakeTwilio, build_app, settle
from twibench.collection import METHODS as ALL_METHODS
from twibench.tui.widgets.action_button import ActionButton
from twibench.tui.widgets.picker import Picker
from twibench.tui.widgets.picker_list import PickerDropDown, PickerList

METHODS = list(ALL_METHODS)


class PickerApp(App[None]):
    """A picker between two fields, a compact one at the bottom-right corner, and a button; records messages."""

    CSS = """
    #corner { dock: bottom; width: 20; offset-x: 60; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.changes: list[tuple[str | None, str]] = []
        self.presses: list[str | None] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Input(id="before")
            yield Picker([(m, m) for m in METHODS], value="GET", id="method")
            yield Input(id="after")
            yield ActionButton("Send", id="send", primary=True)
        yield Picker([(Text(f"profile {n} with a long line"), f"p{n}") for n in range(20)], id="corner", compact=True)

    def on_picker_changed(self, event: Picker.Changed) -> None:
        self.changes.append((event.picker.id, event.value))

    def on_action_button_pressed(self, event: ActionButton.Pressed) -> None:
        self.presses.append(event.button.id)


def picker(app: App[Any], selector: str = "#method") -> Picker:
    return app.screen_stack[0].query_one(selector, Picker)


async def open_with(pilot: Any, key: str) -> PickerList:
    app = pilot.app
    method = picker(app)
    method.focus()
    await pilot.pause()
    if key == "click":
        await pilot.click("#method")
    else:
        await pilot.press(key)
    await settle(pilot, lambda: isinstance(app.screen, PickerDropDown) and app.screen.query(PickerList))
    listing = app.screen.query_one(PickerList)
    await settle(pilot, lambda: listing.has_focus and listing.region.height > 0)
    return listing


@pytest.mark.parametrize("key", ["enter", "space", "down", "up", "click"])
async def test_each_key_and_a_click_open_the_list_under_the_picker(key: str) -> None:
    app = PickerApp()
    async with app.run_test(size=(80, 24)) as pilot:
        listing = await open_with(pilot, key)
        method = picker(app)
        assert method.expanded
        assert listing.highlighted == 0  # the current value
        assert listing.region.y == method.region.bottom  # right under it
        assert listing.region.x == method.region.x
        assert listing.region.width >= method.region.width
        assert listing.option_count == len(METHODS)
        assert app.changes == []


async def test_arrows_and_enter_choose_and_report_the_change_once() -> None:
    app = PickerApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_with(pilot, "enter")
        await pilot.press("down", "down", "enter")
        method = picker(app)
        await settle(pilot, lambda: not method.expanded and method.has_focus)
        assert method.value == METHODS[2]
        assert METHODS[2] in str(method.render())
        await pilot.pause()
        assert app.changes == [("method", METHODS[2])]


async def test_a_click_on_an_option_chooses_it() -> None:
    app = PickerApp()
    async with app.run_test(size=(80, 24)) as pilot:
        listing = await open_with(pilot, "click")
        await pilot.click(PickerList, offset=(3, 1 + METHODS.index("DELETE")))  # below the frame's top row
        method = picker(app)
        await settle(pilot, lambda: not method.expanded)
        assert method.value == "DELETE"
        assert app.changes == [("method", "DELETE")]
        assert listing.parent is None or not listing.is_attached


async def test_escape_and_a_click_beside_the_list_keep_the_value() -> None:
    app = PickerApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_with(pilot, "enter")
        await pilot.press("down", "escape")
        method = picker(app)
        await settle(pilot, lambda: not method.expanded and method.has_focus)
        assert method.value == "GET"
        await open_with(pilot, "enter")
        await pilot.press("down")
        await pilot.click(offset=(70, 20))  # below the list
        await settle(pilot, lambda: not method.expanded)
        assert method.value == "GET"
        assert app.changes == []


async def test_letters_jump_to_the_first_option_that_contains_them() -> None:
    app = PickerApp()
    async with app.run_test(size=(80, 24)) as pilot:
        listing = await open_with(pilot, "enter")
        await pilot.press("p")
        assert listing.highlighted == METHODS.index("POST")
        await pilot.press("a")  # "pa"
        assert listing.highlighted == METHODS.index("PATCH")
        await pilot.press("x")  # "pax": no match, the highlight stays
        assert listing.highlighted == METHODS.index("PATCH")
        await pilot.press("enter")
        await settle(pilot, lambda: picker(app).value == "PATCH")


async def test_letters_start_a_new_search_after_a_pause() -> None:
    app = PickerApp()
    async with app.run_test(size=(80, 24)) as pilot:
        listing = await open_with(pilot, "enter")
        await pilot.press("p", "a")
        assert listing.highlighted == METHODS.index("PATCH")
        await settle(pilot, lambda: listing.match("d") is not None and listing._query == "")
        await pilot.press("d")
        assert listing.highlighted == METHODS.index("DELETE")


async def test_the_value_setter_reports_a_change_once_and_prevent_silences_it() -> None:
    app = PickerApp()
    async with app.run_test(size=(80, 24)) as pilot:
        method = picker(app)
        method.value = "POST"
        method.value = "POST"  # the same value again: nothing to report
        await pilot.pause()
        assert app.changes == [("method", "POST")]
        assert "POST" in str(method.render())
        with app.prevent(Picker.Changed):
            method.value = "DELETE"
        await pilot.pause()
        assert app.changes == [("method", "POST")]
        assert method.value == "DELETE"
        with pytest.raises(ValueError, match="'TRACE' is not one of the picker's choices"):
            method.value = "TRACE"


async def test_set_options_keeps_the_value_and_shows_the_new_label() -> None:
    app = PickerApp()
    async with app.run_test(size=(80, 24)) as pilot:
        method = picker(app)
        method.set_options([("get it", "GET"), ("post it", "POST")])
        await pilot.pause()
        assert method.value == "GET" and "get it" in str(method.render())
        assert app.changes == []
        method.set_options([("post it", "POST")])  # GET is gone: the first choice, reported
        await pilot.pause()
        assert method.value == "POST"
        assert app.changes == [("method", "POST")]
        with pytest.raises(ValueError, match="at least one option"):
            method.set_options([])


async def test_a_long_label_is_cut_with_an_ellipsis_and_the_arrow_stays() -> None:
    app = PickerApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        corner = picker(app, "#corner")
        shown = str(corner.render())
        assert len(shown) == corner.content_size.width
        assert shown.endswith("… ▼")
        assert corner.region.height == 1 and picker(app).region.height == 3  # compact, framed


async def test_the_list_of_a_picker_at_the_corner_stays_on_an_80x24_screen() -> None:
    app = PickerApp()
    async with app.run_test(size=(80, 24)) as pilot:
        corner = picker(app, "#corner")
        corner.focus()
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, PickerDropDown))
        listing = app.screen.query_one(PickerList)
        await settle(pilot, lambda: listing.region.height > 0)
        screen = app.screen.region
        assert screen.contains_region(listing.region)
        assert listing.region.height <= 12  # scrolls beyond a dozen rows
        assert listing.region.width >= len("profile 19 with a long line")
        await pilot.press("end", "enter")
        await settle(pilot, lambda: corner.value == "p19")


async def test_enter_space_and_a_click_press_the_button() -> None:
    app = PickerApp()
    async with app.run_test(size=(80, 24)) as pilot:
        send = app.query_one("#send", ActionButton)
        send.focus()
        await pilot.press("enter")
        assert send.has_class("-active")  # the press shows
        await settle(pilot, lambda: not send.has_class("-active"))
        await pilot.press("space")
        await settle(pilot, lambda: not send.has_class("-active"))
        await pilot.click("#send")
        await settle(pilot, lambda: len(app.presses) == 3)
        assert app.presses == ["send", "send", "send"]
        assert send.region.height == 3
        send.compact = True
        await pilot.pause()
        assert send.region.height == 1
        send.disabled = True
        send.press()
        await pilot.pause()
        assert len(app.presses) == 3


async def test_f1_on_the_open_method_list_explains_the_method(collections: Path, twilio: FakeTwilio) -> None:
    from twibench.tui.dialogs.help import HelpScreen

    app = build_app(collections, twilio)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.workbench.current is not None)
        await pilot.press("ctrl+t")
        await settle(pilot, lambda: isinstance(app.screen, PickerDropDown))
        await pilot.press("f1")
        await settle(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.help_title == "Method"
        assert "ctrl+t" in app.screen.help_text


async def test_the_method_list_opens_under_the_compact_request_line_at_80x24(
    collections: Path, twilio: FakeTwilio
) -> None:
    from twibench.tui.widgets.url_bar import MethodSelect

    app = build_app(collections, twilio)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.workbench.current is not None)
        method = app.screen.query_one(MethodSelect)
        await settle(pilot, lambda: method.compact and method.region.height == 1)  # 24 rows: the one-row line
        await pilot.pause()
        await pilot.press("ctrl+t")
        await settle(pilot, lambda: isinstance(app.screen, PickerDropDown))
        listing = app.screen.query_one(PickerList)
        await settle(pilot, lambda: listing.region.height > 0)
        assert listing.region.y == method.region.bottom
        assert listing.region.height == len(METHODS) + 2  # framed, every method visible
        assert app.screen.region.contains_region(listing.region)
        await pilot.press("down")
        await pilot.resize_terminal(120, 40)  # the screen below is laid out anew: the list closes
        await settle(pilot, lambda: not method.expanded and app.screen is app.main_screen)
        assert method.value == "GET"


async def test_the_request_line_and_the_profile_bar_mount_no_select_or_button(
    collections: Path, twilio: FakeTwilio
) -> None:
    """Select (six widgets each) and Button (57 CSS rules) cost the first frame ~18 ms; these four are light."""
    from textual.widgets import Button, Select

    from twibench.tui.widgets.profile_bar import ProfileBar
    from twibench.tui.widgets.url_bar import MethodSelect, UrlBar

    app = build_app(collections, twilio)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, lambda: app.workbench.current is not None)
        for bar in (app.screen.query_one(ProfileBar), app.screen.query_one(UrlBar)):
            assert not bar.query(Select) and not bar.query(Button)
        assert isinstance(app.screen.query_one("#method"), MethodSelect)
        assert isinstance(app.screen.query_one("#profile-select"), Picker)
        assert isinstance(app.screen.query_one("#send"), ActionButton)
        assert isinstance(app.screen.query_one("#profile-edit"), ActionButton)
        assert not app.screen.query(PickerList)  # the lists are built when opened


async def test_a_click_on_send_sends_and_one_on_profile_opens_the_profile_dialog(
    collections: Path, twilio: FakeTwilio
) -> None:
    from tests.tui.conftest import status_text
    from tests.tui.helpers import click
    from twibench.tui.dialogs.profile_editor import ProfileEditor

    twilio.json("GET", "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef.json", 200, {"sid": "AC"})
    app = build_app(collections, twilio)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, lambda: app.workbench.current is not None)
        await click(pilot, "#send")
        await settle(pilot, lambda: status_text(app).startswith("200 OK"))
        assert len(twilio.seen) == 1
        await click(pilot, "#profile-edit")
        await settle(pilot, lambda: isinstance(app.screen, ProfileEditor))
