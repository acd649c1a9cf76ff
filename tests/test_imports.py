"""Import hygiene: the core never imports Textual; only the sandbox imports the server stack."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "twibench"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_layering() -> None:
    """Every module of the package at once: a violation names its module and the rule it breaks."""
    broken: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        modules = imported_modules(path)
        if relative.parts[0] != "tui" and "textual" in modules:
            broken.append(f"{relative}: imports Textual (only twibench/tui/ may)")
        if relative.parts[0] != "sandbox" and modules & {"starlette", "uvicorn"}:
            broken.append(f"{relative}: imports the server stack (only twibench/sandbox/ may)")
    assert broken == []


SCRIPT = """
import sys
from twibench.cli import main
try:
    main({args!r})
except SystemExit:
    pass
print("LOADED", " ".join(sorted(m for m in ("textual", "httpx", "starlette", "uvicorn") if m in sys.modules)))
"""


def loaded_after(args: list[str], tmp_path: Path) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(args=args)],
        capture_output=True,
        text=True,
        env={"TWIBENCH_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
        check=False,
        timeout=60,
    )
    line = [x for x in result.stdout.splitlines() if x.startswith("LOADED")][-1]
    return set(line.split()[1:])


def test_help_imports_neither_textual_nor_httpx(tmp_path: Path) -> None:
    assert loaded_after(["--help"], tmp_path) == set()


def test_check_and_locate_import_nothing_heavy(tmp_path: Path) -> None:
    collections = Path(__file__).resolve().parent.parent / "collections"
    assert loaded_after(["check", str(collections)], tmp_path) == set()
    assert loaded_after(["locate"], tmp_path) == set()


def test_send_leaves_textual_out(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text("name: C\nrequests:\n  - name: r\n    url: http://127.0.0.1:9/x\n    auth: none\n")
    assert "textual" not in loaded_after(["send", str(tmp_path / "c.yaml") + "#r"], tmp_path)
