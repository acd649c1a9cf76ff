"""The body viewer's commands: search counts and wrap notices, the JSONPath filter, copying, soft wrap."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from tests.tui.conftest import LIVE_SID, LIVE_TOKEN, SIZE, FakeTwilio, build_app, settle, status_text
from tests.tui.helpers import click, dialog, open_request, run_command
from tests.tui.notifications import Notes
from tests.tui.test_body_viewer import ViewerApp, index_of, message, page, screen_rows, style_of
from tests.tui.test_body_viewer import settle as finish_workers
from twibench.tui.dialogs.copied import CopiedScreen
from twibench.tui.dialogs.prompts import TextPrompt
from twibench.tui.widgets.body import SYNC_LIMIT, BodyViewer
from twibench.tui.widgets.body.painter import WRAP_MARK
from twibench.workbench.body_filter import run_filter

VIEW = (100, 30)


async def until(pilot: Pilot[None], condition: Callable[[], bool]) -> None:
    """Let timers and workers run until `condition()` holds (a hang guard, not a timing)."""
    for _ in range(500):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("the viewer did not reach the expected state")


def bottom(viewer: BodyViewer) -> str:
    """The bottom row as drawn."""
    return screen_rows(viewer)[-1].rstrip()


def sids(count: int) -> bytes:
    return page([message(f"SM{i:032x}") for i in range(count)], None)


# --- search ----------------------------------------------------------------------------------------


async def test_search_says_which_match_of_how_many_and_when_it_wraps() -> None:
    app = ViewerApp()
    async with app.run_test(size=VIEW) as pilot:
        viewer = app.query_one(BodyViewer)
        viewer.load(sids(3), "application/json")
        first, second, third = (i for i, line in enumerate(viewer.lines) if '"sid"' in line)
        await pilot.press("slash", *'"sid"', "enter")
        await finish_workers(pilot)
        assert viewer.cursor_line == first
        assert bottom(viewer).endswith('/"sid"  1/3 matches')  # the row stays after enter
        await pilot.press("n", "n")
        await finish_workers(pilot)
        assert (viewer.cursor_line, bottom(viewer)[-11:]) == (third, "3/3 matches")
        await pilot.press("n")
        await finish_workers(pilot)
        assert viewer.cursor_line == first
        assert bottom(viewer).endswith("1/3 matches · search wrapped to the top")
        await pilot.press("N")
        await finish_workers(pilot)
        assert viewer.cursor_line == third
        assert bottom(viewer).endswith("3/3 matches · search wrapped to the bottom")
        await pilot.press("N")
        await finish_workers(pilot)
        assert (viewer.cursor_line, bottom(viewer)[-11:]) == (second, "2/3 matches")
        await pilot.press("escape")
        assert not bottom(viewer).startswith("/")


async def test_the_count_covers_a_large_body_formatted_in_chunks() -> None:
    body = sids(3_000)
    assert len(body) >= SYNC_LIMIT
    app = ViewerApp()
    async with app.run_test(size=VIEW) as pilot:
        viewer = app.query_one(BodyViewer)
        viewer.load(body, "application/json")
        await viewer.wait_formatted()
        await pilot.press("slash", *"Media.json")
        await finish_workers(pilot)
        assert bottom(viewer).endswith("1/3,000 matches")


async def test_no_match_is_drawn_as_an_error() -> None:
    app = ViewerApp()
    async with app.run_test(size=VIEW) as pilot:
        viewer = app.query_one(BodyViewer)
        viewer.load(sids(1), "application/json")
        await pilot.press("slash", *"zzz")
        await finish_workers(pilot)
        assert bottom(viewer).endswith("/zzz   no match")
        rows = viewer.scrollable_content_region.height
        assert style_of(viewer, rows - 1, "no match") != style_of(viewer, rows - 1, "/zzz")


# --- filter ----------------------------------------------------------------------------------------


async def test_f_filters_live_with_a_count_and_escape_shows_the_whole_body() -> None:
    app = ViewerApp()
    async with app.run_test(size=VIEW) as pilot:
        viewer = app.query_one(BodyViewer)
        viewer.load(sids(4), "application/json")
        whole = list(viewer.lines)
        await pilot.press("f", *"$.messages[*].sid")
        await until(pilot, lambda: viewer.filtered and "4 matches" in bottom(viewer))
        assert bottom(viewer).startswith("filter $.messages[*].sid")
        assert json.loads("\n".join(viewer.lines)) == [f"SM{i:032x}" for i in range(4)]
        assert screen_rows(viewer)[0].startswith("filter $.messages[*].sid: 4 matches (escape shows the whole body)")

        await pilot.press("backspace", "backspace", "backspace", *"status")  # replaced as it is typed
        await until(pilot, lambda: '"delivered"' in "".join(viewer.lines))
        await pilot.press("enter")  # keeps the filter, closes the prompt
        assert viewer.filtered and viewer.bottom_row is None
        await until(pilot, lambda: viewer._filter._parsed is None)  # the parsed body is not kept once done
        await pilot.press("escape")
        assert not viewer.filtered
        assert list(viewer.lines) == whole


async def test_a_bad_expression_is_one_line_in_the_error_colour_and_enter_keeps_the_prompt() -> None:
    app = ViewerApp()
    async with app.run_test(size=VIEW) as pilot:
        viewer = app.query_one(BodyViewer)
        viewer.load(sids(2), "application/json")
        await pilot.press("f", *"$.messages[")
        await until(pilot, lambda: "not a valid JSONPath" in bottom(viewer))
        assert "the filter '$.messages[' is not a valid JSONPath (RFC 9535)" in bottom(viewer)
        assert "$.messages[:" not in (viewer.note or "")  # what was shown before stays
        rows = viewer.scrollable_content_region.height
        assert style_of(viewer, rows - 1, "not a valid").color != style_of(viewer, rows - 1, "filter $").color
        await pilot.press("enter")
        assert viewer.bottom_row is not None and viewer.bottom_row.typing
        await pilot.press("escape")
        assert viewer.bottom_row is None


async def test_an_error_found_after_enter_opens_the_prompt_again() -> None:
    app = ViewerApp()
    async with app.run_test(size=VIEW) as pilot:
        viewer = app.query_one(BodyViewer)
        viewer.load(sids(2), "application/json")
        await pilot.press("f")
        await pilot.press(*"$[", "enter")  # enter before the debounced filter ran
        await until(pilot, lambda: "not a valid JSONPath" in bottom(viewer))
        assert viewer.bottom_row is not None and viewer.bottom_row.typing and viewer.bottom_row.text == "$["


async def test_filtering_a_body_that_is_not_json_says_it_needs_json() -> None:
    notes = Notes()
    app = ViewerApp()
    async with app.run_test(size=VIEW, message_hook=notes.hook) as pilot:
        viewer = app.query_one(BodyViewer)
        viewer.load(b"<Response><Message>Hi</Message></Response>", "text/xml")
        await pilot.press("f")
        await pilot.pause()
        assert viewer.bottom_row is None
        assert notes.last().message == "Filtering needs a JSON body; this one is shown as xml."


async def test_a_large_body_is_filtered_off_the_ui_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    from twibench.workbench import body_filter

    threads: list[bool] = []

    def recording(*args: Any) -> Any:
        threads.append(threading.current_thread() is threading.main_thread())
        return run_filter(*args)

    monkeypatch.setattr(body_filter, "run_filter", recording)
    body = sids(3_000)
    assert len(body) >= SYNC_LIMIT
    app = ViewerApp()
    async with app.run_test(size=VIEW) as pilot:
        viewer = app.query_one(BodyViewer)
        viewer.load(body, "application/json")
        await viewer.wait_formatted()
        await pilot.press("f", *"$.messages[?@.sid == 'SM", *f"{2999:032x}", *"']", "enter")
        await until(pilot, lambda: "1 match" in (viewer.note or ""))
        assert threads and not any(threads)  # never on the UI (main) thread
        assert viewer.text_of_line(2) == f'    "sid": "SM{2999:032x}",'
        await pilot.press("right_square_bracket")  # the whole body's links still work while filtered
        await pilot.pause()
        assert app.opened == []  # this page has no next page: nothing opens


def test_the_filter_imports_jsonpath_only_when_used() -> None:
    code = "import sys, twibench.tui.app, twibench.tui.widgets.body; print('jsonpath' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"  # start-up stays as fast as before the filter existed


async def test_loading_another_body_drops_the_filter() -> None:
    app = ViewerApp()
    async with app.run_test(size=VIEW) as pilot:
        viewer = app.query_one(BodyViewer)
        viewer.load(sids(2), "application/json")
        await pilot.press("f", *"$.page", "enter")
        await until(pilot, lambda: viewer.filtered)
        viewer.load(b'{"a": 1}', "application/json")
        assert not viewer.filtered and viewer.bottom_row is None and viewer.lines[1] == '  "a": 1'


async def test_escape_cancels_a_running_filter_and_drops_its_result(monkeypatch: pytest.MonkeyPatch) -> None:
    from twibench.workbench import body_filter

    started, release = threading.Event(), threading.Event()

    def held(*args: Any) -> Any:
        started.set()
        release.wait(timeout=30)  # a hang guard: the test releases it
        return run_filter(*args)

    monkeypatch.setattr(body_filter, "run_filter", held)
    app = ViewerApp()
    async with app.run_test(size=VIEW) as pilot:
        viewer = app.query_one(BodyViewer)
        viewer.load(sids(2), "application/json")
        whole = list(viewer.lines)
        await pilot.press("f", *"$.page")
        await until(pilot, started.is_set)
        running = [worker for worker in app.workers if worker.group == "body-filter"]
        assert len(running) == 1 and not running[0].is_cancelled
        await pilot.press("escape")
        release.set()
        assert running[0].is_cancelled
        await until(pilot, lambda: running[0].is_finished)
        await pilot.pause()
        assert not viewer.filtered and viewer.bottom_row is None and list(viewer.lines) == whole


# --- copy ------------------------------------------------------------------------------------------


async def test_c_copies_the_value_and_C_the_body_via_osc52_and_v_shows_the_copy() -> None:
    notes = Notes()
    app = ViewerApp()
    async with app.run_test(size=VIEW, message_hook=notes.hook) as pilot:
        viewer = app.query_one(BodyViewer)
        body = json.dumps(message()).encode()
        viewer.load(body, "application/json")
        viewer.move_cursor(index_of(viewer, '"sid"'))
        await pilot.press("c")
        assert app.clipboard == message()["sid"]
        assert "via OSC 52" in notes.last().message and "press v" in notes.last().message
        viewer.move_cursor(index_of(viewer, '"subresource_uris"'))
        await pilot.press("c")
        assert json.loads(app.clipboard) == message()["subresource_uris"]
        await pilot.press("C")
        assert json.loads(app.clipboard) == message()

        await pilot.press("v")
        shown = await dialog(pilot, app, CopiedScreen)
        assert json.loads(shown.query_one(TextArea).text) == message()
        await pilot.press("escape")


async def test_v_saves_the_copy_to_a_file(tmp_path: Path) -> None:
    app = ViewerApp()
    async with app.run_test(size=VIEW) as pilot:
        viewer = app.query_one(BodyViewer)
        viewer.load(json.dumps(message()).encode(), "application/json")
        viewer.move_cursor(index_of(viewer, '"status"'))
        await pilot.press("c", "v")
        shown = await dialog(pilot, app, CopiedScreen)
        await click(pilot, "#snippet-save")
        prompt = await dialog(pilot, app, TextPrompt)
        target = tmp_path / "value.txt"
        prompt.query_one("#prompt-input", Input).value = str(target)
        await click(pilot, "#prompt-ok")
        await until(pilot, target.exists)
        assert target.read_text() == "delivered"
        assert shown is not app.screen


async def test_a_body_too_large_for_osc52_is_offered_as_a_file(monkeypatch: pytest.MonkeyPatch) -> None:
    from twibench.tui.widgets.body import copying

    monkeypatch.setattr(copying, "OSC52_LIMIT", 100)
    notes = Notes()
    app = ViewerApp()
    async with app.run_test(size=VIEW, message_hook=notes.hook) as pilot:
        viewer = app.query_one(BodyViewer)
        viewer.load(sids(2), "application/json")
        await pilot.press("C")
        assert app.clipboard == ""
        assert "too large for the terminal clipboard (OSC 52): press v to save it" in notes.last().message


async def test_copies_from_the_app_are_masked(collections: Path, twilio: FakeTwilio) -> None:
    twilio.json("GET", f"/2010-04-01/Accounts/{LIVE_SID}.json", 200, {"sid": LIVE_SID, "echo": LIVE_TOKEN})
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await open_request(pilot, app, "Accounts", "fetch")
        await pilot.press("ctrl+j")
        await settle(pilot, lambda: status_text(app).startswith("200"))
        viewer = app.screen.query_one(BodyViewer)
        await settle(pilot, lambda: viewer.line_count > 2)
        app.screen.query_one("#body-viewer").focus()
        viewer.move_cursor(index_of(viewer, '"echo"'))
        await pilot.press("C")
        assert '"sid"' in app.clipboard and LIVE_TOKEN not in app.clipboard
        await pilot.press("c")
        assert LIVE_TOKEN not in app.clipboard and app.clipboard


async def test_the_palette_runs_the_body_commands(collections: Path, twilio: FakeTwilio) -> None:
    twilio.json("GET", f"/2010-04-01/Accounts/{LIVE_SID}.json", 200, {"sid": LIVE_SID, "status": "active"})
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await open_request(pilot, app, "Accounts", "fetch")
        await pilot.press("ctrl+j")
        await settle(pilot, lambda: status_text(app).startswith("200"))
        viewer = app.screen.query_one(BodyViewer)
        await run_command(pilot, app, "Body: filter with a JSONPath")
        await settle(pilot, lambda: viewer.bottom_row is not None)
        assert app.focused is viewer
        await pilot.press(*"$.status", "enter")
        await settle(pilot, lambda: viewer.filtered)
        assert list(viewer.lines) == ["[", '  "active"', "]"]
        await run_command(pilot, app, "Body: wrap long lines")
        await settle(pilot, lambda: viewer.wrapped)
        await run_command(pilot, app, "Body: copy body")
        await settle(pilot, lambda: app.clipboard == '[\n  "active"\n]')


# --- wrap ------------------------------------------------------------------------------------------


async def test_w_wraps_long_lines_at_the_pane_width_and_back() -> None:
    words = " ".join(f"word{i:03}" for i in range(60))  # 479 characters
    app = ViewerApp()
    async with app.run_test(size=VIEW) as pilot:
        viewer = app.query_one(BodyViewer)
        viewer.load(f"first\n{words}\nlast\n".encode(), "text/plain")
        await pilot.pause()
        assert screen_rows(viewer)[2].startswith("3 last")
        assert viewer.max_scroll_x > 0
        await pilot.press("w")
        await pilot.pause()
        assert viewer.wrapped
        rows = screen_rows(viewer)
        width = VIEW[0] - 2 - 2  # less the gutter, and room for a scrollbar
        assert rows[1].rstrip() == "2 " + words[:width].rstrip()
        assert rows[2].rstrip() == f"{WRAP_MARK} " + words[width : 2 * width].rstrip()
        last = next(y for y, row in enumerate(rows) if row.startswith("3 last"))
        assert "".join(row[2 : 2 + width] for row in rows[1:last]).rstrip() == words
        assert viewer.max_scroll_x == 0
        assert any(b.binding.description == "Unwrap" for b in app.screen.active_bindings.values())
        await pilot.press("w")
        await pilot.pause()
        assert not viewer.wrapped and screen_rows(viewer)[2].startswith("3 last")
        assert any(b.binding.description == "Wrap" for b in app.screen.active_bindings.values())


async def test_wrapped_navigation_keeps_the_cursor_on_screen_in_a_large_body() -> None:
    records = [message(f"SM{i:032x}", body="long " * 60) for i in range(2_500)]
    body = page(records, None)
    assert len(body) >= SYNC_LIMIT
    app = ViewerApp()
    async with app.run_test(size=VIEW) as pilot:
        viewer = app.query_one(BodyViewer)
        viewer.load(body, "application/json")
        await viewer.wait_formatted()
        await pilot.press("w", "end")
        await pilot.pause()
        rows = screen_rows(viewer)
        assert any(row.startswith(f"{viewer.line_count} }}") for row in rows)  # the last line shows
        await pilot.press("home")
        await pilot.pause()
        assert screen_rows(viewer)[0].startswith("    1 {")
        for _ in range(3):
            await pilot.press("pagedown")
        await pilot.pause()
        cursor = f"{viewer.cursor_line + 1:>5} "
        assert any(row.startswith(cursor) for row in screen_rows(viewer))
        await pilot.press("slash", *"long long", "enter")  # a search scrolls the wrapped match into view
        await finish_workers(pilot)
        cursor = f"{viewer.cursor_line + 1:>5} "
        assert any(row.startswith(cursor) for row in screen_rows(viewer))


async def test_the_formatting_worker_is_not_named_after_the_body() -> None:
    # Textual describes a worker by repr(work) when not told otherwise: for a partial holding the body,
    # that is a repr of every byte (150 ms on the UI thread at 20 MB, before anything is drawn).
    app = ViewerApp()
    async with app.run_test(size=VIEW):
        viewer = app.query_one(BodyViewer)
        viewer.load(sids(3_000), "application/json")
        descriptions = [worker.description for worker in app.workers if worker.group == "body-format"]
        assert descriptions == ["format body"]
        await viewer.wait_formatted()
