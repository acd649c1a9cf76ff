"""A quit right at the first frame: the tab sets built just after it must not crash a closing app."""

from __future__ import annotations

from pathlib import Path

from tests.tui.conftest import sandbox_app
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
