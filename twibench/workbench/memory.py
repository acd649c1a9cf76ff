"""Handing the C heap's free memory back to the OS (glibc keeps it otherwise)."""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from functools import cache

__all__ = ["release_free_memory"]


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's `malloc_trim`, or None on other C libraries and platforms."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None
    return trim


def release_free_memory() -> None:
    """Give the C heap's free pages back to the OS after formatting a large body.

    Formatting makes short-lived objects worth a few times the body (decoded text, line lists), and glibc
    keeps the freed memory for reuse: without this a 20 MB body would leave ~2x its size of RSS that
    nothing uses. Only free memory is released. ctypes drops the GIL for the call, so it costs the UI
    nothing when the worker thread makes it.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
