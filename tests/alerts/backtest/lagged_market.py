"""A small market with the real release calendars: the simulated demo prices stored under the
real series ids (H.15 next day, the par curve the same evening, H.10 weekly on Mondays, the
St. Louis Fed index on the Thursday after its Friday, custody holdings on Thursday, the OFR FSI
two days after, the ECB CISS a week after), with holidays on which only the OFR printed."""

from __future__ import annotations

import numpy as np
import pandas as pd

from spillwatch import universe
from spillwatch.data.providers.csvfile import SeriesSpec
from spillwatch.data.providers.demo import demo_market
from spillwatch.store import Store

#: Demo asset -> the real store series it is written as.
SERIES = {"ust2y": "fred:DGS2", "ust10y": "fred:DGS10", "ust30y": "fred:DGS30",
          "usd_broad": "fred:DTWEXBGS", "usdjpy": "fred:DEXJPUS", "vix": "fred:VIXCLS",
          "spx": "fred:SP500", "gold": "mt:XAUUSD", "btc": "binance:BTCUSDT",
          "eth": "binance:ETHUSDT"}


def _spec(sid: str, key: str, frequency: str = "daily", unit: str | None = None) -> SeriesSpec:
    a = universe.ASSETS[key]
    return SeriesSpec(sid, a.name, unit or a.unit, frequency, a.block.value,
                      sid.partition(":")[0], sid.partition(":")[2], a.positive)


def write_lagged_market(store: Store, days: int = 1400) -> None:
    """Write the demo market under real series ids (see the module docstring)."""
    m = demo_market(days=days)
    rng = np.random.default_rng(3)
    bdays = m["ust10y"].index
    # holidays: no market prints but the OFR FSI (as on 25-26 December in the real data)
    holidays = bdays[((bdays.month == 12) & (bdays.day.isin([25, 26])))
                     | ((bdays.month == 1) & (bdays.day == 1))]
    specs, frames = [], []

    def put(sid: str, key: str, s: pd.Series, **kw: str) -> None:
        s = s.dropna()
        specs.append(_spec(sid, key, **kw))
        frames.append(pd.DataFrame({"series_id": sid, "ts": s.index, "value": s.to_numpy()}))

    for key, sid in SERIES.items():
        s = m[key]
        if universe.ASSETS[key].calendar == "business":
            s = s[~s.index.isin(holidays)]
        put(sid, key, s)
    # the par curve: same evening, but it stops two thirds of the way and misses a few days
    stop = bdays[int(len(bdays) * 2 / 3)]
    for key, col in (("ust2y", "yield_2y_pct"), ("ust10y", "yield_10y_pct"),
                     ("ust30y", "yield_30y_pct")):
        s = m[key][(m[key].index < stop) & ~m[key].index.isin(holidays)]
        s = s[rng.random(len(s)) > 0.05]
        put(f"treasury:{col}", key, s)
    vix = m["vix"]
    fri = vix[(vix.index.day_of_week == 4) & ~vix.index.isin(holidays)]
    put("fred:STLFSI4", "stlfsi", (fri - 20.0) / 6.0, frequency="weekly")
    ofr = (vix - 18.0) / 4.0 + 0.3 * rng.standard_normal(len(vix))
    put("ofr:ofr_fsi", "ofr_fsi", ofr)     # holidays included: they open calendar holes
    ciss = (vix / 80.0).clip(0, 1)
    put("ecb:ciss", "ecb_ciss", ciss[~ciss.index.isin(holidays)])
    put("fred:BAMLH0A0HYM2", "hy_oas", vix[~vix.index.isin(holidays)] / 6.0)
    wed = bdays[bdays.day_of_week == 2]
    custody = 3.0e6 + np.cumsum(rng.normal(0, 2.0e4, len(wed)))
    custody[:30] = 0.0                     # FRED prints 0 before WMTSECL1 was reported
    put("fred:WMTSECL1", "custody", pd.Series(custody, index=wed), frequency="weekly",
        unit="usd_bn")
    obs = pd.concat(frames, ignore_index=True)
    with store.transaction() as con:
        store.register_series(specs, con=con)
        store.upsert(obs, con=con)
