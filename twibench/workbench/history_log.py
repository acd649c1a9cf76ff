"""The TUI's side of the request history, without Textual: the store, the writer thread, and row words.

`HistoryLog` opens the user's history (`twibench.history`) on first use, so start-up never imports
sqlite3. Every exchange the TUI sends is written by the session's one `history.Recorder` on its
background thread: the event loop never waits for the disk, and the writes keep their order. When a write is done the
listeners are called on the event loop (the pane adds the new row). Reading (pages, one entry with its
bodies, counts) is blocking and meant for thread workers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text

from twibench.settings import HistorySettings

if TYPE_CHECKING:
    from twibench.exchange import Exchange
    from twibench.history import Entry, Filter, HistoryStore, Recorder
    from twibench.redact import Redactor

__all__ = ["PAGE_SIZE", "HistoryLog", "Listener", "banner_text", "clock_time", "status_cell"]

PAGE_SIZE = 200
"""Entries read at a time: the pane loads the next page (keyset: `before=` the oldest id shown)
only when the cursor or the scroll position comes near the end of what it holds."""

Listener = Callable[[int | None], None]
"""Called on the event loop after each write with the new entry's id (None: it was not recorded)."""

HIDDEN_TIME = "--:--:--"


def clock_time(iso: str, *, show: bool = True) -> str:
    """`12:01:03` in local time for a recorded ISO timestamp; `--:--:--` when times are hidden."""
    if not show:
        return HIDDEN_TIME
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%H:%M:%S")
    except ValueError:
        return iso[:8]


def status_cell(entry: Entry) -> Text:
    """The status code coloured by its class, or the transport failure's kind (`refused`) in red."""
    if entry.status is None:
        return Text(entry.error_kind or "error", style="bold red")
    from twibench import status

    colours = {
        "info": "cyan",
        "success": "green",
        "redirect": "magenta",
        "client_error": "yellow",
        "server_error": "red",
    }
    return Text(str(entry.status), style=f"bold {colours[status.status_class(entry.status)]}")


def duration_cell(entry: Entry, *, show: bool = True) -> str:
    """`123 ms` (or `— ms` when times are hidden)."""
    return f"{entry.duration_ms:.0f} ms" if show else "— ms"


def banner_text(entry: Entry, *, show_times: bool = True) -> Text:
    """The line above a history entry shown in the response area: what it is and that it is read-only."""
    text = Text()
    text.append("History", style="bold reverse")
    text.append(f" · entry {entry.id} · recorded {clock_time(entry.time, show=show_times)} · profile {entry.profile}")
    if entry.run_id:
        # A run id starts with its time: hidden with the times (deterministic screenshots).
        text.append(f" · run {entry.run_id}" if show_times else " · from a run")
    text.append(" · read-only", style="bold")
    return text


class HistoryLog:
    """The user's history for one TUI session: one `Recorder` writing on its background thread, and reads.

    Args:
        settings: retention and body cap (`config.yaml`'s `history:`).
        path: the database (default: `paths.history_db()` when first opened, so TWIBENCH_HOME applies).
    """

    def __init__(self, settings: HistorySettings | None = None, path: Path | None = None) -> None:
        self.settings = settings or HistorySettings()
        self.path = path
        self.listeners: list[Listener] = []
        self._recorder: Recorder | None = None

    @property
    def recorder(self) -> Recorder:
        """The session's one recorder (made on first use: start-up never imports sqlite3)."""
        if self._recorder is None:
            from twibench.history import Recorder

            self._recorder = Recorder(self.path, self.settings, lead="history recording stopped for this session")
        return self._recorder

    @property
    def problem(self) -> str | None:
        """Why recording stopped (shown by the pane), else None."""
        return self._recorder.problem if self._recorder is not None else None

    # --- the store ---------------------------------------------------------------------------------

    def store(self) -> HistoryStore:
        """The open store (opened now on first use; blocking).

        Raises:
            HistoryError: the file is from a newer twibench or is not a history database.
        """
        return self.recorder.store()

    # --- writing -----------------------------------------------------------------------------------

    @property
    def pending(self) -> int:
        """Writes submitted and not finished yet."""
        return self._recorder.pending if self._recorder is not None else 0

    def submit(
        self,
        exchange: Exchange,
        redactor: Redactor,
        *,
        run_id: str | None = None,
        collection_file: str | Path | None = None,
    ) -> asyncio.Future[int | None]:
        """Record `exchange` on the writer thread; returns at once (call it from the event loop).

        Args:
            exchange: the raw exchange; the recorder redacts it before writing.
            redactor: a redactor made for this write (the session's, taken now, so later changes to the
                session's secrets do not race the write).
            run_id: the collection run that sent it.
            collection_file: the collection file the request came from.
        """
        future = self.recorder.submit(exchange, redactor, run_id=run_id, collection_file=collection_file)
        future.add_done_callback(self._recorded)
        return future

    def _recorded(self, future: asyncio.Future[int | None]) -> None:
        """On the event loop, once a write is done: tell the listeners."""
        entry_id = None if future.cancelled() or future.exception() is not None else future.result()
        for listener in list(self.listeners):
            listener(entry_id)

    async def drain(self) -> None:
        """Wait until every submitted write is done and its listeners were called."""
        if self._recorder is not None:
            await self._recorder.drain()

    # --- reading (blocking: call these from thread workers) ----------------------------------------

    def page(self, flt: Filter, before: int | None = None, limit: int = PAGE_SIZE) -> list[Entry]:
        """Up to `limit` entries matching `flt`, newest first, older than `before` (without bodies)."""
        return self.store().list(limit=limit, filter=flt, before=before)

    def count(self, flt: Filter) -> int:
        """How many entries match `flt`."""
        return self.store().count(flt)

    def get(self, entry_id: int) -> Entry | None:
        """One entry with its bodies, or None when it is gone."""
        return self.store().get(entry_id)

    def delete(self, entry_id: int) -> bool:
        """Delete one entry; False when it was already gone."""
        return self.store().delete(entry_id)

    def clear(self) -> int:
        """Delete every entry; returns how many there were."""
        return self.store().clear()

    # --- closing -----------------------------------------------------------------------------------

    async def aclose(self) -> None:
        """Finish pending writes, stop the writer thread and close the store."""
        if self._recorder is not None:
            await self._recorder.aclose()
