"""The auction facts of many dates at once equal the date-by-date reading, bit for bit.

``auction_columns`` searched the record with pandas Timestamps date by date (1.3 s of the
report's replay, four searches and a Timestamp per day); it now searches once on integer
nanoseconds and computes each distinct window once (h_speed3). The date-by-date reading it
replaced is written out here as the reference.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spillwatch.analytics.demand.facts import (
    AUCTION_FEED_STALE_DAYS,
    AUCTION_NUMBERS,
    auction_columns,
)


def _record(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = 400
    days = pd.bdate_range("2012-01-02", "2016-12-30")
    # a gap of two months with no auction: the record "stops" (facts unknown) in it
    days = days[(days < "2014-03-01") | (days > "2014-05-01")]
    date = np.sort(rng.choice(days.to_numpy(), n)).astype("datetime64[us]")
    weakness = rng.normal(0.0, 1.0, n)
    weakness[rng.random(n) < 0.05] = np.nan
    t = pd.DataFrame({"date": date, "class_years": rng.choice([2, 3, 5, 7, 10, 20, 30], n),
                      "excluded": rng.random(n) < 0.05, "weak": rng.random(n) < 0.2,
                      "weakness": weakness})
    for k in ("indirect_pct", "indirect_dev_pp", "dealer_pct"):
        v = rng.normal(50.0, 10.0, n)
        v[rng.random(n) < 0.1] = np.nan
        t[k] = v
    return t          # (no bid_to_cover column: None throughout)


def _each(t: pd.DataFrame, asof: pd.DatetimeIndex, recent_days: int,
          classes: tuple[int, ...]) -> dict[str, list]:
    """The date-by-date reading (``auction_columns`` before it read every date at once)."""
    n = len(asof)
    out: dict[str, list] = {k: [None] * n for k in ("weak", "date", "tenor", *AUCTION_NUMBERS)}
    every = pd.DatetimeIndex(t["date"]).sort_values()
    sel = t[t["class_years"].isin(classes) & ~t["excluded"]].sort_values("date", kind="stable")
    ld = pd.DatetimeIndex(sel["date"])
    w = sel["weak"].to_numpy(dtype=bool)
    score = sel["weakness"].to_numpy(dtype=float)
    numbers = {k: sel[k].to_numpy(dtype=float) if k in sel else np.full(len(sel), np.nan)
               for k in AUCTION_NUMBERS}
    years = sel["class_years"].to_numpy()
    cw = np.concatenate([[0], np.cumsum(w)])
    cn = np.concatenate([[0], np.cumsum(sel["weakness"].isna().to_numpy())])
    for i, d in enumerate(asof):
        if pd.isna(d):
            continue
        last_any = int(every.searchsorted(d, side="right"))
        if last_any == 0 or (d - every[last_any - 1]).days > AUCTION_FEED_STALE_DAYS:
            continue
        j = int(ld.searchsorted(d, side="right"))
        if j == 0:
            continue
        k = int(ld.searchsorted(d - pd.Timedelta(days=recent_days), side="right"))
        pick, same = j - 1, [j - 1]
        if cw[j] - cw[k] > 0:
            last = k + int(np.flatnonzero(w[k:j])[-1])
            same = [x for x in range(k, j) if w[x] and ld[x] == ld[last]]
            same.sort(key=lambda x: -score[x])
            pick = same[0]
        for col, v in numbers.items():
            out[col][i] = float(v[pick]) if np.isfinite(v[pick]) else None
        out["date"][i] = pd.Timestamp(ld[pick]).date().isoformat()
        out["tenor"][i] = " and ".join(dict.fromkeys(f"{int(years[x])}-year" for x in same))
        out["weak"][i] = True if cw[j] - cw[k] > 0 else (None if cn[j] - cn[k] > 0 else False)
    return out


@pytest.mark.parametrize("classes", [(10, 30), (2, 3, 5, 7, 20), (2, 3, 5, 7, 10, 20, 30)])
@pytest.mark.parametrize("recent_days", [0, 7, 30])
def test_every_date_at_once_is_the_date_by_date_reading(classes, recent_days):
    t = _record(7)
    days = pd.date_range("2011-12-01", "2017-02-28", freq="D")
    days = days.insert(100, pd.NaT)                    # an undated evening: None throughout
    got = auction_columns(t, days, recent_days, classes)
    want = _each(t, days, recent_days, classes)
    assert got.keys() == want.keys()
    for k in got:
        assert len(got[k]) == len(days)
        assert [(type(v), v) for v in got[k]] == [(type(v), v) for v in want[k]], k
    # the grid holds weak weeks (a window of 0 days holds no auction), quiet ones and the
    # stopped record's weeks
    assert ({True, False, None} if recent_days else {False, None}) <= set(got["weak"])


def test_an_undated_auction_is_in_no_window():
    t = _record(8)
    undated = t.copy()
    undated.loc[5, "date"] = pd.NaT
    days = pd.date_range("2013-01-01", "2013-03-01", freq="D")
    assert (auction_columns(undated, days, 7, (10, 30))
            == auction_columns(t.drop(index=5), days, 7, (10, 30)))
    every_undated = t.assign(date=pd.NaT)
    assert set(auction_columns(every_undated, days, 7, (10, 30))["weak"]) == {None}
