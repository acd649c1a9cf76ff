"""Rules of states the first frame does not show (status colours, a button focused, hovered or pressed) are
added when they can first match (`twibench.tui.later_css`) and style as they did from app.tcss and the
button's DEFAULT_CSS: after the first frame, and before it too when the state comes that early."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.color import Color

from tests.tui.conftest import FakeTwilio, build_app, settle
from twibench.tui.app import TwibenchApp
from twibench.tui.widgets.action_button import ActionButton
from twibench.tui.widgets.status_line import StatusLine


def sources(app: TwibenchApp) -> set[str]:
    return {name for _path, name in app.stylesheet.source}


def variable(app: TwibenchApp, name: str) -> Color:
    return Color.parse(app.get_css_variables()[name])


async def test_status_colours_come_with_the_first_answer(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, lambda: bool(app.screen.query("#body-viewer")))
        line = app.screen.query_one(StatusLine)
        assert "StatusLine.LATER_CSS" not in sources(app) and line.has_class("-idle")
        line.problem("the host is refused")
        await pilot.pause()
        assert "StatusLine.LATER_CSS" in sources(app)
        assert line.styles.background == variable(app, "error-muted")
        line.sending("GET /x")
        await pilot.pause()
        assert line.styles.background == variable(app, "boost")


async def test_buttons_get_their_hover_focus_and_press_looks_after_the_first_frame(
    collections: Path, twilio: FakeTwilio
) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, lambda: "ActionButton.LATER_CSS" in sources(app))
        edit = app.screen.query_one("#profile-edit", ActionButton)
        assert edit.styles.background == variable(app, "surface")
        await pilot.hover("#profile-edit")
        await settle(pilot, lambda: edit.styles.background == variable(app, "surface-darken-1"))
        send = app.screen.query_one("#send", ActionButton)
        send.focus()
        await settle(pilot, lambda: send.has_focus and send.styles.background_tint.a > 0)
        send.press()
        await settle(pilot, lambda: send.styles.tint.a > 0)  # pressed: the -active look


async def test_a_button_pressed_before_the_first_frame_looks_pressed(
    collections: Path, twilio: FakeTwilio, monkeypatch: pytest.MonkeyPatch
) -> None:
    from twibench.tui.widgets import action_button

    mount = ActionButton.on_mount

    def mounting(self: ActionButton) -> None:
        mount(self)
        if self.id == "send":
            self.press()

    monkeypatch.setattr(ActionButton, "on_mount", mounting)
    monkeypatch.setattr(action_button, "ACTIVE_FLASH", 60.0)  # pressed until the test has looked
    app = build_app(collections, twilio)
    async with app.run_test(size=(120, 35)) as pilot:
        send = app.screen.query_one("#send", ActionButton)
        await settle(pilot, lambda: bool(app.screen.query("#body-viewer")))
        assert send.has_class("-active") and send.styles.tint.a > 0
