"""A bare ``spillwatch`` (or ``spillwatch data``, ``spillwatch alerts``) prints its help once.

It printed the whole help twice on stdout: click builds the error's message with
``ctx.get_help()``, where typer's rich help prints itself, and ``main`` printed
``ctx.get_help()`` again.
"""

import os
import subprocess
import sys

import pytest


@pytest.mark.slow
@pytest.mark.parametrize(("args", "usage"), [
    ([], "Usage: python -m spillwatch [OPTIONS] COMMAND [ARGS]..."),
    (["data"], "Usage: python -m spillwatch data [OPTIONS] COMMAND [ARGS]..."),
    (["alerts"], "Usage: python -m spillwatch alerts [OPTIONS] COMMAND [ARGS]..."),
])
def test_a_bare_group_prints_its_help_once(args, usage):
    res = subprocess.run([sys.executable, "-m", "spillwatch", *args], capture_output=True,
                         text=True, timeout=120, env={**os.environ, "COLUMNS": "100"})
    assert res.returncode == 0 and res.stderr == ""
    assert res.stdout.count("Usage:") == 1 and usage in res.stdout
    assert res.stdout.count("Show this message and exit.") == 1
