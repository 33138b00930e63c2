"""The ``spillwatch`` process turns numpy's huge-page advice off before numpy is imported."""

import os
import subprocess
import sys

import pytest

# Runs the command-line entry point on `--help` (exits 0), then reports whether numpy's huge-page
# advice was on: _set_madvise_hugepage returns the state it replaces.
PROBE = """
import sys
from spillwatch.cli import main
try:
    main(["--help"])
except SystemExit as exc:
    assert exc.code == 0, exc.code
import numpy
print(numpy._core.multiarray._set_madvise_hugepage(True))
"""


def _probe(env_value: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    if env_value is not None:
        env["NUMPY_MADVISE_HUGEPAGE"] = env_value
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         timeout=120, env=env, check=True).stdout
    return out.strip().splitlines()[-1]


def test_the_entry_point_does_not_import_numpy():
    code = "import sys, spillwatch.cli; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    assert out.strip() == "False"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="huge pages are Linux's")
def test_a_command_runs_without_the_huge_page_advice_unless_the_user_sets_it():
    assert _probe(None) == "False"
    assert _probe("1") == "True"             # the user's own setting is kept
    assert _probe("0") == "False"
