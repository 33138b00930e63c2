"""Round-8 mutant killers for analytics/connectedness/_headline.py (h_mut8), on the demo
panel (simulated, shipped with the package)."""
import numpy as np
import pytest

import spillwatch as sw
from spillwatch.analytics.connectedness import (
    SpilloverHeadline,
    spillover_headline,
    synchronous_changes,
)
from spillwatch.exceptions import ConfigError


@pytest.fixture(scope="module")
def demo_panel():
    return sw.load("demo", assets=["ust10y", "usd_broad", "btc", "eth"])


def test_a_window_of_exactly_the_rows_there_are_is_one_full_sample_window(demo_panel):
    """'fewer than its window' is refused, as many is not: on the last 230 days the daily
    setting's complete rows are N; a window of N gives one rolling value, the VAR on every
    row (the full-sample net). The mutant refused it."""
    changes = demo_panel.iloc[-230:]
    n = len(synchronous_changes(changes, sampling="daily").dropna(how="any"))
    net, full, _ = SpilloverHeadline().net_series(changes, sampling="daily", window=n)
    assert net.notna().sum() == 1
    assert float(net.dropna().iloc[0]) == pytest.approx(full, abs=1e-10)


def test_the_window_must_leave_two_rows_beyond_the_lags():
    """window >= lags + 2 (each setting): 3 rows for a VAR(2) is refused, 4 is accepted."""
    for kw in ({"window": 3}, {"daily_window": 3}):
        with pytest.raises(ConfigError, match="window"):
            SpilloverHeadline(lags=2, **kw)
    SpilloverHeadline(lags=2, window=4, daily_window=4)


def test_the_sensitivity_s_mean_is_its_mean(demo_panel):
    """to_dict's sensitivity 'mean': the mean of synchronous - daily over the dates with both
    (pandas' own mean of the differences, worked here with numpy)."""
    res = spillover_headline(demo_panel.iloc[-700:])
    sync = res.synchronous
    daily = res.daily.reindex(sync.index)
    diff = (sync - daily).to_numpy()
    diff = diff[np.isfinite(diff)]
    out = res.to_dict()["sensitivity"]
    assert out["mean"] == pytest.approx(float(np.mean(diff)), rel=1e-12)
    assert out["mean"] != pytest.approx(float(np.median(diff)), rel=1e-6)


def test_a_placebo_shift_of_one_pairs_crypto_s_previous_day(demo_panel):
    """placebo: 'A shift of +1 pairs crypto's change of day d - 1 with the others' change of
    day d'. The +1 row equals the headline of a panel whose crypto columns were moved one row
    down by hand (numpy, not DataFrame.shift); the mutant moved them up (day d + 1)."""
    changes = demo_panel.iloc[-260:]
    res = spillover_headline(changes, window=60, daily_window=60)
    got = res.placebo(shifts=(1,))
    moved = changes.copy()
    for c in ("btc_pct", "eth_pct"):
        v = changes[c].to_numpy()
        moved[c] = np.r_[np.nan, v[:-1]]
    ref = spillover_headline(moved, window=60, daily_window=60)
    assert got.loc[(1, "synchronous"), "full_sample_net"] == pytest.approx(
        ref.synchronous_full, abs=1e-10)
    assert got.loc[(1, "daily"), "full_sample_net"] == pytest.approx(ref.daily_full, abs=1e-10)
    assert got.loc[(0, "daily"), "full_sample_net"] == pytest.approx(res.daily_full, abs=1e-12)
