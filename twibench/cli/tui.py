"""`twibench [PATH ...]` and `twibench tui [PATH ...]`: open the Textual workbench.

Textual is imported only here, and only after stdin and stdout are known to be a terminal, so every
other command (and `--help`) starts without it. Python's cyclic garbage collector is paused before that
import, not after it: importing Textual and the app builds ~90,000 objects that live as long as the app,
and the collector walked them in ~85 collections (10-15 ms of the first frame's ~200 ms,
`bench/tui_startup.py`). The app turns it back on at its first frame (`twibench.tui.startup`).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from twibench.cli.common import UsageError

if TYPE_CHECKING:
    import argparse


def build_parser() -> argparse.ArgumentParser:
    """`twibench tui`'s arguments (for folders named like a subcommand)."""
    from twibench.cli.parser import Parser  # argparse: `twibench` on plain paths reaches `open_tui` without it

    parser = Parser(prog="twibench tui")
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    parser.add_argument("--profile")
    return parser


def open_tui(paths: list[Path], profile: str | None) -> int:
    """Open the Textual app; without a terminal on stdin and stdout, refuse at once (exit 2)."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError(
            "the TUI needs a terminal, but stdin or stdout is not one; use a subcommand such as "
            "`twibench send FILE#ID` or `twibench run FILE` (twibench --help lists them)"
        )
    from twibench.tui.startup import pause_collector, resume_collector  # gc and sys only: no Textual

    pause_collector()
    try:
        app = importlib.import_module("twibench.tui.app")
    except BaseException:
        resume_collector()
        raise
    result: int = app.run(paths, profile)
    return result


def main(argv: list[str]) -> int:
    """Run `twibench tui ARGS…`."""
    args = build_parser().parse_args(argv)
    return open_tui(args.paths, args.profile)
