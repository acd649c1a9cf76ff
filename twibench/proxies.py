"""Which proxy (if any) a request goes through, and the transport that routes it there.

The environment's `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY` (either case; lowercase
wins, as in curl and urllib) are honoured, with one rule of our own: loopback (`localhost`,
`127.0.0.0/8`, `::1`) never goes through a proxy, so the sandbox and a local `base_url` are reached
directly whatever the environment says. The outbound guard asks `proxy_for` which proxy would see a
plain-http request, and the client's transport (`ProxyRouter`) asks the same function, so the two
always agree.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from urllib.parse import urlsplit

import httpx

__all__ = ["ProxyRouter", "environment_proxies", "is_loopback", "proxy_for", "proxy_variable"]


def is_loopback(host: str) -> bool:
    """True for `localhost` (and `*.localhost`), any 127.0.0.0/8 address, `::1` and IPv4-mapped loopback."""
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def environment_proxies(environ: Mapping[str, str] | None = None) -> dict[str, tuple[str, str]]:
    """scheme (`http`, `https`, `all`, `no`) → (value, the variable it came from), as urllib reads them."""
    env = os.environ if environ is None else environ
    found: dict[str, tuple[str, str]] = {}
    for name, value in env.items():
        if value and name.lower().endswith("_proxy"):
            found[name.lower()[:-6]] = (value, name)
    if "REQUEST_METHOD" in env:  # CGI: HTTP_PROXY may come from a client's `Proxy:` header (httpoxy)
        found.pop("http", None)
    for name, value in env.items():
        if name.endswith("_proxy"):  # lowercase names win
            if value:
                found[name[:-6]] = (value, name)
            else:
                found.pop(name[:-6], None)
    return found


def _bypassed(host: str, port: int, no_proxy: str) -> bool:
    """NO_PROXY as curl reads it: `*`, names (a leading dot optional, subdomains match), IPs, CIDRs, ports."""
    host = host.strip("[]").lower().rstrip(".")
    try:
        address: ipaddress.IPv4Address | ipaddress.IPv6Address | None = ipaddress.ip_address(host)
    except ValueError:
        address = None
    for raw in no_proxy.split(","):
        entry = raw.strip().lower()
        if not entry:
            continue
        if entry == "*":
            return True
        entry_port: int | None = None
        if entry.startswith("["):
            bracket, _, rest = entry[1:].partition("]")
            entry, entry_port = bracket, int(rest[1:]) if rest[1:].isdigit() else None
        elif entry.count(":") == 1:
            name, _, tail = entry.partition(":")
            if tail.isdigit():
                entry, entry_port = name, int(tail)
        if entry_port is not None and entry_port != port:
            continue
        if address is not None:
            try:
                if address in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:
                pass
            continue
        entry = entry.lstrip(".").lstrip("*").lstrip(".")
        if entry and (host == entry or host.endswith("." + entry)):
            return True
    return False


def _proxy_entry(url: str, environ: Mapping[str, str] | None) -> tuple[str, str] | None:
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    if not host or is_loopback(host):
        return None
    proxies = environment_proxies(environ)
    no_proxy = proxies.get("no")
    if no_proxy and _bypassed(host, port, no_proxy[0]):
        return None
    entry = proxies.get(scheme) or proxies.get("all")
    if entry is None:
        return None
    value, name = entry
    return (value if "://" in value else f"http://{value}"), name


def proxy_for(url: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The proxy URL a request to `url` goes through, or None (direct)."""
    entry = _proxy_entry(url, environ)
    return entry[0] if entry else None


def proxy_variable(url: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The environment variable that names the proxy for `url` (for messages), or None."""
    entry = _proxy_entry(url, environ)
    return entry[1] if entry else None


class ProxyRouter(httpx.AsyncBaseTransport):
    """Sends each request directly or through the proxy `proxy_for` names (read per request)."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = environ
        self._direct = httpx.AsyncHTTPTransport(trust_env=True)
        self._proxied: dict[str, httpx.AsyncHTTPTransport] = {}

    def _transport(self, url: str) -> httpx.AsyncBaseTransport:
        proxy = proxy_for(url, self._environ)
        if proxy is None:
            return self._direct
        transport = self._proxied.get(proxy)
        if transport is None:
            try:
                transport = httpx.AsyncHTTPTransport(proxy=httpx.Proxy(proxy), trust_env=True)
            except (ImportError, ValueError, httpx.InvalidURL) as exc:
                reason = exc.__class__.__name__
                raise httpx.ProxyError(f"cannot use the proxy from the environment ({reason})") from None
            self._proxied[proxy] = transport
        return transport

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Route one request (a redirect is routed again, by its own URL)."""
        return await self._transport(str(request.url)).handle_async_request(request)

    async def aclose(self) -> None:
        """Close the direct and every proxied connection pool."""
        transports, self._proxied = [self._direct, *self._proxied.values()], {}
        for transport in transports:
            await transport.aclose()
