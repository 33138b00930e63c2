"""The report's stress section says which signals rank against a short history of their own.

`spillwatch report --as-of 1998-08-17` printed "high-yield spread (OAS, %) 3.78 | 100 | ● red"
in its signals table with no word that the 100 ranks against 1.6 years of ICE's series (from
1996-12-31); `spillwatch stress --as-of 1998-08-17` prints that note beside the same table
(h_dash2). The section passed only the index's own short-history note and the unpublished one.
"""

from __future__ import annotations

import html

import pandas as pd
import pytest

from _cut_store import cut_store
from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.data.source import open_source
from spillwatch.report.context import ReportContext
from spillwatch.report.sections import stress as stress_section
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata

#: The 10-year, the yen, the VIX and ICE's two spreads (the stress service test's store).
FILES = ("fred/DGS10.csv", "fred/DEXJPUS.csv", "fred/VIXCLS.csv", "fred/BAMLC0A0CM.csv",
         "fred/BAMLH0A0HYM2.csv")


def test_the_section_names_the_spreads_short_history(shared_data, tmp_path):
    db = cut_store(shared_data, tmp_path, FILES, first="1990-01-01", last="1998-08-31")
    with Workspace(open_source(db, read_only=True)) as ws:
        then = vintage_workspace(ws, pd.Timestamp("1998-08-17").date())
        sec = stress_section.build(ReportContext(then))
    text = html.unescape(sec.html)
    assert "<td>high-yield spread (OAS, %)</td><td>3.78</td><td>100</td>" in text
    assert ("these signals' percentiles rank against under 5 years of their own history: "
            "ig_oas_pct 1.6 years (since 1996-12-31), hy_oas_pct 1.6 years (since 1996-12-31)"
            in text)
