"""Every docstring example of the package runs and prints what it shows.

The examples (RiskMetrics' standardised move, the regime band, the H.15 release day, ...) were run
only by hand (`pytest --doctest-modules src/spillwatch`): nothing in the suite or in `.ci/run`
checked them, so one could drift from the code it documents.
"""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

import spillwatch

ROOT = Path(spillwatch.__file__).parent


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(("spillwatch", *(parts[:-1] if parts[-1] == "__init__" else parts)))


#: Modules whose source holds an example (found by text, so no module is imported to list them).
MODULES = sorted(_module(p) for p in ROOT.rglob("*.py") if ">>> " in p.read_text("utf-8"))


@pytest.mark.parametrize("name", MODULES)
def test_the_module_s_examples_hold(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, report=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples of {name} failed"


def test_there_are_examples_to_run():
    # 42 docstrings with examples when this test was written (pytest --doctest-modules)
    found = sum(bool(t.examples) for name in MODULES
                for t in doctest.DocTestFinder().find(importlib.import_module(name)))
    assert found >= 42, found
