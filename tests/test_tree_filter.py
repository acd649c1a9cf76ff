"""The tree filter's model and the workspace's put-off loading (no Textual)."""

from __future__ import annotations

from pathlib import Path

from twibench.workbench.tree_filter import RequestIndex
from twibench.workbench.workspace import Workspace

SHIPPED = Path(__file__).resolve().parent.parent / "collections"


def shipped() -> Workspace:
    workspace = Workspace()
    workspace.load([SHIPPED])
    return workspace


def titles(index: RequestIndex, query: str) -> list[str]:
    return [f"{e.owner.name} › {e.request.name}" for _, items in index.match(query).groups for e in items]


def test_every_word_must_occur_in_collection_method_name_or_url_in_any_case() -> None:
    index = RequestIndex(shipped().entries())
    assert titles(index, "YOUR account FETCH") == [
        "Accounts › Fetch your account",
        "Status codes tour › 200 OK — fetch your account",
    ]
    assert "Messages › Send an SMS" in titles(index, "post messages.json")  # method + URL
    assert titles(index, "fetch nothing-like-this") == []


def test_matches_are_grouped_by_collection_in_tree_order_with_a_count() -> None:
    workspace = shipped()
    index = RequestIndex(workspace.entries())
    result = index.match("fetch")
    owners = [owner.name for owner, _ in result.groups]
    tree_order = [c.name for c in workspace.collections]
    assert owners == [name for name in tree_order if name in owners]
    assert len(owners) == len(set(owners)) > 1
    assert result.count == sum(len(items) for _, items in result.groups)
    first = result.first()
    assert first is not None and first.request.name == "Fetch your account"


def test_a_blank_query_keeps_every_request() -> None:
    workspace = shipped()
    index = RequestIndex(workspace.entries())
    assert index.match("  ").count == len(index) == len(list(workspace.entries()))


def test_defer_puts_off_a_folder_above_the_threshold_and_load_pending_loads_it() -> None:
    workspace = Workspace()
    files = len(list(SHIPPED.glob("*.yaml")))
    assert not workspace.defer([SHIPPED], threshold=files)
    assert workspace.pending == [] and workspace.collections == []
    assert workspace.defer([SHIPPED], threshold=files - 1)
    assert workspace.pending == [SHIPPED] and workspace.pending_files == files
    assert workspace.start() is None
    workspace.load_pending()
    assert workspace.pending == [] and workspace.pending_files == 0
    assert len(workspace.collections) == files
    assert workspace.start() is not None


def test_a_missing_path_put_off_is_reported_like_any_other_when_loaded(tmp_path: Path) -> None:
    workspace = Workspace()
    assert workspace.defer([tmp_path / "missing"], threshold=0)
    workspace.load_pending()
    assert [b.path.name for b in workspace.broken] == ["missing"]
