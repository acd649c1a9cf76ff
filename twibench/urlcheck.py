"""Check a rendered URL and headers before anything is built from them: one clear sentence, no value.

A URL is rendered from variables, and a variable may hold a secret, so a problem is described by what
is wrong and where (`the url's port is not a number from 1 to 65535`), never by echoing the text. The
URL must be http(s) with a host, carry no `user:password@` part, no control or whitespace character,
a port from 1 to 65535, and a host that is an IP address or a valid (IDNA) host name; and httpx, which
connects, must read the same scheme, host and port as the host guard does.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
import idna

from twibench.errors import TwibenchError
from twibench.hostguard import netloc_label

__all__ = ["RequestBuildError", "Target", "check_header", "parse_target", "url_problem"]

_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_NAMED = {"\t": "a tab", "\n": "a line break", "\r": "a carriage return", " ": "a space", "\x00": "a NUL byte"}


class RequestBuildError(TwibenchError):
    """The request cannot be built (bad URL, bad header, bad JSON template…); nothing was sent."""


@dataclass(frozen=True)
class Target:
    """Where a request goes: scheme, the ASCII (IDNA) lowercase host without brackets, and the port."""

    scheme: str
    host: str
    port: int

    @property
    def netloc(self) -> str:
        """`host:port`, IPv6 in brackets."""
        return netloc_label(self.host, self.port)


def _bad_character(text: str) -> str | None:
    for char in text:
        if char in _NAMED:
            return _NAMED[char]
        if char.isspace():
            return "a whitespace character"
        if ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0:
            return "a control character"
    return None


def _ascii_host(host: str) -> str | None:
    """The host as ASCII (IP literal, or host name in IDNA form), or None when it is not a valid host."""
    host = host.lower()
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    if not host.isascii():
        try:
            host = idna.encode(host, uts46=False).decode("ascii")
        except (idna.IDNAError, UnicodeError, ValueError):
            return None
    labels = host.rstrip(".").split(".")
    if not all(_LABEL.match(label) for label in labels):
        return None
    return host


def url_problem(url: str) -> tuple[str | None, Target | None]:
    """(what is wrong with `url`, None) or (None, its target): the sentence never quotes the URL."""
    bad = _bad_character(url)
    if bad:
        return f"contains {bad}", None
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. a full-width `／` in the host, which NFKC turns into a `/`
        return "has a host that is not a valid host name or IP address", None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return "is not an http or https URL", None
    netloc = parts.netloc
    if "@" in netloc:
        return "has a user:password@ part (credentials come from the profile or `auth:`)", None
    if netloc.startswith("["):
        raw_host, _, rest = netloc[1:].partition("]")
        if rest and not rest.startswith(":"):
            return "has text after its IPv6 address", None
        port_text = rest[1:] if rest else ""
        try:
            ipaddress.IPv6Address(raw_host.split("%")[0])
        except ValueError:
            return "has an invalid IPv6 address", None
    else:
        raw_host, _, port_text = netloc.partition(":")
    if not raw_host:
        return "has no host", None
    port = 443 if scheme == "https" else 80
    if port_text or netloc.endswith(":"):
        if not port_text.isascii() or not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
            return "has a port that is not a number from 1 to 65535", None
        port = int(port_text)
    host = _ascii_host(raw_host)
    if host is None:
        return "has a host that is not a valid host name or IP address", None
    try:
        parsed = httpx.URL(url)
        read_host = parsed.raw_host.decode("ascii").lower().strip("[]")
        read_port = parsed.port or port
    except (httpx.InvalidURL, UnicodeError, ValueError):
        return "is not a valid URL", None
    if parsed.scheme != scheme or read_host != host.strip("[]") or read_port != port:
        return "can be read as two different hosts", None
    return None, Target(scheme, host.strip("[]"), port)


def parse_target(url: str, request_name: str) -> Target:
    """The target of a rendered request URL.

    Raises:
        RequestBuildError: `request 'NAME': the url has a port that is not a number from 1 to 65535; …`.
    """
    problem, target = url_problem(url)
    if problem is not None or target is None:
        raise RequestBuildError(f"request '{request_name}': the url {problem}; nothing was sent")
    return target


def check_header(name: str, value: str, request_name: str) -> None:
    """Refuse a header httpx cannot write (never quoting the value).

    Raises:
        RequestBuildError: naming the request and the header.
    """
    if not _TOKEN.match(name):
        raise RequestBuildError(f"request '{request_name}': a header name is not a valid HTTP token; nothing was sent")
    bad = next((c for c in value if (ord(c) < 0x20 and c != "\t") or ord(c) == 0x7F), None)
    if bad is not None:
        raise RequestBuildError(
            f"request '{request_name}': header '{name}' contains {_NAMED.get(bad, 'a control character')}; "
            "nothing was sent"
        )
    if not value.isascii():
        raise RequestBuildError(
            f"request '{request_name}': header '{name}' has a character outside ASCII; nothing was sent"
        )
