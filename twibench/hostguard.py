"""The host guard: which hosts may receive a profile's credentials (and anything secret).

Allowed: https hosts under twilio.com; the profile's own `base_url` host and port (the sandbox's exact
address for the sandbox profile); `allowed_hosts` entries (a bare host matches any port over http or
https; a `host:port` entry matches that port only). Everything here is plain data: no httpx, so the
profiles module (and the CLI start-up) can import it cheaply.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol
from urllib.parse import urlsplit

from twibench.errors import TwibenchError

__all__ = ["Guarded", "HostRefusedError", "base_url_problem", "check_host", "host_allows", "netloc_label", "split_url"]


class Guarded(Protocol):
    """What the guard reads of a profile (`twibench.profiles.Profile`), so this module imports none of it."""

    @property
    def name(self) -> str:
        """The profile's name, for messages."""

    @property
    def base_url(self) -> str | None:
        """The profile's own API base, whose host and port are allowed."""

    @property
    def allowed_hosts(self) -> Sequence[str]:
        """More hosts the user allowed."""

    @property
    def base_url_provider(self) -> Callable[[], str] | None:
        """Set for the sandbox profile: its address is the only one allowed."""

    def api_base(self) -> str:
        """The base URL requests go to."""


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


def host_allows(profile: Guarded, url: str) -> bool:
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


def check_host(profile: Guarded, url: str) -> None:
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
