"""Start-up styles every widget once: no restyle of the whole screen on its first showing nor at the first
resize (`PaneScreen`), and the styles on screen are still exactly what a full restyle gives; app.tcss
holds only the rules of the first frame's widgets (the others are parsed when their widgets mount); a
resize to the size the screen is laid out for already does not lay it out again; the status line restyles
only when its colour class changes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget

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


LATER = {
    # Widgets (types, ids, classes) mounted only after the first frame: tab sets, tables, side panel.
    "RequestTabs", "ResponseTabs", "TabPane", "KeyValueTable", "kv-row", "kv-key", "FormEditor", "segments",
    "BodyTextArea", "docs", "response-tabs", "body-viewer", "twiml-verdict", "SidePanel", "side-tabs",
    "HistoryPane", "HistoryList", "history-filter", "RunPanel", "run-header", "run-results", "InboxPane",
    "inbox-table",
}  # fmt: skip


async def test_app_css_styles_only_the_first_frame(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        sheet = Stylesheet(variables=app.get_css_variables())
        css_path = Path(__file__).resolve().parents[2] / "twibench" / "tui" / "app.tcss"
        sheet.read(css_path)
        named = {name for rule in sheet.rules for name in rule.selector_names}
        assert "CollectionTree" in named
        assert named.isdisjoint(LATER)
        # The rules that moved into the widgets still apply when they mount (the run panel's header).
        await settle(pilot, lambda: bool(app.screen.query("#run-header")))
        header = app.screen.query_one("#run-header")
        assert str(header.styles.height) == "auto"
        assert tuple(header.styles.padding) == (0, 1, 0, 1)


async def test_a_resize_to_the_same_size_lays_nothing_out_again(
    collections: Path, twilio: FakeTwilio, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = app.screen
        await settle(pilot, lambda: bool(screen.query("#form-table") and screen.query("#body-viewer")))
        layouts: list[object] = []  # layouts for a terminal size (a widget's own refresh passes none)
        refresh_layout = screen._refresh_layout

        def counting(size: object = None, scroll: bool = False) -> None:
            if size is not None:
                layouts.append(size)
            refresh_layout(size, scroll)  # type: ignore[arg-type]

        monkeypatch.setattr(screen, "_refresh_layout", counting)
        same = app.size
        screen.post_message(events.Resize(same, same))
        await pilot.pause()
        assert layouts == []
        await pilot.resize_terminal(100, 30)
        await settle(pilot, lambda: bool(layouts) and screen.has_class("-short"))
        assert screen.query_one("#url-bar").has_class("-compact")


async def test_the_status_line_restyles_only_when_its_class_changes(
    collections: Path, twilio: FakeTwilio, monkeypatch: pytest.MonkeyPatch
) -> None:
    from twibench.tui.widgets.status_line import StatusLine

    app = build_app(collections, twilio)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        line = app.screen.query_one(StatusLine)
        restyled: list[DOMNode] = []
        update_styles = app.update_styles

        def recording(node: DOMNode, animate: bool = True) -> None:
            restyled.append(node)
            update_styles(node, animate=animate)

        monkeypatch.setattr(app, "update_styles", recording)
        line.not_sent("Fetch your account")
        line.idle()
        assert restyled == []  # -idle both times, as before
        line.problem("the host is refused")
        assert restyled == [line]
        assert line.has_class("-failed") and not line.has_class("-idle")


@pytest.mark.parametrize("size", [(80, 24), (120, 35)])
async def test_the_first_frame_has_the_layout_of_the_terminal_size(
    collections: Path, twilio: FakeTwilio, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    from twibench.tui.screens.main import MainScreen

    first: list[tuple[bool, bool]] = []  # (-short, compact request line) when the first frame is drawn
    draw = MainScreen._compositor_refresh

    def drawing(self: MainScreen) -> None:
        if not first:
            first.append((self.has_class("-short"), self.query_one("#url-bar").has_class("-compact")))
        draw(self)

    monkeypatch.setattr(MainScreen, "_compositor_refresh", drawing)
    app = build_app(collections, twilio)
    async with app.run_test(size=size) as pilot:
        await settle(pilot, lambda: bool(first))
        short = size[1] < 35
        assert first == [(short, short)]


def _first_draw(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """A list that gets an item each time the main screen draws (empty until its first frame is drawn)."""
    from twibench.tui.screens.main import MainScreen

    drawn: list[bool] = []
    draw = MainScreen._compositor_refresh

    def drawing(self: MainScreen) -> None:
        drawn.append(True)
        draw(self)

    monkeypatch.setattr(MainScreen, "_compositor_refresh", drawing)
    return drawn


async def test_each_widget_of_the_first_frame_is_styled_once_as_it_mounts(
    collections: Path, twilio: FakeTwilio, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Classes a widget is made with (the picker's and buttons' compact and primary looks, the URL field's
    -valid, the status line's -idle, the profile badge's colour) are given to Textual with the widget: set
    after it, each restyled the widget before it was even mounted (or, for the badge, again after)."""

    app = build_app(collections, twilio)
    styled: list[Widget] = []
    drawn = _first_draw(monkeypatch)
    apply = app.stylesheet.apply

    def recording(node: DOMNode, *args: Any, **kwargs: Any) -> None:
        if not drawn and isinstance(node, Widget):
            styled.append(node)
        apply(node, *args, **kwargs)

    monkeypatch.setattr(app.stylesheet, "apply", recording)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, lambda: bool(drawn))
        screen = app.screen
        assert screen.query_one("#profile-badge").has_class("-live")
        assert screen.query_one("#url").has_class("-valid")
        again = {f"{type(node).__name__}#{node.id}": n for node, n in Counter(styled).items() if n > 1}
        assert again == {"MainScreen#None": 2, "CollectionTree#tree": 2}  # its size classes; the tree's focus
        assert set(styled) >= set(screen.query("*"))


FIRST_FRAME_CSS = {
    # Textual's own, as in a bare app of a tree and a footer
    "App", "Screen", "Widget", "ScrollableContainer", "ScrollView", "Tree", "Footer",
    # the workbench's containers and first-frame widgets (the profile bar's texts are Statics, not Labels)
    "Vertical", "Horizontal", "Static", "Picker", "ActionButton", "Input",
}  # fmt: skip


async def test_the_first_frame_parses_only_its_own_css_each_once(
    collections: Path, twilio: FakeTwilio, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual parses a widget class's DEFAULT_CSS when the first such widget mounts, and again when a
    subclass deeper below it mounts later (it files the rules under that depth): the first frame brings only
    its own widgets' (Textual's Label, seven rules of colour variants, is not among them), and the two pickers
    are both subclasses of Picker, so its rules are parsed once. (Widget's and Vertical's are parsed twice, as in any
    app whose screen is mounted before deeper widgets.)"""

    app = build_app(collections, twilio)
    parsed: list[str] = []
    drawn = _first_draw(monkeypatch)
    parse = app.stylesheet._parse_rules

    def recording(css: str, read_from: tuple[str, str], *args: Any, **kwargs: Any) -> Any:
        known = len(app.stylesheet._parse_cache)
        rules = parse(css, read_from, *args, **kwargs)
        if not drawn and len(app.stylesheet._parse_cache) > known:
            parsed.append(read_from[1].removesuffix(".DEFAULT_CSS") if read_from[1] else Path(read_from[0]).name)
        return rules

    monkeypatch.setattr(app.stylesheet, "_parse_rules", recording)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, lambda: bool(drawn))
        assert set(parsed) == FIRST_FRAME_CSS | {"app.tcss"}
        twice = {name for name, n in Counter(parsed).items() if n > 1}
        assert twice <= {"Widget", "Vertical"}


@pytest.mark.parametrize("early", [False, True])
async def test_the_response_banner_mounts_when_first_shown(
    collections: Path, twilio: FakeTwilio, monkeypatch: pytest.MonkeyPatch, early: bool
) -> None:
    """The banner above the status line (a history entry, a run result, a stale response) is not in the
    first frame: the first banner mounts it with its look, before the first frame too (`early`); later ones
    reuse it, and a live answer hides it (the start request's, opened as the screen mounts, too)."""
    from rich.text import Text

    from twibench.tui.widgets.response_signs import Banner
    from twibench.tui.widgets.response_view import ResponseView

    mount = ResponseView.on_mount

    def mounting(self: ResponseView) -> None:
        mount(self)
        self._banner(Text("Shown before the first frame"))

    if early:
        monkeypatch.setattr(ResponseView, "on_mount", mounting)
    app = build_app(collections, twilio)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = app.screen
        await settle(pilot, lambda: bool(screen.query("#body-viewer")))
        view = screen.query_one(ResponseView)
        if early:  # mounted before the first frame, then hidden as the start request's live view opened
            assert not screen.query_one(Banner).display and view.banner is None
        else:
            assert not screen.query(Banner) and view.banner is None
        view._banner(Text("A recorded exchange"))
        await pilot.pause()
        banner = screen.query_one("#response-banner", Banner)
        assert banner.display and banner.region.height == 1 and view.banner is not None
        assert banner.region.y < screen.query_one("#status-line").region.y
        assert tuple(banner.styles.padding) == (0, 1, 0, 1) and banner.styles.background.a > 0
        view._banner(None)
        await pilot.pause()
        assert not banner.display and view.banner is None
        view._banner(Text("Again"))
        await pilot.pause()
        assert screen.query_one("#response-banner") is banner and banner.display and view.banner == "Again"
