"""Pilot helpers shared by the TUI tests: reach a request, a table row, a palette command."""

from __future__ import annotations

import time
from typing import Any, TypeVar

from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input

from tests.tui.conftest import settle
from twibench.tui.app import TwibenchApp
from twibench.tui.widgets.kv_table import KeyValueRow, KeyValueTable
from twibench.tui.widgets.url_bar import UrlInput
from twibench.workbench.workspace import RequestEntry

ScreenT = TypeVar("ScreenT", bound=Screen[Any])


def entry(app: TwibenchApp, collection: str, request_id: str) -> RequestEntry:
    """The tree entry of a request."""
    return next(e for e in app.session.workspace.entries() if e.owner.name == collection and e.request.id == request_id)


async def open_request(pilot: Pilot[Any], app: TwibenchApp, collection: str, request_id: str) -> RequestEntry:
    """Move the tree cursor to a request and wait until the editor shows it."""
    target = entry(app, collection, request_id)
    app.workbench.go_to(target)
    await settle(pilot, lambda: app.workbench.current is target)
    url = app.screen.query_one(UrlInput)
    await settle(pilot, lambda: url.value == target.request.url)
    await pilot.pause()
    return target


def current(app: TwibenchApp) -> RequestEntry:
    """The request open in the editor (the test fails when none is)."""
    entry = app.workbench.current
    assert entry is not None, "no request is open"
    return entry


async def dialog(pilot: Pilot[Any], app: TwibenchApp, kind: type[ScreenT]) -> ScreenT:
    """Wait until a dialog of this kind is on top, and return it (typed)."""
    await settle(pilot, lambda: isinstance(app.screen, kind))
    screen = app.screen
    assert isinstance(screen, kind)
    return screen


def table_row(app: TwibenchApp, table_id: str, key: str) -> KeyValueRow:
    """The first row of a table with this key."""
    table = app.screen.query_one(f"#{table_id}", KeyValueTable)
    return next(r for r in table.query(KeyValueRow) if r.query_one(".kv-key", Input).value == key)


async def type_into(pilot: Pilot[Any], field: Input, text: str) -> None:
    """Focus a field, go to its end and type."""
    field.focus()
    await pilot.pause()
    await pilot.press("end", *text)


async def run_command(pilot: Pilot[Any], app: TwibenchApp, title: str) -> None:
    """Open the command palette, type a command's title and run it."""
    await pilot.press("ctrl+p")
    await settle(pilot, lambda: isinstance(app.screen, CommandPalette))
    await pilot.press(*title)
    palette = app.screen
    await settle(pilot, lambda: title in _first_hit(palette))
    await pilot.press("enter")
    await settle(pilot, lambda: not isinstance(app.screen, CommandPalette))


def _first_hit(palette: Any) -> str:
    from textual.command import CommandList

    options = palette.query_one(CommandList)
    if options.option_count == 0 or options.highlighted is None:
        return ""
    return str(options.get_option_at_index(options.highlighted).prompt)


async def click(pilot: Pilot[Any], selector: str) -> None:
    """Click a widget once it is on screen with a size: a dialog just pushed may not be laid out yet, and
    Pilot clicks where the widget is at that moment (nowhere, before the first layout). Pilot also says
    whether the click reached the widget; a click that did not (another widget was there when the events
    went out) is made again."""
    app = pilot.app
    deadline = time.monotonic() + 30.0
    while True:
        await settle(pilot, lambda: any(widget.region.area for widget in app.screen.query(selector)))
        if await pilot.click(selector):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"a click on {selector} never reached it")
        await pilot.pause(0.01)
