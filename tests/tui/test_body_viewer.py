"""The body viewer: formatted lines, colours, search, Twilio URIs, binary and long lines, and a UI that
keeps answering keys while a multi-megabyte body is formatted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import suppress
from typing import Any

import pytest
from rich.style import Style
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from twibench import render
from twibench.tui.widgets.body import MAX_LINE_CHARS, SYNC_LIMIT, BodyViewer

ACCOUNT = "AC0123456789abcdef0123456789abcdef"
SID = "SM0123456789abcdef0123456789abcdef"
BASE = f"/2010-04-01/Accounts/{ACCOUNT}"
SIZE = (100, 30)


def message(sid: str = SID, body: str = "Hello") -> dict[str, Any]:
    """A Twilio message record."""
    return {
        "sid": sid,
        "body": body,
        "status": "delivered",
        "num_segments": "1",
        "error_code": None,
        "price": -0.0075,
        "subresource_uris": {"media": f"{BASE}/Messages/{sid}/Media.json"},
        "uri": f"{BASE}/Messages/{sid}.json",
    }


def page(records: list[dict[str, Any]], next_page: str | None) -> bytes:
    """A Twilio list page."""
    return json.dumps(
        {
            "first_page_uri": f"{BASE}/Messages.json?PageSize=50&Page=0",
            "messages": records,
            "next_page_uri": next_page,
            "page": 0,
            "page_size": 50,
            "previous_page_uri": None,
            "uri": f"{BASE}/Messages.json?PageSize=50&Page=0",
        }
    ).encode()


class ViewerApp(App[None]):
    """A bare app around one focused BodyViewer that records what the viewer posts."""

    BINDINGS = [Binding("x", "count", "Count")]  # noqa: RUF012 - Textual's convention

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []
        self.formatted: list[BodyViewer.Formatted] = []
        self.presses = 0
        self.presses_when_formatted: int | None = None

    def compose(self) -> ComposeResult:
        yield BodyViewer()

    def on_mount(self) -> None:
        self.query_one(BodyViewer).focus()

    def action_count(self) -> None:
        self.presses += 1

    def on_body_viewer_open_uri(self, message: BodyViewer.OpenUri) -> None:
        self.opened.append(message.uri)

    def on_body_viewer_formatted(self, message: BodyViewer.Formatted) -> None:
        self.formatted.append(message)
        if self.presses_when_formatted is None:
            self.presses_when_formatted = self.presses


def screen_rows(viewer: BodyViewer) -> list[str]:
    """The viewer's rows as plain text, as `render_line` draws them."""
    return [viewer.render_line(y).text for y in range(viewer.scrollable_content_region.height)]


def style_of(viewer: BodyViewer, row: int, fragment: str) -> Style:
    """The style of the drawn segment holding `fragment` on a row."""
    for segment in viewer.render_line(row):
        if fragment in segment.text:
            assert segment.style is not None
            return segment.style
    raise AssertionError(f"{fragment!r} not drawn on row {row}")


def index_of(viewer: BodyViewer, fragment: str) -> int:
    """The first formatted line containing `fragment`."""
    return next(i for i, line in enumerate(viewer.lines) if fragment in line)


async def settle(pilot: Pilot[None]) -> None:
    """Let searches (workers) finish and the screen refresh."""
    for worker in list(pilot.app.workers):
        with suppress(WorkerCancelled):  # replaced by a newer search or body
            await worker.wait()
    await pilot.pause()


async def test_json_is_shown_as_indented_lines_with_line_numbers() -> None:
    app = ViewerApp()
    async with app.run_test(size=SIZE) as pilot:
        viewer = app.query_one(BodyViewer)
        viewer.load(json.dumps(message()).encode(), "application/json")
        await pilot.pause()
        assert viewer.kind == "json"
        assert viewer.lines[0] == "{"
        assert viewer.text_of_line(1) == f'  "sid": "{SID}",'
        assert viewer.lines[-1] == "}"
        assert [m.kind for m in app.formatted] == ["json"]
        rows = screen_rows(viewer)
        assert rows[0].startswith(" 1 {")
        assert rows[1].startswith(f' 2   "sid": "{SID}",')


async def test_keys_strings_numbers_and_literals_have_distinct_colours() -> None:
    app = ViewerApp()
    async with app.run_test(size=SIZE) as pilot:
        viewer = app.query_one(BodyViewer)
        viewer.load(json.dumps(message()).encode(), "application/json")
        await pilot.pause()
        status = index_of(viewer, '"status"')
        key = style_of(viewer, status, '"status"')
        string = style_of(viewer, status, '"delivered"')
        number = style_of(viewer, index_of(viewer, '"price"'), "-0.0075")
        literal = style_of(viewer, index_of(viewer, '"error_code"'), "null")
        colours = {key.color, string.color, number.color, literal.color}
        assert None not in colours
        assert len(colours) == 4


async def test_colours_follow_the_app_theme() -> None:
    app = ViewerApp()
    async with app.run_test(size=SIZE) as pilot:
        viewer = app.query_one(BodyViewer)
        viewer.load(json.dumps(message()).encode(), "application/json")
        app.theme = "textual-dark"
        await pilot.pause()
        dark = style_of(viewer, 1, '"sid"').color
        app.theme = "textual-light"
        await pilot.pause()
        assert style_of(viewer, 1, '"sid"').color != dark


async def test_xml_tags_are_coloured_apart_from_text() -> None:
    app = ViewerApp()
    async with app.run_test(size=SIZE) as pilot:
        viewer = app.query_one(BodyViewer)
        viewer.load(b"<Response><Message><Body>Hi there</Body></Message></Response>", "text/xml")
        await pilot.pause()
        assert viewer.kind == "xml"
        row = index_of(viewer, "Hi there")
        assert style_of(viewer, row, "<Body>").color != style_of(viewer, row, "Hi there").color


async def test_search_finds_a_match_far_down_a_large_body_and_n_and_N_move() -> None:
    items = [{"n": i, "s": "needle" if i in (12_000, 12_300) else "hay"} for i in range(12_500)]
    body = json.dumps({"items": items}).encode()
    assert len(body) >= SYNC_LIMIT  # formatted in the background: this also covers the chunked storage
    app = ViewerApp()
    async with app.run_test(size=SIZE) as pilot:
        viewer = app.query_one(BodyViewer)
        viewer.load(body, "application/json")
        await viewer.wait_formatted()
        assert viewer.line_count > 50_000
        first, second = (i for i, line in enumerate(viewer.lines) if "needle" in line)

        await pilot.press("slash", *"NEEDLE", "enter")  # typed into the prompt, case-insensitive
        await settle(pilot)
        assert viewer.cursor_line == first
        assert viewer.search_text == "NEEDLE"
        cursor_row = next(y for y, text in enumerate(screen_rows(viewer)) if text.startswith(f"{first + 1} "))
        match = style_of(viewer, cursor_row, "needle")
        assert match != style_of(viewer, cursor_row, '"s"')

        await pilot.press("n")
        await settle(pilot)
        assert viewer.cursor_line == second
        await pilot.press("n")  # wraps around to the top
        await settle(pilot)
        assert viewer.cursor_line == first
        await pilot.press("N")  # and backwards past the top again
        await settle(pilot)
        assert viewer.cursor_line == second

        await pilot.press("escape")
        assert viewer.search_text == ""


async def test_search_prompt_shows_on_the_bottom_row_and_escape_closes_it() -> None:
    app = ViewerApp()
    async with app.run_test(size=SIZE) as pilot:
        viewer = app.query_one(BodyViewer)
        viewer.load(json.dumps(message(body="Ünïcødé text")).encode(), "application/json")
        await pilot.press("slash", *"üNÏ")
        await settle(pilot)
        assert screen_rows(viewer)[-1].startswith("/üNÏ")
        assert viewer.cursor_line == index_of(viewer, "Ünïcødé")
        await pilot.press("escape")
        assert not screen_rows(viewer)[-1].startswith("/")
        assert viewer.search_text == ""


async def test_a_search_without_match_leaves_the_cursor_and_says_no_match() -> None:
    app = ViewerApp()
    async with app.run_test(size=SIZE) as pilot:
        viewer = app.query_one(BodyViewer)
        viewer.load(json.dumps(message()).encode(), "application/json")
        await pilot.press("down", "down", "slash", *"zzz")
        await settle(pilot)
        assert viewer.cursor_line == 2
        assert "no match" in screen_rows(viewer)[-1]
        assert await viewer.search_for("delivered") == index_of(viewer, "delivered")


async def test_enter_on_a_uri_line_posts_open_uri() -> None:
    app = ViewerApp()
    async with app.run_test(size=SIZE) as pilot:
        viewer = app.query_one(BodyViewer)
        viewer.load(page([message()], None), "application/json")
        viewer.move_cursor(index_of(viewer, f'"uri": "{BASE}/Messages/'))
        await pilot.press("enter")
        viewer.move_cursor(index_of(viewer, '"media"'))
        await pilot.press("enter")
        viewer.move_cursor(index_of(viewer, '"first_page_uri"'))
        await pilot.press("enter")
        viewer.move_cursor(index_of(viewer, '"sid"'))  # not a URI: nothing is posted
        await pilot.press("enter")
        await pilot.pause()
        assert app.opened == [
            f"{BASE}/Messages/{SID}.json",
            f"{BASE}/Messages/{SID}/Media.json",
            f"{BASE}/Messages.json?PageSize=50&Page=0",
        ]


async def test_right_bracket_posts_the_next_page_uri() -> None:
    next_page = f"{BASE}/Messages.json?PageSize=50&Page=1&PageToken=PASM0123"
    app = ViewerApp()
    async with app.run_test(size=SIZE) as pilot:
        viewer = app.query_one(BodyViewer)
        viewer.load(page([message()], next_page), "application/json")
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.opened == [next_page]

        viewer.load(page([message()], None), "application/json")  # the last page
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.opened == [next_page]


async def test_binary_body_shows_its_size_and_a_hex_preview() -> None:
    app = ViewerApp()
    async with app.run_test(size=SIZE) as pilot:
        viewer = app.query_one(BodyViewer)
        viewer.load(bytes(range(256)) * 4, "application/octet-stream")
        await pilot.pause()
        assert viewer.kind == "binary"
        assert "1,024 bytes" in viewer.lines[0]
        assert viewer.lines[1].startswith("00000000: 0001 0203")


async def test_empty_body_and_a_formatting_note_show_as_dim_rows() -> None:
    app = ViewerApp()
    async with app.run_test(size=SIZE) as pilot:
        viewer = app.query_one(BodyViewer)
        viewer.load(b"", "application/json")
        await pilot.pause()
        assert screen_rows(viewer)[0].startswith("(empty body)")
        assert style_of(viewer, 0, "(empty body)").italic

        viewer.load(b'{"sid": "SM1",\n "oops"}', "application/json")
        await pilot.pause()
        assert viewer.note is not None and "invalid JSON at line 2" in viewer.note
        rows = screen_rows(viewer)
        assert rows[0].startswith("invalid JSON at line 2")
        assert rows[1].startswith('1 {"sid": "SM1",')


async def test_a_long_line_is_cut_with_a_marker_and_scrolls_sideways() -> None:
    long_line = "x" * (MAX_LINE_CHARS * 3)
    app = ViewerApp()
    async with app.run_test(size=SIZE) as pilot:
        viewer = app.query_one(BodyViewer)
        viewer.load(f"short\n{long_line}\n".encode(), "text/plain")
        await pilot.pause()
        assert viewer.text_of_line(1) == long_line
        assert viewer.virtual_size.width < MAX_LINE_CHARS + 20  # the scroll range stops at the cut
        viewer.scroll_to(x=viewer.max_scroll_x, animate=False)
        await pilot.pause()
        row = screen_rows(viewer)[1]
        assert row.rstrip().endswith("x…")
        assert style_of(viewer, 1, "…").bold


async def test_cursor_keys_move_the_highlighted_line() -> None:
    app = ViewerApp()
    async with app.run_test(size=SIZE) as pilot:
        viewer = app.query_one(BodyViewer)
        viewer.load(page([message(f"SM{i:032x}") for i in range(20)], None), "application/json")
        await pilot.press("down")
        assert viewer.cursor_line == 1
        highlighted = style_of(viewer, 1, '"first_page_uri"')
        assert highlighted.bgcolor != style_of(viewer, 2, '"messages"').bgcolor
        await pilot.press("pagedown")
        assert viewer.cursor_line == 1 + viewer.scrollable_content_region.height  # one page down
        await pilot.press("end")
        assert viewer.cursor_line == viewer.line_count - 1
        assert viewer.scroll_offset.y == viewer.max_scroll_y
        await pilot.press("home")
        assert (viewer.cursor_line, viewer.scroll_offset.y) == (0, 0)


async def test_keys_are_handled_while_a_large_body_is_formatted() -> None:
    records = [message(f"SM{i:032x}", body=f"Message number {i}") for i in range(14_000)]
    body = page(records, None)
    assert len(body) > 5_000_000
    app = ViewerApp()
    async with app.run_test(size=SIZE) as pilot:
        viewer = app.query_one(BodyViewer)
        viewer.load(body, "application/json")
        assert viewer.formatting
        assert screen_rows(viewer)[0].startswith("formatting 5.")
        for _ in range(10_000):
            if app.formatted:
                break
            await pilot.press("x")  # handled by the app's binding between formatting batches
        await viewer.wait_formatted()
        assert app.presses_when_formatted is not None and app.presses_when_formatted >= 1
        assert not viewer.formatting
        assert viewer.line_count == len(records) * 12 + 10  # 12 lines a record, 10 for the envelope


async def test_a_new_body_replaces_one_still_being_formatted() -> None:
    big = page([message(f"SM{i:032x}") for i in range(5_000)], None)
    app = ViewerApp()
    async with app.run_test(size=SIZE) as pilot:
        viewer = app.query_one(BodyViewer)
        viewer.load(big, "application/json")
        viewer.load(b"plain words", "text/plain")
        await viewer.wait_formatted()
        await settle(pilot)
        assert list(viewer.lines) == ["plain words"]
        assert [m.kind for m in app.formatted] == ["text"]
        viewer.clear()
        assert viewer.line_count == 0


async def test_a_formatter_failure_shows_the_body_as_text_with_visible_control_characters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(body: bytes, content_type: str | None, *, batch_lines: int = 0) -> Iterator[render.RenderBatch]:
        raise ValueError("boom")
        yield

    monkeypatch.setattr(render, "iter_render", broken)
    app = ViewerApp()
    async with app.run_test(size=SIZE):
        viewer = app.query_one(BodyViewer)
        viewer.load(b"\x1b[31mred\n" + b"x" * SYNC_LIMIT, "application/json")
        await viewer.wait_formatted()
        assert viewer.kind == "text"
        assert viewer.note is not None and "could not format the body (ValueError: boom)" in viewer.note
        assert viewer.lines[0] == "\u241b[31mred"  # ␛, never a raw escape sequence


def test_every_binding_has_an_id() -> None:
    ids = {binding.id for binding in BodyViewer.BINDINGS if isinstance(binding, Binding)}
    assert {"body.search", "body.next_match", "body.prev_match", "body.open_uri", "body.next_page"} <= ids
    assert len(ids) == len(BodyViewer.BINDINGS)
