"""A book's CoVaR pair after ``--start``: its first row spans the same time for the book and the
10-year (h_verify29).

A book of bitcoin and the S&P 500 has a day on the bond market's Veterans Day (2024-11-11) with
no 10-year change; the quantile regression's pair adds it to the next day. Cut at ``--start
2024-11-12`` first, the pair's first row read the book's change from the holiday beside the
10-year's +13 bp from Friday, where from Friday the book made bitcoin's +13.9% and more."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from _cut_store import cut_files
from spillwatch.data.source import open_source
from spillwatch.scenarios import Portfolio
from spillwatch.service import risk
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata

FILES = ("fred/DGS10.csv", "fred/SP500.csv", "crypto/BTCUSDT.csv")
BOOK = Portfolio({"btc": 1e6, "spx": 1e6}, kind="notional")
START, END = pd.Timestamp("2024-11-12"), "2025-12-31"


@pytest.fixture(scope="module")
def ws(shared_data, tmp_path_factory):
    """The 10-year, the S&P 500 and bitcoin from June 2024 to 2025, by the project's import."""
    folder = cut_files(shared_data, tmp_path_factory.mktemp("veterans_book"), FILES,
                       first="2024-06-01", last=END)
    w = Workspace(open_source(folder))
    yield w
    w.close()


def test_the_book_s_pair_merges_its_holiday_before_start(ws, shared_data):
    rep = risk.tail_risk(ws, portfolio=BOOK, methods=("historical",), backtest=False,
                         start=START)
    fit = rep.covar.fits[risk.BOOK_COLUMN]
    # by hand: the book's daily return (percent of gross) on its whole history; the 10-year's
    # change over each book day's span from fred/DGS10.csv (none when it printed nothing then);
    # a book day without one joins the next (returns in percent of gross add up); then cut
    book = risk.book_returns(ws, BOOK, start=None)[0]
    ten = pd.read_csv(shared_data / "fred/DGS10.csv", index_col=0, parse_dates=True,
                      na_values=".").iloc[:, 0].dropna()
    at = ten.reindex(ten.index.union(book.index)).ffill()
    x = 100.0 * at.loc[book.index].diff()
    printed = pd.Series([((ten.index > a) & (ten.index <= b)).any() for a, b in
                         zip(book.index[:-1], book.index[1:], strict=True)], book.index[1:])
    x = x.iloc[1:].where(printed)
    y = book.iloc[1:].copy()
    rows, carry = [], 0.0
    for day in y.index:
        if np.isnan(x[day]):
            carry += y[day]
            continue
        rows.append((day, x[day], y[day] + carry))
        carry = 0.0
    pair = pd.DataFrame(rows, columns=["date", "x", "y"]).set_index("date").loc[START:]
    assert pd.Timestamp("2024-11-11") in book.index and pair.index[0] == START
    assert pair["x"].iloc[0] == pytest.approx(13.0)
    assert pair["y"].iloc[0] == pytest.approx(book.loc["2024-11-11":"2024-11-12"].sum())
    assert (fit["start"], fit["nobs"]) == (START, len(pair))
    state = fit["states"][0.95]
    stress = pair["x"].to_numpy() >= np.quantile(pair["x"].to_numpy(), 0.95)
    assert stress[0] and state["n_stress_days"] == int(stress.sum())
    assert state["mean_on_stress_days"] == pytest.approx(float(pair["y"][stress].mean()),
                                                         rel=1e-9)
