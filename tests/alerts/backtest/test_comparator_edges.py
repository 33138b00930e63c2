"""The official indices' signal and what the scorecard reads of them on an evening: edges."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spillwatch.service.backtest import Comparator, threshold_signal


def test_a_value_at_its_trailing_p90_is_not_above_it():
    """The official index signals when it is *above* its trailing-year 90th percentile: a
    value equal to it (a flat index, or a tie at the quantile) is not a signal. With ``>=`` a
    flat STLFSI4 was "on" every day after its burn-in."""
    idx = pd.bdate_range("2020-01-01", periods=400)
    flat = threshold_signal(pd.Series(1.0, index=idx))
    read = flat["signal"].dropna()
    assert len(read) > 200 and (read == 0.0).all()
    assert (flat["threshold"].dropna() == 1.0).all()
    # a step: 90% of the trailing year at 0 and 10% at 2; the p90 of that window, by hand
    s = pd.Series(0.0, index=idx)
    s.iloc[-40:] = 2.0
    got = threshold_signal(s)
    past = s[(s.index < idx[-1]) & (s.index >= idx[-1] - pd.Timedelta(days=365))]
    want = float(np.quantile(past.to_numpy(), 0.9))
    assert got["threshold"].iloc[-1] == want
    assert got["signal"].iloc[-1] == (1.0 if want < 2.0 else 0.0)


def _weekly(released_after: list[int]) -> Comparator:
    fri = pd.date_range("2024-01-05", periods=len(released_after), freq="W-FRI")
    obs = pd.DataFrame({"value": np.arange(float(len(fri))), "threshold": 0.5,
                        "signal": (np.arange(float(len(fri))) > 0.5).astype(float)}, index=fri)
    obs["released"] = fri + pd.to_timedelta(released_after, unit="D")
    return Comparator("x", "X", "fred:X", obs, 16)


def test_a_week_released_early_waits_for_the_late_week_before_it():
    """An observation is read once it *and every earlier one* were released: the week of
    01-12 out late (01-22) holds back the week of 01-19 released early (01-20), so on 01-20
    and 01-21 the index shows the week of 01-05 (value 0), not the 01-19 week read past the
    gap; from 01-22 both are out and it shows the 01-19 week (value 2)."""
    c = _weekly([6, 10, 1])          # 01-05 on 01-11, 01-12 on 01-22, 01-19 on 01-20
    got = c.on(pd.DatetimeIndex(["2024-01-19", "2024-01-20", "2024-01-21", "2024-01-22"]))
    assert got["value"].tolist() == [0.0, 0.0, 0.0, 2.0]
    assert (got["observed"].iloc[:3] == pd.Timestamp("2024-01-05")).all()


def test_a_reading_is_fresh_through_its_last_day():
    """A comparator's reading is fresh while its age is within the limit (16 days for the
    weekly STLFSI4), inclusive: the 01-05 week read on 01-21 (16 days) is shown, on 01-22
    (17 days) it is stale (NaN), when no later week has been released."""
    c = _weekly([6, 60])             # the second week is released far later
    got = c.on(pd.DatetimeIndex(["2024-01-21", "2024-01-22"]))
    assert got["value"].iloc[0] == 0.0 and got["observed"].iloc[0] == pd.Timestamp("2024-01-05")
    assert np.isnan(got["value"].iloc[1]) and pd.isna(got["observed"].iloc[1])


def _by_hand(v: np.ndarray, half_life: float) -> float:
    """The last value's age-weighted ECDF, by a plain sum of weights 2^(k/h)."""
    w = 2.0 ** (np.arange(len(v)) / half_life)
    return 100.0 * w[v <= v[-1]].sum() / w.sum()


def test_an_official_index_s_percentile_keeps_the_index_s_clock():
    """``own_percentile`` turns the index's half-life (500 business days) and burn-in (250)
    into the series' own observations, never more than one per business day: a business-day
    series (the OFR FSI, the CISS) ranks from its 250th value with a half-life of 500
    observations; a weekly one (STLFSI4) from its 52nd with 500·52.18/252 ≈ 103.5."""
    from spillwatch.service.backtest import own_percentile

    rng = np.random.default_rng(2)
    daily = pd.Series(rng.standard_normal(300).cumsum(),
                      index=pd.bdate_range("2020-01-01", periods=300))
    got = own_percentile(daily)
    assert got.first_valid_index() == daily.index[249]
    assert got.iloc[-1] == pytest.approx(_by_hand(daily.to_numpy(), 500.0), rel=1e-9)
    weekly = pd.Series(rng.standard_normal(120).cumsum(),
                       index=pd.date_range("2015-01-02", periods=120, freq="W-FRI"))
    gotw = own_percentile(weekly)
    assert gotw.first_valid_index() == weekly.index[51]
    h = 500.0 * (365.25 / 7.0) / 252.0
    assert gotw.iloc[-1] == pytest.approx(_by_hand(weekly.to_numpy(), h), rel=1e-9)


def test_headline_counts_ties_as_neither_earlier_nor_later():
    """The headline's "earlier in N, later in M" and its sign test leave out the episodes where
    spillwatch and the official index alerted the same day (a lead of 0), and the lead over
    the episodes both alerted by the peak is the median over those alone."""
    from types import SimpleNamespace

    from scipy.stats import binomtest

    from spillwatch.alerts.backtest.scores import headline_figures

    versus = pd.DataFrame({
        "comparator": "stlfsi4",
        "lead_bdays": [3.0, 0.0, -2.0, 5.0, np.nan, 0.0],
        "lead_observed_bdays": [1.0, -2.0, -4.0, 3.0, np.nan, -2.0],
        "both_hit": [True, False, False, True, False, False]})
    h = headline_figures(SimpleNamespace(versus=versus), {})
    assert h["earlier_than_stlfsi4"] == 2 and h["later_than_stlfsi4"] == 1
    assert h["episodes_vs_stlfsi4"] == 5
    assert h["median_lead_vs_stlfsi4_bdays"] == 0.0                 # median of 3, 0, -2, 5, 0
    assert h["median_lead_vs_stlfsi4_observed_bdays"] == -2.0
    assert h["episodes_both_hit_vs_stlfsi4"] == 2
    assert h["median_lead_vs_stlfsi4_both_hit_bdays"] == 4.0        # median of 3, 5
    assert h["sign_test_p_vs_stlfsi4"] == pytest.approx(binomtest(2, 3, 0.5).pvalue)


def test_each_bootstrap_resample_has_as_many_days_as_the_replay():
    """The circular block bootstrap joins ceil(n / block) blocks and cuts them to n days: every
    resample counts n days (a replay of 1,000 days in blocks of 252 is 4 blocks cut to 1,000,
    not 3 blocks, 756 days), each block's days consecutive round the end."""
    from spillwatch.alerts.backtest.scores import block_weights

    for n, block in ((10, 3), (1000, 252), (7, 7), (5, 9)):
        w = block_weights(n, block=block, draws=50, seed=3)
        assert w.shape == (50, n)
        assert (w.sum(axis=1) == n).all()
