"""The tree filter's model (`/` in the collection tree): which requests match what the user typed.

Matching is by words, case-insensitive: every whitespace-separated word of the query must occur somewhere
in the request's collection name, method, name or URL (`sms send` finds *Messages › POST Send an SMS*;
`calls json` every Calls URL). Words rather than a subsequence because imported names are long and a
subsequence of a few letters matches most of 1,447 requests. The lower-cased text of every request is
built once per filter session (`RequestIndex`), so a keystroke is one substring scan per word.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from twibench.workbench.workspace import CollectionEntry, RequestEntry

__all__ = ["FilterResult", "RequestIndex", "haystack"]


def haystack(entry: RequestEntry) -> str:
    """What the filter searches in a request: collection, method, name and URL, lower-cased."""
    request = entry.request
    return f"{entry.owner.name}\n{request.method}\n{request.name}\n{request.url}".lower()


@dataclass(frozen=True)
class FilterResult:
    """The requests that match, grouped by collection in tree order."""

    groups: list[tuple[CollectionEntry, list[RequestEntry]]]

    @property
    def count(self) -> int:
        """How many requests match."""
        return sum(len(items) for _, items in self.groups)

    def first(self) -> RequestEntry | None:
        """The first matching request (where the cursor goes)."""
        return self.groups[0][1][0] if self.groups else None


class RequestIndex:
    """Every request with its search text, in tree order, for a session of filtering."""

    def __init__(self, entries: Iterable[RequestEntry]) -> None:
        self._rows = [(entry, haystack(entry)) for entry in entries]

    def __len__(self) -> int:
        return len(self._rows)

    def match(self, query: str) -> FilterResult:
        """The requests in which every word of `query` occurs (all of them for a blank query)."""
        words = query.lower().split()
        groups: list[tuple[CollectionEntry, list[RequestEntry]]] = []
        current: CollectionEntry | None = None
        for entry, text in self._rows:
            if all(word in text for word in words):
                if entry.owner is not current:
                    current = entry.owner
                    groups.append((current, []))
                groups[-1][1].append(entry)
        return FilterResult(groups)
