"""The spillover headline: synchronous next to daily, built from the same engine, and the placebo.

References: each series is recomputed from its parts (``synchronous_changes`` →
``Connectedness.fit_rolling`` → block net spillover); tolerance 1e-12 (the same computation).
The placebo runs on the real panel (../shared/data): shifting crypto by ±1 day must not flip
the sign of the synchronous full-sample headline.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import spillwatch as sw
from spillwatch.analytics.connectedness import (
    CRYPTO,
    RATES_DOLLAR,
    Connectedness,
    GeneralizedFEVD,
    SpilloverHeadline,
    spillover_headline,
    synchronous_changes,
)
from spillwatch.exceptions import ConfigError, DataError


@pytest.fixture(scope="module")
def demo_panel():
    return sw.load("demo", assets=["ust10y", "usd_broad", "usdjpy", "btc", "eth"])


def expected_net(changes, sampling, window, lags=2, horizon=10):
    frame = synchronous_changes(changes, sampling=sampling).dropna()
    spec = Connectedness(model=sw.VAR(lags=lags), decomposition=GeneralizedFEVD(horizon))
    roll = spec.fit_rolling(frame, window=window)
    return roll.blocks().net_between(CRYPTO, RATES_DOLLAR), spec.fit(frame).blocks().headline


@pytest.mark.parametrize(("sampling", "window"), [("two_day", 150), ("weekly", 104)])
def test_both_settings_are_the_engine_on_their_sampling(demo_panel, sampling, window):
    res = spillover_headline(demo_panel, sampling=sampling)
    assert res.spec.window == window and res.spec.daily_window == 200
    sync, sync_full = expected_net(demo_panel, sampling, window)
    daily, daily_full = expected_net(demo_panel, "daily", 200)
    pd.testing.assert_series_equal(res.synchronous, sync, check_names=False, atol=1e-12)
    pd.testing.assert_series_equal(res.daily, daily, check_names=False, atol=1e-12)
    assert res.synchronous_full == pytest.approx(sync_full, abs=1e-12)
    assert res.daily_full == pytest.approx(daily_full, abs=1e-12)
    # sensitivity: synchronous minus the daily value of the same date
    sens = res.sensitivity.dropna()
    assert len(sens) > 0.9 * len(res.synchronous)
    np.testing.assert_allclose(sens, res.synchronous[sens.index] - res.daily[sens.index])
    assert res.latest["sensitivity"] == pytest.approx(sens.iloc[-1])


def test_a_block_with_a_gap_is_left_out_not_merged_into_the_next(demo_panel):
    """Bitcoin missing a week: its blocks are NaN (the move is lost); those rows are left out.

    They were merged into the next block for the other assets (rates over two blocks against
    bitcoin over one): the two-day net read 10.17 against 12.69 on the real data around such a
    gap (a reviewer's figures), up to 2.8 pp over the windows holding it.
    """
    panel = demo_panel.copy()
    gap = panel.index[600:605]
    panel.loc[gap, "btc_pct"] = np.nan
    res = spillover_headline(panel)
    sync, _ = expected_net(panel, "two_day", 150)
    assert synchronous_changes(panel)["btc_pct"].isna().any()
    pd.testing.assert_series_equal(res.synchronous, sync, check_names=False, atol=1e-12)
    daily, _ = expected_net(panel, "daily", 200)
    pd.testing.assert_series_equal(res.daily, daily, check_names=False, atol=1e-12)


def test_result_names_its_sampling_everywhere(demo_panel):
    res = spillover_headline(demo_panel)
    table = res.table()
    assert list(table.index) == ["synchronous", "daily"]
    assert list(table["sampling"]) == ["two_day", "daily"]
    assert table.loc["synchronous", "latest_net"] == res.latest["synchronous"]
    out = json.loads(json.dumps(res.to_dict()))  # JSON-safe
    assert out["sampling"]["name"] == "two_day"
    assert "two-day" in out["sampling"]["label"]
    assert out["synchronous"]["sampling"] == "two_day" and out["daily"]["sampling"] == "daily"
    assert set(out["groups"]) == {RATES_DOLLAR, CRYPTO}
    assert len(out["synchronous"]["series"]["date"]) == len(res.synchronous)
    text = str(res)
    assert "two-day" in text and "daily" in text and "sensitivity" in text
    long = res.to_frame()
    assert set(long["setting"]) == {"synchronous", "daily"}
    assert len(long) == len(res.synchronous) + len(res.daily)
    fig = res.plot()
    assert len(fig.data) == 2 and "two-day" in fig.layout.title.text
    assert "SIMULATED" in fig.layout.title.text  # the demo market is simulated
    assert out["synchronous"]["rows"] == len(res.synchronous_result.data)


def test_headline_needs_both_blocks_and_valid_options(demo_panel):
    with pytest.raises(ConfigError, match="'crypto' block"):
        spillover_headline(demo_panel[["ust10y_bp", "usd_broad_pct"]])
    with pytest.raises(ConfigError, match="sampling"):
        spillover_headline(demo_panel, sampling="monthly")
    with pytest.raises(ConfigError, match="window"):
        SpilloverHeadline(window=1)
    with pytest.raises(DataError, match=r"two-day setting has \d+ complete rows .* window=150"):
        spillover_headline(demo_panel.iloc[-250:])
    custom = spillover_headline(demo_panel, groups={"rates_dollar": ["ust10y_bp"],
                                                    "crypto": ["btc_pct"]})
    assert custom.to_dict()["groups"]["other"] == ["usd_broad_pct", "usdjpy_pct", "eth_pct"]


@pytest.mark.realdata
@pytest.mark.slow  # loads all of ../shared/data (about 4 s on an idle machine)
@pytest.mark.parametrize("sampling", ["two_day", "weekly"])
def test_placebo_crypto_shift_does_not_flip_the_synchronous_headline(headline_panel, sampling):
    res = spillover_headline(headline_panel, sampling=sampling)
    placebo = res.placebo(shifts=(-1, 1))
    assert list(placebo.index.get_level_values("shift_days").unique()) == [0, -1, 1]
    sync = placebo.xs("synchronous", level="setting")
    assert sync["same_sign"].all(), sync
    assert (sync["full_sample_net"].abs() > 0.1).all()  # a sign, not a rounding of zero
    # the synchronous setting covers 2018 onwards (crypto) in 2-day or weekly steps
    assert res.synchronous_result.data.index[0].year == 2018
    assert res.table().loc["synchronous", "offset_share"] < 0.16
