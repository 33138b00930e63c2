"""The scenario's observed line on a weekend evening judges staleness on that evening
(h_verify23).

The demand calendar has no weekend rows, so a Saturday's or Sunday's evening read Friday's row,
whose inputs were judged fresh on the Friday. Fed custody (fred/WMTSECL1.csv) ends with the print
of Wednesday 2026-06-24; its limit is 16 days (spillwatch.timing), so it is past it from Saturday
2026-07-11 (17 days): `scenario --as-of 2026-07-11` (and 07-12) said "custody fell $98 bn in 8
weeks" as a current figure, where Monday 07-13 said "custody's last print (2026-06-24, past its
staleness limit)". MOF's intervention report of 2026-06-30 is past its 45 days on Saturday
2026-08-15 (46): that evening still said "Japan's interventions sold dollars for ¥11,735 bn",
Monday 08-17 did not.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from _cut_store import cut_store
from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.analytics.demand.facts import compare_with_scenario, observed_selling
from spillwatch.data.source import open_source
from spillwatch.service import demand as service
from spillwatch.service import scenarios
from spillwatch.service.workspace import Workspace
from spillwatch.timing import timing_of

pytestmark = [pytest.mark.realdata]

FILES = ("fred/WMTSECL1.csv", "fred/DGS10.csv", "fred/DEXJPUS.csv",
         "holdings/mof_weekly_intl_securities.csv", "holdings/mof_fx_intervention_daily.csv")
FRI, SAT = dt.date(2026, 7, 10), dt.date(2026, 7, 11)


@pytest.fixture(scope="module")
def evenings(shared_data, tmp_path_factory):
    db = cut_store(shared_data, tmp_path_factory.mktemp("weekend_staleness"), FILES,
                   first="2025-09-01", last="2026-08-31")
    with Workspace(open_source(db, read_only=True)) as ws:
        whole = service.demand(ws)
        seen = {day: scenarios.observed_vs(vintage_workspace(ws, day),
                                           scenarios.preset("japan-10pct"))
                for day in (FRI, SAT)}
    return whole, seen


def test_custody_fresh_on_friday_is_past_its_limit_on_saturday(shared_data, evenings):
    res, _ = evenings
    raw = pd.read_csv(shared_data / "fred" / "WMTSECL1.csv", index_col="date")["WMTSECL1"]
    assert raw.index[-1] == "2026-06-24"
    eight = (raw["2026-06-24"] - raw["2026-04-29"]) / 1000.0          # -98.091
    rule = timing_of("fred:WMTSECL1")
    assert not rule.is_stale("2026-06-24", "2026-07-10")
    assert rule.is_stale("2026-06-24", "2026-07-11")
    fri = observed_selling(res, "2026-07-10", evening=True)
    assert fri["custody_chg8_usd_bn"] == pytest.approx(eight, abs=1e-9)
    sat = observed_selling(res, "2026-07-11", evening=True)
    assert sat["custody_chg8_usd_bn"] is None and sat["custody_chg4_usd_bn"] is None
    assert sat["custody_last_print"]["date"] == "2026-06-24"
    assert sat["custody_last_print"]["custody_chg8_usd_bn"] == pytest.approx(eight, abs=1e-9)
    assert sat["sentence"].startswith("custody's last print (2026-06-24, past its staleness "
                                      "limit): fell $98 bn in 8 weeks")
    said = compare_with_scenario(res, scenario="japan-10pct", amount_usd_bn=118.55,
                                 at="2026-07-11", evening=True)
    assert said.startswith("custody's last print (2026-06-24, past its staleness limit): fell "
                           "$98 bn in 8 weeks, about 0.8x the size of japan-10pct"), said


def test_an_intervention_report_past_its_limit_on_saturday_is_not_said(shared_data, evenings):
    res, _ = evenings
    ops = pd.read_csv(shared_data / "holdings" / "mof_fx_intervention_daily.csv")
    may = ops[ops["date"].between("2026-04-24", "2026-05-24")]["amount_jpy_bn"].sum()
    assert f"{may:,.0f}" == "11,735"         # 04-30, 05-04, 05-06: May's report (05-29)
    fri = observed_selling(res, "2026-08-14", evening=True)    # the 06-30 report, 45 days on
    assert "Japan's interventions sold dollars for ¥11,735 bn" in fri["sentence"]
    sat = observed_selling(res, "2026-08-15", evening=True)    # 46 days on
    assert "interventions" not in sat["sentence"], sat["sentence"]
    assert sat["intervention_usd_sold_2m_usd_bn"] is None
    mon = observed_selling(res, "2026-08-17", evening=True)
    assert "interventions" not in mon["sentence"]


def test_the_scenario_s_line_says_the_stale_print_as_such_on_saturday(evenings):
    _, seen = evenings
    fri, sat = seen[FRI], seen[SAT]
    assert fri["sentence"].startswith("custody fell $98 bn in 8 weeks"), fri["sentence"]
    assert fri["ust10y_over_custody_window"]["to"] == "2026-06-24"
    assert sat["sentence"].startswith("custody's last print (2026-06-24, past its staleness "
                                      "limit): fell $98 bn in 8 weeks"), sat["sentence"]
    assert sat["sentence"].count("custody") == 1
    assert sat["ust10y_over_custody_window"] is None      # not a current 8-week window
    assert sat["custody_share_of_scenario"] == pytest.approx(fri["custody_share_of_scenario"])
