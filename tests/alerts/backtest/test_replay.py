"""The one-pass replay equals the monitor run day by day on the data published by each day."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spillwatch.alerts.backtest import replay
from spillwatch.alerts.rules import default_rules_text, parse_rules
from spillwatch.service.workspace import Workspace

from ._compare import differences

RULES = parse_rules(default_rules_text(), path="<default rules>")


@pytest.fixture(scope="module")
def lagged(lagged_db):
    ws = Workspace(str(lagged_db))
    yield ws, replay(ws, RULES)
    ws.close()


def sample_days(rp, n, seed):
    """Seeded random business days, plus one of each kind the release calendars make: the
    first days after holidays (calendar holes), a Monday (H.10 release) and a Thursday (weekly
    releases), the first days after the par curve stops (the 10-year known the next day)."""
    d = rp.dates
    rng = np.random.default_rng(seed)
    picks = set(rng.choice(d[300:], size=n, replace=False))
    picks.update(rp.fallback["date"].iloc[:3])
    for wd in (0, 3):
        picks.add(d[(d.day_of_week == wd) & (d > d[400])][0])
    late = rp.record.index[(rp.record["reading"] < rp.record.index) & (d > d[400])]
    picks.update(late[:2])
    return sorted(pd.DatetimeIndex(list(picks)))


@pytest.mark.slow
def test_lagged_market_replay_equals_truncated_runs(lagged):
    ws, rp = lagged
    cache: dict = {}
    picks = sample_days(rp, 8, seed=11)
    bad, facts, evals = [], 0, 0
    for day in picks:
        diffs, nf, ne = differences(rp, RULES, ws, day, cache)
        bad += diffs
        facts += nf
        evals += ne
    assert bad == []
    assert len(picks) >= 14 and facts > 100 * len(picks) and evals > 5 * len(picks)
    # the lags are there: the dollar is a week old on a Thursday, the 10-year a day old after
    # the par curve stops
    thu = [p for p in picks if p.day_of_week == 3]
    i = rp.dates.get_loc(thu[0])
    assert rp.facts.at("usd_broad.stale_bdays", i) >= 3
    assert (rp.record.loc[picks, "reading"] < pd.DatetimeIndex(picks)).any()
    # crypto is read on its own calendar: Monday's 1-day change runs from its previous close
    # (Sunday's where the market traded on Sunday)
    btc = ws.raw().series["btc"]
    mon = next(d for d in rp.dates[(rp.dates.day_of_week == 0) & (rp.dates > btc.index[10])]
               if d in btc.index)
    prev = btc.loc[:mon - pd.Timedelta(days=1)].iloc[-1]
    want = 100.0 * (btc.loc[mon] / prev - 1.0)
    assert rp.facts.at("btc.chg_1d_pct", rp.dates.get_loc(mon)) == pytest.approx(want)
