"""README's bitcoin volatility figures are ``spillwatch volatility``'s on ../shared/data.

What was wrong: README put "bitcoin's next day 2.98 %/day ... against 1.93 realised" at "the end
of 2025"; they are the reading of bitcoin's last close in the data, 2026-01-02 (its change spans
the New Year). Read on 2025-12-31 (``--end`` or ``--as-of``), the command gives 2.90 against
1.92, so a trader checking the sentence at the end of 2025 could not find it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app

README = Path(__file__).resolve().parents[3] / "README.md"


@pytest.mark.slow
@pytest.mark.realdata
def test_readme_bitcoin_forecast_and_realised_volatility(real_db):
    text = " ".join(README.read_text("utf-8").split())
    m = re.search(r"bitcoin's next day ([\d.]+) %/day on its last close in \.\./shared/data "
                  r"\((\d{4}-\d{2}-\d{2})\) against ([\d.]+) realised", text)
    assert m, "README no longer states the figures this test checks"
    res = CliRunner().invoke(app, ["volatility", "--db", str(real_db), "--assets", "btc",
                                   "--end", m.group(2), "--correlation", "none", "--json"])
    assert res.exit_code == 0, res.output
    t = json.loads(res.stdout)["volatility"]["table"]
    row = dict(zip(t["columns"], t["data"][t["index"].index("btc_pct")], strict=True))
    assert row["last_date"] == m.group(2)
    assert row["vol_1d"] == pytest.approx(float(m.group(1)), abs=0.005)
    assert row["realised_20d"] == pytest.approx(float(m.group(3)), abs=0.005)
    # and the data hold no later bitcoin close: this is the store's last reading
    latest = CliRunner().invoke(app, ["volatility", "--db", str(real_db), "--assets", "btc",
                                      "--correlation", "none", "--json"])
    t = json.loads(latest.stdout)["volatility"]["table"]
    assert t["data"][t["index"].index("btc_pct")][t["columns"].index("last_date")] == m.group(2)
