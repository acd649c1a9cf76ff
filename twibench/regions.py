"""Twilio regions and edges: the host every product is reached at, for a profile's region and edge.

A region (`ie1`, `au1`) is where Twilio processes and stores data; an edge (`dublin`, `sydney`) is where
traffic enters Twilio's network. The host is `{product}.{edge}.{region}.twilio.com`. Twilio needs an edge
for a region other than us1 (a region-only host like `api.ie1.twilio.com` is not served: twilio-python
issue 841), so a region given without an edge uses that region's default edge — as twilio-cli does —
and says so once in a note. An edge without a region means us1. This applies to every product's host
(`verify.dublin.ie1.twilio.com`), not only `api`.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

DEFAULT_EDGE = {
    "us1": "ashburn",
    "us2": "umatilla",
    "ie1": "dublin",
    "de1": "frankfurt",
    "au1": "sydney",
    "jp1": "tokyo",
    "jp2": "osaka",
    "sg1": "singapore",
    "br1": "sao-paulo",
}
"""The edge Twilio's own tools pick for a region given without one."""


def resolve(region: str | None, edge: str | None) -> tuple[str | None, str | None, str | None]:
    """(region, edge, note): the pair to use for a profile's settings, and a note when an edge was chosen.

    No region and no edge: (None, None, None) — Twilio's default host. An edge alone: us1.
    """
    region = (region or "").strip().lower() or None
    edge = (edge or "").strip().lower() or None
    if edge and not region:
        return "us1", edge, None
    if region and not edge:
        if region == "us1":
            return None, None, None  # us1 without an edge is Twilio's default host
        chosen = DEFAULT_EDGE.get(region)
        if chosen is None:
            return region, None, f"region {region} has no known default edge; set `edge:` in the profile"
        return region, chosen, f"region {region} without an edge uses its default edge, {chosen}"
    return region, edge, None


def product_host(label: str, region: str | None, edge: str | None) -> str:
    """The host of one product (`api`, `verify`…) for a region/edge pair: `verify.dublin.ie1.twilio.com`."""
    region, edge, _note = resolve(region, edge)
    return ".".join(part for part in (label, edge, region, "twilio.com") if part)


def regional_url(url: str, region: str | None, edge: str | None) -> str:
    """A Twilio URL moved to the region/edge (any product host, any region it named); others unchanged."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host.endswith(".twilio.com") or (not region and not edge):
        return url
    label = host.split(".", 1)[0]
    netloc = product_host(label, region, edge) + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def is_regional(host: str) -> bool:
    """True for a Twilio host that names a region or edge (`api.dublin.ie1.twilio.com`)."""
    host = host.lower().rstrip(".")
    return host.endswith(".twilio.com") and host.count(".") > 2


def credentials_hint(url: str, status: int, error_code: int | None) -> str | None:
    """For a 401 (20003) from a regional host: the hint that credentials are per region.

    An account's Auth Token and API keys belong to the region they were made in (us1 by default); a
    regional host (`api.dublin.ie1.twilio.com`) accepts only that region's credentials.
    """
    host = urlsplit(url).hostname or ""
    if status != 401 or error_code not in (None, 20003) or not is_regional(host):
        return None
    return (
        f"{host} is a regional host: Twilio accepts only credentials made in that region there "
        "(an API key created for the region); the account's us1 Auth Token fails with 20003"
    )
