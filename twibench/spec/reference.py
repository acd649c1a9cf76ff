"""Twilio's API reference for the open request: its OpenAPI operation, found off the UI thread.

`twibench.spec.docs` matches a request's method and URL against the operations of the bundled OpenAPI
specs. Its first lookup parses 2.3 MB of JSON and indexes 255 operations: about 40 ms here, too long for
the UI thread, so the TUI reads the specs in a thread (`find`, `load`) and then looks up in place, a
short scan (`find_loaded`). Nothing is read before the user needs it: the Docs tab, a key field of the
Form or Params table, a pasted curl command or a twilio-cli/Python export asks first.
"""

from __future__ import annotations

import asyncio
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from twibench.spec.docs import OperationDoc

__all__ = ["find", "find_loaded", "is_loaded", "load", "parameter_names"]

_lock = threading.Lock()
_loaded = threading.Event()


def load() -> None:
    """Read and index the bundled specs now (blocking, ~40 ms, once; other threads wait for it).

    Raises:
        SpecError: a bundled spec does not read (a broken installation).
    """
    if _loaded.is_set():
        return
    from twibench.spec import docs as spec_docs

    with _lock:  # one thread builds the index; the others wait for it rather than build their own
        if not _loaded.is_set():
            spec_docs.find_operation("GET", "/")  # the first lookup builds the index
            _loaded.set()


def is_loaded() -> bool:
    """True once the specs are indexed (lookups are then quick enough for the UI thread)."""
    return _loaded.is_set()


def find_loaded(method: str, url: str) -> OperationDoc | None:
    """The operation of `method url`, on the UI thread; only call it when `is_loaded()`."""
    from twibench.spec import docs as spec_docs

    return spec_docs.find_operation(method, url)


async def find(method: str, url: str) -> OperationDoc | None:
    """The operation of `method url`; the first call reads the specs in a thread.

    Raises:
        SpecError: a bundled spec does not read (a broken installation).
    """
    if not is_loaded():
        await asyncio.to_thread(load)
    return find_loaded(method, url)


def parameter_names(doc: OperationDoc, location: str) -> list[str]:
    """The names of the operation's `form` or `query` parameters, required ones first, in spec order."""
    if location == "form":
        from twibench.spec.docs import form_parameter_names

        return form_parameter_names(doc)
    chosen = [p for p in doc.parameters if p.location == location]
    return [p.name for p in sorted(chosen, key=lambda p: not p.required)]
