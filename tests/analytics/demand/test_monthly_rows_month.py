"""The demand table's monthly rows (SAFE reserves, TIC holdings) say which month they are of."""

from __future__ import annotations

import pandas as pd
import pytest

pytestmark = pytest.mark.realdata


def test_tic_and_safe_rows_say_which_month_they_are(demand_result, shared_data):
    """On 2016-01-08 the table read "TIC Japan holdings, 1-month change -27.90" and "China
    reserves, 1-month change -107.92" beside the week's custody with nothing to say they were
    October's and December's (TIC publishes about seven weeks after the month, SAFE about a
    week): a desk read a two-month-old TIC change as the latest month."""
    tic = pd.read_csv(shared_data / "tic" / "major_foreign_holders.csv", index_col="date",
                      parse_dates=True)
    safe = pd.read_csv(shared_data / "holdings" / "china_fx_reserves_safe.csv",
                       index_col="date", parse_dates=True)["cn_fx_reserves_usd100m"] / 10.0
    table = demand_result.signals_table("2016-01-08")
    row = table.loc["tic_japan_chg1_usd_bn"]
    assert row["signal"] == "TIC Japan holdings, 1-month change (2015-10)"
    assert row["value"] == pytest.approx(tic.loc["2015-10-31", "japan_usd_bn"]
                                         - tic.loc["2015-09-30", "japan_usd_bn"])   # -27.9
    assert table.loc["tic_china_mainland_usd_bn", "signal"] == "TIC holdings: China (2015-10)"
    row = table.loc["china_reserves_chg1_usd_bn"]
    assert row["signal"] == "China reserves, 1-month change (2015-12)"
    assert row["value"] == pytest.approx(safe["2015-12-31"] - safe["2015-11-30"])  # -107.92
    # the weekly rows say their week (custody's Wednesday of the H.4.1 out on Thursday 01-07)
    assert table.loc["custody_chg4_usd_bn", "signal"] == "custody, 4-week change (to 2016-01-06)"
    # a month later both have moved on: November's TIC (out 2016-01-19), January's SAFE
    later = demand_result.signals_table("2016-02-10")
    assert later.loc["tic_japan_chg1_usd_bn", "signal"].endswith("(2015-11)")
    assert later.loc["china_reserves_usd_bn", "signal"].endswith("(2016-01)")
