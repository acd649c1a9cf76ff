"""The Textual app: wiring only (session, main screen, keymap, theme, palette, help, sandbox pre-warm).

`run(paths, profile)` is what `twibench [PATH ...]` calls; `make_app(...)` builds the app for tests and
screenshots with any collections, profiles and an httpx transport (e.g. `httpx.MockTransport`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from twibench.collection.parse_cache import ParseCache
from twibench.paths import cache_dir, default_collection_paths
from twibench.profiles import ProfileSet, load_profiles_or_builtins
from twibench.settings import Settings, load_settings
from twibench.tui.css_cache import FILE_NAME as CSS_CACHE_FILE
from twibench.tui.css_cache import CachedStylesheet, CssCache
from twibench.tui.screens.main import MainScreen
from twibench.tui.startup import pause_collector, quicken_handoff, restore_handoff, resume_collector
from twibench.tui.widgets.collection_tree import CollectionTree
from twibench.workbench.session import Session
from twibench.workbench.workspace import LOAD_LATER_FILES, Workspace

if TYPE_CHECKING:
    import httpx
    from textual.command import Provider

__all__ = ["CSS_SAVE_DELAY", "TwibenchApp", "make_app", "run"]

CSS_SAVE_DELAY = 2.0
"""Seconds after the first frame before the CSS parsed so far is saved (the tab sets mount meanwhile)."""


def _requests_provider() -> type[Provider]:
    """The palette's "go to request" provider, imported when the palette first opens."""
    from twibench.tui.commands import RequestsProvider

    return RequestsProvider


class TwibenchApp(App[int]):
    """twibench's terminal workbench."""

    CSS_PATH = "app.tcss"
    TITLE = "twibench"
    COMMANDS = App.COMMANDS | {_requests_provider}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", id="help", tooltip="Explain the focused widget and its keys"),
        Binding(
            "ctrl+p",
            "command_palette",
            "Palette",
            id="command_palette",
            priority=True,
            show=False,
            tooltip="Commands: go to request, profiles, duplicate, rename, delete, save body, theme…",
        ),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True, tooltip="Quit (asks when edits are unsaved)"),
        Binding(
            "ctrl+e",
            "explain_error",
            "Explain error",
            id="explain_error",
            show=False,
            tooltip="Twilio's causes and solutions for the error in the response (offline dictionary)",
        ),
    ]

    def __init__(
        self,
        session: Session,
        *,
        show_timings: bool = True,
        prewarm: bool = True,
        cursor_blink: bool = True,
        css_cache: CssCache | None = None,
    ) -> None:
        super().__init__()
        if css_cache is not None:  # parsed CSS from an earlier start (`tui.css_cache`)
            self.stylesheet = CachedStylesheet.like(self.stylesheet, css_cache)
        self.session = session
        self.show_timings = show_timings
        self.prewarm = prewarm
        self.cursor_blink = cursor_blink
        self.watch_terminal = False
        """Set by `run` (a real terminal): exit when it hangs up (see `twibench.tui.hangup`)."""

    def get_default_screen(self) -> Screen[Any]:
        """The workbench is the app's first screen."""
        return MainScreen(self.session, show_timings=self.show_timings)

    def on_mount(self) -> None:
        """Keymap and theme from config.yaml; warnings about the profiles file; SIGTERM quits (a terminal)."""
        if self.watch_terminal:
            from twibench.tui.hangup import quit_on_sigterm

            quit_on_sigterm(self)
        settings = self.session.settings
        if settings.keymap:
            self.set_keymap(settings.keymap)
        if settings.theme in self.available_themes:
            self.theme = settings.theme
        for warning in self.session.profiles.warnings:
            broken = warning == self.session.profiles.broken
            self.notify(warning, severity="error" if broken else "warning", timeout=30 if broken else 10)

    def on_ready(self) -> None:
        """After the first frame: the garbage collector runs again; a large folder of collections loads
        (`make_app(load_later=…)`) and the sandbox starts, each in a thread."""
        resume_collector()
        restore_handoff()
        self.set_timer(CSS_SAVE_DELAY, self._save_css)
        if self.watch_terminal:
            from twibench.tui.hangup import leave_with_the_terminal

            leave_with_the_terminal(self)
        if self.session.workspace.pending and self.main_screen is not None:
            self.main_screen.query_one(CollectionTree).load_pending()
        sandbox = next((p for p in self.session.profiles.profiles.values() if p.base_url_provider), None)
        if self.prewarm and sandbox is not None:
            self.run_worker(sandbox.api_base, group="sandbox", thread=True, exit_on_error=False)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Without blinking (tests, screenshots), a focused field shows a steady cursor."""
        widget = event.widget
        if not self.cursor_blink and hasattr(widget, "cursor_blink"):
            widget.cursor_blink = False

    @on(Worker.StateChanged)
    def _worker_state(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "sandbox" and event.state == WorkerState.ERROR:
            self.notify(f"The sandbox did not start: {event.worker.error}", severity="error", timeout=10)

    @property
    def main_screen(self) -> MainScreen | None:
        """The workbench screen, once pushed."""
        return next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)

    @property
    def workbench(self) -> MainScreen:
        """The workbench screen (typed; for tests and tools that drive the app).

        Raises:
            LookupError: the app is not running yet.
        """
        screen = self.main_screen
        if screen is None:
            raise LookupError("the workbench screen is not on the stack yet")
        return screen

    def action_undo_edit(self, redo: bool = False) -> None:
        """ctrl+z / ctrl+y: undo or redo the open request's last edit (bound on the workbench screen)."""
        from twibench.tui.flows.requests import undo

        screen = self.main_screen
        if screen is not None:
            screen.flow(undo(screen.current, redo=redo))

    def action_help(self) -> None:
        """F1: help for the focused widget."""
        from twibench.tui.dialogs.help import HelpScreen, keys_for, widget_help

        if isinstance(self.screen, HelpScreen):
            return
        title, text = widget_help(self.screen.focused)
        self.push_screen(HelpScreen(title, text, keys_for(self.screen)))

    def action_explain_error(self, code: int | None = None) -> None:
        """ctrl+e: the title, causes and solutions of the response's Twilio error, from the dictionary."""
        from twibench import twilio_errors
        from twibench.tui.dialogs.snippet import SnippetScreen

        if code is None:
            from twibench.tui.widgets.response_view import ResponseView

            main = self.main_screen
            shown = main.query_one(ResponseView).shown_exchange if main is not None else None
            error = shown.reported_error if shown is not None else None
            if error is None:
                self.notify("The response shows no Twilio error to explain.", timeout=4)
                return
            code = error.code
        text = twilio_errors.explain(code)
        self.push_screen(SnippetScreen(f"Twilio error {code}", text, note="From Twilio's error dictionary."))

    async def action_quit(self) -> None:
        """Quit, asking first when there are unsaved edits."""
        screen = self.main_screen
        if screen is None:
            self.exit()
        else:
            screen.action_quit_workbench()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's commands (theme, keys…) plus the workbench's (its Maximize acts on whole panes)."""
        main = self.main_screen
        own = {"Maximize", "Minimize"} if main is not None and screen is main else set()
        yield from (command for command in super().get_system_commands(screen) if command.title not in own)
        if main is not None and screen is main:
            from functools import partial

            from twibench.tui.commands import workbench_commands

            for title, help_text, action in workbench_commands(main.palette_state()):
                yield SystemCommand(title, help_text, partial(main.run_action, action))

    def _save_css(self) -> None:
        if isinstance(self.stylesheet, CachedStylesheet):
            self.stylesheet.css_cache.save()

    async def on_unmount(self) -> None:
        """Close pooled connections; keep the CSS parsed since the last save."""
        self._save_css()
        await self.session.aclose()


def make_app(
    paths: list[Path] | None = None,
    profile: str | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    profiles: ProfileSet | None = None,
    settings: Settings | None = None,
    show_timings: bool = True,
    prewarm: bool = True,
    cursor_blink: bool = True,
    load_later: bool | None = None,
) -> TwibenchApp:
    """Build the app.

    Args:
        paths: collection files or folders; None or empty opens the default folder (see `shipped`).
        profile: the profile to start with (default: the profiles file's default, else the sandbox).
        transport: an httpx transport for every request (tests pass `httpx.MockTransport`).
        profiles: the profiles to offer (default: built-ins plus profiles.yaml).
        settings: settings (default: config.yaml).
        show_timings: False renders times as "— ms" (deterministic snapshots and screenshots).
        prewarm: start the sandbox after the first frame (when a sandbox profile exists).
        cursor_blink: False keeps text cursors steady (snapshots).
        load_later: load the collections after the first frame (the tree says "loading…"); None: when
            there are more than `LOAD_LATER_FILES` files (the whole API), False: before it.

    Raises:
        TwibenchError: an invalid profiles/settings file, or an unknown profile name.
    """
    cache = cache_dir()
    workspace = Workspace(ParseCache(cache))  # an unchanged file is not parsed again (no PyYAML import)
    targets = list(paths) if paths else default_collection_paths()
    if load_later is False or not workspace.defer(targets, 0 if load_later else LOAD_LATER_FILES):
        workspace.load(targets)
    if not paths:
        workspace.start_id = ("messages.yaml", "send-sms")  # README step 1
    profile_set = profiles if profiles is not None else load_profiles_or_builtins()
    session = Session(workspace, profile_set, profile, settings=settings or load_settings(), transport=transport)
    css_cache = CssCache(cache / CSS_CACHE_FILE)  # CSS parsed by an earlier start (tui.css_cache)
    return TwibenchApp(
        session, show_timings=show_timings, prewarm=prewarm, cursor_blink=cursor_blink, css_cache=css_cache
    )


def run(paths: list[Path], profile: str | None) -> int:
    """Open the TUI (the CLI's `twibench [PATH ...] [--profile NAME]`) and return the exit code.

    The cyclic garbage collector is paused until the first frame (already by `twibench.cli.tui.open_tui`,
    before Textual's import; here for callers that import this module themselves), and threads switch
    sooner (`twibench.tui.startup`).
    """
    pause_collector()
    quicken_handoff()
    app = make_app(paths, profile, show_timings=os.environ.get("TWIBENCH_SANDBOX_DETERMINISTIC") != "1")
    app.watch_terminal = True
    try:
        code = app.run()
    finally:
        resume_collector()  # when the app ended before its first frame
        restore_handoff()
        import sys

        embedded = sys.modules.get("twibench.sandbox.embedded")
        if embedded is not None:
            embedded.stop()
    return code or 0
