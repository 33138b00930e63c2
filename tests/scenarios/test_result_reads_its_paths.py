"""A scenario result's readings against numpy on its own paths (every path kept).

Mutation testing (h_mut26) of ``scenarios/_results.py``: with every path kept, each reading
over all paths (the histograms) can be checked against the paths themselves: the mean and
sample sd, a holder's worst close (a price's lowest close, a yield's highest), the chance of
passing a level at some close and its binomial standard error, the fan's day 0 and the
10-year target's impact fan. The histograms bin ``asinh(x / s)`` in 2,048 bins, so their
quantiles agree with numpy's to about 1% of the horizon's noise sd.
"""

from __future__ import annotations

import numpy as np
import pytest

from spillwatch.data.source import open_source
from spillwatch.scenarios import preset
from spillwatch.scenarios.propagation import fit_market

pytestmark = pytest.mark.slow       # the demo market's fit, about 6 s, once for the module

PATHS = 2_000


@pytest.fixture(scope="module")
def res():
    from spillwatch.service.workspace import Workspace

    with open_source("demo") as src:
        ws = Workspace(src)
        keys = ws.have(["ust2y", "ust10y", "ust30y", "usd_broad", "usdjpy", "gold", "spx", "btc"])
        panel = ws.panel(keys, transform="changes")
    return preset("japan-10pct").simulate(fit_market(panel), paths=PATHS, seed=11,
                                          keep_paths=PATHS, events=("btc<-20%@10d",))


def _display(x, is_yield):
    return x if is_yield else 100.0 * np.expm1(x / 100.0)


def test_mean_and_sd_are_those_of_the_paths(res):
    last = res.kept_paths[:, -1, :].astype(np.float64)
    np.testing.assert_allclose(res.moments["mean"], last.mean(axis=1), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(res.moments["sd"], last.std(axis=1, ddof=1), rtol=1e-5)


@pytest.mark.parametrize("key", ["ust10y", "spx", "btc"])
def test_a_holder_s_worst_close_is_the_5pct_tail_of_its_adverse_extreme(res, key):
    i = res.market.index(key)
    x = res.kept_paths[i].astype(np.float64)                 # (days, paths)
    is_yield = bool(res.market.is_yield[i])
    # a yield's highest close (its 95% point), a price's lowest (its 5% point, as a return)
    want = np.quantile(x.max(axis=0), 0.95) if is_yield else _display(
        np.quantile(x.min(axis=0), 0.05), False)
    sd = float(res.moments.loc[key, "sd"])
    assert res.worst_close(key) == pytest.approx(want, abs=0.02 * sd)
    # and on the adverse side of the median: up for a yield, down for a price
    median = float(res.quantiles(key, (0.5,)).iloc[0])
    assert (res.worst_close(key) > median) if is_yield else (res.worst_close(key) < median)


@pytest.mark.parametrize("key, level, below", [("ust10y", 40.0, False), ("ust10y", -10.0, True),
                                               ("spx", -5.0, True), ("btc", 10.0, False)])
def test_the_chance_of_passing_a_level_is_the_share_of_paths_that_do(res, key, level, below):
    i = res.market.index(key)
    x = res.kept_paths[i].astype(np.float64)
    lvl = level if res.market.is_yield[i] else 100.0 * np.log1p(level / 100.0)
    hit = (x.min(axis=0) <= lvl) if below else (x.max(axis=0) >= lvl)
    assert 0.02 < hit.mean() < 0.98                       # a level inside the paths' range
    assert res.probability(key, level, below=below) == pytest.approx(hit.mean(), abs=0.01)


def test_an_event_s_standard_error_is_the_binomial_s(res):
    p = float(res.probabilities.iloc[0])
    assert 0 < p < 1
    assert float(res.probabilities_se.iloc[0]) == pytest.approx(np.sqrt(p * (1 - p) / PATHS))


def test_the_fans_start_at_zero_and_the_target_is_the_10_year_s_loading(res):
    fan = res.fan("btc")
    assert (fan.loc[0] == 0.0).all() and len(fan) == res.horizon + 1
    x = res.kept_paths[res.market.index("btc"), -1].astype(np.float64)
    assert fan["q0.5"].iloc[-1] == pytest.approx(_display(np.median(x), False), rel=1e-6)
    five, ten = res.impact_fan(), res.impact_fan(tenor="ust10y")
    np.testing.assert_allclose(ten.to_numpy(), 0.9 * five.to_numpy(), rtol=1e-6, atol=1e-9)
    assert five["q0.5"].max() > 20.0          # Japan's 10% ($113bn) lifts the 5-year 20+ bp


def test_the_tail_table_reads_each_asset_the_way_the_sale_pushes_it(res):
    t = res.tail_table()
    median = res.market.response_per_10bp()["q0.5"]
    assert t.loc["ust10y", "shock_direction"] == "up"       # the sale lifts the 10-year
    read = 0
    for key, row in t.iterrows():
        assert row["p_down"] == res.probability(key, -row["level"], below=True)
        assert row["p_up"] == res.probability(key, row["level"], below=False)
        if row["shock_direction"] == "not measured":
            continue
        up = median[key] >= 0
        assert row["shock_direction"] == ("up" if up else "down"), key
        assert row["p_shock_direction"] == (row["p_up"] if up else row["p_down"]), key
        read += 1
    assert read >= 3


def test_a_99pct_tail_of_fewer_than_five_paths_is_said_to_be_no_estimate(res):
    for n in (2_000, 500):                 # 20 and 5 paths beyond the 99% point
        run = res if n == PATHS else preset("japan-10pct").simulate(res.market, paths=n, seed=11)
        assert [w for w in run.warnings() if "path(s)" in w] == [], n
    small = preset("japan-10pct").simulate(res.market, paths=400, seed=11)
    few = [w for w in small.warnings() if "path(s)" in w]
    assert few == ["400 path(s): the 99% quantiles, VaR and ES rest on 4 path(s) beyond them "
                   "(not a tail estimate); run --paths 500 or more"]

