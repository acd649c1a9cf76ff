"""Any terminal size (issue 12, item 6): the body keeps rows at 80×24, the history takes the body's width
only when opened below 200 columns, and ctrl+o (or the palette) maximizes the pane with the cursor; and
the layout bugs of item 17 (the variables view, the footer, the profile list)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Footer
from textual.widgets._footer import FooterKey

from tests.tui.conftest import FakeTwilio, build_app, sandbox_app, settle, status_text
from tests.tui.helpers import dialog, open_request, run_command
from twibench.tui.app import TwibenchApp
from twibench.tui.dialogs.prompts import TextPrompt
from twibench.tui.dialogs.variables import VariablesScreen
from twibench.tui.widgets.body import BodyViewer
from twibench.tui.widgets.collection_tree import CollectionTree
from twibench.tui.widgets.response_view import ResponseView
from twibench.tui.widgets.side_slot import SideSlot
from twibench.tui.widgets.url_bar import UrlBar


async def _send_an_sms(pilot: Pilot[Any], app: TwibenchApp) -> BodyViewer:
    """Messages › Send an SMS to the sandbox, until its 201 body is on screen."""
    await settle(pilot, lambda: bool(app.screen.query("#body-viewer")) and bool(app.screen.query("#form-table")))
    await open_request(pilot, app, "Messages", "send-sms")
    await pilot.press("ctrl+j")
    await settle(pilot, lambda: status_text(app).startswith("201"), rounds=1500)
    viewer = app.screen.query_one(BodyViewer)
    await settle(pilot, lambda: viewer.line_count > 10)
    await pilot.pause()
    return viewer


async def test_80x24_shows_at_least_8_body_lines_after_a_send(collections: Path, sandbox: Path) -> None:
    """Profile bar, request line, editor, status and tabs once left no body row at all."""
    app = sandbox_app([collections])
    async with app.run_test(size=(80, 24)) as pilot:
        viewer = await _send_an_sms(pilot, app)
        assert viewer.scrollable_content_region.height >= 8
        assert app.screen.query_one(UrlBar).compact  # the request line is one row here
        assert app.screen.query_one(UrlBar).region.height == 2  # with its preview


async def test_a_tall_terminal_keeps_the_full_request_line(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, lambda: app.workbench.current is not None)
        await pilot.pause()
        bar = app.screen.query_one(UrlBar)
        assert not bar.compact and bar.region.height == 4


async def test_below_200_columns_the_history_takes_no_width_unless_opened(collections: Path, sandbox: Path) -> None:
    """At 160×45 the body had 66 columns: the history sat beside it from 140 columns."""
    app = sandbox_app([collections])
    async with app.run_test(size=(160, 45)) as pilot:
        viewer = await _send_an_sms(pilot, app)
        slot = app.screen.query_one(SideSlot)
        assert not slot.is_open
        assert viewer.region.width >= 110
        await pilot.press("f2")  # asked for: now it shows, on any width
        await settle(pilot, lambda: slot.is_open and slot.region.width > 0)
        await pilot.press("f2")
        await settle(pilot, lambda: not slot.is_open)


async def test_from_200_columns_the_history_shows_beside_the_response(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=(210, 50)) as pilot:
        slot = app.screen.query_one(SideSlot)
        await settle(pilot, lambda: slot.is_open and slot.region.width > 0)


async def test_ctrl_o_maximizes_the_pane_with_the_cursor_and_back(collections: Path, sandbox: Path) -> None:
    app = sandbox_app([collections])
    async with app.run_test(size=(80, 24)) as pilot:
        viewer = await _send_an_sms(pilot, app)
        screen = app.screen
        viewer.focus()
        await pilot.press("ctrl+o")
        await settle(pilot, lambda: screen.maximized is screen.query_one(ResponseView))  # the pane, not the tab set
        await pilot.pause()
        assert viewer.region.width >= 75 and viewer.scrollable_content_region.height >= 16
        assert not screen.query_one(CollectionTree).region  # out of sight
        await pilot.press("ctrl+o")
        await settle(pilot, lambda: screen.maximized is None)
        assert screen.focused is viewer

        tree = screen.query_one(CollectionTree)
        tree.focus()
        await pilot.press("ctrl+o")
        await settle(pilot, lambda: screen.maximized is tree)
        await pilot.press("escape")  # nothing in flight, no run: escape gives the panes back too
        await settle(pilot, lambda: screen.maximized is None)

        await pilot.press("ctrl+l", "ctrl+o")  # the URL is in no pane: the response is what one wants to see
        await settle(pilot, lambda: screen.maximized is screen.query_one(ResponseView))
        assert screen.focused is viewer
        await pilot.press("f2")  # opening the history gives the screen back first, or it would open unseen
        await settle(pilot, lambda: screen.maximized is None and screen.query_one(SideSlot).is_open)


async def test_the_palette_maximizes_and_restores(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.workbench.current is not None)
        tree = app.screen.query_one(CollectionTree)
        tree.focus()
        await run_command(pilot, app, "Maximize pane")
        await settle(pilot, lambda: app.workbench.maximized is tree)
        await run_command(pilot, app, "Show every pane")
        await settle(pilot, lambda: app.workbench.maximized is None)


def _after_a_send(app: TwibenchApp) -> Any:
    async def steps(pilot: Pilot[Any]) -> None:
        await _send_an_sms(pilot, app)
        await pilot.wait_for_scheduled_animations()

    return steps


def test_snapshot_80x24_after_a_send(snap_compare: Any, collections: Path, sandbox: Path) -> None:
    """One-row request line, small editor, one-row status lines, tabs without underlines, 9 body lines."""
    app = sandbox_app([collections])
    assert snap_compare(app, terminal_size=(80, 24), run_before=_after_a_send(app))


def test_snapshot_120x30_after_a_send(snap_compare: Any, collections: Path, sandbox: Path) -> None:
    app = sandbox_app([collections])
    assert snap_compare(app, terminal_size=(120, 30), run_before=_after_a_send(app))


async def test_f3_at_80_columns_shows_every_column_whole_and_a_prompt_replaces_it(
    collections: Path, twilio: FakeTwilio
) -> None:
    """The From column read `messages.yam`; `a` stacked the prompt's frame on the view's."""
    app = build_app(collections, twilio)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_request(pilot, app, "Messages", "send-sms")
        await pilot.press("f3")
        view = await dialog(pilot, app, VariablesScreen)
        table = view.query_one(DataTable)
        await settle(pilot, lambda: table.row_count > 0 and table.scrollable_content_region.width > 0)
        await settle(pilot, lambda: table.virtual_size.width <= table.scrollable_content_region.width)
        origins = [str(table.get_row_at(i)[3]) for i in range(table.row_count)]
        assert "messages.yaml" in origins
        await pilot.press("a")
        await dialog(pilot, app, TextPrompt)
        frame = view.query_one("#variables-dialog")
        assert not frame.display  # one dialog frame on screen, not two
        await pilot.press("escape")
        await settle(pilot, lambda: app.screen is view and frame.display)


@pytest.mark.parametrize("size", [(160, 45), (80, 24)])
async def test_the_footer_leaves_out_whole_keys_and_keeps_f1_help(
    collections: Path, twilio: FakeTwilio, size: tuple[int, int]
) -> None:
    """With the history focused the footer ended in `f1 H` (at 160 columns; at 80 much earlier)."""
    app = build_app(collections, twilio)
    async with app.run_test(size=size) as pilot:
        await settle(pilot, lambda: bool(app.screen.query("#history-pane")))  # the side panel is built
        await pilot.press("f2")
        await settle(pilot, lambda: app.screen.query_one(SideSlot).holds_focus())
        footer = app.screen.query_one(Footer)

        def shown() -> list[FooterKey]:
            return [key for key in footer.query_children(FooterKey) if key.display]

        # The footer recomposes for the focused history, then drops keys once laid out: wait for the history's keys.
        await settle(pilot, lambda: "Re-send" in [key.description for key in shown()] and footer.size.width > 0)
        await settle(pilot, lambda: sum(key.outer_size.width for key in shown()) <= footer.size.width)
        assert "Help" in [key.description for key in shown()]


async def test_the_profile_list_opens_framed_right_under_the_selector(collections: Path, twilio: FakeTwilio) -> None:
    """At 80 columns the profile line wrapped: the unframed list opened four rows lower, over the editor."""
    from twibench.tui.widgets.picker import Picker
    from twibench.tui.widgets.picker_list import PickerList

    app = build_app(collections, twilio)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.workbench.current is not None)
        select = app.screen.query_one("#profile-select", Picker)
        await settle(pilot, lambda: select.region.width > 0)
        select.focus()
        await pilot.press("enter")
        await settle(pilot, lambda: select.expanded and bool(app.screen.query(PickerList)))
        overlay = app.screen.query_one(PickerList)
        await settle(pilot, lambda: overlay.region.height > 0)
        assert overlay.region.y == select.region.y + 1
        assert overlay.region.height == overlay.option_count + 2  # one row per profile, inside a frame
        assert overlay.styles.border_top[0] != ""
        assert overlay.region.right <= app.screen.size.width  # moved left rather than cut at the edge
        assert overlay.region.width >= len("live · Auth Token · AC01…cdef · api.twilio.com")


async def test_f2_pressed_during_start_up_opens_the_history_once_it_is_built(
    collections: Path, twilio: FakeTwilio
) -> None:
    """The side panel is built just after the first frame; f2 before that crashed the app (NoMatches)."""
    app = build_app(collections, twilio)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        slot = app.screen.query_one(SideSlot)
        await settle(pilot, lambda: slot.is_open and slot.holds_focus())
