"""MOF's intervention record counts as complete only through the quarter of its last operation.

An events table holds operations only, so a month without a row is a report of zero only
while the record covers it. Taken as complete up to any evening, the shared data's record
(last operation 2026-05-06) read "intervention_reported 0" for a report of 2026-11-30 that
nothing in the store holds (h_ep5), and `japan_intervention` "not met" where every other
stale input read unknown.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from spillwatch.alerts.backtest.vintage import VintageSource
from spillwatch.analytics.demand.inputs import DemandInputs
from spillwatch.analytics.demand.signals import build_signals
from spillwatch.data.source import open_source

OPS = pd.DataFrame({"date": pd.to_datetime(["2021-02-10", "2021-02-11"]),
                    "currency_pair": "USD/JPY", "direction": "sell_USD_buy_JPY",
                    "amount_jpy_bn": [500.0, 250.0]})


def _inputs(through):
    days = pd.date_range("2020-01-01", "2022-06-29", freq="W-WED")
    custody = pd.Series(3_000_000.0 + np.arange(len(days)), index=days)
    return DemandInputs(custody=custody, interventions=OPS, interventions_through=through)


def test_reports_and_detail_after_the_record_s_quarter_are_unknown():
    s = build_signals(_inputs(pd.Timestamp("2021-03-31")), end="2022-06-30")
    reports = s.natives["interventions"].values["intervention_usd_sold_jpy_bn"]
    assert reports.loc["2021-02-26"] == 750.0          # February's report: the two days
    assert reports.loc["2021-03-31"] == 0.0            # a month the record covers: zero
    assert reports.index.max() == pd.Timestamp("2021-03-31")   # none after it
    detail = s.natives["intervention_detail"].values["intervention_days"]
    assert detail.index.max() == pd.Timestamp("2021-03-31") and detail.iloc[-1] == 2.0
    # the daily frame: known on the report's evening, past its staleness limit a year on
    frame = s.frame["intervention_usd_sold_jpy_bn"]
    assert frame.loc["2021-04-01"] == 0.0 and np.isnan(frame.loc["2022-06-30"])


def test_an_operation_in_the_record_s_last_quarter_week_is_reported():
    # 2021-03-30 goes to April's report (settled on 04-01), after the record's quarter (to
    # 2021-03-31): that report was left out, so no report ever held the operation and the
    # evening of 2021-04-30 read March's 0 as MOF's latest report
    ops = pd.concat([OPS, pd.DataFrame({"date": [pd.Timestamp("2021-03-30")],
                                        "currency_pair": ["USD/JPY"],
                                        "direction": ["sell_USD_buy_JPY"],
                                        "amount_jpy_bn": [300.0]})], ignore_index=True)
    inputs = dataclasses.replace(_inputs(pd.Timestamp("2021-03-31")), interventions=ops)
    s = build_signals(inputs, end="2022-06-30")
    reports = s.natives["interventions"].values["intervention_usd_sold_jpy_bn"]
    assert reports.sum() == 1050.0                       # every operation in a report
    assert reports.loc["2021-04-30"] == 300.0
    assert reports.index.max() == pd.Timestamp("2021-04-30")   # none after it
    assert s.frame["intervention_usd_sold_jpy_bn"].loc["2021-04-30"] == 300.0
    # the quarter's detail stays bounded by the record
    detail = s.natives["intervention_detail"].values["intervention_days"]
    assert detail.index.max() == pd.Timestamp("2021-03-31") and detail.iloc[-1] == 3.0


def test_a_record_taken_as_complete_reads_zero_reports_to_the_evening():
    # without a bound (the simulated demo's record, made whole to its last day)
    s = build_signals(_inputs(None), end="2022-06-30")
    assert s.frame["intervention_usd_sold_jpy_bn"].loc["2022-06-30"] == 0.0


def test_the_bound_is_the_last_operation_s_quarter_of_the_whole_store(tmp_path):
    from spillwatch.service.demand import interventions_through  # new with the bound

    folder = tmp_path / "data" / "holdings"
    folder.mkdir(parents=True)
    OPS.assign(date=OPS["date"].dt.strftime("%Y-%m-%d")).to_csv(
        folder / "mof_fx_intervention_daily.csv", index=False)
    with open_source(tmp_path / "data", db=tmp_path / "s.duckdb") as src:
        assert interventions_through(src) == pd.Timestamp("2021-03-31")
        # a replay's evening before the operations bounds the record as the whole store does
        # (what it covers), not by what was out that evening (nothing)
        early = VintageSource.of(src, dt.date(2020, 6, 30))
        assert early.events("fx_interventions").empty
        assert interventions_through(early) == pd.Timestamp("2021-03-31")


@pytest.mark.slow
@pytest.mark.realdata
def test_on_the_shared_data_the_last_report_is_of_june_2026(real_db):
    from spillwatch.alerts.facts import compute_facts

    with open_source(real_db, read_only=True) as src:
        late = compute_facts(src.store, as_of=dt.date(2026, 11, 30), stress=False)
        may = compute_facts(src.store, as_of=dt.date(2026, 5, 29), stress=False)
    gone = late.get("demand.intervention_jpy_bn")
    assert gone.value is None and gone.as_of == dt.date(2026, 6, 30)
    assert late.get("demand.intervention_reported").value is None
    assert "MOF's FX interventions (monthly report) (last 2026-06-30)" in late.get(
        "demand.stale_inputs_list").value
    # inside the record: the report of 2026-05-29 holds 2026-04-30, 05-04 and 05-06
    assert may.get("demand.intervention_jpy_bn").value == pytest.approx(6278.7 + 780.2
                                                                        + 4675.9)
