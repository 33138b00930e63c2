"""The report's stress section names the all-history percentile that decides a crisis."""

from __future__ import annotations

import pandas as pd
import pytest

from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.data.source import open_source
from spillwatch.report.context import ReportContext
from spillwatch.report.sections import stress as stress_section
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata


@pytest.mark.parametrize(("evening", "line"), [
    # `spillwatch stress --as-of 2022-05-09 --json`: percentile 97.09, all history 94.39,
    # elevated; 2022-12-06: 94.34 and 95.77, crisis
    ("2022-05-09", "percentile 97, all history 94, regime <b>elevated</b>"),
    ("2022-12-06", "percentile 94, all history 95, regime <b>crisis</b>"),
])
def test_the_section_gives_the_all_history_rank_beside_the_regime(real_db, evening, line):
    """`report --as-of 2022-05-09` read "stress 0.361, percentile 97, regime elevated": a
    percentile past crisis's 95 under "elevated", with no word of the all-history rank (94)
    that the regime reads; the headline above it and the dashboard's dial give it, the section
    did not (it has no dial)."""
    with Workspace(open_source(real_db, read_only=True)) as ws:
        then = vintage_workspace(ws, pd.Timestamp(evening).date())
        sec = stress_section.build(ReportContext(then))
    assert f"<b>{evening}</b>: stress " in sec.html
    assert line in sec.html
