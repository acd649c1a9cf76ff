"""The address file a `twibench sandbox` server leaves in the data dir, so other commands reuse it.

`<data dir>/sandbox.addr` holds `{"pid", "base_url", "db", "deterministic"}`. A reader trusts it only
after checking that the process is alive and that the server at `base_url` describes itself as the
sandbox of the same state file; the server removes it when it stops.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from twibench.atomic import write_atomic

ADDR_FILE = "sandbox.addr"
INFO_PATH = "/_twibench/sandbox"
PROBE_TIMEOUT = 1.0


def addr_path() -> Path:
    """Where the address file lives for the current data dir."""
    from twibench import paths

    return paths.data_dir() / ADDR_FILE


def write(base_url: str, db: Path, deterministic: bool) -> Path:
    """Record this process's server (0600, atomically)."""
    path = addr_path()
    info = {"pid": os.getpid(), "base_url": base_url, "db": str(db.resolve()), "deterministic": deterministic}
    write_atomic(path, json.dumps(info) + "\n", mode=0o600)
    return path


def remove_own(path: Path) -> None:
    """Delete the address file if it still names this process (another server may have replaced it)."""
    with contextlib.suppress(OSError, ValueError):
        if json.loads(path.read_text()).get("pid") == os.getpid():
            path.unlink()


def pid_alive(pid: object) -> bool:
    """Whether a process with this id exists."""
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def find_running(db: Path, deterministic: bool) -> tuple[str, int] | None:
    """`(base_url, pid)` of a live `twibench sandbox` serving `db` in the same mode, else None."""
    try:
        info = json.loads(addr_path().read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(info, dict) or not pid_alive(info.get("pid")):
        return None
    url = info.get("base_url")
    described = probe(url) if isinstance(url, str) else None
    if described is None:
        return None
    same = (
        described.get("service") == "twibench-sandbox"
        and described.get("pid") == info["pid"]
        and described.get("db") == str(db.resolve())
        and described.get("deterministic") is deterministic
    )
    return (str(url), int(info["pid"])) if same else None


def probe(base_url: str) -> dict[str, Any] | None:
    """What the server at `base_url` says about itself, or None if it does not answer like a sandbox."""
    import http.client

    parts = urlsplit(base_url)
    if parts.scheme != "http" or not parts.hostname:
        return None
    conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=PROBE_TIMEOUT)
    try:
        conn.request("GET", INFO_PATH)
        response = conn.getresponse()
        if response.status != 200:
            return None
        data = json.loads(response.read())
    except (OSError, ValueError, http.client.HTTPException):
        return None
    finally:
        conn.close()
    return data if isinstance(data, dict) else None
