"""The report's stress section says why its reading is of a day before the evening's (the
10-year of the evening was published later), as `stress --as-of` and /api/stress?as_of= do:
`report --as-of 2025-10-06` printed "2025-10-03: stress 0.081" with no word that the 10-year of
2025-10-06 came out on 2025-10-07 (h_par2)."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from _cut_store import cut_store
from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.data.source import open_source
from spillwatch.report.context import ReportContext
from spillwatch.report.sections import stress as stress_section
from spillwatch.service import stress as service
from spillwatch.service._today import replay_day
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata

# H.15's yields (out the next business day), a dollar rate and the equity block: the three
# blocks the index needs
FILES = ("fred/DGS2.csv", "fred/DGS10.csv", "fred/DGS30.csv", "fred/DEXJPUS.csv",
         "fred/VIXCLS.csv", "fred/SP500.csv")


def test_the_section_says_the_evening_s_10_year_was_not_out(shared_data, tmp_path):
    db = cut_store(shared_data, tmp_path, FILES, first="2023-01-01", last="2025-12-31")
    day = dt.date(2025, 12, 30)
    with Workspace(open_source(db, read_only=True)) as ws, replay_day(day, published=True):
        then = vintage_workspace(ws, day)
        sec = stress_section.build(ReportContext(then))
        notes = service.summary(then, service.stress(then))["notes"]
    want = ("the reading is of 2025-12-29: the 10-year of 2025-12-30 was published on "
            "2025-12-31, after the evening these data are seen from")
    assert notes[0] == want                     # what `stress --as-of 2025-12-30` says
    text = html.unescape(re.sub(r"<[^>]+>", "", sec.html))
    assert text.lstrip().startswith("2025-12-29: stress ")
    assert f"{want}." in text
