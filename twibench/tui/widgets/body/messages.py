"""What the body viewer posts: `BodyViewer.Formatted` and `BodyViewer.OpenUri` (handled as
`on_body_viewer_formatted` / `on_body_viewer_open_uri`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from twibench.tui.widgets.body.viewer import BodyViewer

__all__ = ["Formatted", "OpenUri"]


class Formatted(Message, namespace="body_viewer"):
    """The body loaded last is fully formatted (posted for small, inline-formatted bodies too)."""

    def __init__(self, viewer: BodyViewer, kind: str, line_count: int) -> None:
        super().__init__()
        self.viewer = viewer
        self.kind = kind
        self.line_count = line_count

    @property
    def control(self) -> BodyViewer:
        """The viewer that formatted the body."""
        return self.viewer


class OpenUri(Message, namespace="body_viewer"):
    """The user asked to open a Twilio URI found in the body (a path such as "/2010-04-01/...")."""

    def __init__(self, viewer: BodyViewer, uri: str) -> None:
        super().__init__()
        self.viewer = viewer
        self.uri = uri

    @property
    def control(self) -> BodyViewer:
        """The viewer the URI came from."""
        return self.viewer
