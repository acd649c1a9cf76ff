"""What twibench's start-up caches share: reading an entry as hostile input, JSON without the json package, digests.

Two caches keep work of an earlier start in `paths.cache_dir()`: parsed collections
(`collection.parse_cache`) and Textual's parsed CSS (`tui.css_cache`). Both are read before the first frame,
so these helpers avoid imports that would cost more than the cache saves (`json`'s regular expressions,
hashlib's OpenSSL), and both read a cache file the same way: a regular file only, size-bounded, opened
without blocking (an entry replaced by a FIFO or a device must not hang or flood the start).
"""

from __future__ import annotations

import math
import os
import stat
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

__all__ = ["NotJson", "digest", "loads_json", "read_regular"]


class NotJson(ValueError):
    """The text is not one JSON document."""


def digest(data: bytes, size: int = 20) -> str:
    """A blake2b digest of `data`, `size` bytes long, in hex."""
    try:  # the blake2 module alone: hashlib would load OpenSSL's (~2 ms) for nothing
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - an interpreter without the private module
        from hashlib import blake2b
    return blake2b(data, digest_size=size).hexdigest()


def read_regular(file: Path, limit: int) -> bytes | None:
    """The bytes of `file` when it is a regular file of at most `limit` bytes; None otherwise.

    Raises:
        OSError: the file cannot be opened or read (a missing file is the usual miss).
    """
    fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        payload = handle.read(limit + 1)
    return payload if len(payload) <= limit else None


_CONSTANTS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}  # as json.loads reads them


def loads_json(text: str, hook: Callable[[list[tuple[str, Any]]], Any] | None = None) -> Any:
    """`json.loads(text, object_pairs_hook=hook)` for a document with no whitespace around it.

    Importing the `json` package costs ~0.9 ms (its regular expressions); its C scanner alone (`_json`, what
    `json.loads` runs) costs ~0.2 ms. Without it (another interpreter), `json.loads` itself.

    Raises:
        NotJson: more follows the document. `json.loads`'s own errors (ValueError, StopIteration from the
            scanner) for text that is not JSON.
    """
    try:
        from _json import make_scanner
    except ImportError:
        import json

        return json.loads(text, object_pairs_hook=hook)
    context = SimpleNamespace(
        strict=True,
        object_hook=None,
        object_pairs_hook=hook,
        parse_float=float,
        parse_int=int,
        parse_constant=_CONSTANTS.__getitem__,
    )
    # typeshed names the context's type after the scanner; any object with these attributes is one.
    value, end = make_scanner(context)(text, 0)  # type: ignore[arg-type]  # StopIteration: not JSON
    if end != len(text):
        raise NotJson("more after the JSON document")
    return value
