"""A book's CoVaR pair after ``--start``: the 10-year's change on the book's first day runs from
the book's day before, as its return does (h_verify29).

bb5dc5e made the book's first day after ``--start`` run from the book's day before (merged on the
whole history, then cut); the 10-year beside it (CoVaR's conditioning series) was still cut at
``--start``. A book of the 10-year and the S&P 500 with ``--start 2023-04-10``: the book's Monday
runs from Thursday 04-06 (the S&P 500 shut on Good Friday), the 10-year read +2 bp (Friday to
Monday) where from Thursday it rose 11 bp (+9 bp on Good Friday's jobs report) — the very move the
book's 10-year join was written for."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.regression.quantile_regression import QuantReg

from _cut_store import cut_workspace
from spillwatch.scenarios import Portfolio
from spillwatch.service import risk

pytestmark = pytest.mark.realdata

FILES = ("fred/DGS10.csv", "fred/SP500.csv")
BOOK = Portfolio({"ust10y": 1e6, "spx": 1e6}, kind="notional")


@pytest.fixture(scope="module")
def ws(shared_data, tmp_path_factory):
    """The 10-year and the S&P 500 from March 2023 to December 2024, by the project's import."""
    with cut_workspace(shared_data, tmp_path_factory.mktemp("goodfriday"), FILES,
                       first="2023-03-01", last="2024-12-31") as w:
        yield w


def test_the_first_day_s_10_year_runs_from_the_book_s_day_before(ws):
    day = pd.Timestamp("2023-04-10")
    cut = risk.book_panel(ws, BOOK, start=day)[0]
    whole = risk.book_panel(ws, BOOK, start=None)[0]
    assert cut.index[0] == day
    # by hand from ../shared/data's fred/DGS10.csv: 3.30% on Thursday 04-06 (the book's day
    # before: SP500.csv is blank on Good Friday), 3.39% on 04-07, 3.41% on Monday 04-10
    assert cut.loc[day, "ust10y_bp"] == pytest.approx(100 * (3.41 - 3.30), abs=1e-9)
    assert whole.loc[day, "ust10y_bp"] == pytest.approx(11.0, abs=1e-9)
    # every day after --start is the whole history's, the book's return and the 10-year's
    pd.testing.assert_frame_equal(cut, whole.loc[day:], check_freq=False)
    # a start on the book's first day reads as before (no day before it to run from)
    first = whole.index[0]
    assert risk.book_panel(ws, BOOK, start=first)[0].equals(whole)


def test_the_book_s_covar_is_fitted_on_the_10_year_over_the_book_s_spans(ws, shared_data):
    """The book's CoVaR beta against a quantile regression on the 10-year read from the raw
    file over each of the book's days (from the book's day before), by statsmodels."""
    day = pd.Timestamp("2023-04-10")
    rep = risk.tail_risk(ws, portfolio=BOOK, methods=("historical",), backtest=False,
                         start=day)
    row = rep.covar.frame.iloc[0]
    ret = risk.book_returns(ws, BOOK, start=day)[0]
    dgs10 = pd.read_csv(shared_data / "fred/DGS10.csv", index_col=0, parse_dates=True,
                        na_values=".").iloc[:, 0].dropna()
    days = ret.index.insert(0, pd.Timestamp("2023-04-06"))     # the book's day before
    at = dgs10.reindex(dgs10.index.union(days)).ffill().loc[days]
    x = 100.0 * at.diff().iloc[1:].to_numpy()
    assert x[0] == pytest.approx(11.0, abs=1e-9)
    fit = QuantReg(ret.to_numpy(), np.column_stack([np.ones_like(x), x])).fit(
        q=risk.COVAR_Q, vcov="robust", max_iter=5000)
    assert row["nobs"] == len(x)
    assert row["beta"] == pytest.approx(float(fit.params[1]), rel=1e-6)
