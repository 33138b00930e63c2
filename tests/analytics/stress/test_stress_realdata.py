"""The stress monitor on the real data in ../shared/data: episodes, signatures, no look-ahead."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spillwatch.analytics.stress import FRAME_COLUMNS, compute, load_inputs

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def inputs(shared_data):
    """Changes and levels of the monitor's assets (plus the St. Louis Fed index), loaded once."""
    from spillwatch.analytics.stress import STRESS_ASSETS

    changes, levels = load_inputs(shared_data, assets=(*STRESS_ASSETS, "stlfsi"))
    return changes, levels


@pytest.fixture(scope="module")
def result(inputs):
    changes, levels = inputs
    return compute(changes, levels)


# The episodes, as windows of dates (inclusive).
REQUIRED_EPISODES = {
    "Lehman": ("2008-10-01", "2008-11-28"),
    "March 2020": ("2020-03-02", "2020-03-31"),
    "UK gilt crisis": ("2022-09-22", "2022-09-30"),
    "SVB": ("2023-03-10", "2023-03-17"),
    "5 August 2024": ("2024-08-02", "2024-08-07"),
    "April 2025": ("2025-04-03", "2025-04-11"),
}
# Other well-known episodes the data cover.
OTHER_EPISODES = {
    "1987 crash": ("1987-10-15", "1987-10-30"),
    "LTCM": ("1998-08-24", "1998-10-16"),
    "9/11": ("2001-09-11", "2001-09-28"),
    "euro crisis / US downgrade": ("2011-08-01", "2011-08-31"),
    "taper tantrum": ("2013-06-17", "2013-07-05"),
    "Brexit vote": ("2016-06-23", "2016-07-01"),
    "Russia invades Ukraine": ("2022-02-24", "2022-03-15"),
    "FTX": ("2022-11-07", "2022-11-18"),
}


@pytest.mark.parametrize("name", list(REQUIRED_EPISODES) + list(OTHER_EPISODES))
def test_episode_in_top_decile(result, name):
    a, b = {**REQUIRED_EPISODES, **OTHER_EPISODES}[name]
    frame = result.frame
    window = frame.loc[a:b]
    # the recursive (real-time) percentile reaches the top decile within the window ...
    assert window["percentile"].max() >= 90.0, (name, window["percentile"].max())
    # ... and so does the level against the whole history's distribution
    assert window["stress"].max() >= frame["stress"].quantile(0.9), name
    # and the regime shows it
    assert window["regime"].isin(["elevated", "crisis"]).any(), name


def test_lehman_is_a_sustained_crisis(result):
    window = result.frame.loc["2008-10-01":"2008-10-31"]
    assert (window["percentile"] >= 90).mean() > 0.8
    assert (window["regime"] == "crisis").mean() > 0.8


def test_top_decile_is_rare(result):
    """The episodes are not passed by an index that is always high."""
    valid = result.frame["percentile"].dropna()
    share = (valid >= 90).mean()
    assert 0.03 < share < 0.15, share
    calm = result.frame.loc["2017-05-01":"2017-08-31", "percentile"]
    assert calm.median() < 50


def test_signature_april_2025_sell_america(result):
    week = result.frame.loc["2025-04-07":"2025-04-11", "signature"]
    # the reading on 11 April covers the week (4 Apr close to 11 Apr close)
    assert week.loc["2025-04-11"] == "sell_america"
    counts = week[week != "none"].value_counts()
    assert counts.index[0] == "sell_america"
    assert not week.isin(["dash_for_cash", "flight_to_quality"]).any()


def test_signature_march_2020_dash_for_cash(result):
    window = result.frame.loc["2020-03-09":"2020-03-18", "signature"]
    assert window.loc["2020-03-18"] == "dash_for_cash"
    counts = window[window != "none"].value_counts()
    assert counts.index[0] == "dash_for_cash"
    assert (window == "dash_for_cash").sum() >= 4
    assert not (window == "sell_america").any()


def test_sell_america_is_rare(result):
    # with |z| >= 1 on both legs, independent noise alone would read each joint signature on
    # about 0.16 * 0.16 = 2.5 % of days; the real history should not read it markedly more
    sig = result.frame.loc["2007-01-01":, "signature"]
    assert (sig == "sell_america").mean() < 0.04
    assert (sig == "none").mean() > 0.85


@pytest.mark.parametrize("cut", ["2008-10-15", "2020-03-16", "2025-04-09"])
def test_no_look_ahead(inputs, result, cut):
    """The index computed on data cut at day t agrees, up to t, with the full-history index."""
    changes, levels = inputs
    part = compute(changes.loc[:cut], levels.loc[:cut])
    full = result.frame.loc[:cut]
    assert len(part.frame) == len(full)
    num = [c for c in FRAME_COLUMNS if c not in ("regime", "signature")]
    # rounding only: the same operations on a prefix
    np.testing.assert_allclose(part.frame[num].to_numpy(), full[num].to_numpy(), rtol=1e-9,
                               atol=1e-12, equal_nan=True)
    pd.testing.assert_series_equal(part.frame["regime"], full["regime"])
    pd.testing.assert_series_equal(part.frame["signature"], full["signature"])


def test_weekly_correlation_with_stlfsi(inputs, result):
    _, levels = inputs
    if "stlfsi_idx" not in levels:
        pytest.skip("STLFSI4 is not in ../shared/data")
    raw = levels["stlfsi_idx"]
    # the panel carries the weekly level forward; keep the Friday observations
    ref = raw[raw.index.day_of_week == 4]
    rho, weeks = result.weekly_correlation(ref)
    print(f"weekly correlation with the St. Louis Fed stress index: {rho:.3f} over {weeks} weeks")
    assert weeks > 1000
    assert rho > 0.5


def test_latest_contract(result):
    last = result.latest()
    assert last["regime"] in {"calm", "elevated", "crisis"}
    assert last["signature"] in {"sell_america", "dash_for_cash", "flight_to_quality", "none"}
    assert last["signals"]["ust10y_chg5_bp"] is not None
    at = result.latest("2025-04-11")
    assert at["date"] == "2025-04-11" and at["signature"] == "sell_america"
    # 10y: 4.01% on 2025-04-04 -> 4.48% on 2025-04-11 (README known facts)
    assert at["signals"]["ust10y_chg5_bp"] == pytest.approx(47.0, abs=0.5)
    assert at["regime"] in {"elevated", "crisis"}
