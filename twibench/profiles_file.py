"""The profiles file on disk: the lock around changing it, writing it, and what a `base_url:` may be.

Several `twibench profiles add` may run at once (scripts, CI): each reads the file, changes one profile
and writes it back, so without a lock the last writer silently drops the others' profiles. `locked()`
serialises those read-modify-write cycles with an exclusive `fcntl.flock` on a sibling lock file
(`profiles.yaml.lock`; the profiles file itself is replaced atomically on every write, so it cannot
carry the lock).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path

from twibench import paths

_held: dict[Path, int] = {}
_held_lock = threading.RLock()


@contextlib.contextmanager
def locked(path: Path | None = None) -> Iterator[None]:
    """Hold the exclusive lock of the profiles file `path` (re-entrant in one process); waits for other holders."""
    target = (path or paths.profiles_file()).absolute()
    with _held_lock:  # one thread of this process at a time; nested calls in that thread go straight through
        if target in _held:
            _held[target] += 1
            try:
                yield
            finally:
                _held[target] -= 1
            return
        paths.ensure_private_dir(target.parent)
        fd = os.open(target.with_name(target.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _flock(fd)
            _held[target] = 1
            try:
                yield
            finally:
                del _held[target]
        finally:
            os.close(fd)  # closing the descriptor releases the lock


def _flock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover (Windows: no advisory locks; writes stay atomic)
        return
    fcntl.flock(fd, fcntl.LOCK_EX)


def write_text(text: str, path: Path) -> Path:
    """Write the profiles file's text (made by `profiles.save_profiles`) atomically with mode 0600, under the lock."""
    from twibench.atomic import write_atomic

    with locked(path):
        write_atomic(path, text, mode=0o600)
    return path
