"""The alert facts of TIC's holdings read no flow across a series break of its table."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from spillwatch.analytics.demand.reserves import spans_tic_break
from spillwatch.cli import app

RULE = """[[rule]]
name = "uk_sells"
fact = "tic_uk.chg_1m_usd_bn"
op = "<="
value = -50
"""


def test_a_change_spans_a_break_when_the_break_is_its_end_or_inside_it():
    assert spans_tic_break("2010-05-31", "2010-06-30")[0]
    assert spans_tic_break("2010-03-31", "2010-06-30")[0]
    assert not spans_tic_break("2010-06-30", "2010-07-31")[0]
    assert not spans_tic_break("2012-05-31", "2012-06-30")[0]      # the breaks end in 2011
    assert spans_tic_break("2000-02-29", "2000-03-31")[0]


@pytest.mark.slow
@pytest.mark.realdata
def test_the_uk_s_june_2010_revision_is_no_sale(real_db, tmp_path):
    """TIC prints June 2010 twice and the store keeps the new series: the UK's line reads
    $350.7 bn in May and $94.5 bn in June (tic/major_foreign_holders.csv), a revision of the
    series, not a sale of $256 bn. `alerts facts --as-of 2010-08-20` gave
    tic_uk.chg_1m_usd_bn -256.2 and a rule on a $50 bn monthly fall fired on it, in the
    monitor's facts and in the backtest alike; both now read it unknown, with the reason."""
    res = CliRunner().invoke(app, ["alerts", "facts", "tic_uk.chg_*", "--db", str(real_db),
                                   "--as-of", "2010-08-20", "--json"])
    assert res.exit_code == 0, res.output
    rows = {r["fact"]: r for r in json.loads(res.stdout)["rows"]}
    assert rows["tic_uk.chg_1m_usd_bn"]["value"] is None
    assert rows["tic_uk.chg_1m_usd_bn"]["note"] == (
        "the change from 2010-05 to 2010-06 spans a TIC series break (a benchmark revision, "
        "not a flow)")
    rules = tmp_path / "uk.toml"
    rules.write_text(RULE)
    bt = CliRunner().invoke(app, ["backtest", "--db", str(real_db), "--rules", str(rules),
                                  "--start", "2010-01-04", "--end", "2010-12-31", "--json"])
    assert bt.exit_code == 0, bt.output
    fired = [f["fired"] for f in json.loads(bt.stdout)["firings"] if f["rule"] == "uk_sells"]
    assert not [d for d in fired if "2010-08" <= d <= "2010-09"], fired
