"""The core never imports the interfaces (typer, fastapi, rich, plotly) at import time."""

import subprocess
import sys

CODE = """
import sys
import spillwatch, spillwatch.data.panel, spillwatch.data.ingest, spillwatch.store
import spillwatch.data.providers.demo, spillwatch.universe
heavy = [m for m in ("typer", "fastapi", "rich", "plotly", "uvicorn") if m in sys.modules]
print(",".join(heavy))
"""


def test_core_does_not_import_interfaces():
    res = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True,
                         timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == ""
