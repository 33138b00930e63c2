"""README's scenario figures are what the tool gives on ../shared/data.

What was wrong: README said BTC's model share under japan-10pct as of 2025-04-11 is "about
43%" (measured before the jump rate was weighted toward the last year); the tool gives 49%
(0.493, standard error 0.015). The table's USD/JPY forward points and the share itself are
read from one run of the README's own scenario (20,000 paths, seed 7).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.slow
@pytest.mark.realdata
def test_readme_scenario_figures_as_of_2025_04_11(real_db, tmp_path):
    text = " ".join(README.read_text("utf-8").split())
    share = re.search(r"BTC about (\d+)% as of 2025-04-11 under japan-10pct", text)
    points = re.search(r"\+([\d.]+)% of a long line over japan-10pct's 60 days as of 2025-04-11",
                       text)
    assert share and points, "README no longer states the figures this test checks"
    book = tmp_path / "book.csv"
    book.write_text("asset,notional_usd\nusdjpy,1000000\nbtc,1000000\n")
    res = CliRunner().invoke(app, ["scenario", "japan-10pct", "--db", str(real_db), "--as-of",
                                   "2025-04-11", "--portfolio", str(book), "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["paths"] == 20_000 and doc["seed"] == 7 and doc["horizon_days"] == 60
    t = doc["table"]
    btc = dict(zip(t["columns"], t["data"][t["index"].index("btc")], strict=True))
    # "about N%": within three standard errors and the rounding
    assert abs(100 * btc["model_share"] - int(share.group(1))) <= 0.5 + 3 * 100 * btc[
        "model_share_se"], (btc["model_share"], share.group(1))
    fwd = doc["portfolio"]["fx_forwards"]["usdjpy"]["points_pct"]
    assert fwd == pytest.approx(float(points.group(1)), abs=0.005)
