"""Pasting a full URL into the URL field: keep the path, move the query string to Params.

People copy URLs from Twilio's docs, a browser or a log: `https://api.twilio.com/2010-04-01/Accounts/
AC…/Messages.json?To=%2B1555&PageSize=20`. A collection request wants the path (joined to whichever
profile is active), its own Account SID as `{{account_sid}}`, and the query as editable parameters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from twibench.profiles import Profile

ABSOLUTE_URL = re.compile(r"^https?://\S+$")


@dataclass(frozen=True)
class PastedUrl:
    """What a pasted URL becomes.

    Attributes:
        url: the URL for the request: a path when the host is Twilio's API host (or the profile's),
            else the absolute URL without its query string.
        params: the query string as (key, value) pairs, decoded, in order (repeated keys kept).
        note: one sentence saying what was changed, for a notification.
    """

    url: str
    params: list[tuple[str, str]]
    note: str


def _api_hosts(profile: Profile) -> set[str]:
    hosts = {"api.twilio.com"}
    if profile.base_url_provider is None:
        host = urlsplit(profile.static_base()).hostname
        if host:
            hosts.add(host.lower())
    return hosts


def split_pasted_url(text: str, profile: Profile) -> PastedUrl | None:
    """Turn a pasted absolute URL into a request URL and parameters; None for anything else.

    Args:
        text: what was pasted.
        profile: the active profile (its API host is dropped, its Account SID becomes `{{account_sid}}`).
    """
    text = text.strip()
    if not ABSOLUTE_URL.match(text):
        return None
    parts = urlsplit(text)
    host = (parts.hostname or "").lower()
    params = parse_qsl(parts.query, keep_blank_values=True)
    changes: list[str] = []
    if host in _api_hosts(profile) or (host.endswith(".twilio.com") and parts.path.startswith("/2010-04-01/")):
        url = parts.path or "/"
        changes.append(f"dropped the host {host} (the active profile's API host is used)")
        if profile.account_sid and profile.account_sid in url:
            url = url.replace(profile.account_sid, "{{account_sid}}")
            changes.append("wrote the profile's Account SID as {{account_sid}}")
    else:
        url = parts._replace(query="", fragment="").geturl()
    if params:
        count = len(params)
        changes.append(f"moved {count} query parameter{'s' if count != 1 else ''} to Params")
    if not changes:
        return PastedUrl(url, [], "")
    return PastedUrl(url, params, "Pasted URL: " + "; ".join(changes) + ".")
