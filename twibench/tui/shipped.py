"""Which collections the TUI opens when no path is given, and seeding the user's folder on first run.

With no paths: `./collections` when the current folder has one (a checkout, a project), else the user's
collections folder, created on first run and filled with a copy of the collections twibench ships
(packaged as `twibench/shipped_collections` in a wheel, `collections/` at the top of a checkout).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from twibench import paths


def shipped_dir() -> Path | None:
    """The folder of shipped collections, or None when this install has none."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "shipped_collections", package.parent / "collections"):
        if candidate.is_dir() and any(candidate.glob("*.yaml")):
            return candidate
    return None


def seed(target: Path) -> None:
    """Create `target` and copy the shipped collections into it (only when it does not exist yet)."""
    if target.exists():
        return
    paths.ensure_private_dir(target)
    source = shipped_dir()
    if source is None:
        return
    for file in sorted(source.glob("*.yaml")):
        shutil.copy2(file, target / file.name)


def default_paths(cwd: Path | None = None) -> list[Path]:
    """The collection folders to open when the command line names none."""
    local = (cwd or Path.cwd()) / "collections"
    if local.is_dir():
        return [local]
    target = paths.collections_dir()
    seed(target)
    return [target]
