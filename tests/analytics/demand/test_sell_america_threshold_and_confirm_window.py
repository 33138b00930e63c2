"""The sell-America verdict: a percentile *at* the threshold counts as foreign selling, and the
ex-post confirmation reads the highest percentile over ``[t, t + confirm_days]`` calendar days,
both ends included (verdict.py: 'percentile from which foreigners count as selling';
``_forward_max``: 'max of x over [t, t + days]').

Mutation testing (h_mut) found that ``read > threshold`` for ``>=`` and ``side="left"`` for
``side="right"`` in ``_forward_max`` (the window's last day dropped) passed every demand test:
test_sell_america_verdicts only checks that the ex-post percentile is >= the real-time one."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from spillwatch.analytics.demand import sell_america_check


def _gauge(values: dict[str, float]) -> SimpleNamespace:
    """A demand result's frame: the gauge percentile on each calendar day (only .frame is read)."""
    idx = pd.date_range("2024-03-01", "2024-03-12", name="date")
    pct = pd.Series(np.nan, index=idx)
    for day, v in values.items():
        pct[pd.Timestamp(day)] = v
    pct = pct.ffill()
    return SimpleNamespace(frame=pd.DataFrame({"percentile": pct, "top_group": "custody"},
                                              index=idx))


def test_a_percentile_exactly_at_the_threshold_is_foreign_selling():
    res = _gauge({"2024-03-01": 80.0})
    labels = pd.Series("sell_america", index=pd.DatetimeIndex(["2024-03-04"]))
    f = sell_america_check(labels, res, threshold=80).frame
    assert f["percentile"].tolist() == [80.0]
    assert f["verdict"].tolist() == ["foreign_selling"]
    below = _gauge({"2024-03-01": 79.9})
    assert sell_america_check(labels, below, threshold=80).frame["verdict"].tolist() == [
        "other_news"]


def test_the_confirmation_window_includes_its_last_day():
    """Percentile 10 from 03-01, 95 from 03-07: a sell-America day on 03-04 confirmed over 3
    calendar days reads max(03-04 .. 03-07) = 95 (foreign selling); over 2 days, 10."""
    res = _gauge({"2024-03-01": 10.0, "2024-03-07": 95.0})
    labels = pd.Series("sell_america", index=pd.DatetimeIndex(["2024-03-04"]))
    three = sell_america_check(labels, res, threshold=80, confirm_days=3).frame
    assert three["percentile"].tolist() == [95.0]
    assert three["verdict"].tolist() == ["foreign_selling"]
    two = sell_america_check(labels, res, threshold=80, confirm_days=2).frame
    assert two["percentile"].tolist() == [10.0]
    assert two["verdict"].tolist() == ["other_news"]
