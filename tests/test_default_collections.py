"""Which collections open with no path: ./collections, else the user's folder seeded on first run."""

from __future__ import annotations

from pathlib import Path

import pytest

from twibench import paths


def test_a_collections_folder_in_the_current_directory_wins(home: Path, tmp_path: Path) -> None:
    (tmp_path / "collections").mkdir()
    assert paths.default_collection_paths(tmp_path) == [tmp_path / "collections"]
    assert not paths.collections_dir().exists()


def test_otherwise_the_user_folder_is_created_and_seeded_once(home: Path, tmp_path: Path) -> None:
    source = paths.shipped_collections_dir()
    assert source is not None
    found = paths.default_collection_paths(tmp_path)
    target = paths.collections_dir()
    assert found == [target]
    names = sorted(p.name for p in target.glob("*.yaml"))
    assert names == sorted(p.name for p in source.glob("*.yaml"))
    assert "messages.yaml" in names
    (target / "messages.yaml").unlink()  # the user removed one: it is not brought back
    paths.default_collection_paths(tmp_path)
    assert not (target / "messages.yaml").exists()


def test_no_shipped_collections_gives_an_empty_folder(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paths, "shipped_collections_dir", lambda: None)
    assert paths.default_collection_paths(tmp_path) == [paths.collections_dir()]
    assert list(paths.collections_dir().iterdir()) == []
