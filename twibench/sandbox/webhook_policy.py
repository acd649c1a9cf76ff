"""Where the sandbox may send webhooks, and how: the host rule and Twilio's URL-fragment overrides.

The sandbox runs on the learner's machine, so an arbitrary callback URL in a request would make it a
tool for reaching other hosts. It calls loopback only (`localhost`, `*.localhost`, 127.0.0.0/8, ::1)
unless `sandbox.webhook_hosts` in config.yaml names the host (`host` for any port, `host:port` for one).
Names are never resolved: a name that resolves to loopback still needs listing.

Twilio reads connection overrides from the URL's fragment (`https://app.example/status#ct=1000&rc=3`):
`ct` connect timeout, `rt` read timeout, `tt` total time (milliseconds), `rc` retry count, `rp` retry
policy (`4xx`, `5xx`, `ct`, `rt`, `all`, comma-separated). The fragment is never sent to the server and
is not part of the signed URL (the app cannot see it).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit, urlunsplit

RETRY_POLICIES = frozenset({"4xx", "5xx", "ct", "rt", "all"})


@dataclass(frozen=True)
class Overrides:
    """Twilio's connection settings for one webhook (defaults as Twilio documents them).

    Attributes:
        connect: seconds to open the connection (`#ct`, 100–10000 ms, default 5000).
        read: seconds to wait for the answer (`#rt`, 100–15000 ms, default 15000).
        total: seconds for every attempt together (`#tt`, 100–15000 ms, default 15000).
        retries: attempts after the first (`#rc`, 0–5, default 1).
        policy: which failures are retried (`#rp`, default `ct`: only a connection that never opened).
    """

    connect: float = 5.0
    read: float = 15.0
    total: float = 15.0
    retries: int = 1
    policy: frozenset[str] = frozenset({"ct"})

    def retry_on(self, kind: str) -> bool:
        """Whether a failure of `kind` (`ct`, `rt`, `4xx`, `5xx`) is retried."""
        return "all" in self.policy or kind in self.policy


def _millis(value: str, low: int, high: int, default: float) -> float:
    try:
        number = int(value)
    except ValueError:
        return default
    return min(max(number, low), high) / 1000


def split(url: str) -> tuple[str, Overrides]:
    """The URL without its fragment, and the overrides the fragment sets (unknown keys are ignored)."""
    parts = urlsplit(url)
    base = urlunsplit(parts._replace(fragment=""))
    defaults = Overrides()
    if not parts.fragment:
        return base, defaults
    values = dict(parse_qsl(parts.fragment, keep_blank_values=True))
    retries = defaults.retries
    if values.get("rc", "").isdigit():
        retries = min(int(values["rc"]), 5)
    policy = defaults.policy
    if "rp" in values:
        wanted = frozenset(p.strip().lower() for p in values["rp"].split(",") if p.strip())
        policy = (wanted & RETRY_POLICIES) or defaults.policy
    return base, Overrides(
        connect=_millis(values.get("ct", ""), 100, 10_000, defaults.connect),
        read=_millis(values.get("rt", ""), 100, 15_000, defaults.read),
        total=_millis(values.get("tt", ""), 100, 15_000, defaults.total),
        retries=retries,
        policy=policy,
    )


def is_loopback(host: str) -> bool:
    """`localhost`, a `*.localhost` name, or a loopback IP address (no name is resolved)."""
    name = host.strip("[]").lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def refusal(url: str, allowed: Iterable[str]) -> str | None:
    """Why the sandbox will not call `url`, or None when it may.

    Args:
        url: the webhook URL.
        allowed: `sandbox.webhook_hosts`: `host` (any port) or `host:port` entries.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"{url[:80]!r} is not an http(s) URL"
    host = parts.hostname
    if is_loopback(host):
        return None
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return f"{url[:80]!r} has an invalid port"
    shown = f"[{host}]" if ":" in host else host
    for entry in allowed:
        entry = entry.strip().lower()
        if entry in (host.lower(), shown.lower(), f"{shown.lower()}:{port}"):
            return None
    return (
        f"the sandbox calls loopback URLs only; add '{shown}' to sandbox.webhook_hosts in config.yaml "
        "to let it call that host"
    )
