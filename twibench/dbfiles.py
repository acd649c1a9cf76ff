"""SQLite files twibench owns (history, sandbox state): telling damage apart, and moving a damaged file aside.

A database whose pages were overwritten ("database disk image is malformed") or that is not SQLite at
all cannot be repaired by twibench. Recovery keeps the damaged file for inspection under a dated name
beside it (`history.sqlite3.corrupt-20240601T120000`, with its -wal and -shm) and starts a new one.
"""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import datetime
from pathlib import Path

# SQLite's primary result codes for a damaged file and for a file that is not a database.
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_SIDE_FILES = ("-wal", "-shm", "-journal")


def is_damaged(exc: BaseException) -> bool:
    """True when `exc` says the database file itself is damaged or is not a database (not a lock or a full disk)."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text


def move_aside(path: Path, now: datetime | None = None) -> Path:
    """Rename a damaged database (and its -wal/-shm/-journal) to `NAME.corrupt-YYYYmmddTHHMMSS`; returns the new path.

    The caller closes its own connection first. Another process that still has the file open keeps
    using the old file; the next process to open `path` creates a new, empty database.
    """
    stamp = (now or datetime.now()).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    number = 2
    while target.exists():
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{number}")
        number += 1
    path.replace(target)
    for suffix in _SIDE_FILES:
        with contextlib.suppress(FileNotFoundError):
            path.with_name(path.name + suffix).replace(target.with_name(target.name + suffix))
    return target
