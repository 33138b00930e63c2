"""Quality checks on provider batches: spikes against stored history, stale runs, time zones."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spillwatch.data import quality
from spillwatch.data.ingest import ingest_batch
from spillwatch.data.providers.csvfile import SeriesSpec

from .quality_reference import reference_spikes

BTC = SeriesSpec("binance:BTCUSDT", "Bitcoin", "usd", "daily", "crypto", "binance", "BTCUSDT",
                 True)
BTC_1H = SeriesSpec("binance:BTCUSDT_1h", "Bitcoin hourly", "usd", "hourly", "crypto",
                    "binance", "BTCUSDT_1h", True)
UST = SeriesSpec("fred:DGS10", "10y", "pct", "daily", "rates", "fred", "DGS10", False)
TIC = SeriesSpec("tic:japan_usd_bn", "Japan", "usd_bn", "monthly", "holdings", "tic",
                 "japan_usd_bn", False)


def walk(n: int, rng: np.random.Generator, *, start: str = "2024-01-01", level: float = 50_000,
         vol: float = 0.02, sid: str = "binance:BTCUSDT") -> pd.DataFrame:
    ts = pd.date_range(start, periods=n, freq="D")
    values = level * np.exp(np.cumsum(rng.normal(0, vol, n)))
    return pd.DataFrame({"series_id": sid, "ts": ts, "value": values})


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_spike_flags_match_the_reference(seed):
    rng = np.random.default_rng(seed)
    frame = walk(300, rng)
    for i in rng.choice(np.arange(30, 299), 4, replace=False):
        frame.loc[i, "value"] *= rng.choice([10.0, 0.1, 100.0])
    frame.loc[299, "value"] *= 20  # the newest point: the edge rule
    flags = quality.series_flags(frame[["ts", "value"]], None, positive=True, stale=False)
    got = set().union(*[set(v) for v in flags.values()]) if flags else set()
    assert got == reference_spikes(frame["value"].to_numpy(), True)
    assert 299 in got and len(got) >= 4
    # a rate: slips (x10, x0.1, bp, a sign) and real squeezes (x2) among the jumps
    rate = frame.assign(value=3 + np.cumsum(rng.normal(0, 0.03, 300)))
    for i in rng.choice(np.arange(30, 299), 8, replace=False):
        rate.loc[i, "value"] *= rng.choice([10.0, 0.1, 100.0, -1.0, 2.0, 0.5])
    flags = quality.series_flags(rate[["ts", "value"]], None, positive=False, stale=False)
    got = set().union(*[set(v) for v in flags.values()]) if flags else set()
    assert got == reference_spikes(rate["value"].to_numpy(), False)


def test_bad_tick_quarantined_against_stored_history(store, rng):
    hist = walk(120, rng)
    ingest_batch(store, hist, [BTC], source="test")
    last = hist["value"].iloc[-1]
    batch = pd.DataFrame({"series_id": BTC.series_id,
                          "ts": pd.date_range("2024-04-30", periods=3, freq="D"),
                          "value": [last * 1.01, last * 100, last * 1.02]})
    rep = ingest_batch(store, batch, [BTC], source="https://x/api/v3/klines")
    assert rep.quarantined == 1 and rep.stored == 2
    q = store.quarantine(BTC.series_id)
    assert q["reason"].str.startswith("spike").all() and q["raw_date"].iloc[0].startswith(
        "2024-05-01")
    # without history the same batch has too little context to judge, and is kept
    clean, rejected = quality.check(batch, [BTC], source="s")
    assert rejected.empty and len(clean) == 3


def test_real_crash_that_persists_is_kept(rng):
    frame = walk(200, rng, vol=0.01)
    frame.loc[150:, "value"] *= 0.6  # a 40 % crash that does not revert
    flags = quality.series_flags(frame[["ts", "value"]], None, positive=True)
    assert flags == {}


def test_a_rate_s_bad_tick_rescales_it_a_funding_squeeze_does_not(rng):
    # the fetcher quarantined SOFR's 5.25 of 2019-09-17 (the repo squeeze, 56 robust sigmas
    # against its calm month) as a bad tick, then as "a spike that reverts": a store filled by
    # `fetch` went 2.43 -> 2.55 while an import of the same CSV kept it
    calm = 2.40 + np.cumsum(rng.normal(0, 0.005, 40))
    ts = pd.date_range("2019-08-01", periods=43, freq="B")
    sofr = pd.DataFrame({"ts": ts, "value": np.r_[calm, 2.43, 5.25, 2.55]})
    assert quality.series_flags(sofr, None, positive=False) == {}
    assert quality.series_flags(sofr.iloc[:-1], None, positive=False) == {}  # newest point
    # a slipped decimal, basis points, a sign slip: still bad ticks, reverting or newest
    for bad in (24.3, 243.0, -2.43, 0.243):
        tick = sofr.assign(value=np.r_[calm, 2.43, bad, 2.44])
        flags = quality.series_flags(tick, None, positive=False)
        assert [list(v) for v in flags.values()] == [[41]], bad
        newest = quality.series_flags(tick.iloc[:-1], None, positive=False)
        # a tenth of a rate at the edge moves it 2.2 points, 44 units: under EDGE_K, as before
        assert [list(v) for v in newest.values()] == ([] if bad == 0.243 else [[41]]), bad


def test_the_managed_yuan_may_repeat_a_price_may_not():
    # H.10 repeats the yuan through Lunar New Year and Golden Week: 31 runs of five or more
    # equal values since 2015 were quarantined as "a frozen feed" by `fetch`, kept by `import`
    cny = SeriesSpec("fred:DEXCHUS", "Yuan", "cny", "daily", "fx", "fred", "DEXCHUS", True)
    ts = pd.date_range("2024-02-05", periods=9, freq="B")
    held = pd.DataFrame({"series_id": cny.series_id, "ts": ts,
                         "value": [7.19, 7.1965, 7.1965, 7.1965, 7.1965, 7.1965, 7.1965, 7.1965,
                                   7.1961]})
    clean, q = quality.check(held, [cny], source="s")
    assert q.empty and len(clean) == 9
    clean, q = quality.check(held.assign(series_id=BTC.series_id), [BTC], source="s",
                             now=ts[-1])
    assert len(q) == 3 and q["reason"].str.startswith("stale").all()


def test_stale_runs(store):
    ts = pd.date_range("2025-01-01", periods=8, freq="D")
    frozen = pd.DataFrame({"series_id": BTC.series_id, "ts": ts,
                           "value": [100, 101, 102, 102, 102, 102, 102, 102.0]})
    now = ts[-1] + pd.Timedelta(hours=20)          # fetched the evening of the last day
    clean, q = quality.check(frozen, [BTC], source="s", now=now)
    assert len(q) == 2 and q["reason"].str.startswith("stale").all()  # the 5th and 6th repeat
    assert clean["value"].tolist() == [100, 101, 102, 102, 102, 102]
    # a yield at its floor may repeat
    flat = frozen.assign(series_id=UST.series_id, value=0.01)
    assert quality.check(flat, [UST], source="s")[1].empty
    # a run that started in the store continues across fetches
    ingest_batch(store, frozen.iloc[:5], [BTC], source="s")
    more = frozen.iloc[5:6]
    assert quality.check(more, [BTC], source="s", store=store, now=now)[1][
        "reason"].str.startswith("stale").all()


def test_a_publisher_s_history_of_pegs_is_no_frozen_feed():
    """A frozen feed is one of now: the yen's Smithsonian rates (301.11 on seven days of
    September 1972), fetched back with the history, were quarantined as a frozen feed (37
    points) while an import of the same history kept them; the stress regime differed on 16
    days. The same run in the last days before the fetch is still one."""
    yen = SeriesSpec("fred:DEXJPUS", "Yen", "jpy", "daily", "fx", "fred", "DEXJPUS", True)
    ts = pd.date_range("1972-09-14", periods=9, freq="B")
    peg = pd.DataFrame({"series_id": yen.series_id, "ts": ts,
                        "value": [301.2, 301.15] + [301.11] * 7})
    clean, q = quality.check(peg, [yen], source="s", now=pd.Timestamp("2026-12-04 14:00"))
    assert q.empty and len(clean) == 9
    now = pd.Timestamp("2026-12-04 14:00")
    recent = peg.assign(ts=pd.date_range("2026-11-20", periods=9, freq="B"))
    assert len(quality.check(recent, [yen], source="s", now=now)[1]) == 3


def test_time_zone_mixups():
    ny = pd.Timestamp("2025-04-08 00:00", tz="America/New_York")
    aware = pd.DataFrame({"series_id": [BTC.series_id, BTC_1H.series_id],
                          "ts": [ny, ny], "value": [76322.42, 76000.0]})
    clean, q = quality.check(aware, [BTC, BTC_1H], source="s")
    # New York midnight is 04:00 UTC: wrong for a daily close, fine for an hourly bar
    assert q["reason"].str.contains("time-zone mix-up").tolist() == [True]
    assert clean["ts"].tolist() == [pd.Timestamp("2025-04-08 04:00")]
    mixed = pd.DataFrame({"series_id": BTC_1H.series_id,
                          "ts": ["2025-04-08T01:00:00Z", "2025-04-08T04:00:00+02:00"],
                          "value": [1.0, 2.0]})
    clean, q = quality.check(mixed, [BTC_1H], source="s")
    assert q.empty and clean["ts"].tolist() == [pd.Timestamp("2025-04-08 01:00"),
                                                pd.Timestamp("2025-04-08 02:00")]
    future = pd.DataFrame({"series_id": TIC.series_id, "ts": [pd.Timestamp("2031-01-31")],
                           "value": [1.0]})
    q = quality.check(future, [TIC], source="s", now=pd.Timestamp("2025-05-01"))[1]
    assert q["reason"].str.contains("future").all()


def test_existing_rules_kept_and_quarantine_recorded_once(store):
    batch = pd.DataFrame({"series_id": BTC.series_id,
                          "ts": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-02",
                                                "2025-01-03", "2025-01-04"]),
                          "value": [1.0, 2.0, 2.5, -1.0, np.nan]})
    clean, q = quality.check(batch, [BTC], source="s")
    assert clean["value"].tolist() == [1.0]
    assert sorted(q["reason"].str.split(" ").str[0]) == ["date", "date", "non-numeric",
                                                        "non-positive"]
    for _ in range(2):
        ingest_batch(store, batch, [BTC], source="https://x/klines")
    # recorded once however often fetched; each version of 01-02 keeps its own row (its reason
    # names its value), so that no rejected point is without a quarantine row
    assert store.count("quarantine") == 4 and store.count() == 1
    twice = store.quarantine(BTC.series_id)
    assert sorted(twice["reason"][twice["reason"].str.startswith("date twice")]) == [
        "date twice with different values: 2 (all: 2, 2.5)",
        "date twice with different values: 2.5 (all: 2, 2.5)"]


@pytest.mark.realdata
def test_no_spike_flags_on_real_histories(shared_data):
    cases = [("crypto/BTCUSDT.csv", True), ("crypto/ETHUSDT.csv", True),
             ("crypto/TRUMPUSDT.csv", True), ("fred/VIXCLS.csv", True),
             ("fred/SP500.csv", True), ("fred/DGS10.csv", False), ("fred/DGS1MO.csv", False),
             ("fred/DEXJPUS.csv", True), ("fred/DTWEXBGS.csv", True),
             ("fred/SOFR.csv", False), ("fred/DGS3MO.csv", False), ("fred/DGS2.csv", False),
             ("fred/BAMLH0A0HYM2.csv", False), ("fred/DEXCHUS.csv", True)]
    for name, positive in cases:
        df = pd.read_csv(shared_data / name, parse_dates=["date"])
        col = df.columns[1]
        s = df[["date", col]].dropna().rename(columns={"date": "ts", col: "value"})
        s = s[s["ts"] >= "1990-01-01"]
        sid = "fred:" + name.split("/")[1].removesuffix(".csv")
        spec = SeriesSpec(sid, sid, "usd" if positive else "pct", "daily", "x", "fred", sid,
                          positive)
        # what `fetch` quarantines of the whole history, as one batch
        q = quality.check(s.assign(series_id=sid), [spec], source="s", now=s["ts"].max())[1]
        assert q.empty, (name, q[["raw_date", "reason"]].head().to_string())
