"""Twilio's API reference for the open request: its OpenAPI operation, found off the UI thread.

`twibench.spec.docs` matches a request's method and URL against the operations of the bundled OpenAPI
specs of the request's product. The first lookup on a product reads and indexes its specs: from a few
milliseconds (Lookup) to about 40 ms (the 2010 API, 197 operations), too long for the UI thread, so the
TUI reads a product in a thread (`find`, `load`) and then looks up in place, a short scan
(`find_loaded`). Nothing is read before the user needs it: the Docs tab, a key field of the Form or
Params table, a pasted curl command or a twilio-cli/Python export asks first, and only for the product
of the request at hand.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from twibench.spec.openapi import OperationDoc

__all__ = ["find", "find_loaded", "is_loaded", "load", "parameter_names"]


def load(url: str) -> None:
    """Read and index the specs of the product `url` calls, now (blocking; once per product).

    Raises:
        SpecError: a bundled spec does not read (a broken installation).
    """
    from twibench.spec import docs

    docs.find_operation("GET", url)  # the first lookup on a product builds its index (under a lock)


def is_loaded(url: str) -> bool:
    """True once the specs of the product `url` calls are indexed (a lookup is then quick enough for the UI).

    Asking never loads the docs module itself: before anything was looked up, the answer is simply no;
    and while a thread is still importing it (`find` on another request), the answer is no as well.
    """
    docs = sys.modules.get("twibench.spec.docs")
    if docs is None or getattr(docs.__spec__, "_initializing", False):
        return False
    return bool(docs.is_indexed(url))


def find_loaded(method: str, url: str) -> OperationDoc | None:
    """The operation of `method url`, on the UI thread; only call it when `is_loaded(url)`."""
    from twibench.spec import docs

    return docs.find_operation(method, url)


async def find(method: str, url: str) -> OperationDoc | None:
    """The operation of `method url`; the first call on a product reads its specs in a thread.

    Raises:
        SpecError: a bundled spec does not read (a broken installation).
    """
    if not is_loaded(url):
        from twibench.spec import docs  # noqa: F401 (imported on this thread, so `is_loaded` never sees it half-done)

        await asyncio.to_thread(load, url)
    return find_loaded(method, url)


def parameter_names(doc: OperationDoc, location: str) -> list[str]:
    """The names of the operation's `form` or `query` parameters, required ones first, in spec order."""
    if location == "form":
        from twibench.spec.docs import form_parameter_names

        return form_parameter_names(doc)
    chosen = [p for p in doc.parameters if p.location == location]
    return [p.name for p in sorted(chosen, key=lambda p: not p.required)]
