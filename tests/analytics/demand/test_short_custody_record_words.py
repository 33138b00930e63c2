"""Words of an evening early in a record (session 52, from h_ep9's reading of 2007-08-09).

Fed custody (fred/WMTSECL1.csv) is 0 until 2007-06-27 and begins 2007-07-04; on 2007-08-09 its
last print (08-08, 1,217,707 $m) is 4.70 $bn under 07-11's (1,222,406): a 4-week change, no
8-week change yet. The scenario's observed line said "custody data unavailable on 2007-08-09".
The auctions file begins 2015-01-12: the gauge's "unavailable" line said "auctions (no data)"
of a store that holds them from then.
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

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

FILES = ("fred/WMTSECL1.csv", "auctions/ust_auctions_notes_bonds.csv", "fred/DGS10.csv",
         "fred/DEXJPUS.csv", "fred/DTWEXBGS.csv", "holdings/mof_weekly_intl_securities.csv",
         "holdings/mof_fx_intervention_daily.csv", "tic/major_foreign_holders.csv")
DAY = dt.date(2007, 8, 9)


@pytest.fixture(scope="module")
def db(shared_data, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("short_custody")
    # (MOF's intervention record whole: cut in 2008 it would end with its operation of
    # 2004-03-16, and the months after it read unknown, not 0)
    return cut_store(shared_data, tmp, FILES, last="2008-06-30",
                     ends={"auctions/ust_auctions_notes_bonds.csv": "2015-03-31",
                           "holdings/mof_fx_intervention_daily.csv": "9999"})


@pytest.fixture(scope="module")
def evening(db):
    with Workspace(open_source(db, read_only=True)) as ws:
        v = vintage_workspace(ws, DAY)
        res = service.demand(v, end=DAY.isoformat())
        yield res, service.headline(v, today=DAY), " ".join(str(res).split())


def test_a_custody_record_shorter_than_8_weeks_gives_its_4_week_change(evening, shared_data):
    res, _, _ = evening
    raw = pd.read_csv(shared_data / "fred" / "WMTSECL1.csv", index_col="date")["WMTSECL1"]
    four = (raw["2007-08-08"] - raw["2007-07-11"]) / 1000.0
    assert f"{four:.2f}" == "-4.70"
    assert compare_with_scenario(res, scenario="japan-10pct", amount_usd_bn=113.0, at=DAY) == (
        "custody fell $5 bn in 4 weeks and has no 8-week change yet on 2007-08-09 (its record "
        "is shorter); cannot compare with japan-10pct")
    assert observed_selling(res, DAY)["sentence"].startswith(
        "custody fell $5 bn in 4 weeks (no 8-week change yet: its record is shorter)")


def test_a_group_whose_figures_begin_later_is_not_no_data(evening):
    _, head, text = evening
    assert "auctions (none published by then: auction results from 2015-01-12)" in text
    assert "(no data)" not in text
    assert head["groups_why"]["auctions"] == (
        "(none published by then: auction results from 2015-01-12)")


def test_the_scenario_s_observed_line_reads_its_evening_not_the_gauge_s_last_reading(
        db, shared_data):
    """As of 2007-08-30 the line read the gauge's last reading (2007-08-17: "custody fell $34
    bn in 4 weeks (no 8-week change yet…)") where custody's print of 08-29, out that evening,
    has an 8-week change."""
    raw = pd.read_csv(shared_data / "fred" / "WMTSECL1.csv", index_col="date")["WMTSECL1"]
    eight = (raw["2007-08-29"] - raw["2007-07-04"]) / 1000.0
    four = (raw["2007-08-29"] - raw["2007-08-01"]) / 1000.0
    assert (f"{eight:.2f}", f"{four:.2f}") == ("-32.55", "-46.93")
    day = dt.date(2007, 8, 30)
    with Workspace(open_source(db, read_only=True)) as ws:
        v = vintage_workspace(ws, day)
        gauge = service.demand(v).latest()["date"]
        obs = scenarios.observed_vs(v, scenarios.preset("japan-10pct"))
    assert str(gauge) < "2007-08-30"                  # the gauge did not read that evening
    assert obs["date"] == "2007-08-30"
    assert obs["custody_chg8_usd_bn"] == pytest.approx(eight, abs=1e-9)
    assert obs["custody_chg4_usd_bn"] == pytest.approx(four, abs=1e-9)
    assert obs["sentence"].startswith("custody fell $33 bn in 8 weeks (fell $47 bn in the last "
                                      "4), about 0.3x the size of japan-10pct"), obs["sentence"]
    assert obs["ust10y_over_custody_window"]["to"] == "2007-08-29"
    assert obs["sentence"].endswith("(published by 2007-08-30)")
