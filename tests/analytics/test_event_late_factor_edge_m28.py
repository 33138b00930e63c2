"""A factor whose first value is the first day of the shortest estimation window is in time
(h_mut28).

``EventStudy._late_factors``: the factors "whose first value comes *after* this study's
shortest estimation window" (``min_estimation`` of the series' days ending ``gap`` days before
the event window) are left out. A mutant that also left out a factor starting exactly on that
window's first day survived the suite: the study then had exactly ``min_estimation`` complete
days with the factor and dropped it anyway.
"""
import numpy as np
import pandas as pd

from spillwatch.analytics.events import Event, EventStudy


def _panel(n=300, first=200, seed=5):
    rng = np.random.default_rng(seed)
    idx = pd.bdate_range("2024-01-01", periods=n, name="date")
    f = rng.standard_normal(n)
    y = 0.3 + 1.5 * f + 0.5 * rng.standard_normal(n)
    usd = np.where(np.arange(n) >= first, 0.1 * f + rng.standard_normal(n), np.nan)
    return pd.DataFrame({"spx_pct": f, "usd_broad_pct": usd, "btc_pct": y}, index=idx)


def test_a_factor_starting_on_the_shortest_window_s_first_day_stays_in():
    df = _panel()
    spec = EventStudy(window=(-1, 2), estimation=60, gap=5, min_estimation=40,
                      factors=("spx_pct", "usd_broad_pct"))
    # day 0 at row 246: the event window starts at 245, the estimation window ends at 239 and
    # its shortest form (40 days) starts at row 200, the dollar's first value
    edge, before = Event("edge", df.index[246], "test"), Event("before", df.index[245], "test")
    car = spec.fit(df, [edge, before], series=["btc_pct"]).car.set_index("event")
    assert car.loc["edge", "factors"] == "spx_pct,usd_broad_pct"
    assert car.loc["edge", "factors_late"] == ""
    assert car.loc["edge", "n_est"] == 40
    assert pd.Timestamp(car.loc["edge", "est_start"]) == df.index[200]
    assert car.loc["before", "factors"] == "spx_pct"
    assert car.loc["before", "factors_late"] == "usd_broad_pct"
