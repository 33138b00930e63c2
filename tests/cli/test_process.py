"""A ``spillwatch`` process sets its numpy, OpenBLAS and collector defaults before numpy loads."""

import gc
import json
import os
import subprocess
import sys

import pytest

from spillwatch.cli import _process

# Runs the command-line entry point on `--help` (exits 0), then reports numpy's huge-page advice
# (_set_madvise_hugepage returns the state it replaces), OpenBLAS's thread counts and the
# collector's thresholds.
PROBE = """
import gc, json
from spillwatch.cli import main
try:
    main(["--help"])
except SystemExit as exc:
    assert exc.code == 0, exc.code
import numpy
from threadpoolctl import threadpool_info
print(json.dumps({
    "hugepage": numpy._core.multiarray._set_madvise_hugepage(True),
    "blas": sorted({p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"}),
    "gc": gc.get_threshold()}))
"""
VARS = ("NUMPY_MADVISE_HUGEPAGE", "OPENBLAS_NUM_THREADS")


def _probe(**user: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in VARS}
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         timeout=120, env={**env, **user}, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_the_entry_point_does_not_import_numpy():
    code = "import sys, spillwatch.cli; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    assert out.strip() == "False"


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="huge pages are Linux's")
def test_a_command_sets_its_defaults_and_keeps_the_users():
    assert _probe() == {"hugepage": False, "blas": [1], "gc": list(_process.GC_THRESHOLD)}
    own = _probe(NUMPY_MADVISE_HUGEPAGE="1", OPENBLAS_NUM_THREADS="2")
    assert own["hugepage"] is True and own["blas"] == [2]


def test_the_test_processes_run_with_the_commands_settings():
    assert os.environ["NUMPY_MADVISE_HUGEPAGE"] == "0"
    assert os.environ["OPENBLAS_NUM_THREADS"] == "1"
    assert gc.get_threshold() == _process.GC_THRESHOLD
