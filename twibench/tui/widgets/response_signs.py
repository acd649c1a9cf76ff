"""What the response area shows only at times: the banner over a response that is not the live answer, and
the spinner of a request in flight.

Apart from `response_view` so that neither class is built before the first frame: a widget class costs
~0.17 ms to create (Textual's `__init_subclass__` walks the class), and neither shows at start.
"""

from __future__ import annotations

from textual.widgets import LoadingIndicator, Static

__all__ = ["Banner", "Spinner"]


class Banner(Static):
    """The line above the status saying the response shown is not the live answer (a history entry, a run
    result, a stale response). Mounted the first time one is shown, so neither it nor its rules are part of
    the first frame."""

    DEFAULT_CSS = """
    Banner {
        height: auto;
        padding: 0 1;
        background: $secondary-muted;
    }
    """


class Spinner(LoadingIndicator):
    """The spinner left of the status line while a request is in flight (mounted by the first send, its
    rules with it)."""

    DEFAULT_CSS = """
    Spinner {
        width: 5;
        height: 1;
    }
    """
