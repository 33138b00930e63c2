"""Edges of the intervention record's bound no other test pins (h_mut12, mutation testing).

- an evening before the record's end (a replay's, the whole store's record bounding it)
  reads no report after that evening: the bound is cut at the evening's grid end;
- the simulated demo's record is whole to its last day (no bound), a store's is not;
- a store without event tables (an old read-only store) has no record end.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spillwatch.analytics.demand.inputs import DemandInputs
from spillwatch.analytics.demand.signals import build_signals
from spillwatch.data.source import MarketSource, open_source
from spillwatch.service import demand
from spillwatch.service.workspace import Workspace

OPS = pd.DataFrame({"date": pd.to_datetime(["2020-05-11"]), "currency_pair": "USD/JPY",
                    "direction": "sell_USD_buy_JPY", "amount_jpy_bn": [500.0]})


def _custody():
    days = pd.date_range("2020-01-01", "2022-06-29", freq="W-WED")
    return pd.Series(3_000_000.0 + np.arange(len(days)), index=days)


def test_an_evening_before_the_record_s_end_reads_no_report_after_it():
    # the record (whole store) runs to 2021-03-31; the evening of 2020-12-31 had the May
    # operation only. Its reports stop at its own evening: January to March 2021 are not
    # reports of zero that evening knew of
    s = build_signals(DemandInputs(custody=_custody(), interventions=OPS,
                                   interventions_through=pd.Timestamp("2021-03-31")),
                      end="2020-12-31")
    reports = s.natives["interventions"].values["intervention_usd_sold_jpy_bn"]
    assert reports.index.max() == pd.Timestamp("2020-12-31")
    assert reports.loc["2020-05-29"] == 500.0 and reports.sum() == 500.0


@pytest.fixture
def mof_store(tmp_path):
    folder = tmp_path / "data" / "holdings"
    folder.mkdir(parents=True)
    pd.DataFrame({"date": ["2021-02-10", "2021-02-11"], "currency_pair": "USD/JPY",
                  "direction": "sell_USD_buy_JPY", "amount_jpy_bn": [500.0, 250.0]}).to_csv(
        folder / "mof_fx_intervention_daily.csv", index=False)
    with open_source(tmp_path / "data", db=tmp_path / "s.duckdb") as src:
        yield src


def test_the_demo_s_record_is_whole_a_store_s_is_bounded(mof_store):
    store = mof_store.store
    real = Workspace(MarketSource(store, "store", owned=False))
    made = Workspace(MarketSource(store, "demo", owned=False, simulated=True))
    assert demand.inputs(real).interventions_through == pd.Timestamp("2021-03-31")
    assert demand.inputs(made).interventions_through is None


def test_a_store_without_event_tables_has_no_record_end(mof_store):
    store = mof_store.store
    with store.transaction() as con:          # a store made before the event tables
        con.execute("DROP TABLE fx_interventions")
    src = MarketSource(store, "old", owned=False)
    assert src.events("fx_interventions").empty
    assert src.record_end("fx_interventions") is None
    assert demand.interventions_through(src) is None


def test_a_record_imported_after_a_fetch_is_bounded_by_its_own_last_quarter(mof_store):
    # fetched from MOF on 2021-01-05 (detailed through 2020's third quarter), then a newer
    # file imported (operations of February 2021): the record covers the first quarter of
    # 2021, its last operation's, not only what the older fetch had
    from spillwatch.store.events import INTERVENTIONS_FETCHED

    mof_store.store.set_meta(INTERVENTIONS_FETCHED, "2021-01-05T09:00:00")
    assert demand.interventions_through(mof_store) == pd.Timestamp("2021-03-31")
    # a fetch later than the record's quarter covers the quarters detailed by then
    mof_store.store.set_meta(INTERVENTIONS_FETCHED, "2021-11-20T09:00:00")
    assert demand.interventions_through(mof_store) == pd.Timestamp("2021-09-30")
