"""The demand table's weekly rows and latest auctions say which week or auction they are of.

On the evening of 2025-04-10 the text table read "Japan: weekly net purchases of foreign bonds
-2,572.60" (MOF's week to Saturday 04-05, out on Thursday 04-10), "custody, 1-week change
3.60" (the H.4.1's Wednesday 04-09) and "latest 20-year auction, weakness score" of an auction
three weeks old, with nothing to say of when each was (only `--json` dated them), where every
monthly row names its month.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.service import demand as service
from spillwatch.service.workspace import Workspace

pytestmark = [pytest.mark.realdata, pytest.mark.slow]


def test_the_weekly_rows_and_auctions_of_2025_04_10_say_their_dates(real_db, shared_data):
    weekly = pd.read_csv(shared_data / "holdings" / "mof_weekly_intl_securities.csv",
                         index_col="date", parse_dates=True)
    auctions = pd.read_csv(shared_data / "auctions" / "ust_auctions_notes_bonds.csv",
                           parse_dates=["date"])
    by = auctions[auctions["date"] <= "2025-04-10"].groupby("tenor")
    last = by["date"].max()
    with Workspace(real_db, read_only=True) as ws:
        night = vintage_workspace(ws, dt.date(2025, 4, 10))
        table = service.demand(night, end="2025-04-10").signals_table()
    row = table.loc["japan_bond_net1_jpy_bn"]
    assert row["signal"] == ("Japan: weekly net purchases of foreign bonds "
                             "(week to 2025-04-05)")
    # MOF's long-term debt securities, net, in 100 million yen: -25,726
    assert row["value"] == pytest.approx(weekly.loc["2025-04-05", "assets_ltdebt_net_jpy100m"]
                                         / 10.0)
    assert table.loc["japan_bond_net4_jpy_bn", "signal"] == (
        "Japan: net foreign-bond purchases, 4 weeks (to 2025-04-05)")
    assert table.loc["custody_usd_bn", "signal"] == (
        "foreign official custody at the NY Fed (2025-04-09)")
    assert table.loc["custody_chg1_usd_bn", "signal"] == "custody, 1-week change (to 2025-04-09)"
    assert table.loc["custody_usd_bn", "value"] == pytest.approx(2932.857)
    # each tenor's latest auction by the evening: the 10-year of 04-09, the 20-year of 03-18
    assert last["10-Year"] == pd.Timestamp("2025-04-09")
    assert last["20-Year"] == pd.Timestamp("2025-03-18")
    assert table.loc["auction_10y_weakness", "signal"] == (
        "latest 10-year auction (2025-04-09), weakness score")
    assert table.loc["auction_20y_weakness", "signal"] == (
        "latest 20-year auction (2025-03-18), weakness score")
    # the rolling 28-day rows are of the evening itself
    assert table.loc["auction_weak_28d", "signal"] == "weak auctions in the last 28 days"
