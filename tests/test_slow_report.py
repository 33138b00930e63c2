"""``--slow-report`` names the tests whose call took 2 s or more without the slow marker."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent


@pytest.mark.slow      # the suite it runs holds two calls of 2 s
def test_the_report_lists_an_unmarked_long_call_and_nothing_else(tmp_path):
    (tmp_path / "test_calls.py").write_text(
        "import time\n"
        "import pytest\n\n"
        "def test_unmarked_long():\n    time.sleep(2.05)\n\n"
        "@pytest.mark.slow\n"
        "def test_marked_long():\n    time.sleep(2.05)\n\n"
        "def test_short():\n    pass\n")
    (tmp_path / "pytest.ini").write_text("[pytest]\nmarkers =\n    slow: slow\n")
    # the suite's own conftest, loaded as a plugin from the tests folder
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(TESTS), *filter(None, [os.environ.get("PYTHONPATH")])])}
    args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "conftest",
            "-n", "0", "--slow-report", str(tmp_path)]
    out = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=300,
                         env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    section = out.stdout.split("without the slow marker", 1)[1]
    assert "1 test(s)" in section
    assert "test_calls.py::test_unmarked_long" in section
    assert "test_marked_long" not in section and "test_short" not in section
    # (under xdist the reports reach the controlling process alike); without the option, no
    # section
    plain = subprocess.run([*args[:-2], "-k", "short", str(tmp_path)],
                           cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env)
    assert plain.returncode == 0 and "without the slow marker" not in plain.stdout
