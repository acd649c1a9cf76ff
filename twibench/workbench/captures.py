"""One set of variables for single sends and collection runs in the TUI (no Textual here).

The TUI session keeps what single sends captured (`capture:`/`capture_secret:`) and what the user set in
the Variables view (overrides). A run works on the runner's own `Session`; `run_session` builds one
from the TUI's values and `absorb` takes the run's captures back, so a SID captured by a run fills the
next single send and the other way round. `variable_entries` is what the Variables view lists.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from twibench.profiles import Profile

if TYPE_CHECKING:
    from twibench.collection import Collection
    from twibench.runner import Session as RunSession
    from twibench.runner import VariableEntry
    from twibench.workbench.session import Session

EDITED_ORIGIN = "edited in this session"
UNKNOWN_ORIGIN = "this session"


def run_session(session: Session, profile: Profile | None = None) -> RunSession:
    """A runner Session holding the TUI's captures and overrides (imports the runner: after start-up)."""
    from twibench.runner import Captured
    from twibench.runner import Session as RunSession

    shared = RunSession(profile or session.profile, session.overrides)
    shared.remember(
        Captured(name, value, name in session.captured_secrets, session.capture_sources.get(name, UNKNOWN_ORIGIN))
        for name, value in session.captured.items()
    )
    return shared


def absorb(session: Session, shared: RunSession) -> None:
    """Take a run's captures back into the TUI session (what it forgot is forgotten here too)."""
    session.captured = {name: item.value for name, item in shared.captured.items()}
    session.captured_secrets = {name for name, item in shared.captured.items() if item.secret}
    session.capture_sources = {name: item.source for name, item in shared.captured.items()}


def variable_entries(session: Session, collection: Collection | None) -> list[VariableEntry]:
    """Every variable a request of `collection` sees, by name, each from the source that wins.

    Overrides read as edited in this session (not `--var`), and an override that replaced a secret
    stays secret.
    """
    entries = run_session(session).entries(collection)
    shown: list[VariableEntry] = []
    for entry in entries:
        if entry.source == "override":
            entry = dataclasses.replace(entry, origin=EDITED_ORIGIN, secret=entry.name in session.override_secrets)
        shown.append(entry)
    return shown


def set_override(session: Session, name: str, value: str, *, secret: bool) -> None:
    """Give `name` a value that wins over every other source for later sends and runs."""
    session.overrides[name] = value
    if secret:
        session.override_secrets.add(name)
    else:
        session.override_secrets.discard(name)


def drop_override(session: Session, name: str) -> bool:
    """Forget an edited value (the next source shows through again); False when there was none."""
    session.override_secrets.discard(name)
    return session.overrides.pop(name, None) is not None
