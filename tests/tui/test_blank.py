"""The workbench's containers draw only their background (`widgets.blank.BlankContainer`), in one go, and
those are exactly the lines Textual's own drawing makes for them: padding, every size, cropped too."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widget import Widget

from tests.tui.conftest import FakeTwilio, build_app, settle
from twibench.tui.widgets.blank import BlankContainer

CONTAINERS = ("#workbench", "#response-row", "#url-line", "#status-row", "ProfileBar", "UrlBar", "RequestEditor")


@pytest.mark.parametrize("size", [(120, 35), (80, 24), (210, 50)])
async def test_blank_containers_draw_the_lines_textual_draws(
    collections: Path, twilio: FakeTwilio, size: tuple[int, int]
) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=size) as pilot:
        screen = app.screen
        await settle(pilot, lambda: bool(screen.query("#form-table")))
        widgets = [screen, *(screen.query_one(selector) for selector in (*CONTAINERS, "ResponseView"))]
        for widget in widgets:
            assert isinstance(widget, BlankContainer)
            width, height = widget.region.size
            for crop in (Region(0, 0, width, height), Region(1, 2, width - 3, height - 4)):
                widget._styles_cache.clear()
                ours = widget.render_lines(crop)
                widget._styles_cache.clear()
                assert ours == Widget.render_lines(widget, crop), (widget, crop)


async def test_a_blank_container_with_a_border_is_drawn_by_textual(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        editor = app.screen.query_one("RequestEditor")
        editor.styles.border = ("round", "red")
        await pilot.pause()
        crop = Region(0, 0, *editor.region.size)
        lines = editor.render_lines(crop)
        assert lines[0].text.startswith("╭") and lines == Widget.render_lines(editor, crop)


@pytest.mark.parametrize("effect", ["outline", "tint", "opacity", "text_opacity"])
async def test_a_blank_container_with_an_effect_is_drawn_by_textual(
    collections: Path, twilio: FakeTwilio, effect: str
) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        row = app.screen.query_one("#response-row")
        values = {"outline": ("solid", "red"), "tint": "red 40%", "opacity": 0.5, "text_opacity": 0.5}
        setattr(row.styles, effect, values[effect])
        await pilot.pause()
        crop = Region(0, 0, *row.region.size)
        row._styles_cache.clear()
        lines = row.render_lines(crop)
        row._styles_cache.clear()
        assert lines == Widget.render_lines(row, crop)
