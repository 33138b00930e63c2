"""The report's risk section on a store without bitcoin (h_data2).

A user's store of ether (or of the Trump coin) beside the 10-year: ``risk`` and ``/api/risk``
gave its volatility, correlation, VaR/ES, backtest and CoVaR, and the report's risk section was
refused whole ("it needs btc and ust10y; store ... lacks btc"), although each of its parts says
for itself what the data cannot support. The section now shows what the CLI shows.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cut_store import cut_store
from typer.testing import CliRunner

from spillwatch.cli import app as cli
from spillwatch.data.source import open_source
from spillwatch.report.context import ReportContext
from spillwatch.report.html import build_sections
from spillwatch.service.workspace import Workspace

pytestmark = [pytest.mark.realdata, pytest.mark.slow]


def test_the_risk_section_of_an_ether_store_gives_the_clis_var(shared_data: Path,
                                                               tmp_path: Path) -> None:
    db = cut_store(shared_data, tmp_path, ["fred/DGS10.csv", "crypto/ETHUSDT.csv"],
                   first="2018-01-01", last="2025-06-30")
    res = CliRunner().invoke(cli, ["risk", "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    cli_var = json.loads(res.stdout)["summary"]["var"]
    assert set(cli_var) == {"eth_pct/historical", "eth_pct/fhs", "eth_pct/t"}
    with open_source(None, db=db, read_only=True) as src:
        sections, failures = build_sections(ReportContext(Workspace(src)), ["risk"])
    assert failures == {}
    (sec,) = sections
    assert sec.summary["tail_risk"]["var"] == pytest.approx(cli_var, rel=1e-12)
    assert "eth_pct" in sec.html and "Backtest (Kupiec" in sec.html
