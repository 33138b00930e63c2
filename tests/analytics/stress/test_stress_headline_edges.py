"""The stress headline's edges: light cut-offs, the regime's run, the reading's freshness."""

from __future__ import annotations

import pandas as pd
import pytest

import spillwatch as sw
from spillwatch.analytics.stress._results import light


@pytest.fixture(scope="module")
def demo():
    return sw.stress("demo")


def test_light_cut_offs_are_at_or_above():
    """A signal's light is amber at a percentile of 80 or more and red at 95 or more (and by
    |z| at 2 and 3): a percentile of exactly 80 read green under a strict ``>``, beside a
    printed "80" that the legend calls amber."""
    assert light(79.999) == "green"
    assert light(80.0) == "amber"
    assert light(94.999) == "amber"
    assert light(95.0) == "red"
    assert light(z=-2.0) == "amber"
    assert light(z=3.0) == "red"
    assert light(z=1.999) == "green"
    assert light() == ""


def test_regime_run_counts_back_to_the_first_reading(demo):
    """``regime_since`` / ``regime_readings`` of an evening whose every earlier reading had
    the same regime start at the first reading: a search that stopped one short began the
    run on the second reading and counted one reading fewer."""
    reg = demo.valid["regime"].dropna()
    checked = 0
    for n in range(1, 8):
        d = reg.index[n - 1]
        head = reg.iloc[:n]
        if head.nunique() != 1:
            break
        last = demo.latest(d)
        assert last["regime_readings"] == n
        assert last["regime_since"] == reg.index[0].date().isoformat()
        checked += 1
    assert checked >= 2           # the demo's first readings share a regime


def test_reading_is_fresh_on_the_last_day_of_its_limit(demo):
    """The headline reading is fresh while its age is within the 10-year's staleness limit
    (6 calendar days for a daily close), inclusive: judged 6 days after the last reading it
    is fresh, 7 days after it is not."""
    last_day = pd.Timestamp(demo.latest()["date"])
    limit = demo.stale_limits["ust10y"]
    assert limit == 6
    on_limit = demo.judged_on(last_day + pd.Timedelta(days=limit)).latest()
    past = demo.judged_on(last_day + pd.Timedelta(days=limit + 1)).latest()
    assert on_limit["age_days"] == limit and on_limit["fresh"] is True
    assert past["age_days"] == limit + 1 and past["fresh"] is False
