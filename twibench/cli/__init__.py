"""The `twibench` command line: the dispatcher and the global options; one module per command.

`twibench [PATH ...]` opens the TUI; a first word that is a subcommand runs that command's module,
imported only then (`twibench.cli.send`, `.run`, `.history`, …; each exposes `main(argv) -> exit code`),
so `--help` and `check` start without Textual or httpx. `--debug` (anywhere) shows tracebacks; a
`--profile NAME` before the subcommand is handed to it (DESIGN §8).
Exit codes: 0 success · 1 a status ≥ 400 · 2 bad input · 3 a transport failure · 130 SIGINT · 143 SIGTERM.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from twibench import __version__
from twibench.cli.common import EXIT_OK, EXIT_STATUS, UsageError, stderr
from twibench.errors import FileErrors, TwibenchError

if TYPE_CHECKING:
    import argparse

__all__ = ["COMMANDS", "SUBCOMMANDS", "main"]

# `twibench NAME ARGS…` → MODULE.main(ARGS). The sandbox's command stays in twibench/sandbox/ (it
# imports the server stack, which only that package may import).
COMMANDS = {
    "send": "twibench.cli.send",
    "check": "twibench.cli.check",
    "profiles": "twibench.cli.profiles",
    "locate": "twibench.cli.locate",
    "tui": "twibench.cli.tui",
    "run": "twibench.cli.run",
    "history": "twibench.cli.history",
    "import": "twibench.cli.imports",
    "export": "twibench.cli.export",
    "sandbox": "twibench.sandbox.cli",
    "webhook": "twibench.cli.webhook",
    "inbox": "twibench.cli.inbox",
    "signature": "twibench.cli.signature",
    "twiml": "twibench.cli.twiml",
    "error": "twibench.cli.error",
}
SUBCOMMANDS = tuple(COMMANDS)


def _tui_parser() -> argparse.ArgumentParser:
    import argparse  # for options and --help only: plain paths open the TUI without it (see `main`)
    import textwrap

    from twibench.cli.parser import Parser

    parser = Parser(
        prog="twibench",
        description="A terminal workbench for the Twilio REST API. With no subcommand, opens the TUI on the "
        "given collection files or folders.",
        epilog=textwrap.fill("subcommands: " + ", ".join(SUBCOMMANDS) + " (twibench SUBCOMMAND --help).", 78)
        + "\nExit codes: 0 ok, 1 a status >= 400, 2 bad input, 3 transport failure.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"twibench {__version__}")
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="collection files or folders")
    parser.add_argument("--profile", help="credential profile to start with (default: the sandbox)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    return parser


def run_command(name: str, argv: list[str]) -> int:
    """Hand `twibench NAME ARGS…` to the module that owns NAME (imported only now)."""
    module = importlib.import_module(COMMANDS[name])
    result: int = module.main(argv)
    return result


# Where a global `--profile NAME` (written before the subcommand) goes: after these leading words.
_PROFILE_AFTER = {"send": 1, "run": 1, "tui": 1, "history replay": 2}


def _global_options(args_list: list[str]) -> tuple[bool, list[str]]:
    """Take `--debug` (anywhere) and a leading `--profile NAME`, and hand the profile to the subcommand.

    Returns:
        Whether --debug was given, and the arguments for the subcommand (or the TUI) without it.

    Raises:
        UsageError: `--profile` without a name, or before a subcommand that takes no profile.
    """
    debug = "--debug" in args_list
    rest = [a for a in args_list if a != "--debug"]
    profile: list[str] = []
    while rest and (rest[0] == "--profile" or rest[0].startswith("--profile=")):
        if rest[0] == "--profile":
            name, rest = (rest[1] if len(rest) > 1 else ""), rest[2:]
        else:
            name, rest = rest[0].partition("=")[2], rest[1:]
        if not name or name.startswith("-"):
            raise UsageError("--profile needs a profile name (see twibench --help)")
        profile = ["--profile", name]
    if not profile or not rest or rest[0] not in SUBCOMMANDS:
        return debug, profile + rest  # the TUI takes --profile itself
    command = " ".join(rest[:2]) if rest[0] == "history" else rest[0]
    at = _PROFILE_AFTER.get(command)
    if at is None:
        raise UsageError(
            f"--profile does not apply to `twibench {command}`; it goes with send, run, history replay and the TUI"
        )
    return debug, rest[:at] + profile + rest[at:]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `twibench` script."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list or os.environ.get("TWIBENCH_DEBUG") == "1"
    try:
        flag, args_list = _global_options(args_list)
        debug = debug or flag
        if args_list and args_list[0] in COMMANDS:
            return run_command(args_list[0], args_list[1:])
        from twibench.cli.tui import open_tui

        if not any(arg.startswith("-") for arg in args_list):  # only paths: what argparse would make of them
            return open_tui([Path(arg) for arg in args_list], None)
        args = _tui_parser().parse_args(args_list)
        return open_tui(args.paths, args.profile)
    except FileErrors as exc:
        for error in exc.errors:
            stderr(str(error))
        return exc.exit_code
    except TwibenchError as exc:
        if debug:
            raise
        stderr(_one_prefix(str(exc)))
        return exc.exit_code
    except KeyboardInterrupt as exc:  # Ctrl+C; `run` turns SIGTERM into one too (exit code 143)
        code: int = getattr(exc, "exit_code", 130)
        stderr("twibench: interrupted" if code == 130 else "twibench: terminated")
        return code
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        if debug:
            raise
        # The exception's text may quote a rendered value (a secret): name its class only.
        stderr(f"twibench: unexpected error: {exc.__class__.__name__} (run with --debug for the traceback)")
        return EXIT_STATUS


def _one_prefix(message: str) -> str:
    """`twibench: MESSAGE`, unless the message already names its command (`twibench run: …`)."""
    return message if re.match(r"twibench(?: [a-z-]+)*: ", message) else f"twibench: {message}"
