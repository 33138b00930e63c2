"""A re-import or re-fetch may revise stored points, but not into implausible values.

A yield file in basis points imported over the same yields in percent, or a price with a slipped
decimal, used to replace the good stored values silently (``revised 872``): the 10-year's 1-day
change then read -500 bp and BTC's expected shortfall went from 9.5% to 53%.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spillwatch.data.ingest import CsvMapping, import_path, ingest_batch
from spillwatch.data.providers.csvfile import SeriesSpec

DAYS = pd.bdate_range("2024-01-02", periods=120)
TEN_Y = SeriesSpec("fred:DGS10", "10y", "pct", "daily", "rates", "fred", "DGS10", False)
BTC = SeriesSpec("binance:BTCUSDT", "BTC", "USD", "daily", "crypto", "binance", "BTCUSDT", True)


def yields(rng) -> np.ndarray:
    return np.round(4.0 + np.cumsum(rng.normal(0, 0.06, len(DAYS))), 2)


def write(path, values, column="DGS10"):
    pd.DataFrame({"date": DAYS.strftime("%Y-%m-%d"), column: values}).to_csv(path, index=False)
    return path


def imp(path, store, column="DGS10", to="fred:DGS10", positive=False):
    rep = import_path(path, store, mapping=CsvMapping.from_options(maps=[f"{column}={to}"],
                                                                   positive=positive))
    (f,) = rep.files
    assert f.read == f.stored + f.unchanged + f.revised + f.quarantined + f.duplicates
    return f


def test_a_file_in_basis_points_does_not_replace_the_percent_values(tmp_path, store, rng):
    y = yields(rng)
    imp(write(tmp_path / "pct.csv", y), store)
    f = imp(write(tmp_path / "bp.csv", y * 100), store)
    assert (f.stored, f.revised, f.quarantined) == (0, 0, len(DAYS))
    assert store.observations(["fred:DGS10"])["value"].tolist() == pytest.approx(list(y))
    q = store.quarantine("fred:DGS10")
    # a column mostly at or beyond 100 is in basis points: every value of it is held
    assert len(q) == len(DAYS)
    assert q["reason"].str.contains("basis points, not a rate in percent").all()
    # one of 2020's in bp (40-80): below 100, the revision check holds it against the store
    low = np.round(0.6 + np.cumsum(rng.normal(0, 0.01, len(DAYS))), 2)   # 2020: 40-80 in bp
    imp(write(tmp_path / "low.csv", low, "T5"), store, "T5", "fred:DGS5")
    g = imp(write(tmp_path / "low_bp.csv", low * 100, "T5"), store, "T5", "fred:DGS5")
    assert (g.stored, g.revised, g.quarantined) == (0, 0, len(DAYS))
    assert any("implausible" in n for n in g.notes)
    assert store.quarantine("fred:DGS5")["reason"].str.contains("percent vs basis points").all()
    assert sorted(q["line"]) == list(range(2, len(DAYS) + 2))     # the file's own lines


def test_a_slipped_decimal_is_held_and_its_correction_is_stored(tmp_path, store, rng):
    y = yields(rng)
    slip = y.copy()
    slip[60] *= 10
    imp(write(tmp_path / "good.csv", y), store)
    f = imp(write(tmp_path / "slip.csv", slip), store)
    assert (f.unchanged, f.revised, f.quarantined) == (len(DAYS) - 1, 0, 1)
    (row,) = store.quarantine("fred:DGS10").itertuples()
    assert row.line == 62 and row.raw_date == f"{DAYS[60]:%Y-%m-%d}"
    assert "stored value is kept" in row.reason
    # the other way round: a stored bad tick is corrected by the good file
    other = tmp_path / "other.duckdb"
    from spillwatch.store import Store

    with Store(other) as s2:
        # a file with the slip is held at import now (the spike rule, below): the bad tick is
        # one stored before that check, written straight into the store
        imp(write(tmp_path / "good0.csv", y), s2)
        s2.upsert(pd.DataFrame({"series_id": ["fred:DGS10"], "ts": [DAYS[60]],
                                "value": [slip[60]]}))
        f = imp(write(tmp_path / "good2.csv", y), s2)
        assert (f.revised, f.quarantined) == (1, 0)
        assert s2.observations(["fred:DGS10"])["value"].iloc[60] == pytest.approx(y[60])


def test_a_bad_tick_in_a_new_file_is_quarantined_not_stored(tmp_path, store, rng):
    """The fetch's spike rule runs on imports: a slipped decimal in a file, a price ten times.

    It was stored: a 10-year of 41.3 between 4.13 and 4.15 read as a +3,700 bp day in every
    headline. Unchanged points already stored are not flagged on a re-import.
    """
    y = yields(rng)
    slip = y.copy()
    slip[60] *= 10
    f = imp(write(tmp_path / "slip.csv", slip), store)
    assert (f.stored, f.quarantined) == (len(DAYS) - 1, 1)
    (row,) = store.quarantine("fred:DGS10").itertuples()
    assert row.line == 62 and row.reason.startswith("spike in the file")
    assert any("straight back" in n for n in f.notes)
    assert DAYS[60] not in set(store.observations(["fred:DGS10"])["ts"])
    again = imp(write(tmp_path / "slip.csv", slip), store)
    assert (again.unchanged, again.quarantined) == (len(DAYS) - 1, 1)
    # the good file then stores the day
    good = imp(write(tmp_path / "good.csv", y), store)
    assert (good.stored, good.quarantined) == (1, 0)
    # a price: log returns, a 10x tick in bitcoin
    px = np.round(60_000 * np.exp(np.cumsum(rng.normal(0, 0.03, len(DAYS)))), 2)
    bad = px.copy()
    bad[70] *= 10
    g = imp(write(tmp_path / "btc.csv", bad, "BTC"), store, "BTC", "binance:BTCUSDT")
    assert (g.stored, g.quarantined) == (len(DAYS) - 1, 1)
    # a file of one row is judged against the stored history (it was never checked)
    nxt = DAYS[-1] + pd.offsets.BDay(1)
    one = tmp_path / "btc_one.csv"
    pd.DataFrame({"date": [f"{nxt:%Y-%m-%d}"], "BTC": [px[-1] * 10]}).to_csv(one, index=False)
    g1 = imp(one, store, "BTC", "binance:BTCUSDT")
    assert (g1.stored, g1.quarantined) == (0, 1)
    # a real day of the past as a file's newest row stays: the yen's -9.5% out of its peg
    # (1973-02-13, -95 robust sigmas of its pegged month) is not threefold
    peg = np.round(301 + rng.normal(0, 0.05, len(DAYS)), 2)
    peg[-1] = round(peg[-2] * 0.905, 2)
    y73 = imp(write(tmp_path / "yen.csv", peg, "JPY"), store, "JPY", "fred:DEXJPUS")
    assert (y73.stored, y73.quarantined) == (len(DAYS), 0)
    # a real crisis day that does not revert is kept: -40% and staying there
    crash = px.copy()
    crash[90:] *= 0.6
    h = imp(write(tmp_path / "eth.csv", crash, "ETH"), store, "ETH", "binance:ETHUSDT")
    assert (h.stored, h.quarantined) == (len(DAYS), 0)
    # a tick the store already holds (stored before this check) is not flagged when its file
    # comes again: the import reads it unchanged, as before
    store.upsert(pd.DataFrame({"series_id": ["fred:DGS5"] * len(DAYS), "ts": DAYS,
                               "value": slip}))
    k = imp(write(tmp_path / "five.csv", slip, "T5"), store, "T5", "fred:DGS5")
    assert (k.unchanged, k.quarantined) == (len(DAYS), 0)


def test_a_unit_slip_over_several_rows_or_an_appended_part_in_cents_is_held(tmp_path, store,
                                                                            rng):
    """A price (``--positive``) in cents on a few rows, or appended in cents, is not stored.

    Only a single point that jumps and comes straight back (or the newest) was caught: gold
    with 2024-03-22..28 in cents was stored whole and its historical ES read 94% a day; a fund
    appended in cents after its stored history gave a $1m short an ES of $19.9m.
    """
    px = np.round(2_000 * np.exp(np.cumsum(rng.normal(0, 0.01, len(DAYS)))), 2)
    cents = px.copy()
    cents[80:85] *= 100
    f = imp(write(tmp_path / "gold.csv", cents, "PX"), store, "PX", "csv:MYGOLD", True)
    assert (f.stored, f.quarantined) == (len(DAYS) - 5, 5)
    held = store.quarantine("csv:MYGOLD")
    assert sorted(held["line"]) == list(range(82, 87))
    assert all("unit slip over several rows" in r for r in held["reason"])
    # the part of a file after the stored history, in cents: held, the stored part unchanged
    fund = np.round(100 * np.exp(np.cumsum(rng.normal(0, 0.008, len(DAYS)))), 4)
    pd.DataFrame({"date": DAYS[:90].strftime("%Y-%m-%d"), "NAV": fund[:90]}).to_csv(
        tmp_path / "fund.csv", index=False)
    imp(tmp_path / "fund.csv", store, "NAV", "csv:MYFUND", True)
    later = tmp_path / "fund_later.csv"
    pd.DataFrame({"date": DAYS[90:].strftime("%Y-%m-%d"), "NAV": fund[90:] * 100}).to_csv(
        later, index=False)
    g = imp(later, store, "NAV", "csv:MYFUND", True)
    assert (g.stored, g.quarantined) == (0, len(DAYS) - 90)
    assert all(r.startswith("level shift") for r in store.quarantine("csv:MYFUND")["reason"])
    assert any("another unit" in n for n in g.notes)
    # a market that triples and halves over days, or drops by two-thirds and recovers
    # gradually, is kept: no single jump of that size goes in and back out
    boom = px.copy()
    boom[60:70] *= np.linspace(1.1, 3.5, 10)
    boom[70:] *= 3.5
    boom[100:] /= np.linspace(1.2, 2.0, 20)
    b = imp(write(tmp_path / "boom.csv", np.round(boom, 2), "PX"), store, "PX", "csv:BOOM", True)
    assert b.quarantined == 0
    # a crash of 15x (LUNA) or a peg devalued 12x, held: no power of ten, kept; and a run of
    # 30 rows in cents: held whole (past 20 rows its way back was read as a new run that never
    # returned, and the good prices after it were quarantined)
    for name, cut, factor, want in (("LUNA", 50, 1 / 15, 0), ("PEG", 50, 12.0, 0),
                                    ("LONG", None, 100.0, 30)):
        v = px.copy()
        if cut is None:
            v[40:70] *= factor
        else:
            v[cut:] *= factor
        got = imp(write(tmp_path / f"{name}.csv", np.round(v, 4), "PX"), store, "PX",
                  f"csv:{name}", True)
        assert got.quarantined == want, name
    long = store.quarantine("csv:LONG")
    assert sorted(long["line"]) == list(range(42, 72))
    # across a gap of years the level may really be a power of ten away (bitcoin 2012 to 2017)
    gap = tmp_path / "gap.csv"
    when = DAYS.append(pd.bdate_range("2026-01-05", periods=40))
    pd.DataFrame({"date": when.strftime("%Y-%m-%d"),
                  "PX": np.r_[px, px[-1] * 100 * np.exp(np.cumsum(rng.normal(0, 0.01, 40)))]}
                 ).to_csv(gap, index=False)
    assert imp(gap, store, "PX", "csv:GAP", True).quarantined == 0


def test_ordinary_revisions_are_stored(tmp_path, store, rng):
    y = yields(rng)
    imp(write(tmp_path / "a.csv", y), store)
    z = y.copy()
    z[[10, 50, 119]] += [0.01, -0.03, 0.25]
    f = imp(write(tmp_path / "b.csv", z), store)
    assert (f.revised, f.quarantined) == (3, 0)


def test_a_fetched_batch_is_held_the_same_way(store, rng):
    px = 60_000 * np.exp(np.cumsum(rng.normal(0, 0.03, len(DAYS))))
    batch = pd.DataFrame({"series_id": BTC.series_id, "ts": DAYS, "value": px})
    ingest_batch(store, batch, [BTC], source="https://api.example/klines")
    again = batch.copy()
    again.loc[30, "value"] *= 10
    again.loc[31, "value"] *= 1.001                  # a small revision goes through
    rep = ingest_batch(store, again, [BTC], source="https://api.example/klines")
    assert (rep.revised, rep.quarantined, rep.unchanged) == (1, 1, len(DAYS) - 2)
    assert store.observations([BTC.series_id])["value"].iloc[30] == pytest.approx(px[30])
    (row,) = store.quarantine(BTC.series_id).itertuples()
    assert row.line == int(DAYS[30].timestamp()) and "bad tick" in row.reason


def test_a_batch_whose_overlap_is_in_another_unit_holds_its_new_points_too(store, rng):
    """FRED served yen per dollar as dollars per yen: the overlap's six stored days were held
    as a unit change, and the four new days were stored at 0.0064 (the spike rule judged them
    against the batch's own overlap). Custody in billions the same way."""
    yen = SeriesSpec("fred:DEXJPUS", "yen", "jpy", "daily", "fx", "fred", "DEXJPUS", True)
    px = np.round(150 * np.exp(np.cumsum(rng.normal(0, 0.004, len(DAYS)))), 2)
    stored = pd.DataFrame({"series_id": yen.series_id, "ts": DAYS[:-4], "value": px[:-4]})
    ingest_batch(store, stored, [yen], source="fred")
    # the fetch re-reads the last six stored days and brings four new ones, all inverted
    batch = pd.DataFrame({"series_id": yen.series_id, "ts": DAYS[-10:], "value": 1 / px[-10:]})
    rep = ingest_batch(store, batch, [yen], source="fred")
    assert (rep.stored, rep.revised, rep.quarantined) == (0, 0, 10)
    q = store.quarantine(yen.series_id)
    assert q["reason"].str.contains("held with its batch").sum() == 4
    assert store.observations([yen.series_id])["ts"].max() == DAYS[-5]
    # a whole history re-imported in the other unit over a store with a gap: the gap's dates
    # are held too, not stored inverted
    gap = DAYS[20:25]
    inverted = pd.DataFrame({"series_id": yen.series_id, "ts": DAYS, "value": 1 / px})
    with store.transaction() as con:
        con.execute("DELETE FROM observations WHERE series_id = ? AND ts >= ? AND ts <= ?",
                    [yen.series_id, gap[0].to_pydatetime(), gap[-1].to_pydatetime()])
    rep = ingest_batch(store, inverted, [yen], source="fred")
    assert rep.stored == 0 and not set(gap) & set(store.observations([yen.series_id])["ts"])
    # one bad tick in an overlap of six does not hold the new days
    good = pd.DataFrame({"series_id": yen.series_id, "ts": DAYS[-10:], "value": px[-10:]})
    good.loc[good.index[0], "value"] *= 10
    rep = ingest_batch(store, good, [yen], source="fred")
    assert (rep.stored, rep.quarantined) == (4, 1)


def test_two_files_of_one_import_that_disagree_keep_the_first_value(tmp_path, store):
    # exports/btc_2023.csv and btc_2024.csv both give 2024-01-01: the second silently won
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "a_2023.csv").write_text("date,Close\n2023-12-29,42000\n2024-01-01,42300\n")
    (folder / "b_2024.csv").write_text("date,Close\n2024-01-01,44300\n2024-01-02,45000\n")
    rep = import_path(folder, store, mapping=CsvMapping.from_options(
        maps=["Close=binance:BTCUSDT"]))
    first, second = rep.files
    assert (first.stored, first.quarantined) == (2, 0)
    assert (second.stored, second.revised, second.quarantined) == (1, 0, 1)
    assert store.observations(["binance:BTCUSDT"])["value"].tolist() == [42000, 42300, 45000]
    (row,) = store.quarantine("binance:BTCUSDT").itertuples()
    assert row.source.endswith("b_2024.csv") and row.line == 2
    assert "an earlier file of this import gave 42300" in row.reason
    # the same folder again changes nothing (the first file's point was then unchanged, not
    # written by this run, so the second's passed as a revision and replaced it, and its
    # quarantine row was resolved)
    again = import_path(folder, store, mapping=CsvMapping.from_options(
        maps=["Close=binance:BTCUSDT"]))
    first, second = again.files
    assert (first.unchanged, second.unchanged, second.revised, second.quarantined) == (
        2, 1, 0, 1)
    assert store.observations(["binance:BTCUSDT"])["value"].tolist() == [42000, 42300, 45000]
    (row,) = store.quarantine("binance:BTCUSDT").itertuples()
    assert "an earlier file of this import gave 42300" in row.reason
    # a later import may revise it (a correction), within the usual bounds
    (folder / "a_2023.csv").unlink()
    again = import_path(folder, store, mapping=CsvMapping.from_options(
        maps=["Close=binance:BTCUSDT"]))
    assert again.files[0].revised == 1


def test_a_run_of_stored_bad_ticks_is_corrected(tmp_path, store, rng):
    # two consecutive slipped decimals: the correction of the second was held (its stored
    # neighbour was the first bad tick). An import now quarantines such a run; a store written
    # before that check holds it
    y = yields(rng)
    bad = y.copy()
    bad[60:62] *= 10
    assert imp(write(tmp_path / "bad.csv", bad), store).quarantined == 2
    store.upsert(pd.DataFrame({"series_id": "fred:DGS10", "ts": DAYS, "value": bad}))
    f = imp(write(tmp_path / "good.csv", y), store)
    assert (f.revised, f.quarantined) == (2, 0)
    assert store.observations(["fred:DGS10"])["value"].tolist() == pytest.approx(list(y))


def test_a_publishers_rate_beyond_100_percent_is_quarantined_on_import_and_fetch(store, tmp_path):
    # "1,234.5" in a yield column was stored as a 1,234.5% 10-year yield: the full-dump VaR
    # rose from $492k to $605k and the stress reading stayed calm
    folder = tmp_path / "data"
    (folder / "fred").mkdir(parents=True)
    (folder / "fred" / "DGS10.csv").write_text(
        'observation_date,DGS10\n2026-01-02,4.19\n2026-01-05,"1,234.5"\n2026-01-06,4.17\n')
    rep = import_path(folder, store)
    assert rep.totals["stored"] == 2 and rep.totals["quarantined"] == 1
    q = store.quarantine()
    assert q["raw_value"].tolist() == ["1,234.5"]
    assert "is not a rate in percent" in q["reason"].iloc[0]
    obs = pd.DataFrame({"series_id": "fred:DGS10", "ts": pd.to_datetime(["2026-01-07"]),
                        "value": [-417.0]})                   # a fetch in basis points
    got = ingest_batch(store, obs, [TEN_Y], source="fred")
    assert got.quarantined == 1 and got.stored == 0
    mixed = folder / "fred" / "DGS5.csv"     # bp at 0.8% and 1.2%: the 80 is held with them
    mixed.write_text("observation_date,DGS5\n2020-06-01,80\n2020-06-02,120\n2020-06-03,130\n")
    assert import_path(mixed, store).totals["quarantined"] == 3
    own = tmp_path / "own.csv"        # a user's own column in percent may be a return: kept
    own.write_text("date,RET\n2026-01-02,150\n")
    assert import_path(own, store).totals["stored"] == 1
