"""The store's fingerprint, batch de-duplication and date bounds, checked on tiny hand-made data."""

import pandas as pd
import pytest

from spillwatch.exceptions import StoreError
from spillwatch.store import Store


def _obs(values, sid="x:a", start="2024-01-01"):
    ts = pd.date_range(start, periods=len(values), freq="D")
    return pd.DataFrame({"series_id": sid, "ts": ts, "value": values})


def test_data_version_changes_when_a_past_point_is_revised():
    """A revision of a past point (same count, same last date) must change the fingerprint.

    The dashboard and the monitor recompute only when ``data_version`` changes: a fingerprint
    without the revision count left them serving the old value after a revised print.
    """
    with Store() as s:
        s.upsert(_obs([1.0, 2.0, 3.0]))
        before = s.data_version()
        counts = s.upsert(_obs([1.0, 2.5, 3.0]))
        assert (counts.stored, counts.revised) == (0, 1)
        assert s.count() == 3 and s.count("revisions") == 1
        assert s.data_version() != before


def test_a_batch_repeating_a_point_keeps_its_last_row():
    """Rows repeating a (series_id, ts) in one batch: the last one is stored (documented)."""
    batch = pd.DataFrame({"series_id": ["x:a", "x:a"],
                          "ts": pd.to_datetime(["2024-01-01", "2024-01-01"]),
                          "value": [1.0, 7.0]})
    with Store() as s:
        s.upsert(_obs([5.0], start="2023-12-31"))       # not the fast path: the series is known
        counts = s.upsert(batch)
        assert counts.stored == 1
        assert s.wide(["x:a"])["x:a"].tolist() == [5.0, 7.0]
    with Store() as s:                                    # the fast path (a new series) too
        s.upsert(batch)
        assert s.wide(["x:a"])["x:a"].tolist() == [7.0]


def test_observations_between_two_dates_include_both_ends():
    """``start`` and ``end`` are inclusive: a vintage ending on a print's day reads that print."""
    with Store() as s:
        s.upsert(_obs([1.0, 2.0, 3.0, 4.0, 5.0]))
        got = s.observations(["x:a"], start="2024-01-02", end="2024-01-04")
        assert got["value"].tolist() == [2.0, 3.0, 4.0]
        assert s.wide(["x:a"], end="2024-01-05")["x:a"].tolist() == [1.0, 2.0, 3.0, 4.0, 5.0]


def _q(lines, reasons, sources=None, raw_dates=None):
    n = len(lines)
    return pd.DataFrame({
        "series_id": ["x:a"] * n, "source": sources or ["f.csv"] * n, "line": lines,
        "column": ["a"] * n, "raw_date": raw_dates or ["2024-01-05"] * n,
        "raw_value": ["-1"] * n, "reason": reasons})


def test_one_line_rejected_for_two_reasons_is_quarantined_twice():
    """The quarantine is unique per point *and reason*: a line with two faults keeps both."""
    with Store() as s:
        got = s.add_quarantine(_q([3, 3], ["non-positive price -1", "date before the series"]))
        assert got == 2
        assert sorted(s.quarantine("x:a")["reason"]) == ["date before the series",
                                                         "non-positive price -1"]


def test_health_counts_a_point_rejected_from_two_files_once():
    """`data health` counts a rejected point once though two files (paths) rejected it."""
    from spillwatch.data.providers.csvfile import SeriesSpec

    with Store() as s:
        s.register_series([SeriesSpec("x:a", "A", "usd", "daily", "crypto", "x", "a", True)])
        s.upsert(_obs([1.0, 2.0]))
        s.add_quarantine(_q([3, 7], ["non-positive price -1"] * 2, sources=["a.csv", "b.csv"]))
        s.add_quarantine(_q([4], ["non-positive price -1"], raw_dates=["2024-01-06"]))
        assert s.count("quarantine") == 3
        h = s.health().set_index("series_id")
        assert h.loc["x:a", "quarantined"] == 2         # 2024-01-05 (twice) and 2024-01-06


def test_a_catalog_entry_whose_positive_flag_alone_changed_is_updated():
    """Re-registering a series with only ``positive`` changed stores it (and the fingerprint moves).

    The flag decides whether values at or below zero are rejected; an unchanged catalog row
    kept a user's re-imported spread (which may go negative) rejecting its negative prints.
    """
    from spillwatch.data.providers.csvfile import SeriesSpec

    with Store() as s:
        s.register_series([SeriesSpec("x:a", "A", "bp", "daily", "rates", "x", "a", True)])
        before = s.data_version()
        s.register_series([SeriesSpec("x:a", "A", "bp", "daily", "rates", "x", "a", False)])
        assert not bool(s.series().set_index("series_id").loc["x:a", "positive"])
        assert s.data_version() != before


def _auction(day, dealer):
    return pd.DataFrame([{
        "auction_date": pd.Timestamp(day), "cusip": "91282CJJ7", "tenor": "10-Year",
        "term": "10-Year", "security_type": "Note", "reopening": False, "size_bn": 42.0,
        "high_yield": 4.3, "median_yield": 4.25, "bid_to_cover": 2.5, "dealer_pct": dealer,
        "direct_pct": 18.0, "indirect_pct": 70.0, "dispersion_bp": 1.5,
        "source": "auctions.csv", "line": 2}])


def test_an_event_re_imported_without_a_field_keeps_the_stored_value():
    """A re-import lacking one field (NaN) leaves the event as it was: no revision to NaN.

    A file of fewer columns (an older export without ``dealer_pct``) would otherwise blank the
    stored dealer share and log a revision the Treasury never made.
    """
    from spillwatch.store.events import auctions, event_revisions, upsert_events

    with Store() as s:
        upsert_events(s, "auctions", _auction("2024-05-08", 12.5))
        counts = upsert_events(s, "auctions", _auction("2024-05-08", float("nan")))
        assert (counts.stored, counts.revised, counts.unchanged) == (0, 0, 1)
        assert auctions(s)["dealer_pct"].tolist() == [12.5]
        assert event_revisions(s).empty


def test_events_between_two_dates_include_both_ends():
    """``events(start=, end=)`` are inclusive: an auction on the ``end`` day is read."""
    from spillwatch.store.events import auctions, upsert_events

    with Store() as s:
        upsert_events(s, "auctions", pd.concat([
            _auction("2024-05-08", 12.5),
            _auction("2024-06-12", 13.0).assign(cusip="91282CKQ3", line=3)]))
        got = auctions(s, start="2024-05-08", end="2024-06-12")
        assert got["auction_date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-05-08",
                                                                         "2024-06-12"]


def test_resolving_the_quarantine_keeps_only_the_reasons_still_given():
    """A line still rejected, but for one of its two old reasons, keeps that reason's row only.

    ``resolve_quarantine`` removes what the latest import no longer rejects: a row matched on
    its line alone (not its reason) stayed in `data health` for a fault that was fixed.
    """
    with Store() as s:
        s.add_quarantine(_q([3, 3], ["non-positive price -1", "date before the series"]))
        keep = pd.DataFrame({"series_id": ["x:a"], "line": [3],
                             "reason": ["non-positive price -1"]})
        assert s.resolve_quarantine("f.csv", keep) == 1
        assert s.quarantine("x:a")["reason"].tolist() == ["non-positive price -1"]


def test_a_closed_in_memory_store_says_it_is_closed():
    """Reading or writing an in-memory store after ``close`` is a StoreError naming the store
    (it was a bare AssertionError: the demo's store read by a request after the server closed
    it)."""
    store = Store()
    store.upsert(pd.DataFrame({"series_id": ["s"], "ts": [pd.Timestamp("2024-01-02")],
                               "value": [1.0]}))
    assert store.count() == 1
    store.close()
    with pytest.raises(StoreError, match=r"^the store :memory: is closed$"):
        store.count()
    with pytest.raises(StoreError, match=r"^the store :memory: is closed$"):
        store.upsert(pd.DataFrame({"series_id": ["s"], "ts": [pd.Timestamp("2024-01-03")],
                                   "value": [2.0]}))
