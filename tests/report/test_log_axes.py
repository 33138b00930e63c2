"""Log axes are labelled in plain 1-2-5 numbers (not plotly's leading-digit minor labels)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from spillwatch.plotting.market import crypto


def test_the_crypto_card_reads_a_fall_to_13_8_as_13_8():
    # TRUMP from 36.5 to 5.05 rebased to 100 ends at 13.8: plotly's own log ticks over this
    # range read "100, 9, 8, ... 2" (meaning 90 ... 20), so the line seemed to end near 2
    idx = pd.date_range("2025-01-20", "2025-12-31")
    levels = pd.DataFrame({"btc_usd": np.linspace(100_000, 90_000, len(idx)),
                           "trump_usd": np.geomspace(36.5, 5.05, len(idx))}, index=idx)
    fig = crypto(levels)
    axis = fig.layout.yaxis
    assert list(axis.tickvals) == [10.0, 20.0, 50.0, 100.0]
    assert list(axis.ticktext) == ["10", "20", "50", "100"]
    assert "on 2025-12-31" in fig.data[1].name      # the last price says its date
    assert "Crypto: BTC and TRUMP" in fig.layout.title.text   # the coins it draws
    # a report of 2022 (no TRUMP yet) was titled "BTC, ETH and TRUMP"
    early = crypto(levels.assign(eth_usd=2000.0, trump_usd=np.nan))
    assert "Crypto: BTC and ETH" in early.layout.title.text
    none = crypto(pd.DataFrame({"btc_usd": [np.nan]}, index=idx[:1]))
    assert "Crypto (no coin in the data)" in none.layout.title.text


def test_the_latest_curve_is_the_last_day_most_tenors_printed():
    # one 10-year close imported ahead of the Treasury curve drew "the latest curve" as a
    # single point, and the full curve of the day before was gone from the chart
    from spillwatch.plotting.market import curve_snapshots, yield_curve

    days = pd.bdate_range("2026-06-01", "2026-07-22")
    cols = ["ust2y_pct", "ust5y_pct", "ust10y_pct", "ust30y_pct"]
    levels = pd.DataFrame(np.tile([3.8, 4.0, 4.4, 5.0], (len(days), 1)), index=days,
                          columns=cols)
    levels.loc[pd.Timestamp("2026-07-23")] = [np.nan, np.nan, 4.7, np.nan]
    snaps = curve_snapshots(levels)
    assert snaps.columns[0] == "2026-07-22 (latest)"
    assert snaps.iloc[:, 0].notna().sum() == 4
    assert snaps.columns[1] == "2026-07-15 (one week ago)"
    fig = yield_curve(levels)
    assert [len(t.x) for t in fig.data] == [4, 4, 4]


def test_a_fall_to_31_has_a_tick_near_the_lines_end():
    """BTC and ETH rebased to 100 a year before 2022-10-21 end near 31: the axis read 50 and
    100 only, with no tick under the lines' last third (h_dash2)."""
    idx = pd.date_range("2021-10-21", "2022-10-21")
    levels = pd.DataFrame({"btc_usd": np.geomspace(60_000, 19_000, len(idx)),
                           "eth_usd": np.geomspace(4_000, 1_300, len(idx))}, index=idx)
    axis = crypto(levels).layout.yaxis
    assert list(axis.tickvals) == [40.0, 50.0, 100.0]
    assert min(axis.tickvals) <= 1.3 * min(min(tr.y) for tr in crypto(levels).data)
