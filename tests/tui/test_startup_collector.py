"""The collector policy of `twibench.tui.startup`: paused until the first frame, long-lived things frozen."""

from __future__ import annotations

import gc
from pathlib import Path
from types import SimpleNamespace

import pytest

from twibench.cli import tui as cli_tui
from twibench.tui import startup


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_long_lived_frees_the_garbage_of_the_moment_then_freezes_what_is_alive(collector: None) -> None:
    kept, dropped = _Cycle(), _Cycle()
    del dropped  # unreachable, but a cycle: only the collector frees it
    assert startup.long_lived(kept) is kept
    assert not any(isinstance(o, _Cycle) for o in gc.get_objects())  # kept is frozen (not listed)
    gc.unfreeze()
    assert [o for o in gc.get_objects() if isinstance(o, _Cycle)] == [kept]  # dropped was freed, not frozen


def test_pause_then_resume_turns_the_collector_back_on_once(collector: None) -> None:
    gc.enable()
    startup.pause_collector()
    assert not gc.isenabled()
    startup.resume_collector()
    assert gc.isenabled()
    gc.disable()
    startup.resume_collector()  # a second call does nothing
    assert not gc.isenabled()


def _terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """`open_tui` checks that stdin and stdout are a terminal; under pytest they are not."""
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)


def test_open_tui_pauses_the_collector_before_importing_the_app(
    collector: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Importing Textual and the app is most of start-up's allocation: the collector is off during it.
    seen: list[tuple[str, bool]] = []

    def run(paths: list[Path], profile: str | None) -> int:
        seen.append(("run", gc.isenabled()))
        startup.resume_collector()  # what the app does at its first frame
        return 0

    def import_module(name: str) -> SimpleNamespace:
        seen.append((name, gc.isenabled()))
        return SimpleNamespace(run=run)

    _terminal(monkeypatch)
    monkeypatch.setattr(cli_tui, "importlib", SimpleNamespace(import_module=import_module))
    gc.enable()
    assert cli_tui.open_tui([], None) == 0
    assert seen == [("twibench.tui.app", False), ("run", False)]
    assert gc.isenabled()


def test_open_tui_turns_the_collector_back_on_when_the_app_cannot_be_imported(
    collector: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def import_module(name: str) -> None:
        raise ImportError(name)

    _terminal(monkeypatch)
    monkeypatch.setattr(cli_tui, "importlib", SimpleNamespace(import_module=import_module))
    gc.enable()
    with pytest.raises(ImportError):
        cli_tui.open_tui([], None)
    assert gc.isenabled()
