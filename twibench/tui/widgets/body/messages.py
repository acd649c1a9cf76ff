"""What the body viewer posts: `BodyViewer.Formatted` and `BodyViewer.OpenUri` (handled as
`on_body_viewer_formatted` / `on_body_viewer_open_uri`).

The sender is typed as a Textual `Widget`, not `BodyViewer`: the viewer imports this module, and an import
back (even under `TYPE_CHECKING`) would be an import circle."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from textual.widget import Widget

__all__ = ["Formatted", "OpenUri"]


class Formatted(Message, namespace="body_viewer"):
    """The body loaded last is fully formatted (posted for small, inline-formatted bodies too)."""

    def __init__(self, viewer: Widget, kind: str, line_count: int) -> None:
        super().__init__()
        self.viewer = viewer
        self.kind = kind
        self.line_count = line_count

    @property
    def control(self) -> Widget:
        """The viewer that formatted the body."""
        return self.viewer


class OpenUri(Message, namespace="body_viewer"):
    """The user asked to open a Twilio URI found in the body (a path such as "/2010-04-01/...")."""

    def __init__(self, viewer: Widget, uri: str) -> None:
        super().__init__()
        self.viewer = viewer
        self.uri = uri

    @property
    def control(self) -> Widget:
        """The viewer the URI came from."""
        return self.viewer
