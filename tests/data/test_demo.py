"""The demo market: calibrated on real data (within a stated band), labelled simulated."""

import numpy as np
import pandas as pd
import pytest

import spillwatch as sw
from spillwatch.data.providers import demo

# Bands: simulated daily std within 15% of the calibrated std, correlations within 0.10, over
# the 2000 business days of the default seed excluding the planted episode. The t margins
# (dof >= 4) plus stochastic volatility make sample moments noisy, hence the band.
STD_BAND = 0.15
CORR_BAND = 0.10


@pytest.fixture(scope="module")
def demo_changes():
    return sw.load("demo", assets=list(demo.KEYS))


def test_demo_is_labelled_simulated(demo_changes):
    assert demo_changes.attrs["simulated"] is True
    with sw.Store() as s:
        demo.write_demo(s, days=300)
        names = s.series()["name"]
        assert len(names) == len(demo.KEYS)
        assert names.str.endswith("(simulated)").all()
        assert (s.series()["provider"] == "demo").all()


def test_simulated_moments_match_calibration(demo_changes):
    ep = demo.simulate_changes().attrs["episode"]
    calm = demo_changes.drop(demo_changes.loc[ep[0]:ep[1]].index)
    cal = demo.calibrate(calm, window=(None, None), trump_window=(None, None))
    ratio = cal.std / pd.Series(demo.STD)
    assert ratio.between(1 - STD_BAND, 1 + STD_BAND).all(), ratio
    diff = (cal.corr - demo.CORR).abs()
    assert diff.to_numpy().max() <= CORR_BAND, diff.max()


def test_planted_sell_america_episode(demo_changes):
    ep = demo.simulate_changes().attrs["episode"]
    window = demo_changes.loc[ep[0]:ep[1]]
    assert window["ust10y_bp"].sum() > 40  # long yields up sharply
    assert window["ust30y_bp"].sum() > 40
    assert window["usd_broad_pct"].sum() < -2  # while the dollar falls
    before = demo_changes.loc[:ep[0]].iloc[-250:-1]
    assert window["btc_pct"].std() > 1.5 * before["btc_pct"].std()  # crypto vol jumps


def test_crypto_trades_every_day_in_demo():
    m = demo.demo_market(days=300)
    assert (m["btc"].index.day_of_week >= 5).any()
    assert not (m["spx"].index.day_of_week >= 5).any()
    assert m["trump"].index[0] >= pd.Timestamp(demo.TRUMP_LISTING)


def test_same_seed_same_market():
    a = demo.simulate_changes(seed=3, days=200)
    b = demo.simulate_changes(seed=3, days=200)
    c = demo.simulate_changes(seed=4, days=200)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a.to_numpy(), c.to_numpy())


@pytest.mark.realdata
def test_constants_are_the_real_calibration(shared_data):
    real = sw.load(shared_data, assets=list(demo.KEYS))
    cal = demo.calibrate(real)
    pd.testing.assert_series_equal(cal.std.round(3), pd.Series(demo.STD).round(3),
                                   check_names=False, atol=1e-3)
    assert (cal.dof - pd.Series(demo.DOF)).abs().max() < 0.01
    assert (cal.corr.round(2) - demo.CORR).abs().to_numpy().max() < 0.006
