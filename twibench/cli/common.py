"""Shared command-line plumbing: exit codes, one-line usage errors (exit 2), `--var` parsing, loading profiles.

Every command module (`twibench.cli.send`, `.run`, …) builds on these; command modules never import each other.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

from twibench.errors import TwibenchError

if TYPE_CHECKING:
    from twibench.profiles import Profile, ProfileSet
    from twibench.sending import PromptedSecrets

EXIT_OK, EXIT_STATUS, EXIT_INPUT, EXIT_TRANSPORT = 0, 1, 2, 3


def stderr(message: str) -> None:
    """Print one message line on stderr at once (stdout may be a pipe read by another program)."""
    print(message, file=sys.stderr, flush=True)


def warn(message: str) -> None:
    """`twibench: warning: MESSAGE` on stderr (the command goes on)."""
    stderr(f"twibench: warning: {message}")


class UsageError(TwibenchError):
    """Bad command-line usage (exit code 2)."""


def parse_vars(assignments: Iterable[str], prog: str = "twibench") -> dict[str, str]:
    """`--var name=value` arguments as a dict (later ones win); a malformed one is a UsageError."""
    from twibench.variables import parse_assignment

    try:
        return dict(parse_assignment(text) for text in assignments)
    except ValueError as exc:
        raise UsageError(f"{prog}: {exc}") from None


def load_profile_set() -> ProfileSet:
    """The profiles, with each distinct warning (e.g. a readable file holding a secret) printed once on stderr.

    Every command calls this once, at its start; anything that re-reads the profiles later (a replay)
    uses `profiles.load_profiles` and stays quiet, so a warning is printed once per command without
    process-global state (an in-process caller running two commands sees it for each).
    """
    from twibench.profiles import load_profiles

    profile_set = load_profiles()
    for warning in dict.fromkeys(profile_set.warnings):
        print(f"twibench: warning: {warning}", file=sys.stderr, flush=True)
    return profile_set


def terminal_secret(profile: Profile) -> str:
    """Ask for a `{prompt: true}` secret on the terminal, echo off (the only place the CLI reads one).

    Raises:
        ProfileError: stdin is not a terminal (nothing can ask).
    """
    import getpass

    from twibench.profiles import no_prompt_error

    if not sys.stdin.isatty():
        raise no_prompt_error(profile)
    label = "Auth Token" if profile.kind == "auth_token" else "API Key Secret"
    return getpass.getpass(f"{label} for profile '{profile.name}' ({profile.masked_sid}): ")


def command_secrets() -> PromptedSecrets:
    """The prompted secrets of one command: asked on the terminal, at most once each."""
    from twibench.sending import PromptedSecrets

    return PromptedSecrets(terminal_secret)
