"""Dead code and stale docstrings in ``src/``, read from the source with :mod:`ast`.

Every module-level function, class and constant is used somewhere (in ``src``: a name, an
attribute, an import that re-exports it, or a string such as a registry's or ``__all__``'s;
in ``tests`` or ``benchmarks``: an import, an attribute or a string); a private function reads
every parameter it takes; a numpydoc ``Parameters`` section names exactly the parameters; a
cross-reference names something that exists. Nothing is imported.
"""

from __future__ import annotations

import ast
import functools
import re
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "spillwatch"
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@functools.cache
def _src_trees() -> dict[Path, ast.Module]:
    return {p: ast.parse(p.read_text("utf-8")) for p in sorted(SRC.rglob("*.py"))}


@functools.cache
def _outside_src() -> dict[Path, str]:
    """The text of every test and benchmark module (but this one)."""
    paths = [*(ROOT / "tests").rglob("*.py"), *(ROOT / "benchmarks").rglob("*.py")]
    return {p: p.read_text("utf-8") for p in sorted(paths) if p != Path(__file__).resolve()}


@functools.cache
def _parsed(path: Path) -> ast.Module:
    return ast.parse(_outside_src()[path])


def _used_outside_src(name: str) -> bool:
    """Whether a test or benchmark uses ``name``: imports it, or reads it as an attribute."""
    for path, text in _outside_src().items():
        if re.search(rf"\b{name}\b", text) is None:
            continue
        for node in ast.walk(_parsed(path)):
            if ((isinstance(node, ast.Attribute) and node.attr == name)
                    or (isinstance(node, ast.alias) and name in node.name.split("."))
                    or (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and name in IDENT.findall(node.value))):
                return True
    return False


@functools.cache
def _uses() -> dict[str, list[tuple[Path, str, int]]]:
    """Name -> [(file, how, line)] for loaded names, attributes, imports and strings."""
    out: dict[str, list[tuple[Path, str, int]]] = defaultdict(list)
    for path, tree in _src_trees().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Store):
                out[node.id].append((path, "name", node.lineno))
            elif isinstance(node, ast.Attribute):
                out[node.attr].append((path, "attr", node.lineno))
            elif isinstance(node, ast.ImportFrom):
                out.update({a.name: [*out[a.name], (path, "import", node.lineno)]
                            for a in node.names})
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                for word in IDENT.findall(node.value):
                    out[word].append((path, "str", node.lineno))
    return out


def _module_level_names(tree: ast.Module) -> list[tuple[str, int, int]]:
    out = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            out.append((node.name, node.lineno, node.end_lineno or node.lineno))
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            out += [(t.id, node.lineno, node.end_lineno or node.lineno)
                    for t in targets if isinstance(t, ast.Name)]
    return [n for n in out if not (n[0].startswith("__") and n[0].endswith("__"))]


def _used(name: str, path: Path, first: int, last: int) -> bool:
    for other, how, line in _uses().get(name, ()):
        if other == path and first <= line <= last:
            continue                             # its own definition (or a recursive call)
        if how == "name" and other != path and name not in _imported(other):
            continue                             # another module's own variable of that name
        return True
    return _used_outside_src(name)


@functools.cache
def _imported(path: Path) -> frozenset[str]:
    names = set()
    for node in ast.walk(_src_trees()[path]):
        if isinstance(node, ast.ImportFrom):
            names.update(a.asname or a.name for a in node.names)
    return frozenset(names)


@pytest.mark.slow
def test_every_module_level_name_is_used():
    """22 functions, classes and constants nothing used (``_stamp``, ``spans_frame``,
    ``facts_on``, ``StaleSeriesWarning``, ``SEVERITIES`` beside two copies of its Literal, five
    module loggers never written to, ...)."""
    unused = [f"{path.relative_to(ROOT)}:{first} {name}"
              for path, tree in _src_trees().items()
              for name, first, last in _module_level_names(tree)
              if not _used(name, path, first, last)]
    assert unused == []


def _functions(tree: ast.Module):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _params(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    a = fn.args
    names = [x.arg for x in (*a.posonlyargs, *a.args, *a.kwonlyargs)]
    names += [x.arg for x in (a.vararg, a.kwarg) if x is not None]
    return [n for n in names if n not in ("self", "cls")]


def test_private_functions_read_every_parameter():
    """``_edge_percentile`` took ``valid``, ``_alert_doc`` ``now`` and ``_hold_revisions``
    ``con``, and read none of them (the callers computed or passed them for nothing)."""
    unread = []
    for path, tree in _src_trees().items():
        for fn in _functions(tree):
            if not fn.name.startswith("_") or fn.name.endswith("_"):
                continue                         # public, dunder or a protocol hook
            read = {n.id for n in ast.walk(fn) if isinstance(n, ast.Name)}
            unread += [f"{path.relative_to(ROOT)}:{fn.lineno} {fn.name}({p})"
                       for p in _params(fn) if p not in read and not p.startswith("_")
                       # typer reads --version off the group's callback; its own callback
                       # acts on it
                       and (fn.name, p) != ("_root", "version")]
    assert unread == []


def _documented(doc: str) -> list[str] | None:
    """The names of a numpydoc ``Parameters`` section (None: the docstring has none)."""
    lines = doc.expandtabs().splitlines()
    for i, line in enumerate(lines[:-1]):
        if line.strip() == "Parameters" and set(lines[i + 1].strip()) == {"-"}:
            break
    else:
        return None
    names: list[str] = []
    indent = None
    for j in range(i + 2, len(lines)):
        line = lines[j]
        if not line.strip():
            continue
        if j + 1 < len(lines) and lines[j + 1].strip() and set(lines[j + 1].strip()) == {"-"}:
            break                                # the next section
        depth = len(line) - len(line.lstrip())
        indent = depth if indent is None else indent
        if depth < indent:
            break
        if depth == indent:
            head = line.split(" : ")[0]
            names += [n.strip().lstrip("*") for n in head.split(",")]
    return names


def test_parameters_sections_name_exactly_the_parameters():
    """``make_plan`` documented one of its ten parameters, ``run_monitor`` three of eleven,
    ``asset_facts`` left out ``out``, ``spillover_values`` ``D``, ``hedged_pickup`` its two
    source series."""
    wrong = []
    for path, tree in _src_trees().items():
        for fn in _functions(tree):
            doc = ast.get_docstring(fn)
            names = None if doc is None else _documented(doc)
            if names is None:
                continue
            params = _params(fn)
            missing = [p for p in params if p not in names]
            extra = [n for n in names if n not in params]
            if missing or extra:
                wrong.append(f"{path.relative_to(ROOT)}:{fn.lineno} {fn.name}: "
                             f"undocumented {missing}, not parameters {extra}")
    assert wrong == []


def test_cross_references_name_what_exists():
    """``alerts/__init__`` sent readers to ``:mod:`.delivery``` (the module is ``notify``) and
    the kernels to ``_var.running_sums_numpy`` (it is ``running_sums``)."""
    defined: set[str] = set()
    for path, tree in _src_trees().items():
        defined.update(path.relative_to(SRC).with_suffix("").parts)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                defined.add(node.name)
            elif isinstance(node, ast.Name | ast.arg):
                defined.add(node.id if isinstance(node, ast.Name) else node.arg)
            elif isinstance(node, ast.Attribute):
                defined.add(node.attr)
            elif isinstance(node, ast.alias):
                defined.add((node.asname or node.name).rpartition(".")[2])
    role = re.compile(r":(?:func|meth|class|data|attr|mod|obj|exc):`~?([^`\n]+)`")
    broken = []
    for path in _src_trees():
        text = path.read_text("utf-8")
        for m in role.finditer(text):
            target = m.group(1).split("<")[-1].rstrip(">").strip().removesuffix("()")
            if not target.startswith((".", "spillwatch")) and "." in target:
                continue                         # another library's
            if target.rpartition(".")[2] not in defined:
                line = text.count("\n", 0, m.start()) + 1
                broken.append(f"{path.relative_to(ROOT)}:{line} {m.group(0)}")
    assert broken == []
