"""The URL table: which resource answers which path and method, compiled once at import.

Paths are matched without their representation suffix (`.json`, `.csv`, or none for XML), as Twilio
serves every resource in all three.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from twibench.sandbox import accounts, keys, media, messages, phone_numbers
from twibench.sandbox.call import Format, Handler

_ACCOUNT = r"/2010-04-01/Accounts/(?P<account>[^/]+)"


@dataclass(frozen=True)
class Route:
    """One resource path and the handlers of its methods."""

    pattern: re.Pattern[str]
    methods: dict[str, Handler]
    test_credentials: frozenset[str] = frozenset()
    """Methods Twilio's test credentials may call here (only creating messages)."""
    main_credentials_only: bool = False
    """Standard API keys cannot reach Accounts and Keys (Twilio requires a Main key or the Auth Token)."""

    @property
    def allowed(self) -> list[str]:
        """The methods for an `Allow` header (HEAD rides along with GET)."""
        names = set(self.methods) | ({"HEAD"} if "GET" in self.methods else set())
        return sorted(names)


def _route(
    path: str,
    methods: dict[str, Handler],
    *,
    test_credentials: frozenset[str] = frozenset(),
    main_credentials_only: bool = False,
) -> Route:
    return Route(re.compile(f"^{path}$"), methods, test_credentials, main_credentials_only)


ROUTES: tuple[Route, ...] = (
    _route(
        f"{_ACCOUNT}/Messages/(?P<sid>[^/]+)",
        {"GET": messages.fetch, "POST": messages.update, "DELETE": messages.delete},
    ),
    _route(
        f"{_ACCOUNT}/Messages",
        {"GET": messages.list_messages, "POST": messages.create},
        test_credentials=frozenset({"POST"}),
    ),
    _route(
        f"{_ACCOUNT}/Messages/(?P<message>[^/]+)/Media/(?P<sid>[^/]+)", {"GET": media.fetch, "DELETE": media.delete}
    ),
    _route(f"{_ACCOUNT}/Messages/(?P<message>[^/]+)/Media", {"GET": media.list_media}),
    _route(f"{_ACCOUNT}/Messages/(?P<message>[^/]+)/Feedback", {"POST": messages.feedback}),
    _route(
        f"{_ACCOUNT}/Keys/(?P<sid>[^/]+)",
        {"GET": keys.fetch, "POST": keys.update, "DELETE": keys.delete},
        main_credentials_only=True,
    ),
    _route(f"{_ACCOUNT}/Keys", {"GET": keys.list_keys, "POST": keys.create}, main_credentials_only=True),
    _route(
        f"{_ACCOUNT}/IncomingPhoneNumbers/(?P<sid>PN[^/]*)", {"GET": phone_numbers.fetch, "POST": phone_numbers.update}
    ),
    _route(
        f"{_ACCOUNT}/IncomingPhoneNumbers",
        {"GET": phone_numbers.list_numbers, "POST": phone_numbers.create},
        test_credentials=frozenset({"POST"}),
    ),
    _route(_ACCOUNT, {"GET": accounts.fetch, "POST": accounts.update}, main_credentials_only=True),
    _route(
        "/2010-04-01/Accounts",
        {"GET": accounts.list_accounts, "POST": accounts.create},
        main_credentials_only=True,
    ),
)


def split_format(path: str) -> tuple[str, Format]:
    """The path without its suffix, and the representation the suffix selects."""
    if path.endswith(".json"):
        return path[:-5], "json"
    if path.endswith(".csv"):
        return path[:-4], "csv"
    return path, "xml"


def match(stem: str) -> tuple[Route, dict[str, str]] | None:
    """The route serving `stem` and its path arguments (`account`, `sid`, `message`)."""
    for route in ROUTES:
        found = route.pattern.match(stem)
        if found is not None:
            return route, found.groupdict()
    return None
