"""Per-request undo and redo in the workbench model (issue 12, item 15): every edit is a step, typing on in
one field is one step, and a request's stack is its own."""

from __future__ import annotations

from pathlib import Path

from twibench.collection import Collection, Request
from twibench.workbench.workspace import CollectionEntry, RequestEntry, Row


def entry() -> RequestEntry:
    owner = CollectionEntry(Collection(name="Accounts", path=Path("/tmp/accounts.yaml")))
    request = Request(name="List accounts", id="list", url="/2010-04-01/Accounts.json", params=[("PageSize", "20")])
    item = RequestEntry(owner, request)
    owner.items.append(item)
    return item


def test_typing_in_one_field_is_one_step_and_redo_brings_it_back() -> None:
    item = entry()
    for url in ("/2010-04-01/Accounts.json?", "/2010-04-01/Accounts.json?a", "/2010-04-01/Accounts.json?ab"):
        item.edit("url").url = url
    item.edit("method").method = "POST"
    assert item.history.undo(item) and item.request.method == "GET"
    assert item.request.url.endswith("?ab")
    assert item.history.undo(item) and item.request.url == "/2010-04-01/Accounts.json"
    assert not item.modified  # back to what the file holds
    assert not item.history.undo(item)
    assert item.history.redo(item) and item.request.url.endswith("?ab")
    assert item.history.redo(item) and item.request.method == "POST"
    assert not item.history.redo(item)


def test_table_rows_added_deleted_toggled_and_typed_are_steps() -> None:
    item = entry()
    item.set_table("params", [Row("PageSize", "20"), Row("", "")])  # + Add
    item.set_table("params", [Row("PageSize", "20"), Row("F", "")])  # typing the key…
    item.set_table("params", [Row("PageSize", "20"), Row("Friendly", "")])  # …is one step
    item.set_table("params", [Row("Friendly", "")])  # ✕ on PageSize
    item.set_table("params", [Row("Friendly", "", enabled=False)])  # cleared checkbox
    steps = []
    while item.history.undo(item):
        steps.append([(r.key, r.enabled) for r in item.table("params")])
    assert steps == [
        [("Friendly", True)],
        [("PageSize", True), ("Friendly", True)],
        [("PageSize", True), ("", True)],
        [("PageSize", True)],
    ]
    assert item.request.params == [("PageSize", "20")]


def test_revert_is_undoable_and_a_new_edit_drops_the_redo_steps() -> None:
    item = entry()
    item.edit("url").url = "/changed"
    item.revert()
    assert item.request.url == "/2010-04-01/Accounts.json"
    assert item.history.undo(item) and item.request.url == "/changed"
    assert item.history.undo(item)
    item.edit("method").method = "DELETE"
    assert not item.history.redo(item)


def test_a_json_body_being_typed_is_one_step_and_its_invalid_text_comes_back() -> None:
    item = entry()
    item.set_body('{"a": 1}', "json")
    item.set_body('{"a": 1', "json")  # invalid while typing: the text is kept, the draft keeps the last valid JSON
    assert item.body_error is not None
    item.edit("url").url = "/other"
    assert item.history.undo(item) and item.body_text == '{"a": 1' and item.request.url.endswith("Accounts.json")
    assert item.history.undo(item) and item.body_text is None and item.request.json is None
