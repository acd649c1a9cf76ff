"""Command palette (ctrl+p): go to any request by fuzzy name, and the workbench's commands.

`RequestsProvider` searches every loaded request ("Messages › Send an SMS"); `workbench_commands` lists
the actions that have no key of their own (duplicate, rename, delete, new collection file, profiles,
exports, history, saving a response body) and the body viewer's (filter, copy, wrap) as (title, help,
action): the action is a Textual action of the main screen, the same ones its keys run. Textual adds its
own commands (theme, keys, quit).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider

from twibench.tui.startup import long_lived
from twibench.workbench.snippets import FORMATS

if TYPE_CHECKING:
    from textual.content import Content
    from textual.fuzzy import Matcher

    from twibench.exchange import Exchange
    from twibench.history import Entry
    from twibench.workbench.session import Session
    from twibench.workbench.workspace import CollectionEntry, RequestEntry


@runtime_checkable
class RequestHost(Protocol):
    """A screen that shows the workbench's requests and can go to one (the main screen)."""

    session: Session

    def go_to(self, entry: RequestEntry) -> None:
        """Select `entry` in the tree and open it."""


def _host(provider: Provider) -> RequestHost | None:
    for screen in reversed(provider.app.screen_stack):
        if isinstance(screen, RequestHost):
            return screen
    return None


def request_title(entry: RequestEntry) -> str:
    """`Messages › POST Send an SMS`."""
    return f"{entry.owner.name} › {entry.request.method} {entry.request.name}"


class RequestsProvider(Provider):
    """Go to request: fuzzy search over every loaded request.

    At the scale of the whole API (1,447 requests) a keystroke must stay well under 50 ms
    (bench/whole_api.py): the titles are built once when the palette opens (`startup`), every title is
    scored, and only the best `MAX_HITS` are highlighted and listed — nobody scrolls past them, they type on.
    """

    MAX_HITS = 50

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._titles: list[tuple[RequestEntry, str]] = []

    async def startup(self) -> None:
        """Build the search index: every request with its title."""
        host = _host(self)
        if host is not None:
            # Lives while the palette is open; frozen, so collections while typing do not walk it again.
            self._titles = long_lived([(entry, request_title(entry)) for entry in host.session.workspace.entries()])

    async def search(self, query: str) -> Hits:
        """The requests whose collection, method or name match the query, best first."""
        host = _host(self)
        if host is None:
            return
        for score, entry, highlighted in self.scored(self.matcher(query)):
            yield Hit(score, highlighted, partial(host.go_to, entry), help=entry.request.url)

    def scored(self, matcher: Matcher) -> list[tuple[float, RequestEntry, Content]]:
        """The best `MAX_HITS` requests for the matcher, best first: score, request, highlighted title."""
        scored = [(score, entry, title) for entry, title in self._titles if (score := matcher.match(title)) > 0]
        scored.sort(key=lambda hit: hit[0], reverse=True)
        return [(score, entry, matcher.highlight(title)) for score, entry, title in scored[: self.MAX_HITS]]

    async def discover(self) -> Hits:
        """Every request, when nothing is typed yet."""
        host = _host(self)
        if host is None:
            return
        for entry, title in self._titles:
            yield DiscoveryHit(title, partial(host.go_to, entry), help=entry.request.url)


def requests_palette() -> CommandPalette:
    """The palette with only the requests ("Go to request…")."""
    return CommandPalette(providers=[RequestsProvider], placeholder="Go to request…")


BODY_COMMANDS = (
    ("Body: filter with a JSONPath…", "Show only what a JSONPath matches in the JSON body, live (f)", "filter"),
    ("Body: copy value", "Copy the value under the body's cursor via OSC 52, secrets masked (c)", "copy_value"),
    ("Body: copy body", "Copy the body as shown via OSC 52, secrets masked (C)", "copy_body"),
    ("Body: show or save the last copy", "For terminals that ignore OSC 52: select it or save it (v)", "show_copy"),
    ("Body: wrap long lines (on/off)", "Soft-wrap the body's long lines at the pane's width (w)", "toggle_wrap"),
)
"""The body viewer's commands in the palette: (title, help, the viewer's action; toggle_wrap flips `w`)."""


@dataclass(frozen=True)
class PaletteState:
    """What the workbench's commands depend on when the palette opens."""

    session: Session
    run_target: CollectionEntry | None
    running: bool
    history_entry: Entry | None
    new_collection_folder: Path
    maximized: bool = False
    shown: Exchange | None = None
    """The exchange the response area shows (the open request's answer, a run result or a history entry)."""


def workbench_commands(state: PaletteState) -> Iterator[tuple[str, str, str]]:
    """The palette's workbench commands: (title, help, action of the main screen)."""
    yield "Go to request…", "Fuzzy-find any loaded request", "go_to_palette"
    yield "Send request", "Send the open request (ctrl+j / f5)", "send"
    yield "Save request", "Write the open request into its file (ctrl+s)", "save"
    yield "New request", "Add a request to the collection (ctrl+n)", "new_request"
    yield "Duplicate request", "Copy the open request below it", "duplicate"
    yield "Rename request…", "Give the open request a new name", "rename"
    yield "Delete request…", "Remove the open request from its file", "delete"
    yield "Revert request…", "Drop the open request's unsaved edits (back to its file)", "revert"
    for fmt in FORMATS:
        key = repr(fmt.key)
        yield (
            f"Copy as {fmt.label}",
            "Copy the open request through the terminal (OSC 52); no secret in it",
            f"export({key}, 'copy')",
        )
        yield (
            f"Show as {fmt.label}",
            "Show the open request as a snippet to select, copy or save",
            f"export({key}, 'show')",
        )
        yield (
            f"Save as {fmt.label} to file…",
            f"Write the open request as a {fmt.label} snippet ({fmt.suffix})",
            f"export({key}, 'save')",
        )
    if state.maximized:
        yield "Show every pane", "Restore the layout around the maximized pane (ctrl+o or escape)", "toggle_maximize"
    else:
        yield "Maximize pane", "The pane with the cursor fills the screen (ctrl+o; again restores)", "toggle_maximize"
    yield from _run_commands(state)
    yield from _history_commands(state.history_entry)
    folder = state.new_collection_folder
    yield "New collection file…", f"Create a collection in {folder}", f"new_collection({str(folder)!r})"
    yield "Save response body to file…", "Write the body of the response shown (secrets masked)", "save_body"
    yield (
        "Diff with previous response",
        "Compare the response shown with the previous response of the same request",
        "response('diff_previous')",
    )
    yield (
        "Fetch all pages",
        "Follow the shown list's next pages and merge them (}; escape stops)",
        "response('fetch_all_pages')",
    )
    for title, help_text, action in BODY_COMMANDS:
        yield title, help_text, f"response({f'body({action!r})'!r})"
    error = state.shown.reported_error if state.shown is not None else None
    if error is not None:
        yield (
            f"Explain Twilio error {error.code}",
            f"{error.title}: Twilio's causes and solutions, offline (ctrl+e)",
            f"app.explain_error({error.code})",
        )
    session = state.session
    for name, profile in session.profiles.profiles.items():
        if name != session.active:
            mark = " (LIVE)" if profile.is_live else ""
            yield f"Switch profile: {name}{mark}", profile.describe(), f"switch_profile({name!r})"
    yield "Add profile…", "Create a credential profile", "edit_profile(None)"
    for profile in session.profiles.user_profiles():
        yield f"Edit profile: {profile.name}", profile.describe(), f"edit_profile({profile.name!r})"


def _run_commands(state: PaletteState) -> Iterator[tuple[str, str, str]]:
    owner = state.run_target
    if owner is not None and not owner.scratch:
        yield (
            f"Run collection: {owner.name}",
            "Run every request of it in order, with its checks (ctrl+r)",
            "run_collection",
        )
    if state.running:
        yield "Stop the run", "Stop the collection run (escape)", "stop_run"
    yield "Variables", "See and edit the variables and captured values of this session (f3)", "variables"


def _history_commands(entry: Entry | None) -> Iterator[tuple[str, str, str]]:
    """The history's commands (the entry ones act on the entry under the history cursor)."""
    yield "History", "Show the request history and go to it (f2)", "open_history"
    if entry is None:
        return
    label = f"entry {entry.id} ({entry.method} {entry.label})"
    for action, title, help_text in (
        ("resend", "History: re-send", f"Send {label} again with the current profile"),
        ("resend_original", "History: re-send as recorded", f"Send {label} again with profile '{entry.profile}'"),
        ("edit", "History: open in the editor", f"Open {label} as a new unsaved request"),
        ("save", "History: save into a collection…", f"Save {label} into a collection file"),
        (
            "diff",
            "History: diff with previous response",
            f"Compare {label} with the previous response of its request (d)",
        ),
        ("delete", "History: delete entry", f"Delete {label} from the history"),
        ("clear", "History: clear all…", "Delete every history entry (asks first)"),
    ):
        yield title, help_text, f"history({action!r}, {entry.id})"
