"""The estimation days left out for other events count only those inside the estimation span
(h_mut28).

``est_days_excluded`` is the number of days the estimation window skipped for other events'
windows (so ``n_est`` days were taken over ``n_est + est_days_excluded`` days). A mutant that
counted every other event's days, however far before the window, survived the suite: an event of
years earlier made the window read as if it had skipped days it never reached.
"""
import numpy as np
import pandas as pd

from spillwatch.analytics.events import Event, EventStudy


def _panel(n=300, seed=5):
    rng = np.random.default_rng(seed)
    idx = pd.bdate_range("2024-01-01", periods=n, name="date")
    f = rng.standard_normal(n)
    return pd.DataFrame({"spx_pct": f, "btc_pct": 0.3 + 1.5 * f + 0.5 * rng.standard_normal(n)},
                        index=idx)


def test_only_the_other_events_days_inside_the_estimation_span_are_counted():
    df = _panel()
    main = Event("main", df.index[250], "studied")
    inside = Event("inside", df.index[220], "in the estimation window")
    far = Event("far", df.index[50], "long before it")
    car = EventStudy(window=(-1, 2), estimation=60, gap=5, factors=("spx_pct",)).fit(
        df, [main], series=["btc_pct"], context=[main, inside, far]).car.iloc[0]
    # the event window starts at row 249, the estimation window ends at row 243: 60 days
    # without rows 219-222 (inside's window) run from row 180; far's rows 49-52 are not in it
    assert car["n_est"] == 60
    assert pd.Timestamp(car["est_start"]) == df.index[180]
    assert pd.Timestamp(car["est_end"]) == df.index[243]
    assert car["est_days_excluded"] == 4
    assert car["est_excludes"] == "inside"
