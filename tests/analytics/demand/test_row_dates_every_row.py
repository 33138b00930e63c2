"""Every report, weekly and auction row of the demand table is dated, and none before its source.

Session 56 dated MOF's report rows, the weekly rows and each tenor's latest auction; its tests
read the dollars-sold rows, the 10- and 20-year auctions and an evening when every source was
out (h_mut23: a label that left the yen-buying row or the 2-, 3-, 5- and 7-year auctions
undated, or that formatted a source not yet published, passed them).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.analytics.demand._results import SIGNAL_LABELS
from spillwatch.service import demand as service
from spillwatch.service.workspace import Workspace

pytestmark = [pytest.mark.realdata, pytest.mark.slow]


def _table(real_db, day: str) -> pd.DataFrame:
    with Workspace(real_db, read_only=True) as ws:
        night = vintage_workspace(ws, dt.date.fromisoformat(day))
        return service.demand(night, end=day).signals_table()


def _interventions(shared_data) -> pd.DataFrame:
    raw = pd.read_csv(shared_data / "holdings" / "mof_fx_intervention_daily.csv",
                      parse_dates=["date"])
    return raw[raw["direction"] == "sell_USD_buy_JPY"]


def test_the_yen_buying_row_and_every_tenor_s_auction_are_dated(real_db, shared_data):
    """2024-05-31, MOF's report of May 2024: the operations of 04-29 (¥5,918.5bn, settled
    05-01) and 05-01 (¥3,870.0bn); the 2- and 5-year auctions of 05-28, the 7-year of 05-29."""
    table = _table(real_db, "2024-05-31")
    ops = _interventions(shared_data)
    may = ops.loc[ops["date"].between("2024-04-29", "2024-05-01"), "amount_jpy_bn"].sum()
    assert may == pytest.approx(9788.5)
    row = table.loc["intervention_yen_buying_jpy_bn"]
    assert row["signal"] == "MOF latest report (2024-05): yen-buying interventions"
    assert row["value"] == pytest.approx(may)
    auctions = pd.read_csv(shared_data / "auctions" / "ust_auctions_notes_bonds.csv",
                           parse_dates=["date"])
    last = auctions[auctions["date"] <= "2024-05-31"].groupby("tenor")["date"].max()
    assert last["5-Year"] == pd.Timestamp("2024-05-28")
    for years in (2, 3, 5, 7, 10, 20, 30):
        assert table.loc[f"auction_{years}y_weakness", "signal"] == (
            f"latest {years}-year auction ({last[f'{years}-Year']:%Y-%m-%d}), weakness score")


def test_sources_not_yet_published_leave_their_rows_undated(real_db, shared_data):
    """1998-06-17, the day of the joint yen-buying operation: MOF's report of May (none that
    month; April's held 04-09's ¥195.7bn and 04-10's ¥2,620.1bn), and no custody record, MOF
    weekly flows or auction results yet (their rows keep their plain labels)."""
    table = _table(real_db, "1998-06-17")
    assert table.loc["intervention_yen_buying_jpy_bn", "signal"] == (
        "MOF latest report (1998-05): yen-buying interventions")
    assert table.loc["intervention_yen_buying_jpy_bn", "value"] == 0.0
    ops = _interventions(shared_data)
    april = ops.loc[ops["date"].dt.to_period("M") == pd.Period("1998-04"), "amount_jpy_bn"]
    two = table.loc["intervention_usd_sold_2m_jpy_bn"]
    assert two["signal"] == "MOF last two reports (1998-04 and 1998-05): dollars sold"
    assert two["value"] == pytest.approx(april.sum()) == pytest.approx(2815.8)
    for col in ("custody_usd_bn", "custody_chg4_usd_bn", "japan_bond_net1_jpy_bn",
                "japan_bond_net4_z", "auction_10y_weakness", "auction_2y_weakness"):
        assert table.loc[col, "signal"] == SIGNAL_LABELS[col][0], col
        assert pd.isna(table.loc[col, "value"]), col


def test_the_report_rows_are_undated_before_mof_s_first_report(real_db):
    """1991-05-15: MOF's first operation was 05-13, its first monthly report out on 05-31."""
    table = _table(real_db, "1991-05-15")
    for col in ("intervention_usd_sold_jpy_bn", "intervention_yen_buying_jpy_bn",
                "intervention_usd_sold_2m_jpy_bn", "intervention_usd_sold_usd_bn"):
        assert table.loc[col, "signal"] == SIGNAL_LABELS[col][0], col
        assert pd.isna(table.loc[col, "value"]), col
