"""Starting the app: what is focused and open, broken files in the tree, switching profile and method."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from tests.tui.conftest import BROKEN_YAML, SIZE, FakeTwilio, build_app, settle
from tests.tui.helpers import current, open_request
from twibench.tui.widgets.collection_tree import CollectionTree
from twibench.tui.widgets.picker import Picker
from twibench.tui.widgets.profile_bar import ProfileBar
from twibench.tui.widgets.url_bar import MethodSelect, UrlInput
from twibench.workbench.workspace import RequestEntry


async def test_start_focuses_the_tree_with_the_first_request_open(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        tree = screen.query_one(CollectionTree)
        assert screen.focused is tree
        await settle(pilot, lambda: tree.cursor_node is not None and tree.cursor_node.data is not None)
        entry = tree.cursor_node.data if tree.cursor_node is not None else None
        assert isinstance(entry, RequestEntry)
        assert entry.owner.name == "Accounts"
        assert entry.request.name == "Fetch your account"
        assert screen.query_one(UrlInput).value == "/2010-04-01/Accounts/{{account_sid}}.json"
        preview = str(screen.query_one("#url-preview").render())
        assert "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef.json" in preview


async def test_moving_in_the_tree_opens_each_request(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Accounts", "fetch")
        await pilot.press("down")
        url = app.screen.query_one(UrlInput)
        await settle(pilot, lambda: url.value == "/2010-04-01/Accounts.json")
        await pilot.press("down", "down")  # past the "Messages" collection node
        await settle(pilot, lambda: url.value.endswith("/Messages.json"))
        assert app.screen.query_one(MethodSelect).value == "POST"


async def test_a_broken_file_is_listed_with_its_error_and_the_others_load(
    collections: Path, twilio: FakeTwilio
) -> None:
    (collections / "broken.yaml").write_text(BROKEN_YAML)
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        tree = app.screen.query_one(CollectionTree)
        labels = [str(node.label) for node in tree.root.children]
        assert labels[:2] == ["Accounts", "Messages"]
        broken = [label for label in labels if label.startswith("⚠")]
        assert len(broken) == 1
        assert broken[0].startswith("⚠ broken.yaml:")
        assert "url" in broken[0]
        assert broken[0].endswith("(+1 more)")  # the misspelt `methd:` is the second problem
        line, column = broken[0].removeprefix("⚠ broken.yaml:").split(":")[:2]
        assert line.isdigit() and column.isdigit()


async def test_ctrl_l_puts_the_cursor_at_the_end_of_the_url_without_selecting(
    collections: Path, twilio: FakeTwilio
) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+l")
        url = app.screen.query_one(UrlInput)
        assert app.screen.focused is url
        assert url.cursor_position == len(url.value)
        assert url.selection.is_empty
        await pilot.press("x")
        assert url.value.endswith(".jsonx")


async def test_switching_profile_shows_it_and_changes_the_preview(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(ProfileBar)
        badge = bar.query_one("#profile-badge")
        assert "LIVE" in str(badge.render())
        app.workbench.action_switch_profile("key")
        await pilot.pause()
        picker = bar.query_one("#profile-select", Picker)
        assert picker.value == "key"
        preview = str(app.screen.query_one("#url-preview").render())
        assert preview.startswith("→ https://api.dublin.ie1.twilio.com/2010-04-01/Accounts/")
        # The selector shows name, kind, masked SID and host — and never a secret.
        shown = str(picker.render())
        assert "key · API Key · SK01…cdef · api.dublin.ie1.twilio.com" in shown


async def test_ctrl_t_opens_the_method_list_and_a_pick_changes_the_request(
    collections: Path, twilio: FakeTwilio
) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Accounts", "fetch")  # a GET
        method = app.screen.query_one(MethodSelect)
        await pilot.press("ctrl+t")
        assert method.expanded
        await pilot.press("down", "enter")  # GET → POST
        await settle(pilot, lambda: method.value == "POST")
        assert current(app).request.method == "POST"
        assert current(app).modified
        tree = app.screen.query_one(CollectionTree)
        assert tree.cursor_node is not None and "●" in str(tree.cursor_node.label)
        assert isinstance(app.screen.focused, Input) or app.screen.focused is method


async def test_the_keymap_in_settings_rebinds_keys_by_binding_id(collections: Path, twilio: FakeTwilio) -> None:
    from tests.tui.conftest import live_profiles, status_text
    from twibench.settings import Settings
    from twibench.tui.app import make_app

    twilio.json("GET", "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef.json", 200, {"sid": "AC"})
    app = make_app(
        [collections],
        transport=twilio.transport(),
        profiles=live_profiles(),
        settings=Settings(keymap={"send": "f6", "focus_url": "ctrl+o"}),
        show_timings=False,
        prewarm=False,
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Accounts", "fetch")
        await pilot.press("f5")  # no longer bound
        await pilot.pause()
        assert twilio.seen == []
        await pilot.press("f6")
        await settle(pilot, lambda: status_text(app).startswith("200 OK"))
        await pilot.press("ctrl+o")
        assert app.screen.focused is app.screen.query_one(UrlInput)


async def test_browsing_every_request_changes_nothing(collections: Path, twilio: FakeTwilio) -> None:
    from tests.tui.helpers import open_request

    (collections / "0-first.yaml").write_text(
        "name: First\nrequests:\n  - name: Post first\n    id: post\n    method: POST\n"
        "    url: /2010-04-01/Accounts/{{account_sid}}/Messages.json\n    form: {To: '+15005550001'}\n"
    )
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause(0.1)
        assert app.screen.query_one(MethodSelect).value == "POST"
        for entry in list(app.session.workspace.entries()):
            await open_request(pilot, app, entry.owner.name, entry.request.id)
        await pilot.pause(0.1)
        assert app.session.workspace.unsaved() == []
        tree = app.screen.query_one(CollectionTree)
        assert not any("●" in str(leaf.label) for node in tree.root.children for leaf in node.children)


async def test_racing_through_the_tree_changes_nothing(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*["down"] * 5, *["up"] * 5, *["down"] * 5)
        await pilot.pause(0.3)
        assert app.session.workspace.unsaved() == []
        for entry in app.session.workspace.entries():
            assert entry.draft is None, entry.request.name
