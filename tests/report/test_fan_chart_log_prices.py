"""A price whose scenario fan spans orders of magnitude is drawn on a log scale.

full-dump as of 2022-10-21 gives BTC a 1% point of -99.65% and a 99% point of +35,251%: on a
linear axis to +35,000% its median and middle bands were a flat line at 0, and the picture
read as "bitcoin may rise 350-fold" (h_dash2). A narrow fan stays linear.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from spillwatch.plotting.scenario import fan_chart

QS = ("q0.01", "q0.05", "q0.25", "q0.5", "q0.75", "q0.95", "q0.99")


def _fan(lo: float, hi: float, days: int = 30) -> pd.DataFrame:
    """Quantiles growing from 0 on day 0 to the given 1% and 99% points (in %)."""
    t = np.linspace(0.0, 1.0, days)
    mid = {"q0.01": lo, "q0.05": lo / 2, "q0.25": lo / 6, "q0.5": 0.0, "q0.75": hi / 60,
           "q0.95": hi / 10, "q0.99": hi}
    return pd.DataFrame({q: mid[q] * t for q in QS}, index=pd.RangeIndex(days))


def test_a_wide_price_fan_is_logged_and_a_narrow_one_is_not():
    fans = {"ust10y": _fan(-80.0, 120.0), "spx": _fan(-20.0, 15.0),
            "btc": _fan(-99.65, 35_251.0)}
    fig = fan_chart(fans, title="t", units={"ust10y": "bp", "spx": "%", "btc": "%"})
    titles = [a.text for a in fig.layout.annotations]
    assert "BTC (% return, log scale)" in titles
    assert "S&P 500 (% return)" in titles and "10y yield (bp)" in titles
    axes = {a: fig.layout[a] for a in ("yaxis", "yaxis2", "yaxis3")}
    assert axes["yaxis"].type is None and axes["yaxis2"].type is None
    btc = axes["yaxis3"]
    assert btc.type == "log"
    # the ticks are returns at their price relatives (100 + return), decades apart
    assert list(btc.ticktext) == ["-99%", "-90%", "0%", "+900%", "+9,900%"]
    assert list(btc.tickvals) == [1.0, 10.0, 100.0, 1_000.0, 10_000.0]
    # the bands are drawn as price relatives, the median's hover says its return
    median = [tr for tr in fig.data if tr.name == "median"][2]
    assert median.y[-1] == 100.0 and median.customdata[-1] == 0.0
    assert "%{customdata:+.1f}%" in median.hovertemplate
    upper = [tr for tr in fig.data if tr.yaxis == "y3"]
    assert max(np.nanmax(np.asarray(tr.y, dtype=float)) for tr in upper) == 35_351.0
    # a -100% quantile (a coin worth nothing on a path) stays on the axis, floored
    floor = fan_chart({"btc": _fan(-100.0, 500.0)}, title="t", units={"btc": "%"})
    assert min(np.nanmin(np.asarray(tr.y, dtype=float)) for tr in floor.data) == 0.01


def test_a_log_panels_band_hovers_its_return_not_its_price_relative():
    # the lower edge of each band is the trace that hovers: on a log panel its y is the
    # price relative (5.0 for a 1% point of -95%), which read as "5" under "% return"
    f = _fan(-95.0, 900.0)
    fig = fan_chart({"btc": f, "spx": _fan(-20.0, 15.0)}, title="t",
                    units={"btc": "%", "spx": "%"})
    bands = {(tr.yaxis, tr.name): tr for tr in fig.data if tr.fill == "tonexty"}
    edge = bands[("y", "q0.01-q0.99")]
    assert edge.y[-1] == 5.0
    assert edge.hovertemplate is not None and "%{customdata:+,.2f}%" in edge.hovertemplate
    assert list(edge.customdata) == list(f["q0.01"])
    assert edge.customdata[-1] == -95.0
    # a linear panel hovers its y, which is the return already
    assert bands[("y2", "q0.01-q0.99")].hovertemplate is None
