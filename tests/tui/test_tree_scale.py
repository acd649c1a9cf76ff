"""The tree at the scale of the whole API: collections loaded after the first frame, request nodes made
when a collection first opens, the `/` filter, the full name as a tooltip and a wider pane on demand."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import SHIPPED, SIZE, FakeTwilio, frozen, live_profiles, settle
from tests.tui.helpers import current, open_request
from twibench.settings import Settings
from twibench.tui import app as app_module
from twibench.tui.app import TwibenchApp, make_app
from twibench.tui.widgets import collection_tree
from twibench.tui.widgets.collection_tree import CollectionTree
from twibench.tui.widgets.url_bar import UrlInput
from twibench.workbench.tree_filter import RequestIndex
from twibench.workbench.workspace import CollectionEntry, RequestEntry


def shipped_app(twilio: FakeTwilio, *, load_later: bool | None = None) -> TwibenchApp:
    """The app on the shipped collections (nine files, 47 requests), talking to the fake Twilio."""
    return make_app(
        [SHIPPED],
        transport=twilio.transport(),
        profiles=live_profiles(),
        settings=Settings(),
        show_timings=False,
        prewarm=False,
        cursor_blink=False,
        load_later=load_later,
    )


def tree_of(app: TwibenchApp) -> CollectionTree:
    return app.screen.query_one(CollectionTree)


def leaves(tree: CollectionTree) -> list[str]:
    """`Collection › Request` of every request node made, in tree order."""
    return [
        f"{owner.data.name} › {leaf.data.request.name}"
        for owner in tree.root.children
        if isinstance(owner.data, CollectionEntry)
        for leaf in owner.children
        if isinstance(leaf.data, RequestEntry)
    ]


def highlighted(tree: CollectionTree) -> RequestEntry | None:
    node = tree.cursor_node
    return node.data if node is not None and isinstance(node.data, RequestEntry) else None


async def opened(pilot: Pilot[Any], app: TwibenchApp, target: RequestEntry) -> None:
    url = app.screen.query_one(UrlInput)
    await settle(pilot, lambda: app.workbench.current is target and url.value == target.request.url)


async def test_a_large_folder_loads_after_the_first_frame_saying_so(
    twilio: FakeTwilio, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[CollectionTree] = []
    monkeypatch.setattr(CollectionTree, "load_pending", lambda tree: started.append(tree))
    app = shipped_app(twilio, load_later=True)
    assert app.session.workspace.collections == []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: bool(started))
        tree = tree_of(app)
        labels = [str(node.label) for node in tree.root.children]
        assert labels == ["⋯ loading 9 collection files…"]
        assert app.workbench.current is None
        monkeypatch.undo()
        tree.load_pending()
        workspace = app.session.workspace
        await settle(pilot, lambda: bool(workspace.collections) and app.workbench.current is not None)
        start = workspace.start()
        assert start is not None
        await opened(pilot, app, start)
        await settle(pilot, lambda: highlighted(tree) is start)
        assert [str(n.label) for n in tree.root.children][:2] == ["Accounts", "API keys"]


async def test_make_app_puts_off_only_folders_of_many_files(
    twilio: FakeTwilio, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert shipped_app(twilio).session.workspace.collections  # nine files: loaded before the first frame
    monkeypatch.setattr(app_module, "LOAD_LATER_FILES", 8)
    deferred = shipped_app(twilio).session.workspace
    assert deferred.collections == [] and deferred.pending_files == 9


async def test_with_many_requests_collections_start_closed_and_open_when_needed(
    twilio: FakeTwilio, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(collection_tree, "EXPAND_ALL_REQUESTS", 10)
    app = shipped_app(twilio)
    async with app.run_test(size=SIZE) as pilot:
        tree = tree_of(app)
        start = app.session.workspace.start()
        assert start is not None
        await opened(pilot, app, start)
        await settle(pilot, lambda: highlighted(tree) is start)
        built = {n.data.name for n in tree.root.children if n.children and isinstance(n.data, CollectionEntry)}
        assert built == {start.owner.name}
        assert sum(1 for n in tree.root.children if n.is_expanded) == 1
        # Go to (palette, history "open request") a request whose collection was never opened.
        target = await open_request(pilot, app, "Verify", "check-right")
        await settle(pilot, lambda: highlighted(tree) is target)
        assert current(app) is target
        # Opening a collection with the keyboard makes its request nodes.
        calls = next(n for n in tree.root.children if isinstance(n.data, CollectionEntry) and n.data.name == "Calls")
        assert not calls.children
        tree.move_cursor(calls)
        await pilot.press("space")
        await settle(pilot, lambda: len(calls.children) == len(calls.data.items) > 0)


async def test_slash_filters_by_words_and_enter_opens_escape_restores(twilio: FakeTwilio) -> None:
    app = shipped_app(twilio)
    async with app.run_test(size=SIZE) as pilot:
        tree = tree_of(app)
        start = app.session.workspace.start()
        assert start is not None
        await opened(pilot, app, start)
        everything = leaves(tree)
        await pilot.press("slash")
        assert tree.typing
        assert "/" in str(tree.border_title)
        await pilot.press(*"your account FETCH")
        assert leaves(tree) == ["Accounts › Fetch your account", "Status codes tour › 200 OK — fetch your account"]
        assert str(tree.border_subtitle).startswith("2 requests")
        assert all(n.is_expanded for n in tree.root.children)
        assert str(tree.border_title) == "/ your account FETCH▏"
        await pilot.press("backspace", *"XX")
        assert leaves(tree) == []
        assert str(tree.border_subtitle).startswith("no match")
        await pilot.press(*["backspace"] * len("your account FETCXX"), *"call")
        assert str(tree.border_title) == "/ call▏"
        matches = leaves(tree)
        expected = RequestIndex(app.session.workspace.entries()).match("call")
        assert matches == [f"{o.name} › {e.request.name}" for o, items in expected.groups for e in items]
        assert len(matches) > 2
        first = tree.root.children[0].children[0].data
        assert isinstance(first, RequestEntry)
        await settle(pilot, lambda: highlighted(tree) is first)
        assert app.workbench.current is start  # typing does not open what the cursor lands on
        await pilot.press("down")  # moving still opens, as always
        second = highlighted(tree)
        assert second is not None and second is not first
        await opened(pilot, app, second)
        await pilot.press("up", "enter")
        assert not tree.typing
        await opened(pilot, app, first)
        assert leaves(tree) == matches  # the filter stays until escape
        await pilot.press("escape")
        assert leaves(tree) == everything
        assert str(tree.border_title) == "Collections"
        await settle(pilot, lambda: highlighted(tree) is first)


async def test_escape_while_typing_clears_and_the_cursor_goes_back_to_the_open_request(twilio: FakeTwilio) -> None:
    app = shipped_app(twilio)
    async with app.run_test(size=SIZE) as pilot:
        tree = tree_of(app)
        start = app.session.workspace.start()
        assert start is not None
        await opened(pilot, app, start)
        everything = leaves(tree)
        await pilot.press("slash", *"verify")
        assert leaves(tree) != everything
        await pilot.press("escape")
        assert not tree.typing and tree.filter_query == ""
        assert leaves(tree) == everything
        await settle(pilot, lambda: highlighted(tree) is start)
        assert app.workbench.current is start


async def test_going_to_a_request_the_filter_hides_drops_the_filter(twilio: FakeTwilio) -> None:
    app = shipped_app(twilio)
    async with app.run_test(size=SIZE) as pilot:
        tree = tree_of(app)
        await pilot.press("slash", *"verify")
        target = await open_request(pilot, app, "Accounts", "list")
        assert tree.filter_query == ""
        await settle(pilot, lambda: highlighted(tree) is target)


async def test_the_highlighted_request_has_its_full_name_as_tooltip_and_the_tree_widens(
    twilio: FakeTwilio,
) -> None:
    app = shipped_app(twilio)
    async with app.run_test(size=SIZE) as pilot:
        tree = tree_of(app)
        target = await open_request(pilot, app, "Messages", "list")
        await settle(pilot, lambda: highlighted(tree) is target)
        assert tree.tooltip == f"Messages › GET List messages sent to a number\n{target.request.url}"
        width = tree.outer_size.width
        await pilot.press("greater_than_sign")
        await settle(pilot, lambda: tree.outer_size.width == width + collection_tree.WIDEN_STEP)
        await pilot.press("less_than_sign", "less_than_sign")
        await settle(pilot, lambda: tree.outer_size.width == width - collection_tree.WIDEN_STEP)


async def test_go_to_request_lists_only_the_best_hits_and_goes_there(
    twilio: FakeTwilio, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.command import CommandList, CommandPalette

    from twibench.tui.commands import RequestsProvider

    monkeypatch.setattr(RequestsProvider, "MAX_HITS", 3)
    app = shipped_app(twilio)
    async with app.run_test(size=SIZE) as pilot:
        await app.workbench.run_action("go_to_palette")
        await settle(pilot, lambda: isinstance(app.screen, CommandPalette))
        palette = app.screen
        await pilot.press(*"fetch")  # more than three requests match
        options = palette.query_one(CommandList)
        await settle(pilot, lambda: options.option_count == 3)
        first = str(options.get_option_at_index(0).prompt)
        assert "Fetch" in first
        await pilot.press("enter")
        await settle(pilot, lambda: not isinstance(app.screen, CommandPalette))
        target = current(app)
        assert f"{target.owner.name} › {target.request.method} {target.request.name}" in first


async def test_help_on_the_tree_explains_the_filter_and_lists_its_keys(twilio: FakeTwilio) -> None:
    from twibench.tui.dialogs.help import HelpScreen

    app = shipped_app(twilio)
    async with app.run_test(size=SIZE) as pilot:
        tree_of(app).focus()
        await pilot.press("f1")
        await settle(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert "**/** filters" in help_screen.help_text
        here = {k.key for k in help_screen.key_help if k.here}
        assert {"/", ">", "<"} <= here


async def test_a_match_on_the_cursors_line_still_opens_when_the_cursor_comes_back(twilio: FakeTwilio) -> None:
    app = shipped_app(twilio)
    async with app.run_test(size=SIZE) as pilot:
        tree = tree_of(app)
        start = await open_request(pilot, app, "Accounts", "fetch")
        await settle(pilot, lambda: highlighted(tree) is start)
        line = tree.cursor_line
        await pilot.press("slash", *"fetch")  # the first match is the request already under the cursor
        assert highlighted(tree) is start and tree.cursor_line == line
        await pilot.press("down", "down")
        other = highlighted(tree)
        assert other is not None and other is not start
        await opened(pilot, app, other)
        await pilot.press("up", "up")
        await opened(pilot, app, start)


async def test_a_filter_matching_many_collections_lists_the_first_and_says_how_many_more(
    twilio: FakeTwilio, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(collection_tree, "FILTER_MAX_FOLDERS", 2)
    app = shipped_app(twilio)
    async with app.run_test(size=SIZE) as pilot:
        tree = tree_of(app)
        await pilot.press("slash", *"fetch")
        groups = RequestIndex(app.session.workspace.entries()).match("fetch").groups
        assert len(groups) > 2
        labels = [str(n.label) for n in tree.root.children]
        assert len(labels) == 3
        assert labels[2] == f"… {len(groups) - 2} more collections match: type another word"
        assert tree.matches == sum(len(items) for _, items in groups)  # the count is of every match


def record_opens(app: TwibenchApp, monkeypatch: pytest.MonkeyPatch) -> list[RequestEntry]:
    """Every request the screen shows in the editor from now on, in order."""
    screen = app.workbench
    shown: list[RequestEntry] = []
    open_entry = screen.open_entry

    async def recording(entry: RequestEntry) -> None:
        shown.append(entry)
        await open_entry(entry)

    monkeypatch.setattr(screen, "open_entry", recording)
    return shown


async def test_a_filter_shorter_than_the_cursors_line_opens_nothing_and_escape_goes_back(
    twilio: FakeTwilio, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Textual puts the cursor of a rebuilt tree back on its old line, clamped to the last line, and
    # highlights what is there: with the cursor low in the tree, `z` (2 lines) opened 401 Unauthorized.
    app = shipped_app(twilio)
    async with app.run_test(size=SIZE) as pilot:
        tree = tree_of(app)
        target = await open_request(pilot, app, "Messages", "send-sms")
        await settle(pilot, lambda: highlighted(tree) is target)
        assert tree.cursor_line > 2
        shown = record_opens(app, monkeypatch)
        await pilot.press("slash", "z")
        assert tree.matches is not None and tree.matches > 0
        await pilot.press(*"zz")
        assert tree.matches == 0
        await pilot.press("enter")  # no match under the cursor: nothing to open
        await pilot.press("slash", "backspace", "backspace", "backspace")  # blank: every request
        await settle(pilot, lambda: highlighted(tree) is target)
        await pilot.press("escape")
        await settle(pilot, lambda: highlighted(tree) is target)
        await pilot.pause()
        assert shown == []
        assert current(app) is target


async def test_keys_typed_faster_than_the_tree_redraws_open_nothing(
    twilio: FakeTwilio, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Quick keys are all queued before the highlight of the first rebuild, which then arrives after later
    # rebuilds: a highlight of a node no longer in the tree opens nothing.
    from textual import events

    app = shipped_app(twilio)
    async with app.run_test(size=SIZE) as pilot:
        tree = tree_of(app)
        target = await open_request(pilot, app, "Messages", "send-sms")
        shown = record_opens(app, monkeypatch)
        await pilot.press("slash")
        for char in "fetch msg":
            tree.post_message(events.Key("space" if char == " " else char, char))
        await settle(pilot, lambda: tree.filter_query == "fetch msg")
        await pilot.press("backspace", "backspace", "backspace", "backspace")  # "fetch": matches again
        first = highlighted(tree)
        assert first is not None and first is not target
        await pilot.pause()
        assert shown == []
        await pilot.press("escape")
        await settle(pilot, lambda: highlighted(tree) is target)
        await pilot.press("slash", *"fetch", "enter")  # enter opens the highlighted match
        await opened(pilot, app, first)
        assert shown == [first]


async def test_escape_goes_back_to_the_request_the_screen_opened(twilio: FakeTwilio) -> None:
    # The editor can show a request the tree did not open (the start request, an opened link, a flow):
    # the screen tells the tree, and escape on the filter goes back there.
    app = shipped_app(twilio)
    async with app.run_test(size=SIZE) as pilot:
        tree = tree_of(app)
        await open_request(pilot, app, "Messages", "send-sms")
        other = list(app.session.workspace.entries())[-1]
        await app.workbench.open_entry(other)
        await pilot.press("slash", *"call", "escape")
        await settle(pilot, lambda: highlighted(tree) is other)
        assert current(app) is other


async def test_opening_the_filter_freezes_its_index_out_of_the_collectors_walks(
    twilio: FakeTwilio, collector: None
) -> None:
    app = shipped_app(twilio)
    async with app.run_test(size=SIZE) as pilot:
        tree = tree_of(app)
        await pilot.press("slash")
        assert tree.typing
        index = tree._index
        assert index is not None
        assert frozen(index)  # full collections while typing do not walk it


async def test_the_palettes_request_titles_are_frozen_out_of_the_collectors_walks(
    twilio: FakeTwilio, collector: None
) -> None:
    from textual.command import CommandPalette

    from twibench.tui.commands import RequestsProvider

    app = shipped_app(twilio)
    async with app.run_test(size=SIZE) as pilot:
        await app.workbench.run_action("go_to_palette")
        await settle(pilot, lambda: isinstance(app.screen, CommandPalette))
        palette = app.screen

        def titles() -> list[Any]:
            providers = [p for p in palette._providers if isinstance(p, RequestsProvider)]
            return providers[0]._titles if providers else []

        await settle(pilot, lambda: bool(titles()))  # the provider's startup built them
        assert frozen(titles())


async def test_a_narrower_filter_frees_the_nodes_of_the_broader_one_at_once(
    twilio: FakeTwilio, collector: None
) -> None:
    # Textual's Tree.clear kept old nodes in its id table (new nodes replace only the ids they reuse), and
    # a node and its parent point to each other: the nodes of a broad match stayed alive, or waited for the
    # collector. With the collector off, a narrow filter leaves only its own nodes, and the old ones are gone.
    import gc
    import weakref

    app = shipped_app(twilio)
    async with app.run_test(size=SIZE) as pilot:
        tree = tree_of(app)
        await pilot.press("slash", *"message")
        broad = [node for node in tree._tree_nodes.values() if isinstance(node.data, RequestEntry)]
        assert len(broad) > 5
        gone = [weakref.ref(node) for node in broad]
        del broad
        gc.disable()
        await pilot.press(*" redact")
        await pilot.pause()
        assert leaves(tree) == ["Messages › Redact a message body"]
        assert set(tree._tree_nodes.values()) == {tree.root, *tree.root.children, *tree.root.children[0].children}
        assert all(ref() is None for ref in gone)
