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
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from twibench import paths

if TYPE_CHECKING:
    from twibench.profiles import Profile, ProfileSet

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


def profile_to_yaml(profile: Profile) -> dict[str, Any]:
    """The profiles-file mapping of one profile."""
    out: dict[str, Any] = {"account_sid": profile.account_sid}
    if profile.kind == "api_key":
        out["api_key"] = profile.username
        out["api_secret"] = profile.secret.to_yaml()
    else:
        out["auth_token"] = profile.secret.to_yaml()
    for key in ("region", "edge", "base_url"):
        value = getattr(profile, key)
        if value:
            out[key] = value
    if profile.allowed_hosts:
        out["allowed_hosts"] = list(profile.allowed_hosts)
    if profile.variables:
        out["variables"] = dict(profile.variables)
    return out


def write_profiles(profile_set: ProfileSet, path: Path) -> Path:
    """Write the user's profiles (not the built-ins) atomically with mode 0600, under the lock."""
    import yaml

    from twibench.atomic import write_atomic
    from twibench.profiles import SANDBOX

    data: dict[str, Any] = {}
    if profile_set.default != SANDBOX:
        data["default"] = profile_set.default
    data["profiles"] = {p.name: profile_to_yaml(p) for p in profile_set.user_profiles()}
    with locked(path):
        write_atomic(path, yaml.safe_dump(data, sort_keys=False, allow_unicode=True), mode=0o600)
    return path


def base_url_problem(text: str) -> str | None:
    """What is wrong with a profile's `base_url` (None when it is usable).

    A base URL is `http(s)://host[:port]` with an optional trailing `/`: request paths are joined to it,
    so a path, query or fragment would be silently dropped or doubled, and credentials in it would
    travel beside the profile's own.
    """
    if any(ch.isspace() for ch in text):
        return "a base URL cannot contain spaces"
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not text.lower().startswith(f"{parts.scheme.lower()}://"):
        return "expected a base URL starting with http:// or https://, such as https://api.example.test"
    if "@" in parts.netloc:
        return "a base URL cannot carry a user name or password; the profile's credentials are sent instead"
    if not parts.hostname:
        return "the base URL has no host name"
    try:
        port = parts.port
    except ValueError:
        return f"the port in {parts.netloc} is not a number from 1 to 65535"
    if port == 0:
        return "port 0 cannot be connected to; use a port from 1 to 65535"
    if parts.path not in ("", "/"):
        return f"a base URL has no path (got {parts.path}); request URLs carry the path"
    if parts.query or parts.fragment or "?" in text or "#" in text:
        return "a base URL has no query (?…) or fragment (#…)"
    return None
