"""The stale inputs of many dates at once equal the date-by-date reading (h_mut11).

``stale_inputs`` visited every date and key with a Timestamp; it now visits only the stale
dates and writes each observation's date once (h_speed3, 489be72). No test read it on more than
one date: ``>=`` for ``>`` at either staleness limit, the auction before the last one named, or a
cache that wrote only the first observation's text all left the suite green. The date-by-date
reading it replaced (9292b94, with the undated auction left out) is written out here.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from spillwatch.analytics.demand.facts import (
    AUCTION_FEED_STALE_DAYS,
    STALE_INPUTS,
    stale_inputs,
)

pytestmark = pytest.mark.realdata


def _each(result, days: pd.DatetimeIndex) -> list[list[str]]:
    """The date-by-date reading (``stale_inputs`` before it read every date at once)."""
    out: list[list[str]] = [[] for _ in range(len(days))]
    ok = ~pd.isna(days)
    good, idx = pd.DatetimeIndex(days[ok]), np.flatnonzero(ok)
    for key, label in STALE_INPUTS.items():
        nat = result.signals.natives.get(key)
        if nat is None or len(nat.values) == 0:
            continue
        obs = pd.DatetimeIndex(nat.last_reported(good)["observed"])
        for j, i in enumerate(idx):
            if pd.isna(obs[j]):
                continue
            if (good[j] - obs[j]).days > nat.stale_after_days:
                out[i].append(f"{label} (last {obs[j]:%Y-%m-%d})")
    t = result.auctions
    every = pd.DatetimeIndex(t["date"] if len(t) else []).dropna().sort_values()
    for j, i in enumerate(idx):
        pos = int(every.searchsorted(good[j], side="right"))
        if pos and (good[j] - every[pos - 1]).days > AUCTION_FEED_STALE_DAYS:
            out[i].append(f"auctions (last {every[pos - 1]:%Y-%m-%d})")
    return out


def _grid() -> pd.DatetimeIndex:
    # every day from before the first input to two years past the data's end: China's
    # reserves stale in four separate years, each input and the auctions stale at the end
    days = pd.date_range("2014-06-01", "2028-06-30", freq="D")
    return days.insert(300, pd.NaT)                    # an undated evening: nothing


def test_every_date_at_once_is_the_date_by_date_reading(demand_result):
    days = _grid()
    got = stale_inputs(demand_result, days)
    assert got == _each(demand_result, days)
    said = {s for g in got for s in g}
    # the grid reaches each limit's edge: several last observations of one input
    assert len({s for s in said if s.startswith("China's reserves")}) >= 3
    assert any(s.startswith("auctions (last ") for s in said)


def test_a_quiet_spell_and_an_undated_auction(demand_result):
    """Two spells of the auction record gone quiet, each naming its own last auction; an
    auction without a date is no last one."""
    t = demand_result.auctions
    d = pd.DatetimeIndex(t["date"])
    quiet = t[(d < "2020-03-01") | (d > "2020-06-30")]
    undated = pd.concat([quiet, quiet.iloc[[0]].assign(date=pd.NaT)], ignore_index=True)
    result = dataclasses.replace(
        demand_result, signals=dataclasses.replace(demand_result.signals, auctions=undated))
    days = _grid()
    got = stale_inputs(result, days)
    assert got == _each(result, days)
    told = {s for g in got for s in g if s.startswith("auctions")}
    assert len(told) == 2, told
    # and the undated row changes nothing
    plain = dataclasses.replace(
        demand_result, signals=dataclasses.replace(demand_result.signals, auctions=quiet))
    assert stale_inputs(plain, days) == got
    assert np.sum([len(g) for g in got]) > 0
