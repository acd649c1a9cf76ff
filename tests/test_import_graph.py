"""The module import graph has no circles (every import counts: in functions, TYPE_CHECKING, importlib)."""

from __future__ import annotations

from pathlib import Path

from bench.import_graph import circles, edges_of, modules


def test_no_import_circle() -> None:
    known = modules()
    graph = {name: edges_of(name, path, known) for name, path in known.items()}
    assert circles(graph) == []


def test_every_kind_of_import_is_an_edge(tmp_path: Path) -> None:
    source = tmp_path / "a.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "import importlib\n"
        "if TYPE_CHECKING:\n    from pkg import b\n"
        "def f():\n    from pkg.c import thing\n    return importlib.import_module('pkg.d')\n"
        "TABLE = {'e': 'pkg.e'}\n"
        "from . import f as g\n"
    )
    known = {name: tmp_path / "x.py" for name in ("pkg", "pkg.a", "pkg.b", "pkg.c", "pkg.d", "pkg.e", "pkg.f")}
    assert edges_of("pkg.a", source, known) == {"pkg.b", "pkg.c", "pkg.d", "pkg.e", "pkg.f"}
    assert circles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
