"""The report's stress and attribution charts say when their series is not today's, as the
dashboard's cards do (their section's line said STALE; the charts under it said nothing)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.data.source import open_source
from spillwatch.report.context import ReportContext
from spillwatch.report.sections import demand as demand_section
from spillwatch.report.sections import stress as stress_section
from spillwatch.service._today import replay_day
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata


def _notes(fig) -> str:
    return " ".join(a.text for a in fig.layout.annotations if a.text).replace("<br>", " ")


@pytest.mark.slow
def test_the_latest_report_s_charts_carry_the_stale_note(real_db):
    """On 2026-12-05 ../shared/data's stress reading is of 2026-01-06 and the gauge's of
    2026-07-10: the cards say so since this session, the report's charts did not."""
    with Workspace(open_source(real_db, read_only=True)) as ws, \
            replay_day(dt.date(2026, 12, 5)):
        stress = stress_section.build(ReportContext(ws))
        demand = demand_section.build(ReportContext(ws))
    said = ("the stress reading is as of 2026-01-06, 333 days before today (2026-12-05): "
            "not today's reading")
    assert [said in _notes(f) for f in stress.figures] == [True, True]
    gauge_said = "the foreign-demand gauge is as of 2026-07-10, 148 days before today"
    # the attribution (the gauge's history and the flows' charts end on their own dates)
    assert [gauge_said in _notes(f) for f in demand.figures][:2] == [False, True]


@pytest.mark.slow
def test_a_current_evening_s_charts_carry_none(real_db):
    """`report --as-of 2022-10-21` (and `run --as-of`) read that evening as today."""
    day = pd.Timestamp("2022-10-21").date()
    with Workspace(open_source(real_db, read_only=True)) as ws, replay_day(day):
        then = vintage_workspace(ws, day)
        stress = stress_section.build(ReportContext(then))
        demand = demand_section.build(ReportContext(then))
    assert not any("not today's reading" in _notes(f)
                   for f in [*stress.figures, *demand.figures])


@pytest.mark.slow
def test_the_demand_line_names_a_group_without_a_reading(real_db):
    """`report --as-of 2019-02-15`: China has no reading (its reserves' flow too short to rank
    after the file's 2019 gap, its TIC line of 2018-10-31 past the 83-day limit in the 2018-19
    lapse). `demand` said "unavailable (unknown, not calm): China (...)" and the headline "no
    current reading from China (...)"; the section's line said only "calm" and its attribution
    table left China's share blank. It then said "no current reading from China (...)" as the
    headline did: it now says `demand`'s line, word for word."""
    day = dt.date(2019, 2, 15)
    with Workspace(open_source(real_db, read_only=True)) as ws, replay_day(day):
        sec = demand_section.build(ReportContext(vintage_workspace(ws, day)))
    assert sec.summary["groups_unavailable"] == ["china"]
    assert sec.summary["shares"]["china"] is None
    head = sec.html.split("<h3>", 1)[0]
    assert "gauge percentile 12, calm" in head
    assert head.endswith(" <b>Note</b>: unavailable (unknown, not calm): China (last observed "
                         "2018-12-31: past its staleness limit); the percentile ranks the gauge "
                         "of foreign official custody, Japan private, Japan official and "
                         "auctions among past values of the same groups.</p>")
