"""A stress signal's fact without a value says why, as a sub-index's does (h_mut16: only the
sub-indices' reasons were pinned; the signals' went through the same words untested).

../shared/data's 10-year, yen, VIX and ICE's two spreads by the project's import. On the
evening of 1997-02-03 (the reading of Friday 1997-01-31): the IG spread prints from
1996-12-31 and its 5-day z-score's first value is 1997-02-20 (its burn-in); the 2-year, an
input of the 2s10s curve's z-score, is not in the store.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app as cli

pytestmark = pytest.mark.realdata
runner = CliRunner()


@pytest.mark.slow
def test_a_signal_says_its_burn_in_or_its_missing_input(shared_data, tmp_path):
    db = tmp_path / "store.duckdb"
    for f in ("DGS10.csv", "BAMLC0A0CM.csv", "BAMLH0A0HYM2.csv", "DEXJPUS.csv", "VIXCLS.csv"):
        res = runner.invoke(cli, ["import", str(shared_data / "fred" / f), "--db", str(db)])
        assert res.exit_code == 0, res.output
    res = runner.invoke(cli, ["alerts", "facts", "stress.ig_oas_z5", "stress.curve_2s10s_z5",
                              "--as-of", "1997-02-03", "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    got = {r["fact"]: (r["value"], r["date"], r["note"]) for r in json.loads(res.stdout)["rows"]}
    assert got == {
        "stress.ig_oas_z5": (None, "1997-01-31", "too little history on 1997-01-31: ig_oas "
                             "prints, the value is still in its burn-in"),
        "stress.curve_2s10s_z5": (None, "1997-01-31", "missing input on 1997-01-31 (ust2y)")}
