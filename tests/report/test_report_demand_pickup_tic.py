"""The report's demand section gives the hedged pick-up's 20-day change and TIC's release day,
from the reading `demand` prints (the section drew the pick-up as a chart line only and never
said when TIC's month came out)."""

from __future__ import annotations

import datetime as dt

import pytest

from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.data.source import open_source
from spillwatch.report.context import ReportContext
from spillwatch.report.sections import demand as demand_section
from spillwatch.service import demand as demand_service
from spillwatch.service._today import replay_day
from spillwatch.service.workspace import Workspace

pytestmark = [pytest.mark.realdata, pytest.mark.slow]


def test_the_section_gives_the_pickup_s_change_and_tic_s_release(real_db):
    """`demand --as-of 2025-11-05 --json`: ``hedged_pickup_pct`` -1.06, ``hedged_pickup_chg20_bp``
    +3.40, TIC observed 2025-07-31, released 2025-09-18, stale (inside the lapse in
    appropriations). `report --as-of 2025-11-05` said none of the three in words."""
    day = dt.date(2025, 11, 5)
    with Workspace(open_source(real_db, read_only=True)) as ws, replay_day(day):
        then = vintage_workspace(ws, day)
        sec = demand_section.build(ReportContext(then))
        last = demand_service.demand(then).latest()     # what `demand` prints
    sig, tic = last["signals"], last["inputs"]["tic"]
    assert (round(sig["hedged_pickup_pct"], 2), round(sig["hedged_pickup_chg20_bp"], 2)) == (
        -1.06, 3.40)
    assert tic == {"observed": "2025-07-31", "released": "2025-09-18", "stale": True}
    said = ("hedged 10y UST minus 10y JGB (Japanese investor; before the cross-currency basis: "
            "an upper bound): -1.06 pp; hedged pick-up, 20-day change: +3.40 bp; TIC holdings "
            "last observed 2025-07-31 (released 2025-09-18): past its staleness limit.")
    text = sec.html.replace("&#x27;", "'")
    assert f"<h3>The hedged pick-up and TIC</h3><p>{said}</p><h3>Attribution</h3>" in text, text
