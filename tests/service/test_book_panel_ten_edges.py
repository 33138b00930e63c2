"""The 10-year beside a book (CoVaR's pair) on the book's first day, at the edges (h_mut25).

:func:`spillwatch.service.risk.book_panel` sums the 10-year's changes after the book's day
before ``start`` onto the first day, and, with no day before (a start before the book's first
day), keeps the 10-year's changes from that first day on. A mutant taking the day before's own
change too (``>=``) and one keeping the 10-year's changes before the book's first day survived
the tests: the 10-year did not move on the day they read (2023-04-06)."""

from __future__ import annotations

import pandas as pd
import pytest

from _cut_store import cut_files
from spillwatch.data.source import open_source
from spillwatch.scenarios import Portfolio
from spillwatch.service import risk
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata

FILES = ("fred/DGS10.csv", "fred/SP500.csv")


@pytest.fixture(scope="module")
def ws(shared_data, tmp_path_factory):
    """The 10-year from February 2023, the S&P 500 from March, by the project's import."""
    folder = cut_files(shared_data, tmp_path_factory.mktemp("ten_edges"), FILES,
                       first="2023-03-01", last="2023-06-30",
                       starts={"fred/DGS10.csv": "2023-02-01"})
    w = Workspace(open_source(folder))
    yield w
    w.close()


@pytest.fixture(scope="module")
def dgs10(shared_data) -> pd.Series:
    """The 10-year in percent, read from the raw file."""
    s = pd.read_csv(shared_data / "fred/DGS10.csv", index_col=0, parse_dates=True,
                    na_values=".").iloc[:, 0].dropna()
    return s.loc["2023-02-01":"2023-06-30"]


def test_the_first_day_s_10_year_is_its_move_since_the_book_s_day_before(ws, dgs10):
    book = Portfolio({"ust10y": 1e6, "spx": 1e6}, kind="notional")
    whole = risk.book_panel(ws, book, start=None)[0]
    # 03-30 .. 04-04: the 10-year moved on each day before (-2, -7, -5 bp)
    for day in whole.index[20:23]:
        cut = risk.book_panel(ws, book, start=day)[0]
        since = whole.index[whole.index.get_loc(day) - 1]
        assert cut.index[0] == day
        assert dgs10[since] != dgs10[dgs10.index < since].iloc[-1]
        assert cut.loc[day, "ust10y_bp"] == pytest.approx(
            100.0 * (dgs10[day] - dgs10[since]), abs=1e-9)
        pd.testing.assert_frame_equal(cut, whole.loc[day:], check_freq=False)


def test_a_book_s_first_day_reads_the_10_year_of_that_day_alone(ws, dgs10):
    # the S&P 500 from 2023-03-01: the book's first day is 03-02, the 10-year's 4.01 -> 4.08;
    # its changes of February are no day of the book's
    book = Portfolio({"spx": 1e6}, kind="notional")
    day = pd.Timestamp("2023-03-02")
    for start in (None, "2023-02-15"):
        panel = risk.book_panel(ws, book, start=start)[0]
        assert panel.index[0] == day
        assert panel.loc[day, "ust10y_bp"] == pytest.approx(
            100.0 * (dgs10[day] - dgs10[pd.Timestamp("2023-03-01")]), abs=1e-9)
        assert panel.loc[day, "ust10y_bp"] == pytest.approx(7.0, abs=1e-9)
