"""A quit right at the first frame: the tab sets built just after it must not crash a closing app."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from tests.tui.conftest import sandbox_app, settle
from twibench.tui.app import TwibenchApp


class QuitAtOnce(TwibenchApp):
    """Quits as soon as the first frame is on screen (a ctrl+q typed while the app was starting)."""

    def on_ready(self) -> None:
        # No super().on_ready(): Textual calls TwibenchApp.on_ready itself (handlers run along the MRO).
        self.exit()


async def test_a_quit_at_the_first_frame_leaves_without_an_error(collections: Path) -> None:
    # The request editor and the response view mount their tabs after the first refresh; by then the
    # app may be closing. run_test re-raises any exception the app met (a MountError before the fix).
    for _ in range(5):
        app = sandbox_app([collections])
        app.__class__ = QuitAtOnce
        async with app.run_test(size=(120, 35)) as pilot:
            await pilot.pause()
        assert app.return_code in (0, None)


async def test_a_quit_while_the_editor_fills_its_tabs_leaves_without_an_error(
    collections: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The editor's tabs are filled after they mount (form rows, params, headers, docs), with awaits between;
    # a quit in one of them removes the widgets the next step looks for (NoMatches before the fix).
    from twibench.tui.widgets.kv_table import KeyValueTable

    load = KeyValueTable.load
    quits: list[str] = []

    async def load_then_quit(self: KeyValueTable, *args: Any, **kwargs: Any) -> None:
        if not quits:
            quits.append(self.kind)
            self.app.exit()
            await asyncio.sleep(0.05)  # the quit removes the screen's widgets meanwhile
        await load(self, *args, **kwargs)

    monkeypatch.setattr(KeyValueTable, "load", load_then_quit)
    app = sandbox_app([collections])
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, lambda: bool(quits))
    assert quits == ["form"]
    assert app.return_code in (0, None)
