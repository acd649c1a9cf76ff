"""`Parser`: the argparse parser every command builds, raising a one-line UsageError (exit 2) instead of
printing usage and exiting.

In a module of its own, apart from `common`, so that `twibench` opening the TUI on plain paths never
imports argparse (`twibench.cli.main` parses those without it).
"""

from __future__ import annotations

import argparse

from twibench.cli.common import UsageError

__all__ = ["Parser"]


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises UsageError instead of printing usage and exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")
