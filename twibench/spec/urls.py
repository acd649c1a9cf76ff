"""How imported URLs are written: api.twilio.com becomes a path, the account becomes `{{account_sid}}`.

A collection URL that is a path is joined to the active profile's API base (api.twilio.com, a region/edge
host, or the sandbox), so a request imported from Twilio's docs runs against the sandbox unchanged. The
account in the URL is the profile's: writing `{{account_sid}}` there keeps one account out of the file.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

TWILIO_API_BASE = "https://api.twilio.com"
ACCOUNT_VARIABLE = "{{account_sid}}"
_ACCOUNT_SEGMENT = re.compile(r"(?<=/)AC[0-9a-fA-F]{32}(?=[/.?#]|$)")
_TEMPLATE = re.compile(r"\{\{[^{}]*\}\}")


def replace_account_sid(path: str) -> str:
    """Every path segment that is a literal Account SID (`/Accounts/AC….json`) becomes `{{account_sid}}`."""
    return _ACCOUNT_SEGMENT.sub(ACCOUNT_VARIABLE, path)


def _split(url: str) -> tuple[str, str, str]:
    """(scheme, host[:port], the rest) of an absolute URL, with `{{variables}}` left intact."""
    masked = _TEMPLATE.sub(lambda m: "x" * len(m.group(0)), url)
    parts = urlsplit(masked)
    start = len(parts.scheme) + 3
    return parts.scheme.lower(), url[start : start + len(parts.netloc)], url[start + len(parts.netloc) :]


def collection_url(url: str) -> str:
    """The URL as a collection writes it: a path for https://api.twilio.com, else unchanged.

    Region and edge hosts (api.dublin.ie1.twilio.com) stay absolute: the request was aimed at that
    region on purpose, and a path would follow the profile's region instead.
    """
    if not url.startswith(("http://", "https://")):
        return replace_account_sid(url) if url.startswith("/") else url
    scheme, netloc, rest = _split(url)
    if scheme == "https" and netloc.lower() in ("api.twilio.com", "api.twilio.com:443") and "@" not in netloc:
        path = rest if rest.startswith("/") else "/" + rest
        return replace_account_sid(path)
    return url[: len(url) - len(rest)] + replace_account_sid(rest)


def is_twilio_url(url: str) -> bool:
    """True for a path (joined to a Twilio API base) or an https URL on a twilio.com host.

    Importers use it to decide whether a request without credentials in the source should use the
    profile's credentials (Twilio) or `auth: none` (any other API: the profile's secret must not go there).
    """
    if url.startswith("/"):
        return True
    if not url.startswith(("http://", "https://")):
        return False
    scheme, netloc, _ = _split(url)
    host = netloc.rpartition("@")[2].partition(":")[0].lower()
    return scheme == "https" and (host == "twilio.com" or host.endswith(".twilio.com"))
