"""The closure note's edges no test pinned (h_mut16): its move in bp for a yield, the day the
VaR is of, volatility's note and stale check, and the last of several prints after the gap.

Real files of ../shared/data (the S&P 500 and DGS10 of 1999-06 to 2001-10), with rows left
out to make the gaps, imported by the project's own import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.data.source import open_source
from spillwatch.service import risk
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata

SPX, DGS10, WTI = "equity/sp500_yahoo.csv", "fred/DGS10.csv", "fred/DCOILWTICO.csv"
GAP = ("printed on 2001-09-17 after no value since 2001-09-10 (7 days, more than 5: a market "
       "closure or a gap in its published figures), a move of ")


def _said(col: str, move: str, what: str) -> str:
    return (f"{col} {GAP}{move} that is not a daily change and is in no history here; {what} is "
            "of the day after 2001-09-10")


def _store(shared_data: Path, tmp_path: Path, keep: dict[str, Callable[[str], bool]]) -> Path:
    """The files' rows of 1999-06-01 to 2001-10-31 whose date ``keep[file]`` keeps."""
    folder = tmp_path / "data"
    for rel, ok in keep.items():
        lines = (shared_data / rel).read_text().splitlines(keepends=True)
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(lines[0] + "".join(
            x for x in lines[1:] if "1999-06-01" <= x[:10] <= "2001-10-31" and ok(x[:10])))
    db = tmp_path / "cut.duckdb"
    open_source(folder, db=db).close()
    return db


def test_each_unit_of_the_move_over_the_gap_and_volatility_says_it(shared_data, tmp_path):
    """DGS10 without 2001-09-11 to 09-14: 4.84 on 09-10, 4.63 on 09-17 (published 09-18),
    a move of 100 * (4.63 - 4.84) = -21 bp; WTI without them: 27.66 to 28.84, +1.18 (a raw
    change, dollars); the S&P to 09-17 (1092.54 on 09-10, 1038.77 on
    09-17: 100 * log(1038.77 / 1092.54) = -5.05%). On the evening of 09-18 volatility's notes
    say the gap (not a staleness) of the three series, the forecast of the day after 09-10."""
    db = _store(shared_data, tmp_path, {SPX: lambda d: d <= "2001-09-17",
                                        DGS10: lambda d: not "2001-09-11" <= d <= "2001-09-14",
                                        WTI: lambda d: not "2001-09-11" <= d <= "2001-09-14"})
    with Workspace(open_source(db, read_only=True)) as ws:
        rep = risk.volatility(vintage_workspace(ws, dt.date(2001, 9, 18)),
                              assets=("spx", "ust10y", "wti"), start="1999-06-01",
                              end="2001-09-18")
    notes = list(rep.notes)
    assert not any("staleness limit" in n for n in notes), notes
    assert "no daily change at the window's end: " + _said("ust10y_bp", "-21 bp", "the forecast") \
        in notes, notes
    assert "no daily change at the window's end: " + _said("spx_pct", "-5.05%", "the forecast") \
        in notes, notes
    assert "no daily change at the window's end: " + _said("wti_chg", "+1.18", "the forecast") \
        in notes, notes


def test_the_stale_check_reads_the_last_of_the_prints_after_the_gap(shared_data, tmp_path):
    """The S&P printed 2001-09-17 and 09-25 only after 09-10 (each more than 5 days after the
    one before: no change): the VaR is of the day after 09-10, and on 10-15 the series is
    stale by its last print, 09-25, 20 days before (not 09-17's 28)."""
    db = _store(shared_data, tmp_path, {SPX: lambda d: d <= "2001-09-17" or d == "2001-09-25",
                                        DGS10: lambda d: True})
    with Workspace(open_source(db, read_only=True)) as ws:
        rep = risk.tail_risk(vintage_workspace(ws, dt.date(2001, 10, 15)), assets=("spx",),
                             start="1999-06-01", end="2001-10-15", methods=("historical",),
                             backtest=False)
    notes = " ".join(rep.notes)
    assert _said("spx_pct", "-5.05%", "the VaR") in notes, notes
    assert "spx_pct (as of 2001-09-25, 20 days before, limit 6)" in notes, notes
