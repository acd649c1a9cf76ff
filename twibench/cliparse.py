"""argparse that reports usage errors as one line with exit code 2, shared by every subcommand module."""

from __future__ import annotations

import argparse

from twibench.errors import TwibenchError


class UsageError(TwibenchError):
    """Bad command-line usage (exit code 2)."""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises UsageError instead of printing usage and exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")
