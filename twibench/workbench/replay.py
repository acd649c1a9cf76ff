"""History entries back in the workbench: replaying one (no UI here; `redact.StoredRedactor` masks them)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from twibench.errors import TwibenchError
from twibench.workbench.workspace import CollectionEntry, RequestEntry

if TYPE_CHECKING:
    from twibench.history import Entry
    from twibench.workbench.workspace import Workspace

__all__ = ["loaded", "replay_entry"]


def loaded(workspace: Workspace, path: str | None) -> CollectionEntry | None:
    """The loaded collection a recorded request came from, if it is open."""
    if not path:
        return None
    return next((c for c in workspace.collections if str(c.path) == path), None)


def replay_entry(workspace: Workspace, entry: Entry) -> RequestEntry:
    """A throw-away request entry for re-sending `entry` (not in the tree; its collection's rules apply).

    Raises:
        ReplayError: the recorded body was truncated or is binary.
    """
    from twibench import collection as model

    request = entry.to_request()
    owner = loaded(workspace, entry.collection_file)
    sandbox_only = owner.collection.sandbox_only if owner is not None else False
    if owner is None and entry.collection_file and Path(entry.collection_file).is_file():
        try:
            sandbox_only = model.load_collection(Path(entry.collection_file)).sandbox_only
        except TwibenchError:
            sandbox_only = False  # it no longer loads: nothing says it was sandbox-only
    name = entry.collection or "History"
    path = Path(entry.collection_file) if entry.collection_file else Path("history")
    replay_owner = CollectionEntry(
        model.Collection(name=name, path=path, sandbox_only=sandbox_only), scratch=not entry.collection_file
    )
    return RequestEntry(replay_owner, request)
