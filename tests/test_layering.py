"""The import structure of ``src/``: imports only go down the layers, and no module cycles.

Read from the source with :mod:`ast` (nothing is imported), so every import counts: at module
level, inside functions and under ``if TYPE_CHECKING:``.
"""

from __future__ import annotations

import ast
import functools
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

#: Floors from the ground up (DESIGN.md): a module may import only its floor and the ones below.
FLOORS: list[tuple[str, ...]] = [
    ("spillwatch._version", "spillwatch.exceptions", "spillwatch.config", "spillwatch._typing",
     "spillwatch._validation", "spillwatch._results", "spillwatch.timing",
     "spillwatch.universe", "spillwatch._compat", "spillwatch._frozen", "spillwatch._changes",
     "spillwatch._kept"),
    ("spillwatch.store",),
    ("spillwatch.data",),
    ("spillwatch.plotting",),
    ("spillwatch.analytics",),
    ("spillwatch.scenarios",),
    ("spillwatch.service",),
    ("spillwatch.alerts",),
    ("spillwatch.report",),
    ("spillwatch.api", "spillwatch.pipeline"),
    ("spillwatch.cli", "spillwatch.__main__"),
]


def module_name(path: Path) -> str:
    rel = path.relative_to(SRC).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def floor_of(module: str) -> int | None:
    for i, prefixes in enumerate(FLOORS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return i
    return None


def imports_of(path: Path, module: str, modules: set[str]) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            subs = {f"{target}.{a.name}" for a in node.names} & modules
            # "from pkg import submodule" depends on the submodule, not on the package's
            # __init__ (which Python has already started to run for a module inside it)
            if len(subs) < len(node.names):
                out.add(target)
            out.update(subs)
    return {m for m in out if m == "spillwatch" or m.startswith("spillwatch.")}


@functools.cache
def graph() -> dict[str, set[str]]:
    """Module -> the modules it imports (read once per session; the tests only read it)."""
    files = {module_name(p): p for p in SRC.rglob("*.py")}
    edges: dict[str, set[str]] = {}
    for mod, path in files.items():
        targets = set()
        for imp in imports_of(path, mod, set(files)):
            # resolve to the longest known module (an attribute import names its module)
            while imp and imp not in files:
                imp = imp.rpartition(".")[0]
            if imp and imp != mod and imp != "spillwatch":
                targets.add(imp)
        edges[mod] = targets
    return edges


def test_every_module_has_a_floor():
    missing = [m for m in graph() if m != "spillwatch" and floor_of(m) is None]
    assert missing == [], f"modules on no floor (add them to FLOORS): {missing}"


def test_imports_only_go_down():
    up = []
    for mod, targets in graph().items():
        lo = floor_of(mod)
        if lo is None:
            continue
        for t in targets:
            hi = floor_of(t)
            if hi is not None and hi > lo:
                up.append(f"{mod} (floor {lo}) -> {t} (floor {hi})")
    assert up == [], "imports from a lower floor to a higher one:\n" + "\n".join(sorted(up))


def test_no_import_cycles():
    edges = graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    sys.setrecursionlimit(10_000)
    for v in list(edges):
        if v not in index:
            visit(v)
    assert cycles == [], f"import cycles: {cycles}"


def test_the_graph_sees_known_edges():
    # the reader must see function-level imports too (a test of the test)
    edges = graph()
    assert "spillwatch.service.workspace" in edges["spillwatch.report.context"]
    assert "spillwatch.plotting.stress" in edges["spillwatch.analytics.stress._results"]


CODE = """
import sys
import spillwatch, spillwatch.data.panel, spillwatch.data.ingest, spillwatch.store
import spillwatch.data.providers.demo, spillwatch.universe, spillwatch.service.workspace
heavy = [m for m in ("typer", "fastapi", "rich", "plotly", "uvicorn") if m in sys.modules]
print(",".join(heavy))
"""


@pytest.mark.slow
def test_core_does_not_import_interfaces():
    res = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True,
                         timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == ""
