"""Start-up imports only what the first frame needs: each module named here loads on first use instead.

Structural, not timed: a fresh interpreter imports the app (or runs the CLI up to the hand-over to the
TUI, or paints the first frame) and lists `sys.modules`. A module named here that shows up means an
import moved back to the top of a module on the start-up path (see twibench.tui.screens.on_demand,
twibench.yamlload._loader, twibench.cli.parser).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

COMMANDS_AND_FLOWS = (
    "twibench.tui.commands",
    "twibench.tui.flows.exports",
    "twibench.tui.flows.history",
    "twibench.tui.flows.outcome",
    "twibench.tui.flows.paste",
    "twibench.tui.flows.profiles",
    "twibench.tui.flows.requests",
    "twibench.workbench.snippets",
    "twibench.workbench.replay",
    "twibench.workbench.curl_paste",
    "twibench.spec.reference",
)
WRITERS_AND_PARSERS = ("twibench.profiles_save", "twibench.yamlsplice", "yaml", "ruamel.yaml")
STDLIB = ("argparse", "csv", "gzip", "html", "json", "sqlite3")
SENDING_AND_SANDBOX = ("httpx", "twibench.client", "twibench.sandbox.embedded", "twibench.sandbox.server")
PASTE = ("twibench.workbench.paste",)
SHOWN_LATER = ("twibench.tui.widgets.response_signs", "twibench.workbench.tree_filter")  # banner, spinner; `/`
NOT_ON_IMPORT = COMMANDS_AND_FLOWS + WRITERS_AND_PARSERS + STDLIB + SENDING_AND_SANDBOX + PASTE + SHOWN_LATER


def loaded(code: str, home: Path, *args: str) -> list[str]:
    """The modules (of those named above) that `code`, run in a fresh interpreter, printed as loaded."""
    env = {"TWIBENCH_HOME": str(home), "PATH": "/usr/bin:/bin", "TERM": "dumb"}
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120, check=True
    )
    found: list[str] = ast.literal_eval(done.stdout.strip().splitlines()[-1])
    return found


# Printed as a Python literal: importing json to print it would load json.
REPORT = f"""
import sys
print(sorted(m for m in {NOT_ON_IMPORT!r} if m in sys.modules))
"""


def test_importing_the_app_loads_no_flow_writer_parser_or_sender(tmp_path: Path) -> None:
    assert loaded("import twibench.tui.app" + REPORT, tmp_path) == []


def test_the_cli_hands_plain_paths_to_the_tui_without_argparse(tmp_path: Path) -> None:
    # Everything `twibench PATH` runs before it opens the TUI (open_tui, which needs a terminal, reports).
    code = (
        "import sys\n"
        "import twibench.cli.tui as tui\n"
        "seen = []\n"
        "tui.open_tui = lambda paths, profile: seen.append((paths, profile)) or 0\n"
        "from twibench.cli import main\n"
        "assert main(['collections', 'more/here']) == 0\n"
        "from pathlib import Path\n"
        "assert seen == [([Path('collections'), Path('more/here')], None)], seen\n"
        "assert 'textual' not in sys.modules\n" + REPORT
    )
    assert loaded(code, tmp_path) == []


def test_a_screen_action_imports_its_flow_on_first_use(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from twibench.tui.screens.on_demand import requests\n"
        "assert 'twibench.tui.flows.requests' not in sys.modules\n"
        "import twibench.tui.flows.requests as real\n"
        "assert requests.save is real.save\n"
        "print('[]')\n"
    )
    assert loaded(code, tmp_path) == []


ONE_REQUEST = "name: A\nrequests:\n  - name: R\n    id: r\n    url: /2010-04-01/Accounts.json\n"


def _one_collection(tmp_path: Path) -> tuple[Path, Path]:
    """A folder holding one small collection (a.yaml), and an empty TWIBENCH_HOME."""
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.yaml").write_text(ONE_REQUEST)
    home = tmp_path / "home"
    home.mkdir()
    return folder, home


FIRST_FRAME = f"""
import asyncio, sys
from pathlib import Path
from twibench.tui.app import TwibenchApp, make_app

seen = []

class Probe(TwibenchApp):
    def on_ready(self) -> None:
        # No super().on_ready(): Textual calls TwibenchApp.on_ready itself (handlers run along the MRO).
        seen.extend(sorted(m for m in {NOT_ON_IMPORT!r} if m in sys.modules))

async def main() -> None:
    app = make_app([Path(sys.argv[1])], prewarm=False, load_later=True)
    app.__class__ = Probe
    async with app.run_test(size=(120, 35)) as pilot:
        for _ in range(2000):  # hang guard: the collections load on a thread after the first frame
            if app.session.workspace.collections:
                break
            await pilot.pause(0.01)
        assert app.session.workspace.collections, "the collections loaded after the first frame"
        assert "yaml" in sys.modules  # they were parsed, once the first frame was on screen

asyncio.run(main())
print(seen)
"""


def test_with_nothing_to_parse_before_it_the_first_frame_needs_no_yaml(tmp_path: Path) -> None:
    # No profiles.yaml, no config.yaml, and the collections load after the first frame (as a folder of
    # the whole API does): PyYAML is not imported before the first frame, nor is anything named above.
    folder, home = _one_collection(tmp_path)
    assert loaded(FIRST_FRAME, home, str(folder)) == []


WARM_START = """
import sys
from pathlib import Path
from twibench.tui.app import make_app

app = make_app([Path(sys.argv[1])], prewarm=False, load_later=False)
assert [c.name for c in app.session.workspace.collections] == ["A"], "the collection loaded"
print(sorted(m for m in ("yaml", "ruamel.yaml", "twibench.yamlsplice", "json") if m in sys.modules))
"""


def test_a_start_on_unchanged_files_does_not_import_yaml(tmp_path: Path) -> None:
    # The first start parses the file and fills the parse cache (json writes it); the next one (a fresh
    # interpreter, the same file) reads the cache: neither PyYAML nor the json package is imported
    # (twibench.collection.parse_cache reads with json's C scanner alone).
    folder, home = _one_collection(tmp_path)
    assert loaded(WARM_START, home, str(folder)) == ["json", "yaml"]
    assert len(list((home / "cache").glob("*.json"))) == 1
    assert loaded(WARM_START, home, str(folder)) == []
    (folder / "a.yaml").write_text(ONE_REQUEST + "\n")
    assert loaded(WARM_START, home, str(folder)) == ["json", "yaml"], "an edited file is parsed again"
