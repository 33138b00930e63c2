"""`stress --end D` compares the index with STLFSI4 only up to D.

``--end D`` reads every series up to D by observation date; the summary's weekly correlation
with the St. Louis Fed's index read STLFSI4 whole, so on a Thursday ``--end`` the week cut
at D (the index's Monday to Thursday) was paired with STLFSI4 of the Friday after D: on the
real store ``--end 2025-04-10`` gave 0.7770 over 1,633 weeks where the store cut at D (every
file's rows up to D, imported) gave 0.7777 over 1,632 (h_trunc1). The stores here hold the
real files of 2016 to 2025, one cut at D and one a week past it, imported with the project's
own import.
"""

from __future__ import annotations

import pandas as pd
import pytest

from _cut_store import cut_store
from spillwatch.data.source import open_source
from spillwatch.service import stress as service
from spillwatch.service.workspace import Workspace

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

FILES = ("fred/DGS2.csv", "fred/DGS10.csv", "fred/DGS30.csv", "fred/DEXJPUS.csv",
         "fred/VIXCLS.csv", "fred/SP500.csv", "fred/STLFSI4.csv")
END = "2025-04-10"          # a Thursday: STLFSI4's week ends on Friday 04-11


def _reading(db):
    with Workspace(open_source(db, read_only=True)) as ws:
        result = service.stress(ws, end=END)
        return result, service.summary(ws, result, end=END)


def test_the_stlfsi_correlation_of_an_end_reads_no_week_after_it(shared_data, tmp_path):
    later = cut_store(shared_data, tmp_path / "later", FILES, first="2016-01-01",
                      last="2025-04-18")
    cut = cut_store(shared_data, tmp_path / "cut", FILES, first="2016-01-01", last=END)
    result, got = _reading(later)
    _, on_cut = _reading(cut)
    assert (got["stlfsi_weekly_corr"], got["stlfsi_weeks"]) == (
        on_cut["stlfsi_weekly_corr"], on_cut["stlfsi_weeks"])
    # by hand: the index's weekly (to Friday) means beside STLFSI4's Fridays up to END, read
    # from the file itself
    raw = pd.read_csv(shared_data / "fred" / "STLFSI4.csv", index_col="date",
                      parse_dates=True)["STLFSI4"].dropna()
    raw = raw.loc["2016-01-01":END]
    weekly = result.frame["stress"].dropna().resample("W-FRI").mean()
    both = pd.concat([weekly.reindex(raw.index), raw], axis=1).dropna()
    assert both.index[-1] == pd.Timestamp("2025-04-04")
    assert got["stlfsi_weeks"] == len(both) == 431
    assert got["stlfsi_weekly_corr"] == pytest.approx(
        both.iloc[:, 0].corr(both.iloc[:, 1]), abs=1e-12)


def test_an_end_with_too_few_stlfsi_weeks_gives_no_correlation(real_db):
    """`--end 1994-01-07`: STLFSI4 has two Fridays by then (1993-12-31, 1994-01-07, its file's
    first rows), too few for a correlation; the summary has no such field rather than a NaN one
    (h_mut24: the finite check survived the test above)."""
    with Workspace(open_source(real_db, read_only=True)) as ws:
        # a year of Fridays (MIN_REFERENCE_WEEKS) before a correlation: 1994-01-14's three
        # gave 0.02, a number of no meaning
        for end, weeks in (("1994-01-07", None), ("1994-01-14", None), ("1994-12-16", None),
                           ("1994-12-23", 52)):
            result = service.stress(ws, end=end)
            got = service.reference_correlation(ws, result, end=end)
            assert got.get("stlfsi_weeks") == weeks
        assert service.summary(ws, service.stress(ws, end="1994-01-07"),
                               end="1994-01-07").get("stlfsi_weekly_corr", "absent") == "absent"
