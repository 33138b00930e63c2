"""``spillwatch demand --out FILE``: the per-date frame as the help and ``FRAME_COLUMNS`` say.

No test wrote it (``cli/demand.py``'s ``--out`` branch). On the demo market: a ``date``
column then exactly :data:`FRAME_COLUMNS`, one row per date in order, and the row of the
headline's date holding the gauge, percentile and top group that ``--json`` prints (the CSV
keeps 10 significant digits).
"""
import csv
import json

import pytest
from typer.testing import CliRunner

from spillwatch.analytics.demand._columns import FRAME_COLUMNS
from spillwatch.cli import app


@pytest.mark.slow
def test_demand_out_writes_the_frame_the_headline_reads(tmp_path):
    out = tmp_path / "demand.csv"
    res = CliRunner().invoke(app, ["demand", "--demo", "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    latest = json.loads(res.stdout)["latest"]
    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    # the console folds a long path at its width (80 columns in CI), inside a word too
    assert f"wrote {len(rows)} rows to {out}" in res.stderr.replace("\n", "")
    assert list(rows[0]) == ["date", *FRAME_COLUMNS]
    dates = [r["date"] for r in rows]
    assert dates == sorted(set(dates)) and all(len(d) == 10 for d in dates)
    row = next(r for r in rows if r["date"] == latest["date"])
    assert float(row["gauge"]) == pytest.approx(latest["gauge"], rel=1e-9)
    assert float(row["percentile"]) == pytest.approx(latest["percentile"], rel=1e-9)
    assert row["top_group"] == latest["top_group"]
