"""The backtest's firing summaries date the weekly and monthly facts as the monitor does."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app

pytestmark = pytest.mark.realdata

SUMMARY = ("custody {custody.chg_1w_usd_bn:+.1f} $bn in the week to "
           "{custody.chg_1w_usd_bn@date}; level {custody.level:,.0f} on {custody.level@date}; "
           "TIC Japan {tic_japan.chg_1m_usd_bn:+.1f} to {tic_japan.chg_1m_usd_bn@date}; "
           "as of {as_of}")
RULES = f"""
[[rule]]
name = "custody_weekly_20bn"
summary = "{SUMMARY}"
fact = "custody.chg_1w_usd_bn"
op = "<="
value = -20
"""


@pytest.mark.slow
def test_weekly_and_monthly_facts_carry_their_dates_in_the_backtest(real_db, tmp_path):
    """The replay put custody's and TIC's facts without their dates: the backtest's firing of
    2025-05-01 read "custody -26.6 $bn in the week to n/a; level 2,917 on n/a; TIC Japan
    +46.6 to n/a; as of n/a", where `alerts test --as-of 2025-05-01` (the monitor) reads the
    Wednesday 2025-04-30 (FRED WMTSECL1 2,916,875 after 2,943,493, in $ millions) and TIC's
    February."""
    rules = tmp_path / "r.toml"
    rules.write_text(RULES)
    bt = CliRunner().invoke(app, ["backtest", "--db", str(real_db), "--rules", str(rules),
                                  "--start", "2025-04-01", "--end", "2025-05-15", "--json"])
    assert bt.exit_code == 0, bt.output
    fired = {f["fired"]: f["summary"] for f in json.loads(bt.stdout)["firings"]}
    assert fired["2025-05-01"] == (
        "custody -26.6 $bn in the week to 2025-04-30; level 2,917 on 2025-04-30; TIC Japan "
        "+46.6 to 2025-02-28; as of 2025-04-30")
    res = CliRunner().invoke(app, ["alerts", "test", "--db", str(real_db), "--rules",
                                   str(rules), "--as-of", "2025-05-01", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["rows"][0]["summary"] == fired["2025-05-01"]
