"""``spillwatch --help`` (and each command's help) imports no engine and no data library.

Every command module imported its service at module level, and ``--help``, ``--version``, a bare
``spillwatch`` and an unknown command register them all: the help took about 3 s of CPU
importing scipy, statsmodels, arch, numba, pandas and duckdb before printing a line.
"""

import ast
import subprocess
import sys

import pytest

from spillwatch import cli

#: What printing help must not import: the numerical stack, the store, the engines.
HEAVY = ("numpy", "pandas", "scipy", "statsmodels", "arch", "numba", "duckdb", "plotly",
         "dask", "fastapi", "spillwatch._results", "spillwatch.store",
         "spillwatch.service.workspace", "spillwatch.service.risk",
         "spillwatch.service.events", "spillwatch.service.scenarios",
         "spillwatch.service.spillover", "spillwatch.service.demand", "spillwatch.analytics",
         "spillwatch.scenarios")

#: The invocations that register the whole application.
WHOLE: list[list[str]] = [[], ["--help"], ["--version"], ["no-such-command"]]
#: Every command's help.
COMMANDS: list[list[str]] = [
    *([name, "--help"] for name in cli.COMMANDS),
    *(["data", sub, "--help"] for sub in ("health", "quarantine", "runs", "panel")),
    *(["alerts", sub, "--help"] for sub in ("list", "silence", "test", "facts", "rules")),
]

CHILD = """
import ast, contextlib, io, sys
from spillwatch.cli import main
codes = []
for args in ast.literal_eval(sys.argv[1]):
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            main(args)
        except SystemExit as exc:
            codes.append(exc.code)
heavy = ast.literal_eval(sys.argv[2])
print(repr((codes, sorted(m for m in sys.modules if m.split(".")[0] in heavy or m in heavy
                          or any(m.startswith(h + ".") for h in heavy)))))
"""


def _loaded(invocations: list[list[str]]) -> tuple[list[object], list[str]]:
    """Exit codes of ``main`` on each of ``invocations`` in one interpreter; the heavy modules
    it then holds."""
    out = subprocess.run([sys.executable, "-c", CHILD, repr(invocations), repr(HEAVY)],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    return ast.literal_eval(out.strip().splitlines()[-1])


def test_the_whole_help_imports_no_engine():
    codes, loaded = _loaded(WHOLE)
    assert codes == [0, 0, 0, 2]      # the help (twice), the version; the unknown: an error
    assert loaded == []


@pytest.mark.slow
def test_each_commands_help_imports_no_engine():
    codes, loaded = _loaded(COMMANDS)
    assert codes == [0] * len(COMMANDS)
    assert loaded == []
