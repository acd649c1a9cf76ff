"""Where a sandbox request lands: the product, the spec path item, the path's arguments.

Its own module so that the generic handlers and the hand-written products (which all take a `Target`)
never import the dispatcher that routes to them.
"""

from __future__ import annotations

from dataclasses import dataclass

from twibench.spec.index import API_LABEL, PathItem


@dataclass(frozen=True)
class Target:
    """A sandbox path resolved to its spec path item."""

    label: str
    item: PathItem
    args: dict[str, str]
    """Path arguments by the spec's parameter names (`ServiceSid`)."""
    path: str
    """The concrete path on Twilio's host, without `.json` (`/v2/Services/VA…`)."""

    @property
    def is_api(self) -> bool:
        """The 2010 API (relative `uri`s, `.json` paths, RFC 2822 dates)."""
        return self.label == API_LABEL

    def store_path(self, path: str) -> str:
        """The key of a concrete path in the state file (its sandbox form, unique across products)."""
        return path if self.is_api else f"/{self.label}{path}"

    def url(self, path: str) -> str:
        """How Twilio names a concrete path in answers: `/2010-04-01/….json`, or `https://{label}.twilio.com/…`."""
        return f"{path}.json" if self.is_api else f"https://{self.label}.twilio.com{path}"
