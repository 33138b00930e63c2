"""The stress package has no import cycle, not even through function-level or TYPE_CHECKING
imports (every ``import`` statement in its modules counts)."""

from __future__ import annotations

import ast
from pathlib import Path

import spillwatch.analytics.stress as pkg

PREFIX = "spillwatch.analytics.stress"


def _imports(path: Path, name: str) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:                                   # relative import
                parts = name.split(".")[: -node.level]
                base = ".".join([*parts, *([base] if base else [])])
            mods = [base] + [f"{base}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            mods = [a.name for a in node.names]
        else:
            continue
        out |= {m for m in mods if m.startswith(PREFIX + ".")}
    return out


def test_no_import_cycles_in_the_stress_package():
    root = Path(pkg.__file__).parent
    graph = {}
    for path in root.glob("*.py"):
        if path.stem == "__init__":
            continue
        name = f"{PREFIX}.{path.stem}"
        graph[name] = {m for m in _imports(path, name) if m in {
            f"{PREFIX}.{p.stem}" for p in root.glob("*.py")} and m != name}
    assert f"{PREFIX}.index" not in graph[f"{PREFIX}._results"]
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph.get(node, ()):
            assert state.get(nxt) != 1, " -> ".join([*trail, node, nxt])
            if nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node, [])
