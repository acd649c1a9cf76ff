"""Where twibench keeps its files: platformdirs locations, or everything under $TWIBENCH_HOME."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

APP_NAME = "twibench"
HOME_ENV = "TWIBENCH_HOME"


def _home() -> Path | None:
    value = os.environ.get(HOME_ENV, "").strip()
    return Path(value).expanduser() if value else None


def config_dir() -> Path:
    """The folder holding profiles.yaml and config.yaml."""
    home = _home()
    if home is not None:
        return home
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """The folder holding the history database, sandbox state and the user's collections."""
    home = _home()
    if home is not None:
        return home
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """The folder of files twibench can rebuild (parsed collections, parsed CSS): safe to delete at any time."""
    home = _home()
    if home is not None:
        return home / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def profiles_file() -> Path:
    """The credential profiles file (written 0600)."""
    return config_dir() / "profiles.yaml"


def settings_file() -> Path:
    """The settings file (history caps, sandbox options, keymap, theme)."""
    return config_dir() / "config.yaml"


def history_db() -> Path:
    """The SQLite history database."""
    return data_dir() / "history.sqlite3"


def sandbox_db() -> Path:
    """The sandbox's SQLite state (accounts, messages, keys)."""
    return data_dir() / "sandbox.sqlite3"


def inbox_db() -> Path:
    """The inbox's record of received callbacks (`twibench inbox`)."""
    return data_dir() / "inbox.sqlite3"


def inbox_addr() -> Path:
    """Where a running inbox publishes its URL, for `{{inbox_url}}`."""
    return data_dir() / "inbox.addr"


INBOX_PORT = 7358
"""`twibench inbox`'s default port."""


def published_inbox_url(addr_file: Path | None = None) -> str | None:
    """The URL a running inbox published in its address file (default: `inbox_addr()`), or None."""
    try:
        text = (addr_file or inbox_addr()).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    parts = urlsplit(text)
    ok = parts.scheme in ("http", "https") and parts.netloc and "\n" not in text and len(text) < 2048
    return text if ok else None


def inbox_url() -> str:
    """`{{inbox_url}}`: the URL a running inbox published, else where `twibench inbox` listens by default."""
    return published_inbox_url() or f"http://127.0.0.1:{INBOX_PORT}"


def collections_dir() -> Path:
    """The user's own collections folder (seeded with the shipped collections on first TUI run)."""
    return data_dir() / "collections"


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and parents) with mode 0700 if missing, and return it."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def shipped_collections_dir() -> Path | None:
    """The collections that ship with twibench (packaged in the wheel, or `collections/` in a checkout).

    None when this install has none.
    """
    package = Path(__file__).resolve().parent
    for candidate in (package / "shipped_collections", package.parent / "collections"):
        if candidate.is_dir() and any(candidate.glob("*.yaml")):
            return candidate
    return None


def default_collection_paths(cwd: Path | None = None) -> list[Path]:
    """What the TUI opens with no PATH: ./collections if present, else the user's collections folder.

    The user's folder is created on first use and seeded with copies of the shipped collections (once:
    a collection the user deletes later is not brought back). The copy is staged beside the target and
    renamed into place, so an interrupted first run never leaves a half-seeded folder.
    """
    local = (cwd or Path.cwd()) / "collections"
    if local.is_dir():
        return [local]
    target = collections_dir()
    if not target.exists():
        import shutil

        source = shipped_collections_dir()
        ensure_private_dir(target.parent)
        staging = target.with_name(target.name + ".seeding")
        shutil.rmtree(staging, ignore_errors=True)
        if source is not None:
            shutil.copytree(source, staging)
        else:
            staging.mkdir()
        staging.chmod(0o700)
        staging.replace(target)
    return [target]
