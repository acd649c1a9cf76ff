"""Print the import circles of the twibench package, measured on its module import graph.

Why: the layout promises arrows only downwards; this script is the measurement. Every import counts as
an edge: at module top, inside functions, under `TYPE_CHECKING`, any `importlib.import_module("…")`
string, and any string that is exactly a module's dotted name (a table of modules to import), because
each one ties two modules together whether or not it runs at import time. Circles are the strongly
connected components of more than one module. Run: `python bench/import_graph.py [--edges]`.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "twibench"


def modules() -> dict[str, Path]:
    """Dotted module name → source file, for every module of the package."""
    out: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _resolve(name: str, known: dict[str, Path]) -> str | None:
    """The longest known module that `name` names (a `from a.b import c` may name a module or a symbol)."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def edges_of(module: str, path: Path, known: dict[str, Path]) -> set[str]:
    """Every twibench module that `module` imports, wherever the import statement sits."""
    is_package = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                drop = node.level - 1 if is_package else node.level
                anchor = anchor[: len(anchor) - drop] if drop else anchor
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Call):
            func = node.func
            named = (isinstance(func, ast.Attribute) and func.attr == "import_module") or (
                isinstance(func, ast.Name) and func.id == "import_module"
            )
            if named and node.args and isinstance(node.args[0], ast.Constant):
                value = node.args[0].value
                if isinstance(value, str):
                    targets = [value]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in known:
            targets = [node.value]  # a module named in data for importlib (`DELEGATED = {"run": "twibench.…"}`)
        for target in targets:
            found = _resolve(target, known)
            if found is not None and found != module:
                out.add(found)
    return out


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def main() -> int:
    """Print the circles (and, with --edges, the edges inside each); a figure, not a check (see the test)."""
    known = modules()
    graph = {name: edges_of(name, path, known) for name, path in known.items()}
    found = circles(graph)
    print(f"modules: {len(known)}  edges: {sum(len(v) for v in graph.values())}  circles: {len(found)}")
    for component in found:
        print(f"- {len(component)} modules: {', '.join(component)}")
        if "--edges" in sys.argv:
            members = set(component)
            for name in component:
                inside = sorted(graph[name] & members)
                if inside:
                    print(f"    {name} -> {', '.join(inside)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
