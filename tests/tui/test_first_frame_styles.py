"""Start-up styles every widget once: no restyle of the whole screen on its first showing nor at the first
resize (`PaneScreen`), and the styles on screen are still exactly what a full restyle gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.dom import DOMNode
from textual.screen import Screen

from tests.tui.conftest import FakeTwilio, build_app, settle


def _rules(screen: Screen[object]) -> dict[DOMNode, object]:
    return {node: node.styles.base.get_rules() for node in screen.walk_children(with_self=True)}


@pytest.mark.parametrize("size", [(120, 35), (80, 24), (210, 50)])
async def test_start_restyles_no_whole_screen_and_leaves_no_stale_style(
    collections: Path, twilio: FakeTwilio, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    app = build_app(collections, twilio)
    whole: list[int] = []  # widgets under each restyle of the screen with its widgets in it
    update_styles = app.update_styles

    def recording(node: DOMNode, animate: bool = True) -> None:
        if isinstance(node, Screen) and node.children:
            whole.append(len(list(node.walk_children())))
        update_styles(node, animate=animate)

    monkeypatch.setattr(app, "update_styles", recording)
    async with app.run_test(size=size) as pilot:
        screen = app.screen
        await settle(pilot, lambda: bool(screen.query("#form-table") and screen.query("#body-viewer")))
        await pilot.pause()
        assert whole == []
        short, wide = size[1] < 35, size[0] >= 200
        assert screen.has_class("-short") is short and screen.has_class("-tall") is not short
        assert screen.has_class("-wide") is wide and screen.has_class("-narrow") is not wide
        shown = _rules(screen)
        app.stylesheet.update(screen)
        assert _rules(screen) == shown
