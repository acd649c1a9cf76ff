"""Command palette (ctrl+p): go to any request by fuzzy name, and the workbench's commands.

`RequestsProvider` searches every loaded request ("Messages › Send an SMS"); `workbench_commands` lists
the actions that have no key of their own (duplicate, rename, delete, new collection file, profiles,
saving a response body). Textual adds its own (theme, keys, quit).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Provider

from twibench.workbench.workspace import RequestEntry

if TYPE_CHECKING:
    from twibench.tui.screens.main import MainScreen


def _main_screen(provider: Provider) -> MainScreen | None:
    from twibench.tui.screens.main import MainScreen

    for screen in reversed(provider.app.screen_stack):
        if isinstance(screen, MainScreen):
            return screen
    return None


def request_title(entry: RequestEntry) -> str:
    """`Messages › POST Send an SMS`."""
    return f"{entry.owner.name} › {entry.request.method} {entry.request.name}"


class RequestsProvider(Provider):
    """Go to request: fuzzy search over every loaded request."""

    async def search(self, query: str) -> Hits:
        """Requests whose collection, method or name match the query."""
        screen = _main_screen(self)
        if screen is None:
            return
        matcher = self.matcher(query)
        for entry in screen.session.workspace.entries():
            title = request_title(entry)
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(screen.go_to, entry), help=entry.request.url)

    async def discover(self) -> Hits:
        """Every request, when nothing is typed yet."""
        screen = _main_screen(self)
        if screen is None:
            return
        for entry in screen.session.workspace.entries():
            yield DiscoveryHit(request_title(entry), partial(screen.go_to, entry), help=entry.request.url)


def workbench_commands(screen: MainScreen) -> Iterator[SystemCommand]:
    """The palette's workbench commands for the main screen."""
    from twibench.tui import flows

    yield SystemCommand("Go to request…", "Fuzzy-find any loaded request", partial(_go_to_palette, screen))
    yield SystemCommand("Send request", "Send the open request (ctrl+j / f5)", screen.action_send)
    yield SystemCommand("Save request", "Write the open request into its file (ctrl+s)", screen.action_save)
    yield SystemCommand("New request", "Add a request to the collection (ctrl+n)", screen.action_new_request)
    yield SystemCommand("Duplicate request", "Copy the open request below it", partial(flows.duplicate, screen))
    yield SystemCommand("Rename request…", "Give the open request a new name", partial(flows.rename, screen))
    yield SystemCommand("Delete request…", "Remove the open request from its file", partial(flows.delete, screen))
    yield SystemCommand(
        "Revert request…", "Drop the open request's unsaved edits (back to its file)", partial(flows.revert, screen)
    )
    from twibench.tui.export_actions import export_commands

    yield from export_commands(screen)
    from twibench.tui import history_flows, run_flows

    yield from run_flows.commands(screen)
    yield from history_flows.commands(screen)
    folder = _new_collection_folder(screen)
    yield SystemCommand(
        "New collection file…", f"Create a collection in {folder}", partial(flows.new_collection, screen, folder)
    )
    yield SystemCommand(
        "Save response body to file…", "Write the last response body (secrets masked)", partial(flows.save_body, screen)
    )
    session = screen.session
    for name, profile in session.profiles.profiles.items():
        if name != session.active:
            mark = " (LIVE)" if profile.is_live else ""
            yield SystemCommand(
                f"Switch profile: {name}{mark}", profile.describe(), partial(screen.switch_profile, name)
            )
    yield SystemCommand("Add profile…", "Create a credential profile", partial(flows.edit_profile, screen, None))
    for profile in session.profiles.user_profiles():
        yield SystemCommand(
            f"Edit profile: {profile.name}", profile.describe(), partial(flows.edit_profile, screen, profile)
        )


def _new_collection_folder(screen: MainScreen) -> Path:
    collections = screen.session.workspace.collections
    current = screen.current
    if current is not None and not current.owner.scratch:
        return current.owner.path.parent
    if collections:
        return collections[0].path.parent
    from twibench.tui import flows

    return flows.user_folder()


def _go_to_palette(screen: MainScreen) -> None:
    from textual.command import CommandPalette

    screen.app.push_screen(CommandPalette(providers=[RequestsProvider], placeholder="Go to request…"))
