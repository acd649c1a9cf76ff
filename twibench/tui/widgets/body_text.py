"""The text editor for JSON and raw request bodies (imported only when such a body is shown)."""

from __future__ import annotations

from typing import ClassVar

from textual.widgets import TextArea


class BodyTextArea(TextArea):
    """A JSON or raw request body."""

    DEFAULT_CSS = """
    BodyTextArea {
        height: 8;
    }
    """

    HELP_TITLE: ClassVar[str] = "Request body"

    HELP: ClassVar[str] = (
        "The request body as text: JSON (sent as application/json) or a raw body (sent with the "
        "Content-Type header you set). `{{name}}` variables are filled in when sending. Most Twilio "
        "REST endpoints take a form instead."
    )
