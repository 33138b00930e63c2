"""The hedged pick-up's 20-day change, priced off today's sources, moves with the hedge cost.

A surviving mutant (h_mut2, HP01: ``pick = spread - (u - y)`` -> ``spread - u``) dropped the
yen short rate from the change priced off the sources: a BoJ hike (TONA +25 bp) no longer cut
the pick-up's 20-day change. The tests held every short rate constant, so the rate cancelled
in the difference either way.
"""
import numpy as np
import pandas as pd
import pytest

from spillwatch.analytics.demand.hedging import first_fresh, hedged_pickup


def test_a_yen_rate_hike_without_a_source_switch_moves_the_change_by_its_size():
    idx = pd.bdate_range("2025-04-01", periods=45)
    ust = pd.Series(np.linspace(4.2, 4.4, 45), index=idx)
    jgb = pd.Series(1.3, index=idx)
    bill = pd.Series(np.linspace(4.30, 4.20, 45), index=idx)
    oecd = pd.Series(0.82, index=idx).where(idx < idx[5])      # stale early: TONA from day 5
    tona = pd.Series(0.25, index=idx).where(idx < idx[30], 0.50)  # +25 bp on day 30
    usd, usd_src = first_fresh(bill, None)
    jpy, jpy_src = first_fresh(oecd, tona)
    h = hedged_pickup(ust, jgb, usd, jpy, usd_candidates=(bill, None),
                      jpy_candidates=(oecd, tona), usd_source=usd_src, jpy_source=jpy_src)
    t, s = 40, 20                                               # both ends priced off TONA
    by_hand = 100.0 * ((ust.iloc[t] - jgb.iloc[t] - (bill.iloc[t] - tona.iloc[t]))
                       - (ust.iloc[s] - jgb.iloc[s] - (bill.iloc[s] - tona.iloc[s])))
    assert h["hedged_pickup_chg20_bp"].iloc[t] == pytest.approx(by_hand, abs=1e-9)
    assert by_hand == pytest.approx(100.0 * (0.3 * 20 / 44 + 0.25), abs=1e-9)   # hike in
    # no switch between the ends: the same as the plain difference
    assert h["hedged_pickup_chg20_bp"].iloc[t] == pytest.approx(
        100.0 * (h["hedged_pickup_pct"].iloc[t] - h["hedged_pickup_pct"].iloc[s]), abs=1e-9)
