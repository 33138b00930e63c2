"""The block table's FROM, TO and NET rows on a hand-made table of two groups."""

from __future__ import annotations

import numpy as np
import pandas as pd

from spillwatch.analytics.connectedness._blocks import BlockConnectednessResult, block_table


def test_block_from_to_and_net_by_hand():
    """Rows receive, columns give. Crypto receives 20 + 10 + 10 + 0 = 40 from rates + dollar
    and gives 20 + 15 + 10 + 10 = 55 to it: crypto's FROM is 40, its TO 55, its NET (TO - FROM)
    +15, a net transmitter; the headline (what crypto receives on net) is 40 - 55 = -15."""
    theta = np.array([[60.0, 5.0, 20.0, 15.0],     # ust10y   (rates + dollar)
                      [10.0, 70.0, 10.0, 10.0],    # usd      (rates + dollar)
                      [20.0, 10.0, 50.0, 20.0],    # btc      (crypto)
                      [10.0, 0.0, 20.0, 70.0]])    # eth      (crypto)
    groups = {"rates_dollar": [0, 1], "crypto": [2, 3]}
    b = block_table(theta[None], groups)[0]
    # B_ab sums rows in a, columns in b
    np.testing.assert_allclose(b, [[145.0, 55.0], [40.0, 160.0]])
    res = BlockConnectednessResult(groups={"rates_dollar": ["ust10y_bp", "usd_pct"],
                                           "crypto": ["btc_pct", "eth_pct"]},
                                   theta=b[None], dates=None)
    t = res.table()
    assert t.loc["crypto", "FROM"] == 40.0 and t.loc["rates_dollar", "FROM"] == 55.0
    assert t.loc["TO", "crypto"] == 55.0 and t.loc["TO", "rates_dollar"] == 40.0
    assert t.loc["NET", "crypto"] == 55.0 - 40.0 and t.loc["NET", "rates_dollar"] == 40.0 - 55.0
    assert res.headline == 40.0 - 55.0
    assert pd.isna(t.loc["NET", "FROM"])


def test_a_rolling_block_table_reads_its_last_complete_window():
    """The latest block table is the last window with every cell estimated (a last window that
    failed, all NaN, is skipped, not shown as a table of blanks)."""
    good = np.array([[150.0, 50.0], [30.0, 170.0]])
    theta = np.stack([good + 1.0, good, np.full((2, 2), np.nan)])
    dates = pd.bdate_range("2025-04-07", periods=3)
    res = BlockConnectednessResult(groups={"rates_dollar": ["ust10y_bp"], "crypto": ["btc_pct"]},
                                   theta=theta, dates=dates)
    t = res.table()
    assert t.loc["crypto", "rates_dollar"] == 30.0 and t.loc["NET", "crypto"] == 20.0
    assert res.table(at="2025-04-07").loc["crypto", "rates_dollar"] == 31.0
