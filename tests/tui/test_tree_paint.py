"""The collection tree draws its lines from one set of styles per repaint (`tree_paint.PaintedTree`), and
they are exactly the lines Textual's Tree draws: cursor, hover, focus, markers, closed collections,
filter, a broken file, and guides of every depth."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import Tree

from tests.tui.conftest import BROKEN_YAML, FakeTwilio, build_app, settle
from tests.tui.helpers import current
from twibench.tui.app import TwibenchApp
from twibench.tui.widgets.collection_tree import CollectionTree
from twibench.tui.widgets.tree_paint import PaintedTree
from twibench.tui.widgets.url_bar import UrlInput


def repaint(tree: CollectionTree) -> list[Strip]:
    """The whole widget drawn from scratch (no line, style or component cache)."""
    tree._line_cache.clear()
    tree._styles_cache.clear()
    tree._component_cache.clear()
    tree._tree_lines_cached = None
    return tree.render_lines(Region(0, 0, tree.outer_size.width, tree.outer_size.height))


def textual_repaint(tree: CollectionTree, monkeypatch: pytest.MonkeyPatch) -> list[Strip]:
    """The same, drawn by Textual's own Tree methods."""
    with monkeypatch.context() as patch:
        for name in ("render_lines", "render_line", "_render_line", "get_label_width"):
            patch.setattr(PaintedTree, name, getattr(Tree, name))
        return repaint(tree)


def assert_same(tree: CollectionTree, monkeypatch: pytest.MonkeyPatch) -> None:
    ours = repaint(tree)
    theirs = textual_repaint(tree, monkeypatch)
    assert [strip.text for strip in ours] == [strip.text for strip in theirs]
    assert ours == theirs  # the segments and their styles (colours, meta for clicks), not only the text
    assert tree.virtual_size.width > 0


async def started(pilot: Any, app: TwibenchApp) -> CollectionTree:
    await settle(pilot, lambda: bool(app.screen.query("#form-table")))
    return app.screen.query_one(CollectionTree)


async def test_the_tree_draws_the_lines_textual_draws(
    collections: Path, twilio: FakeTwilio, monkeypatch: pytest.MonkeyPatch
) -> None:
    (collections / "broken.yaml").write_text(BROKEN_YAML)
    app = build_app(collections, twilio)
    async with app.run_test(size=(120, 35)) as pilot:
        tree = await started(pilot, app)
        assert tree.has_focus and tree.cursor_line >= 0
        assert any("⚠" in strip.text for strip in repaint(tree))
        assert_same(tree, monkeypatch)  # focused, cursor on the open request

        current(app).edit("name").name = "Renamed"  # the ● marker
        tree.refresh_entry(current(app))
        tree.hover_line = 1  # the mouse over a request: its line and guides highlighted
        assert_same(tree, monkeypatch)

        app.screen.query_one(UrlInput).focus()  # unfocused: no selected guides
        await pilot.pause()
        tree.hover_line = -1
        assert_same(tree, monkeypatch)

        tree.root.children[0].collapse()  # a closed collection: ▶
        await pilot.pause()
        tree.guide_depth = 4  # longer guides
        assert_same(tree, monkeypatch)

        tree.focus()
        await pilot.press("slash", "f", "e")  # the filter: collections with a count of matches
        await settle(pilot, lambda: tree.matches is not None and tree.matches > 0)
        assert_same(tree, monkeypatch)


async def test_a_repaint_works_out_the_tree_style_once_not_per_line(
    collections: Path, twilio: FakeTwilio, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=(120, 35)) as pilot:
        tree = await started(pilot, app)
        lines = len(tree._tree_lines)
        assert lines > 4
        asked: list[object] = []
        style = Tree.rich_style

        def counted(self: Tree[object]) -> object:
            asked.append(self)
            return style.fget(self)  # type: ignore[attr-defined]

        monkeypatch.setattr(CollectionTree, "rich_style", property(counted))
        repaint(tree)
        assert 0 < asked.count(tree) < lines


def test_a_new_tree_is_set_up_without_rebuilding_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hidden root and short guides are set without Textual's watchers, which rebuild the lines of a shown
    tree: the new tree has none to rebuild (the workbench builds it when it loads the collections)."""
    rebuilt: list[object] = []
    monkeypatch.setattr(Tree, "_invalidate", lambda self: rebuilt.append(self))
    tree = CollectionTree(id="tree")
    assert rebuilt == []
    assert tree.show_root is False and tree.guide_depth == 2


def test_a_one_line_label_is_kept_as_given_and_a_longer_one_cut_to_its_first_line() -> None:
    from rich.text import Text

    tree = CollectionTree(id="tree")
    label = Text("GET   Fetch a message", style="bold")
    node = tree.root.add_leaf(label)
    assert node.label is label  # not copied (Textual copied each label twice per node)
    assert tree.root.add_leaf(Text("first\nsecond")).label.plain == "first"
    assert tree.root.add_leaf("[b]markup[/b]").label.plain == "markup"
