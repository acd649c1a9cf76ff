"""The host guard: which hosts may receive a profile's credentials (and anything secret).

Allowed: https hosts under twilio.com; the profile's own `base_url` host and port (the sandbox's exact
address for the sandbox profile); `allowed_hosts` entries (a bare host matches any port over http or
https; a `host:port` entry matches that port only). Everything here is plain data: no httpx, so the
profiles module (and the CLI start-up) can import it cheaply.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from twibench.errors import TwibenchError

if TYPE_CHECKING:
    from twibench.profiles import Profile

__all__ = ["HostRefusedError", "check_host", "host_allows", "netloc_label", "split_url"]


class HostRefusedError(TwibenchError):
    """Credentials (or a secret) would go to a host the profile does not allow; nothing was sent."""


def netloc_label(host: str, port: int | None) -> str:
    """`host:port` as a URL writes it: an IPv6 address in brackets (`[::1]:8080`)."""
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return shown if port is None else f"{shown}:{port}"


def split_url(url: str) -> tuple[str, str, int] | None:
    """(scheme, lowercase host, port with the scheme's default) of an http(s) URL, or None when unusable."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in ("http", "https") or not host:
        return None
    return scheme, host, port or (443 if scheme == "https" else 80)


def host_allows(profile: Profile, url: str) -> bool:
    """True when `profile` may send its credentials to `url` (see the module docstring).

    For the sandbox profile this asks the sandbox's address (starting it if it is not running).
    """
    target = split_url(url)
    if target is None:
        return False
    scheme, host, port = target
    if profile.base_url_provider is not None:
        return split_url(profile.api_base()) == target
    if scheme == "https" and (host == "twilio.com" or host.endswith(".twilio.com")):
        return True
    if profile.base_url and split_url(profile.base_url) == target:
        return True
    for entry in profile.allowed_hosts:
        entry_host, _, entry_port = entry.lower().rpartition(":") if _has_port(entry) else (entry.lower(), "", "")
        if entry_host.strip("[]") == host and (not entry_port or int(entry_port) == port):
            return True
    return False


def check_host(profile: Profile, url: str) -> None:
    """Refuse to send `profile`'s credentials to a host it does not allow.

    Raises:
        HostRefusedError: naming the host (never the URL, which may hold a secret) and how to allow it.
    """
    if host_allows(profile, url):
        return
    target = split_url(url)
    if target is None:
        raise HostRefusedError(
            f"refusing to send the credentials of profile '{profile.name}': the url is not an http(s) URL with a host"
        )
    _, host, port = target
    if profile.base_url_provider is not None:
        raise HostRefusedError(
            f"refusing to send the sandbox credentials to {netloc_label(host, port)}: the sandbox profile only "
            "talks to the local sandbox; use `auth: none` for other hosts"
        )
    raise HostRefusedError(
        f"refusing to send the credentials of profile '{profile.name}' to {netloc_label(host, port)}: credentials "
        f"go only to https://*.twilio.com and the profile's allowed_hosts; add '{netloc_label(host, port)}' "
        "to allowed_hosts to allow it"
    )


def _has_port(entry: str) -> bool:
    head, sep, tail = entry.rpartition(":")
    return bool(sep) and tail.isdigit() and not head.endswith(":")
