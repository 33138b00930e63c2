"""Block connectedness: rates + dollar vs crypto (and user groupings)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conn_reference import simulate_var

import spillwatch as sw
from spillwatch.analytics.connectedness import default_groups
from spillwatch.exceptions import ConfigError

COLS = ["ust10y_bp", "usd_broad_pct", "gold_pct", "btc_pct", "eth_pct"]


@pytest.fixture
def frame(rng):
    y = simulate_var(rng, 400, 5, 1)
    return pd.DataFrame(y, index=pd.bdate_range("2019-01-01", periods=400, name="date"),
                        columns=COLS)


def test_default_groups_from_universe():
    assert default_groups([*COLS, "mystery"]) == {
        "rates_dollar": ["ust10y_bp", "usd_broad_pct"],
        "crypto": ["btc_pct", "eth_pct"],
        "other": ["gold_pct", "mystery"],
    }


def test_block_table_sums_members_and_headline_is_cross_npdc(frame):
    res = sw.connectedness(frame, lags=1)
    blocks = res.blocks()
    th = res.fevd
    rd, cr = ["ust10y_bp", "usd_broad_pct"], ["btc_pct", "eth_pct"]
    table = blocks.table()
    assert abs(table.loc["crypto", "rates_dollar"] - th.loc[cr, rd].to_numpy().sum()) < 1e-10
    assert abs(table.loc["rates_dollar", "crypto"] - th.loc[rd, cr].to_numpy().sum()) < 1e-10
    headline = sum(res.npdc.loc[c, r] for c in cr for r in rd)
    assert abs(blocks.headline - headline) < 1e-10
    # row sums of the block table: 100 per member
    assert abs(table.loc["crypto", ["rates_dollar", "crypto", "other"]].sum() - 200) < 1e-9
    assert abs(table.loc["NET", ["rates_dollar", "crypto", "other"]].sum()) < 1e-9


def test_rolling_headline_is_a_series(frame):
    roll = sw.connectedness(frame, lags=1, window=150)
    h = roll.blocks().headline
    assert isinstance(h, pd.Series)
    assert h.index.equals(roll.tci.index)
    pos = 77
    one = roll.at(roll.tci.index[pos]).blocks().headline
    assert abs(h.iloc[pos] - one) < 1e-10
    long = roll.blocks().to_frame()
    assert list(long.columns) == ["date", "from", "to", "value"]
    assert len(long) == len(h) * 9


def test_user_grouping_and_errors(frame):
    res = sw.connectedness(frame, lags=1)
    b = res.blocks({"safe": ["ust10y_bp", "gold_pct"], "risk": ["btc_pct", "eth_pct"]})
    assert b.names == ["safe", "risk", "other"]
    assert b.groups["other"] == ["usd_broad_pct"]
    assert isinstance(b.net_between("risk", "safe"), float)
    with pytest.raises(ConfigError, match="no block named 'crypto'"):
        _ = b.headline
    with pytest.raises(ConfigError, match="not in the data"):
        res.blocks({"a": ["nope"]})
    with pytest.raises(ConfigError, match="two blocks"):
        res.blocks({"a": ["btc_pct"], "b": ["btc_pct"]})
    with pytest.raises(ConfigError, match="empty"):
        res.blocks({"a": []})


def test_block_summary_and_dict(frame):
    import json

    b = sw.connectedness(frame, lags=1).blocks()
    assert "rates+dollar -> crypto" in str(b)
    d = b.to_dict()
    json.dumps(d)
    assert d["net_rates_dollar_to_crypto"] == pytest.approx(b.headline)
    assert np.isfinite(b.theta).all()


def test_a_block_table_before_the_first_window_is_refused_not_a_later_one(frame):
    # table(at=...) before the first window gave the first window's table, dated later: a
    # silent look-ahead in an as-of replay (roll.at() refused the same date)
    roll = sw.connectedness(frame, lags=1, window=150)
    blocks = roll.blocks()
    first = roll.tci.dropna().index[0]
    with pytest.raises(ConfigError, match=f"no window ends on or before 2018-12-31; the first "
                                          f"ends on {first.date()}"):
        blocks.table(at="2018-12-31")
    np.testing.assert_allclose(blocks.table(at=first).to_numpy(),
                               roll.at(first).blocks().table().to_numpy(), equal_nan=True)


def test_too_few_rows_for_the_error_covariance_say_so(frame):
    # 14 rows of a 5-variable VAR(2): 12 regression rows against 11 coefficients left one
    # residual degree of freedom, and the error blamed a constant or collinear column; with
    # 19 rows the library gave a TCI without a word
    from spillwatch.exceptions import DataError

    for rows in (14, 17):
        with pytest.raises(DataError, match=r"need at least 18 complete rows, got "):
            sw.connectedness(frame.iloc[:rows], lags=2)
    assert np.isfinite(sw.connectedness(frame.iloc[:18], lags=2).tci)
