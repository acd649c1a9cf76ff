"""The modules the workbench screen calls only once a command runs, imported then rather than at start-up.

`MainScreen` calls `requests.save(…)`, `history.act(…)`, `commands.PaletteState(…)`… from its actions and
message handlers, never while it builds the first frame. Imported at the top of main.py, the flows, their
outcome and the palette's commands pulled a dozen modules (snippets, replay, paste, curl paste, the spec
reference…) into every start, before the first frame. Here each name is the real module for the type
checker and, at run time, a stand-in that imports that module on its first attribute access, so the
screen's code reads as with ordinary imports and start-up leaves them out
(`tests/tui/test_start_imports.py` keeps them out).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = ["OnDemand", "commands", "exports", "history", "outcome", "paste", "profiles", "requests"]


class OnDemand:
    """A module imported when one of its attributes is first read (`importlib`, under the import lock)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self.name), attribute)

    def __repr__(self) -> str:
        return f"OnDemand({self.name!r})"


if TYPE_CHECKING:
    from twibench.tui import commands as commands
    from twibench.tui.flows import exports as exports
    from twibench.tui.flows import history as history
    from twibench.tui.flows import outcome as outcome
    from twibench.tui.flows import paste as paste
    from twibench.tui.flows import profiles as profiles
    from twibench.tui.flows import requests as requests
else:
    commands = OnDemand("twibench.tui.commands")
    exports = OnDemand("twibench.tui.flows.exports")
    history = OnDemand("twibench.tui.flows.history")
    outcome = OnDemand("twibench.tui.flows.outcome")
    paste = OnDemand("twibench.tui.flows.paste")
    profiles = OnDemand("twibench.tui.flows.profiles")
    requests = OnDemand("twibench.tui.flows.requests")
