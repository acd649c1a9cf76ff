"""Capture the app's notifications (toasts) with `run_test(message_hook=...)`, to assert on what a user reads."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.message import Message
from textual.notifications import Notification, Notify


@dataclass
class Notes:
    """Every notification the app posted, in order."""

    seen: list[Notification] = field(default_factory=list)

    def hook(self, message: Message) -> None:
        """The `message_hook` for `App.run_test`."""
        if isinstance(message, Notify):
            self.seen.append(message.notification)

    @property
    def texts(self) -> list[str]:
        """Each notification as `title: message`."""
        return [f"{n.title}: {n.message}" if n.title else n.message for n in self.seen]

    def last(self) -> Notification:
        """The latest notification."""
        assert self.seen, "no notification was posted"
        return self.seen[-1]
