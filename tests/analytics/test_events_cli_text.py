"""Event study: what the CLI text and the CAR chart say beside the numbers (h_event)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from spillwatch.analytics.events import Event, EventStudy


def _crash(n=220, seed=3):
    """A factor that falls 10% a day for a week while the series falls less than its beta says."""
    rng = np.random.default_rng(seed)
    idx = pd.bdate_range("2024-01-01", periods=n, name="date")
    f = rng.standard_normal(n)
    y = 0.2 + 1.5 * f + 0.5 * rng.standard_normal(n)
    f[180:187] = -10.0
    y[180:187] = -5.0 + 0.5 * rng.standard_normal(7)
    return pd.DataFrame({"spx_pct": f, "vix_pct": y, "wti_chg": y / 3}, index=idx)


def test_a_car_of_the_opposite_sign_to_the_constant_mean_one_is_not_starred():
    """The CLI starred such a CAR while the report marks it with a dagger and never bolds it.

    COVID's 10-year read "CAR +53.54 t= +3.21*" where it fell 19 bp (constant mean -17.83,
    t -1.39), the VIX "CAR -140.78 t= -8.84*" where it rose 73.6%: a trader read a
    significant abnormal rise of yields (fall of the VIX) that is only the factors' part.
    """
    df = _crash()
    res = EventStudy(window=(-1, 5), estimation=120).fit(df, [Event("crash", df.index[181],
                                                                     "crash")],
                                                         series=["vix_pct"])
    row = res.car.iloc[0]
    # the market model nets the factor's fall out: a large positive CAR, significant ...
    assert row["car"] > 0 and row["p"] < 0.05
    # ... where the series fell: the constant-mean CAR is negative
    assert row["car_mean_model"] < 0 and row["raw_sum"] < 0
    line = next(ln for ln in str(res).splitlines() if ln.strip().startswith("vix_pct"))
    assert "*" not in line
    assert "opposite in sign to the constant-mean CAR" in line and "not starred" in line


def test_a_car_of_the_same_sign_keeps_its_star():
    df = _crash()
    df.loc[df.index[180:187], "vix_pct"] = -25.0     # falls more than the factors say
    res = EventStudy(window=(-1, 5), estimation=120).fit(df, [Event("crash", df.index[181],
                                                                     "crash")],
                                                         series=["vix_pct"])
    row = res.car.iloc[0]
    assert row["car"] < 0 and row["car_mean_model"] < 0 and row["p"] < 0.05
    line = next(ln for ln in str(res).splitlines() if ln.strip().startswith("vix_pct"))
    assert "*" in line and "opposite in sign" not in line


def test_the_car_chart_names_each_series_unit():
    """Every column not in basis points was labelled '%' (wti_chg is USD a barrel)."""
    df = _crash()
    res = EventStudy(window=(-1, 5), estimation=120).fit(df, [Event("crash", df.index[181],
                                                                     "crash")],
                                                         series=["vix_pct", "wti_chg"])
    names = [tr.name for tr in res.plot("crash").data]
    assert names == ["vix_pct (%)", "wti_chg (series units)"]


def test_the_cli_text_says_what_its_star_means():
    """The star was never explained in the CLI text (the report says p < 0.05 with the t's df)."""
    df = _crash()
    res = EventStudy(window=(-1, 5), estimation=120).fit(df, [Event("crash", df.index[181],
                                                                     "crash")],
                                                         series=["vix_pct"])
    assert "* p < 0.05 (two-sided" in str(res).splitlines()[0]
