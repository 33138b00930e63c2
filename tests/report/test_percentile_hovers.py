"""The charts' hovers print a percentile as every line prints it: the whole part, rounded down."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd


def _hover_percentile(trace, i: int) -> str:
    """The percentile a trace's hover shows for point ``i``, as plotly.js formats it."""
    m = re.search(r"percentile %\{(y|customdata(?:\[(\d)\])?):\.0f\}", trace.hovertemplate)
    assert m, trace.hovertemplate
    if m.group(1) == "y":
        v = np.asarray(trace.y, dtype=float)[i]
    else:
        cd = np.asarray(trace.customdata, dtype=float)
        v = cd[i] if m.group(2) is None else cd[i][int(m.group(2))]
    return f"{v:.0f}"


def test_the_demand_gauge_history_hover_is_not_rounded_up_to_a_band():
    """The gauge-history chart's hover read "percentile 80 (gauge 0.840)" on 2026-01-06 (79.74,
    on ../shared/data as published by that evening) under a headline, a report line, a CLI line
    and a dial all saying "percentile 79 ... calm": it formatted the raw percentile with .0f
    (nearest). 89.65 read 90, the top decile's band."""
    from spillwatch.plotting.demand import gauge_history

    class Result:
        simulated = False
        valid = pd.DataFrame({"percentile": [79.739336492891, 89.65, 95.0, 12.2],
                              "gauge": [0.84, 0.9, 0.95, 0.1]},
                             index=pd.bdate_range("2026-01-01", periods=4))

    trace = gauge_history(Result()).data[0]
    assert [_hover_percentile(trace, i) for i in range(4)] == ["79", "89", "95", "12"]
    assert "gauge %{customdata[0]:.3f}" in trace.hovertemplate
    assert np.asarray(trace.customdata, dtype=float)[0][0] == 0.84
    # the line itself is still drawn at the unrounded percentile
    assert np.asarray(trace.y, dtype=float)[0] == 79.739336492891


def test_the_backtest_timeline_hover_is_not_rounded_up_to_the_alert_line():
    """The alert timeline's hover read "percentile 90" for 89.63 (1990-09-04 in the report of
    ../shared/data: 132 days read 80, 90 or 95 above their value) right under the >= 90 line the
    signal fires at, on a day it did not fire."""
    from spillwatch.plotting.backtest import timeline

    idx = pd.bdate_range("1990-09-03", periods=3)
    data = {"record": pd.DataFrame({"percentile": [94.635, 89.631, np.nan]}, index=idx),
            "on": {"spillwatch": pd.Series([1.0, 0.0, 0.0], index=idx)},
            "labels": {"spillwatch": "spillwatch index ≥ p90"},
            "kinds": {"spillwatch": "index"}, "headline": "spillwatch", "comparators": [],
            "episodes": pd.DataFrame(columns=["name", "kind", "trigger", "peak", "open"])}
    trace = timeline(data).data[0]
    assert trace.name == "index percentile"
    assert [_hover_percentile(trace, i) for i in range(2)] == ["94", "89"]
    assert np.isnan(np.asarray(trace.customdata, dtype=float)[2])
