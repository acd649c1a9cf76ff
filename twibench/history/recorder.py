"""`Recorder`: the only way anything is recorded in the history, with one failure behaviour.

Every sender records through a Recorder: `send` and `history replay` (one exchange), `run` (each
exchange of the run, through the runner's `record` hook), and the TUI (on one background thread, so
the event loop never waits for the disk and the writes keep their order).

A history problem (a newer or damaged file, a full disk, a lock held too long) never fails the send
that produced the exchange: `record` returns None instead of raising. The first problem stops the
recorder for the rest of its session (a command, a run, a TUI session) and is reported once, through
`on_problem` and in `problem`; the next exchanges are not attempted, so one broken file gives one
message, not one per request.

Redaction happens in the store (`StoredRow.build`), which caps each body at `history.body_cap`
before redacting it: a 20 MB page costs the writer a few milliseconds of GIL, not the whole body's.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from twibench.exchange import Exchange
    from twibench.history.store import HistoryStore
    from twibench.redact import Redactor
    from twibench.settings import HistorySettings

__all__ = ["NOT_RECORDED", "Recorder"]

NOT_RECORDED = "the exchange was not recorded in history"
"""How a recorder of one exchange names its problem (`send`, `history replay`)."""


class Recorder:
    """Writes exchanges to the user's history, redacted; never raises; stops at the first problem.

    Args:
        path: the history database (default: `paths.history_db()` when first opened).
        settings: retention and body cap (default: `config.yaml`'s `history:`).
        store: an open store to write to instead (the caller keeps and closes it).
        on_problem: told the problem's message once (the CLI prints it as a warning).
        lead: the message's first words, naming what was lost (`history recording stopped for this run`).
    """

    def __init__(
        self,
        path: Path | None = None,
        settings: HistorySettings | None = None,
        *,
        store: HistoryStore | None = None,
        on_problem: Callable[[str], None] | None = None,
        lead: str = NOT_RECORDED,
    ) -> None:
        self.path = path
        self.settings = settings
        self.on_problem = on_problem
        self.lead = lead
        self.problem: str | None = None
        """The first problem's message once recording stopped, else None."""
        self._store = store
        self._owns_store = store is None
        self._lock = threading.Lock()
        self._writer: ThreadPoolExecutor | None = None
        self._pending: set[asyncio.Future[int | None]] = set()

    # --- the store ---------------------------------------------------------------------------------

    def store(self) -> HistoryStore:
        """The open store (opened now on first use; blocking).

        Raises:
            HistoryError: the file is from a newer twibench or is not a history database.
        """
        with self._lock:
            if self._store is None:
                from twibench.history.opener import open_history

                self._store = open_history(self.path, self.settings)
            return self._store

    # --- recording ---------------------------------------------------------------------------------

    def record(
        self,
        exchange: Exchange,
        redactor: Redactor,
        *,
        run_id: str | None = None,
        collection_file: str | Path | None = None,
    ) -> int | None:
        """Record `exchange`, redacted with `redactor`; the new entry's id, or None (never raises).

        Args:
            exchange: the raw exchange, as the client returned it.
            redactor: knows every secret to mask (profiles, typed and captured secrets). Used only by
                this call: on the writer thread it must be one the event loop no longer changes.
            run_id: the run that sent it.
            collection_file: the collection file the request came from.
        """
        if self.problem is not None:
            return None
        try:
            return self.store().record(exchange, redactor, run_id=run_id, collection_file=collection_file)
        except Exception as exc:  # a broken history must never fail the send that produced the exchange
            self._stop(exc)
            return None

    def _stop(self, exc: Exception) -> None:
        self.problem = f"{self.lead}: {exc}"
        if self.on_problem is not None:
            self.on_problem(self.problem)

    def submit(
        self,
        exchange: Exchange,
        redactor: Redactor,
        *,
        run_id: str | None = None,
        collection_file: str | Path | None = None,
    ) -> asyncio.Future[int | None]:
        """`record` on the writer thread; returns at once (call it from the event loop)."""
        loop = asyncio.get_running_loop()
        if self._writer is None:
            self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="twibench-history")
        write = partial(self.record, exchange, redactor, run_id=run_id, collection_file=collection_file)
        future = loop.run_in_executor(self._writer, write)
        self._pending.add(future)
        future.add_done_callback(self._pending.discard)
        return future

    @property
    def pending(self) -> int:
        """Writes submitted and not finished yet."""
        return len(self._pending)

    async def drain(self) -> None:
        """Wait until every submitted write is done and its done callbacks ran."""
        while self._pending:
            await asyncio.gather(*list(self._pending), return_exceptions=True)
            await asyncio.sleep(0)  # done callbacks run on the next turn of the loop

    # --- closing -----------------------------------------------------------------------------------

    def close(self) -> None:
        """Stop the writer thread (after its writes) and close the store this recorder opened."""
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.shutdown(wait=True)
        with self._lock:
            store, self._store = self._store, None
        if store is not None and self._owns_store:
            store.close()

    async def aclose(self) -> None:
        """Finish pending writes, then `close`."""
        await self.drain()
        self.close()

    def __enter__(self) -> Recorder:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
