"""A vintage on the day of a release: its quarantined points and its events of that day count.

A surviving mutant (h_mut2, VN02: ``raw_date <= known_by`` -> ``<``) left out the points
quarantined on the as-of day itself: ``--as-of`` health read one bad tick fewer on the day it
came in, the day it matters. No test read a vintage's health.
"""
import pandas as pd

from spillwatch.alerts.backtest import VintageSource
from spillwatch.data.providers.csvfile import SeriesSpec
from spillwatch.data.source import MarketSource


def test_a_point_quarantined_on_the_as_of_day_is_counted(store):
    store.register_series([SeriesSpec("fred:DGS10", "10y", "pct", "daily", "rates", "fred",
                                      "DGS10", False)])
    store.upsert(pd.DataFrame({"series_id": "fred:DGS10",
                               "ts": pd.bdate_range("2025-03-03", "2025-03-14"),
                               "value": 4.2}))
    store.add_quarantine(pd.DataFrame({
        "series_id": "fred:DGS10", "source": "t", "line": [1, 2, 3], "column": "DGS10",
        "raw_date": ["2025-03-12T00:00:00", "2025-03-13T00:00:00", "2025-03-14T00:00:00"],
        "raw_value": ["42", "420", "0.042"], "reason": "spike"}))
    src = MarketSource(store, "t", owned=False)
    health = VintageSource.of(src, "2025-03-13").health().set_index("series_id")
    assert health.loc["fred:DGS10", "quarantined"] == 2          # 03-12 and 03-13, not 03-14
    # H.15: a value is out the next business day, so the 12th is the last one out by the 13th
    assert health.loc["fred:DGS10", "last_ts"] == pd.Timestamp("2025-03-12")


def test_an_intervention_is_seen_on_its_report_day_not_before(store):
    """MOF's intervention of 2024-04-29 is in the May report, out on Friday 2024-05-31: a
    vintage of that evening sees it, one of the 30th does not (VN04: ``rel <= known_by`` ->
    ``<`` hid every event on its own release day, auctions included, which are out the same
    day)."""
    from spillwatch.store.events import upsert_events

    upsert_events(store, "fx_interventions", pd.DataFrame({
        "intervention_date": [pd.Timestamp("2024-04-29")], "currency_pair": ["USD/JPY"],
        "direction": ["sell_USD_buy_JPY"], "amount_jpy_bn": [5915.0], "source": ["t"],
        "line": [1]}))
    src = MarketSource(store, "t", owned=False)
    assert len(VintageSource.of(src, "2024-05-30").events("fx_interventions")) == 0
    seen = VintageSource.of(src, "2024-05-31").events("fx_interventions")
    assert seen["amount_jpy_bn"].tolist() == [5915.0]


def test_as_of_the_newest_data_day_is_allowed_and_the_day_after_is_not(store):
    """``--as-of`` the store's newest date is the latest evening there is; only a later day
    is refused (VN06: ``when > newest`` -> ``>=`` refused the newest day itself)."""
    import pytest

    from spillwatch.alerts.backtest.vintage import vintage_workspace
    from spillwatch.exceptions import DataError
    from spillwatch.service.workspace import Workspace

    store.upsert(pd.DataFrame({"series_id": "fred:DGS10",
                               "ts": pd.bdate_range("2025-03-03", "2025-03-14"),
                               "value": 4.2}))
    ws = Workspace(MarketSource(store, "t", owned=False))
    newest = pd.Timestamp(ws.newest())
    assert newest == pd.Timestamp("2025-03-14")
    assert vintage_workspace(ws, newest) is not None
    with pytest.raises(DataError, match="after the newest data"):
        vintage_workspace(ws, newest + pd.Timedelta(days=1))


def test_an_evening_before_any_point_was_out_has_an_empty_health(store):
    """Before the first point of every series was published the health table raised numpy's
    UFuncTypeError (the revisions' days compared with no last day), where it is empty."""
    store.register_series([SeriesSpec("fred:DGS10", "10y", "pct", "daily", "rates", "fred",
                                      "DGS10", False)])
    days = pd.bdate_range("2025-03-03", "2025-03-14")
    store.upsert(pd.DataFrame({"series_id": "fred:DGS10", "ts": days, "value": 4.2}))
    store.upsert(pd.DataFrame({"series_id": "fred:DGS10", "ts": days[:2], "value": 4.3}))
    src = MarketSource(store, "t", owned=False)
    empty = VintageSource.of(src, "2025-03-01").health()
    assert empty.empty and {"last_ts", "points", "revisions"} <= set(empty.columns)
    later = VintageSource.of(src, "2025-03-13").health().set_index("series_id")
    assert later.loc["fred:DGS10", "points"] == 8          # 03-03 .. 03-12 out by the 13th
