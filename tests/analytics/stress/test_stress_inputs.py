"""Staleness of the monitor's inputs: states, carrying, and what a stale input does downstream."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spillwatch import universe
from spillwatch.analytics.stress import SIGNAL_COLUMNS, InputPanel, compute
from spillwatch.analytics.stress.inputs import input_info
from spillwatch.analytics.stress.signals import SIGNAL_INPUTS
from spillwatch.timing import timing_of


def _market(rng, n=500, stop_dollar=None):
    idx = pd.bdate_range("2021-01-01", periods=n, name="date")
    ch = pd.DataFrame({"ust10y_bp": rng.normal(0, 5, n), "ust2y_bp": rng.normal(0, 6, n),
                       "usd_broad_pct": rng.normal(0, .3, n), "spx_pct": rng.normal(0, 1, n)},
                      index=idx)
    if stop_dollar is not None:
        ch.loc[idx[stop_dollar]:, "usd_broad_pct"] = np.nan
    return ch


def test_limits_come_from_the_timing_table():
    for key in ("ust10y", "usd_broad", "btc", "custody", "spx"):
        a = universe.ASSETS[key]
        assert input_info(key).stale_after_days == timing_of(a.sources[0]).stale_after_days
    assert input_info("usd_broad").stale_after_days == 13      # H.10, released weekly
    assert input_info("btc").stale_after_days == 3             # trades every day


def test_states_and_last_observed(rng):
    ch = _market(rng, 60, stop_dollar=30)
    panel = InputPanel(ch)
    states = panel.states()
    last = ch.index[29]
    days = (ch.index - last).days
    dollar = states["usd_broad"].astype(str)
    assert (dollar[days <= 13] == "fresh").all() and (dollar[days > 13] == "stale").all()
    assert (states["vix"].astype(str) == "missing").all()      # not in the panel
    lo = panel.last_observed_frame()["usd_broad"]
    assert (lo.iloc[30:] == last).all()


def test_carry_keeps_the_last_value_while_every_input_is_fresh(rng):
    ch = _market(rng, 60)
    panel = InputPanel(ch, stale_after={"ust2y": 2})
    dates = ch.index[::6][:10]
    s = pd.Series(np.arange(10.0), index=dates)
    got = panel.carry(s, ("ust10y",))
    exp = []
    for t in ch.index:
        before = dates[dates <= t]
        exp.append(s[before[-1]] if (t - before[-1]).days <= 6 else np.nan)
    np.testing.assert_array_equal(got.to_numpy(), np.array(exp))
    assert got.isna().any() and got.notna().any()
    # an input past its own limit (the 2-year silent for over 2 days) blanks the joint value
    ch.loc[ch.index[30:40], "ust2y_bp"] = np.nan
    panel = InputPanel(ch, stale_after={"ust2y": 2})
    both = panel.carry(s, ("ust10y", "ust2y"))
    assert both.notna().sum() < got.notna().sum()
    assert (both.notna() <= got.notna()).all()
    stale = ~panel.fresh("ust2y")
    assert stale.any() and both[stale].isna().all()
    np.testing.assert_array_equal(both[~stale].to_numpy(), got[~stale].to_numpy())


def test_a_joint_value_is_as_old_as_its_laggiest_input_allows(rng):
    """The 10-year's correlation with the H.10 dollar ends on the dollar's last print, a week
    old every Friday: fresh by the dollar's 13 days, it was blanked by the 10-year's 6 (the
    'sell America' correlation left the signals table on 51 Fridays of 2024)."""
    ch = _market(rng, 60)
    ch.loc[ch.index[-5]:, "usd_broad_pct"] = np.nan       # the dollar a week behind
    panel = InputPanel(ch)
    joint = ch.dropna().index
    s = pd.Series(np.arange(float(len(joint))), index=joint)
    got = panel.carry(s, ("ust10y", "usd_broad"))
    last = ch.index[-1]
    assert (last - joint[-1]).days == 7                   # older than the 10-year's 6 days
    assert panel.fresh("ust10y")[-1] and panel.fresh("usd_broad")[-1]
    assert got.iloc[-1] == s.iloc[-1]
    # once the dollar is past its own 13 days, nothing is carried
    ch.loc[ch.index[-12]:, "usd_broad_pct"] = np.nan
    panel = InputPanel(ch)
    joint = ch.dropna().index
    late = panel.carry(pd.Series(1.0, index=joint), ("ust10y", "usd_broad"))
    assert not panel.fresh("usd_broad")[-1] and np.isnan(late.iloc[-1])


def test_a_stale_input_leaves_its_signals_and_sub_index_and_stops_publication(rng):
    ch = _market(rng, 500, stop_dollar=450)
    res = compute(ch, burn_in=60)
    f, states = res.frame, res.availability
    stale = (states["usd_broad"] == "stale").to_numpy()
    assert stale[455:].any() and not stale[:450].any()
    for col in SIGNAL_COLUMNS:
        if "usd_broad" in SIGNAL_INPUTS[col]:
            assert f[col][stale].isna().all(), col
    assert f["dollar"][stale].isna().all()
    assert f["stress"][stale].isna().all()                     # dollar is required
    assert f["stress"].iloc[300:450].notna().all()
    assert f["stale_inputs"][stale].str.contains("usd_broad").all()
    # while the dollar is fresh but has not reported, the day's signature is unavailable
    quiet = (~stale) & f.index.isin(f.index[450:])
    assert (f["signature"][quiet] == "unavailable").all()
    last = res.latest()
    assert last["date"] == f["stress"].last_valid_index().date().isoformat()
    assert "usd_broad" in last["stale"]
    assert last["inputs"]["usd_broad"]["last"] == f.index[449].date().isoformat()
    # rule facts: the reading is too old for the anchor's limit, so nothing is available
    assert set(res.fact_states().values()) == {"stale"}
    at = res.fact_states(f.index[455])
    assert at["stress"] == "available" and at["usd_broad_z5"] == "available"


def test_optional_segment_drops_out_and_weights_renormalise(rng):
    ch = _market(rng, 500)
    ch["btc_pct"] = rng.standard_t(3, 500) * 3
    ch.loc[ch.index[470]:, "btc_pct"] = np.nan
    res = compute(ch, burn_in=60, weights=(0.3, 0.15, 0.45, 0.0, 0.1))
    f = res.frame
    assert f["crypto"].iloc[480:].isna().all() and f["stress"].iloc[480:].notna().all()
    contrib = res.contributions().iloc[480:]
    assert contrib["crypto"].isna().all()
    np.testing.assert_allclose(contrib.sum(axis=1), f["stress"].iloc[480:], atol=1e-12)


@pytest.mark.parametrize("gap_rows", [1, 3])
def test_no_move_is_invented_across_a_gap(rng, gap_rows):
    ch = _market(rng, 300)
    ch.iloc[200:200 + gap_rows, 0] = np.nan             # the 10y misses days
    f = compute(ch, burn_in=60).frame
    # on the missing days the last observed reading stands (within the limit), unchanged
    gap = f["ust10y_chg5_bp"].iloc[200:200 + gap_rows]
    assert (gap == f["ust10y_chg5_bp"].iloc[199]).all()
    assert f["stress"].iloc[200:200 + gap_rows].isna().all()     # no 10y print: not published
    # the first day back sums the five last observed changes, no zero for the missing days
    back = 200 + gap_rows
    seen = ch["ust10y_bp"].iloc[: back + 1].dropna()
    assert f["ust10y_chg5_bp"].iloc[back] == pytest.approx(seen.iloc[-5:].sum(), abs=1e-12)


def test_treasury_par_curve_fills_the_days_fred_has_not_published(rng):
    """FRED publishes H.15 yields the next business day, the Treasury its par curve the same
    evening: on the day FRED lags, the monitor reads the par curve (spliced, FRED first)."""
    from spillwatch.analytics.stress import load_inputs
    from spillwatch.store import Store

    idx = pd.bdate_range("2024-01-01", periods=320)
    y = 4.0 + np.cumsum(rng.normal(0, 0.05, len(idx)))
    usd = 120 * np.exp(np.cumsum(rng.normal(0, 0.003, len(idx))))
    rows = [pd.DataFrame({"series_id": "fred:DGS10", "ts": idx[:-1], "value": y[:-1]}),
            pd.DataFrame({"series_id": "treasury:yield_10y_pct", "ts": idx,
                          "value": np.r_[y[:-1] + 0.5, y[-1]]}),   # FRED wins where both
            pd.DataFrame({"series_id": "fred:DTWEXBGS", "ts": idx, "value": usd}),
            pd.DataFrame({"series_id": "fred:SP500", "ts": idx, "value": 5000.0 + idx.day})]
    with Store() as store:
        store.upsert(pd.concat(rows, ignore_index=True))
        changes, levels = load_inputs(store)
    assert levels["ust10y_pct"].iloc[-1] == pytest.approx(y[-1])
    assert levels["ust10y_pct"].iloc[-2] == pytest.approx(y[-2])
    assert changes["ust10y_bp"].iloc[-1] == pytest.approx(100 * (y[-1] - y[-2]))
    res = compute(changes, levels, burn_in=60)
    assert res.latest()["date"] == idx[-1].date().isoformat()
    assert res.frame["signature"].iloc[-1] != "unavailable"
