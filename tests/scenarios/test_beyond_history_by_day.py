"""The 10-year target's "beyond history" warning reads each day against as many days of history.

It compared the target's peak with the largest rise over the whole horizon: the peak comes when
the sale ends, and the largest rise grows with the window, so a longer horizon hid the warning
for the same path (japan:200e9:4w as of 2016-12-30: +90 bp by day 20, the sample's largest
20-day rise 66 bp; flagged at the default 40 days, 86 bp, not at --horizon 60, 104 bp), and a
one-day sale of $100bn (+45 bp on day 1, the largest one-day rise 29 bp as of 2025-06-30) was
never flagged.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from spillwatch.scenarios import SelloffScenario, fit_market
from spillwatch.scenarios._format import beyond_history
from spillwatch.scenarios.selloff import parse_seller

_SAID = re.compile(r"over (\d+) business days? in its own data of the fit \(\+(\d+) bp")


@pytest.fixture(scope="module")
def market(panel):
    return fit_market(panel)


def _sale(market, days_to_peak: int, low: float, high: float) -> str:
    """A sale over ``days_to_peak`` business days whose 10-year target peaks midway between
    ``low`` and ``high`` bp (the literature's median: 0.9 x 50 bp per $100bn)."""
    usd = (low + high) / 2 / 45.0 * 100e9
    return f"japan:{usd / 1e9:.3f}bn:{days_to_peak / 5:g}w"


def test_rises_over_each_window_are_moves_over_s():
    from spillwatch.scenarios._market import moves_over, rises_over

    level = pd.Series(np.concatenate([[0.0], np.cumsum(np.random.default_rng(3).normal(0, 5,
                                                                                       300))]))
    got = rises_over(level, 40)
    assert got == pytest.approx([moves_over(level, t)[1] for t in range(1, 41)])
    assert np.all(np.diff(got) >= 0)


@pytest.mark.realdata
def test_a_longer_horizon_does_not_hide_a_target_beyond_history(market):
    r20, r120 = (market.largest_moves("ust10y", w)[1] for w in (20, 120))
    assert r20 < r120
    seller = parse_seller(_sale(market, 20, r20, min(r120, 1.3 * r20)))
    said = set()
    for horizon in (40, 60, 120):
        res = SelloffScenario((seller,)).simulate(market, paths=300, seed=1, horizon=horizon)
        warn = beyond_history(res)
        assert warn is not None, horizon          # HEAD: None at 120 (and 60), a rise over 120
        assert res.to_dict()["warnings"][0] == warn
        said.add(warn)
    assert len(said) == 1                          # the same path, the same words
    days, most = _SAID.search(said.pop()).groups()
    assert int(days) <= 20
    assert int(most) == round(market.largest_moves("ust10y", int(days))[1])


@pytest.mark.realdata
def test_a_one_day_sale_past_the_largest_one_day_rise_is_flagged(market):
    r1, r21 = (market.largest_moves("ust10y", w)[1] for w in (1, 21))
    seller = parse_seller(_sale(market, 1, r1, min(r21, 1.3 * r1)))
    res = SelloffScenario((seller,)).simulate(market, paths=300, seed=1)
    warn = beyond_history(res)
    assert warn is not None                        # HEAD: None (read against 21 days)
    days, most = _SAID.search(warn).groups()
    assert days == "1" and "over 1 business day in" in warn
    assert int(most) == round(r1)


@pytest.mark.realdata
def test_a_longer_horizon_does_not_hide_another_asset_s_breach(market):
    """The other assets' 1%–99% lines were read at the horizon alone (h_verify18): the
    5-year's range passed its line over the sale's weeks and was not named at --horizon 120.
    An asset named at 40 days and not at 120 is now named "by day t" before it, with the kept
    paths' 1% and 99% points of that day against its largest moves over t days."""
    from spillwatch.scenarios._format import BEYOND_FACTOR, _beyond
    from spillwatch.scenarios._market import moves_over

    seller = parse_seller("japan:200e9:4w")
    short, long_ = (SelloffScenario((seller,)).simulate(market, paths=1000, seed=3, horizon=h)
                    for h in (40, 120))
    hidden = set(_beyond(short)) - set(_beyond(long_))
    assert hidden, "no asset passes its line at 40 days and not at 120 on this market"
    warn = next(w for w in long_.warnings() if w.startswith("beyond history: ")
                and "the 10-year target" not in w)
    assert "before day 120, " in warn
    for key in sorted(hidden):
        got = re.search(rf"{key} by day (\d+): ([+-][\d.]+)(?:%| bp) to ([+-][\d.]+)(?:%| bp) "
                        rf"\(its largest over \d+ days [^;]*; the line ([+-][\d.]+)(?:%| bp) to "
                        rf"([+-][\d.]+)(?:%| bp)\)", warn)
        assert got, (key, warn)
        t = int(got.group(1))
        assert 1 <= t < 120
        i = market.index(key)
        q01, q99 = np.quantile(long_.kept_paths[i, t - 1].astype(float), (0.01, 0.99))
        fall, rise = moves_over(market.levels[key], t)
        is_yield = bool(market.is_yield[i])
        assert q99 > BEYOND_FACTOR * rise or -q01 > BEYOND_FACTOR * fall      # it does pass
        show = (lambda v: v) if is_yield else (lambda v: 100 * np.expm1(v / 100))
        assert float(got.group(3)) == pytest.approx(show(q99), abs=0.6)
        assert float(got.group(5)) == pytest.approx(show(BEYOND_FACTOR * rise), abs=0.6)
