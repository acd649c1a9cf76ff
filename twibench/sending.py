"""The one policy gate every sender passes: `send`, `run`, `history replay`, the TUI's send and run.

What may be sent, and with what, is decided here once, so every sender refuses with the same words:

- `refuse_sandbox_only`: a `sandbox_only: true` collection never goes to a live profile.
- `confirm_live`: a run against a live profile is confirmed first (a yes on a terminal, or `--yes`).
- `PromptedSecrets`: a `{prompt: true}` secret is asked once per session, and a `{keyring: …}` or
  `{command: […]}` secret read once, and kept by that session (a command, a TUI session), never in
  process-wide state; the session passes itself down to `client.prepare`, which asks it only when the
  request needs the profile's credentials.
- The host guard (`outbound.Guard`) runs inside `client.prepare` for every request, on every path:
  nothing here bypasses it. Senders reach the network only through `client.prepare`.

Nothing here imports httpx or Textual: the CLI asks on the terminal, the TUI in a modal, by handing
`PromptedSecrets` an `ask` function.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TextIO

from twibench.errors import TwibenchError
from twibench.profiles import ProfileError, no_prompt_error
from twibench.redact import require_long_secret

if TYPE_CHECKING:
    from twibench.profiles import Profile

__all__ = [
    "PromptedSecrets",
    "SandboxOnlyError",
    "UnconfirmedRunError",
    "confirm_live",
    "refuse_sandbox_only",
]

AskFn = Callable[["Profile"], str]
"""Asks the user for a profile's secret now (getpass on a terminal, the TUI's masked modal)."""


class SandboxOnlyError(TwibenchError):
    """A `sandbox_only` collection's request would go to a live profile; nothing was sent (exit code 2)."""


class UnconfirmedRunError(TwibenchError):
    """A run against a live profile was not confirmed; nothing was sent (exit code 2)."""


class SandboxOnly(Protocol):
    """What `refuse_sandbox_only` reads of a collection (a loaded `Collection`)."""

    @property
    def path(self) -> Path:
        """The collection file."""

    @property
    def name(self) -> str:
        """The collection's name."""

    @property
    def sandbox_only(self) -> bool:
        """Whether it refuses every profile but the sandbox."""


def refuse_sandbox_only(collection: SandboxOnly, profile: Profile) -> None:
    """Keep a `sandbox_only` collection's requests away from a live profile.

    Raises:
        SandboxOnlyError: the collection is sandbox-only and the profile is not the sandbox.
    """
    if collection.sandbox_only and not profile.is_sandbox:  # a LOCAL mock server is not the sandbox either
        raise SandboxOnlyError(
            f"{collection.path}: collection '{collection.name}' is sandbox_only; it refuses the "
            f"{profile.badge.lower()} profile '{profile.name}'; switch to the sandbox profile to send it"
        )


def confirm_live(description: str, planned: int, assume_yes: bool, stdin: TextIO, stderr: TextIO) -> None:
    """Ask before sending to a live profile: Twilio may charge for what the run sends.

    Raises:
        UnconfirmedRunError: no terminal to ask and no --yes, or the answer was not yes.
    """
    if assume_yes:
        return
    if not stdin.isatty():
        raise UnconfirmedRunError(
            f"refusing to send {planned} request(s) to the live profile {description} without confirmation: "
            "there is no terminal to ask; pass --yes to confirm"
        )
    stderr.write(f"Send {planned} request(s) to the live profile {description}? Twilio may charge for them. [y/N] ")
    stderr.flush()
    answer = stdin.readline()
    if answer.strip().lower() not in ("y", "yes"):
        raise UnconfirmedRunError("the run was not confirmed; nothing was sent")


class PromptedSecrets:
    """The session's secret store: secrets typed at a prompt, or read from the keyring or a command, each
    obtained once and kept in memory only.

    It is the `profiles.SecretPrompt` a session hands to `client.prepare` and the runner, and the source
    of the kept secrets every redactor of the session masks (`profiles.known_secrets(..., prompt=…)`).
    A secret is kept per profile name, SID and source, so editing a profile's source obtains it anew.

    Args:
        ask: asks the user now; None means nothing can ask (no terminal): a needed secret is an error.
    """

    def __init__(self, ask: AskFn | None = None) -> None:
        self._ask = ask
        self._typed: dict[tuple[str, str, Hashable], str] = {}

    @staticmethod
    def _key(profile: Profile) -> tuple[str, str, Hashable]:
        return (profile.name, profile.username, profile.secret)

    def typed(self, profile: Profile) -> str | None:
        """The secret kept for `profile` this session (typed, or read from a keyring or command), or None."""
        return self._typed.get(self._key(profile))

    def needs_prompt(self, profile: Profile) -> bool:
        """True when the profile's secret must still be asked for in this session."""
        return profile.secret.prompt and self._key(profile) not in self._typed

    def remember(self, profile: Profile, value: str) -> None:
        """Keep a secret the user typed (e.g. in the TUI's masked modal) for the rest of the session.

        Raises:
            ProfileError: the value is empty or too short to be a Twilio secret.
        """
        if not value:
            raise ProfileError(f"no secret was entered for profile '{profile.name}'")
        self._typed[self._key(profile)] = require_long_secret(profile.name, "the secret entered", value, ProfileError)

    def ask(self, profile: Profile) -> str:
        """The profile's typed secret: the one kept for this session, else asked now (once).

        Raises:
            ProfileError: nothing can ask (no terminal), or nothing usable was entered.
        """
        known = self.typed(profile)
        if known is not None:
            return known
        if self._ask is None:
            raise no_prompt_error(profile)
        self.remember(profile, self._ask(profile))
        return self._typed[self._key(profile)]

    def obtain(self, profile: Profile, fetch: Callable[[], str]) -> str:
        """The kept secret of a keyring or command profile, else `fetch()` now and keep it (a failure is not kept).

        Raises:
            ProfileError: from `fetch` (the keyring or command gave no usable secret).
        """
        known = self.typed(profile)
        if known is None:
            known = self._typed[self._key(profile)] = fetch()
        return known

    def forget(self) -> None:
        """Drop every typed secret (a profile switch that must ask again)."""
        self._typed.clear()
