"""The stress signals' own windows: how much of a window must be present, and what is scaled."""

from __future__ import annotations

import numpy as np
import pandas as pd

from spillwatch.analytics.stress.signals import realised_vol


def test_realised_vol_needs_two_thirds_of_its_window():
    """The 21-day realised volatility needs 14 of its 21 changes (two thirds): with 13 present
    it is unknown, not a volatility of 13 changes annualised as a month's; with 14 it is
    sqrt(252) times their sample standard deviation."""
    rng = np.random.default_rng(7)
    x = pd.Series(rng.normal(0.0, 1.0, 21))
    thirteen = x.copy()
    thirteen.iloc[:8] = np.nan
    assert np.isnan(realised_vol(thirteen, 21).iloc[-1])
    fourteen = x.copy()
    fourteen.iloc[:7] = np.nan
    want = np.std(x.iloc[7:].to_numpy(), ddof=1) * np.sqrt(252.0)
    assert np.isclose(realised_vol(fourteen, 21).iloc[-1], want, rtol=1e-12)


def _panel(n: int = 30, **cols: np.ndarray):
    idx = pd.bdate_range("2024-01-01", periods=n, name="date")
    return pd.DataFrame(cols, index=idx)


def test_curve_changes_are_long_minus_short():
    """``curve_2s10s_chg5_bp`` is the 5-day change of 10y − 2y and ``curve_10s30s_chg5_bp`` of
    30y − 10y: a steepening (the 10-year up 5 bp a day, the 2-year up 1 bp) is +20 bp over
    five days, not −20 bp (a flattening)."""
    from spillwatch.analytics.stress.signals import compute_signals

    n = 30
    ch = _panel(n, ust2y_bp=np.full(n, 1.0), ust10y_bp=np.full(n, 5.0),
                ust30y_bp=np.full(n, 2.0))
    sig = compute_signals(ch)
    assert sig["curve_2s10s_chg5_bp"].iloc[-1] == 5 * (5.0 - 1.0)
    assert sig["curve_10s30s_chg5_bp"].iloc[-1] == 5 * (2.0 - 5.0)


def test_yield_dollar_correlation_needs_half_its_window():
    """The 60-day yield–dollar correlation is read from 30 joint days on (half the window):
    on 40 days of data it is their Pearson correlation, not unknown until day 60."""
    from spillwatch.analytics.stress.signals import rolling_corr

    rng = np.random.default_rng(3)
    x = pd.Series(rng.normal(size=40))
    y = pd.Series(0.5 * x.to_numpy() + rng.normal(size=40))
    got = rolling_corr(x, y, 60)
    assert np.isnan(got.iloc[28])
    assert np.isclose(got.iloc[29], np.corrcoef(x.iloc[:30], y.iloc[:30])[0, 1], rtol=1e-10)
    assert np.isclose(got.iloc[-1], np.corrcoef(x, y)[0, 1], rtol=1e-10)


def test_custody_change_pct_is_of_the_week_before():
    """``custody_chg_pct`` is the week's change over the level before it: custody at $1,000bn
    then $1,010bn is +1.00%, not 10 / 1,010 = +0.990% (the change over the new level)."""
    from spillwatch.analytics.stress.signals import compute_signals

    idx = pd.bdate_range("2024-01-01", periods=15, name="date")
    ch = pd.DataFrame({"ust10y_bp": 1.0, "custody_chg_usd_bn": np.nan}, index=idx)
    lv = pd.DataFrame({"ust10y_pct": 4.0, "custody_usd_bn": np.nan}, index=idx)
    wed = idx[idx.day_of_week == 2]
    lv.loc[wed[0], "custody_usd_bn"] = 1000.0
    lv.loc[wed[1], "custody_usd_bn"] = 1010.0
    ch.loc[wed[1], "custody_chg_usd_bn"] = 10.0
    sig = compute_signals(ch, lv)
    assert sig.loc[wed[1], "custody_chg_usd_bn"] == 10.0
    assert np.isclose(sig.loc[wed[1], "custody_chg_pct"], 1.0, rtol=1e-12)


def test_drawdown_from_changes_reads_them_as_percent():
    """Without levels the S&P 500's drawdown is rebuilt from its daily log changes in percent:
    +10% then −10% is a drawdown of 100·(1 − e^{−0.1}) = 9.52%, not (read as log points)
    100·(1 − e^{−10}) ≈ 100%."""
    from spillwatch.analytics.stress.inputs import input_info
    from spillwatch.analytics.stress.signals import compute_signals

    col = input_info("spx").change_column
    idx = pd.bdate_range("2024-01-01", periods=10, name="date")
    r = np.zeros(10)
    r[7], r[8] = 10.0, -10.0
    ch = pd.DataFrame({"ust10y_bp": 1.0, col: r}, index=idx)
    sig = compute_signals(ch)
    assert np.isclose(sig["spx_drawdown_pct"].iloc[8], 100.0 * (1.0 - np.exp(-0.1)), rtol=1e-12)


def test_crypto_drawdown_is_from_the_three_month_high():
    """The index's crypto drawdowns (``compute_own_signals``' defaults, as ``StressIndex`` calls
    it) run from the trailing 63-observation high: bitcoin at 200, then 100 for 99 days and 90
    is 10% down from the three months' high of 100, not 55% from the 200 of 100 days ago."""
    from spillwatch.analytics.stress.inputs import InputPanel
    from spillwatch.analytics.stress.signals import compute_own_signals

    idx = pd.bdate_range("2024-01-01", periods=101, name="date")
    px = np.full(101, 100.0)
    px[0], px[-1] = 200.0, 90.0
    ch = pd.DataFrame({"ust10y_bp": 1.0, "btc_pct": 100.0 * np.r_[np.nan, np.diff(np.log(px))]},
                      index=idx)
    lv = pd.DataFrame({"ust10y_pct": 4.0, "btc_usd": px}, index=idx)
    own = compute_own_signals(InputPanel(ch, lv))
    assert np.isclose(own.values["btc_drawdown_pct"].iloc[-1], 10.0, rtol=1e-12)


def test_vol5_is_the_mean_of_absolute_moves():
    """``*_vol5_*`` is the mean absolute daily change over 5 observations (Holló, Kremer & Lo
    Duca 2012): a 10-year swinging +3, −3, +3, −3, +3 bp has a vol5 of 3.0 bp, not the
    absolute mean move of 0.6 bp."""
    from spillwatch.analytics.stress.signals import mean_abs_change

    x = pd.Series([3.0, -3.0, 3.0, -3.0, 3.0])
    assert mean_abs_change(x, 5).iloc[-1] == 3.0
    assert mean_abs_change(x.iloc[:3], 5).iloc[-1] == 3.0      # 3 of 5 present: read
    assert np.isnan(mean_abs_change(x.iloc[:2], 5).iloc[-1])   # 2 of 5: not yet
