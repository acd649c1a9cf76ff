"""A request opened from a response (`enter` on a `uri`, `]`) or from history, made fit to keep in a collection.

Such a request holds what was sent once: the active profile's literal Account SID in its path, the query
string inside the URL (percent-encoded), the paging tokens of the page it came from, and a name cut for the
tree (`Messages.json?To=%2B1555…`). Saved as it is, it only works for that account and always asks for that
one page. Before the save dialog shows it, this module turns it back into a template: profile values become
their `{{variables}}`, the query moves to Params (decoded), paging tokens are dropped, and the name is made
from the method and the resource (`List Messages`).
"""

from __future__ import annotations

import copy
import re
from urllib.parse import parse_qsl

from twibench.collection import Request
from twibench.profile import Profile
from twibench.workbench.paste import ABSOLUTE_URL, split_pasted_url

PAGING_KEYS = frozenset({"Page", "PageToken", "AfterSid", "BeforeSid"})
"""Query parameters that pick one page of a list: they belong to the answer, not to the request."""

_SID = re.compile(r"^[A-Z]{2}[0-9a-f]{32}$")
_MIN_VALUE = 6
"""Shorter profile values (a region code…) are too likely to occur by chance to be replaced."""


def keepable(request: Request, profile: Profile) -> tuple[Request, list[str]]:
    """A copy of `request` as a collection would keep it, and what was changed (for a notice).

    Args:
        request: the request as opened (from a response link or a history entry).
        profile: the active profile: its values (`account_sid`, its own variables) become `{{name}}`.
    """
    kept = copy.deepcopy(request)
    changes: list[str] = []
    url, params = kept.url, list(kept.params)
    if ABSOLUTE_URL.match(url):
        pasted = split_pasted_url(url, profile)
        if pasted is not None:
            url, params = pasted.url, [*pasted.params, *params]
    elif "?" in url:
        url, _, query = url.partition("?")
        params = [*parse_qsl(query, keep_blank_values=True), *params]
        changes.append("moved the query string to Params")
    dropped = sorted({key for key, _ in params if key in PAGING_KEYS})
    if dropped:
        params = [(key, value) for key, value in params if key not in PAGING_KEYS]
        changes.append(f"dropped the paging parameters {', '.join(dropped)}")
    values = sorted(
        ((name, value) for name, value in profile.builtin_variables().items() if len(value) >= _MIN_VALUE),
        key=lambda item: -len(item[1]),
    )
    mapped: list[str] = []
    for name, value in values:
        reference = "{{" + name + "}}"
        if value in url:
            url = url.replace(value, reference)
            mapped.append(name)
        for pairs in (params, kept.form or []):
            for index, (key, current) in enumerate(pairs):
                if current == value:
                    pairs[index] = (key, reference)
                    mapped.append(name)
    if mapped:
        names = ", ".join("{{" + name + "}}" for name in dict.fromkeys(mapped))
        changes.append(f"wrote the profile's values as {names}")
    kept.url, kept.params = url, params
    return kept, changes


def suggested_name(request: Request) -> str:
    """`List Messages`, `Fetch Message`, `Create Message`, `Delete Call`: a name from the method and path."""
    path = request.url.split("?", 1)[0]
    if ABSOLUTE_URL.match(path):
        path = "/" + path.split("://", 1)[1].partition("/")[2]
    segments = [s for s in path.strip("/").split("/") if s]
    if not segments:
        return f"{request.method} request"
    last = re.sub(r"\.(json|xml|csv)$", "", segments[-1])
    one_item = bool(_SID.match(last)) or last.startswith("{{")
    if one_item and len(segments) >= 2:
        resource = _singular(segments[-2])
        verb = {"GET": "Fetch", "POST": "Update", "DELETE": "Delete"}.get(request.method, request.method)
    else:
        resource = last
        verb = {"GET": "List", "POST": "Create"}.get(request.method, request.method)
    return f"{verb} {resource}"


def _singular(word: str) -> str:
    """`Messages` → `Message`, `Addresses` → `Address` (good enough for a suggested name)."""
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word
