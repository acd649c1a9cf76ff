"""Formatting a large body for the viewer in a thread: render's batches, packed, posted one by one.

The thread packs each batch (`formatted_batches`) so the UI thread only appends chunks; a newer body
cancels the worker, and its late batches carry an older generation, which the viewer drops.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.message import Message
from textual.worker import get_current_worker

from twibench.workbench.body_document import Batch, formatted_batches
from twibench.workbench.memory import release_free_memory

if TYPE_CHECKING:
    from textual.widget import Widget

__all__ = ["BATCH_LINES", "FormatStep", "format_in_thread", "start_formatting"]

BATCH_LINES = 10_000
"""Lines per batch from the formatter: small enough to paint the first page early."""


class FormatStep(Message, bubble=False):
    """From the formatting thread to the viewer itself: a batch, or the end (batch None)."""

    def __init__(self, generation: int, batch: Batch | None) -> None:
        super().__init__()
        self.generation = generation
        self.batch = batch


def format_in_thread(viewer: Widget, body: bytes, content_type: str | None, generation: int) -> None:
    """Feed render's batches to the viewer; stop early when a newer body replaces this one (in a worker)."""
    worker = get_current_worker()
    for batch in formatted_batches(body, content_type, BATCH_LINES):
        if worker.is_cancelled:
            return
        viewer.post_message(FormatStep(generation, batch))
    viewer.post_message(FormatStep(generation, None))
    release_free_memory()


def start_formatting(viewer: Widget, body: bytes, content_type: str | None, generation: int) -> None:
    """Run `format_in_thread` in the viewer's thread worker (a newer body's worker replaces it)."""
    work = partial(format_in_thread, viewer, body, content_type, generation)
    # The description matters: without one Textual takes repr(work), the whole body (150 ms at 20 MB).
    viewer.run_worker(
        work, description="format body", thread=True, exclusive=True, group="body-format", exit_on_error=False
    )
