"""Atomic file writes: write to a temporary file beside the target, fsync, then rename over it.

Files twibench writes are private (0600) unless they replace a file the user already has, which keeps
its mode: collections, exports, reports and profiles may hold account SIDs, phone numbers and bodies.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: str | bytes, mode: int | None = None, *, durable: bool = True) -> None:
    """Replace `path` with `data` so that readers see either the old or the new file, never half of one.

    Args:
        path: the file to write; its folder is created if missing.
        data: text (written as UTF-8) or bytes.
        mode: permission bits of the file; None keeps an existing file's mode and makes a new one 0600.
        durable: fsync the file and its folder, so the new file survives a crash; False for files that
            can be rebuilt and are checked when read (a cache): a crash may then lose or damage the file,
            but a reader still never sees a half-written one while the system runs.
    """
    if mode is None:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except OSError:
            mode = 0o600
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        Path(tmp_name).replace(path)
        if not durable:
            return
        with contextlib.suppress(OSError):
            dir_fd = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp_name).unlink()
        raise
