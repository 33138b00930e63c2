"""CoVaR's pairs (a coin's, a book's) and the DCC after ``--start``: their first row's changes
span the same time (h_verify29).

The quantile regression's pair (a coin and the 10-year) is merged where the 10-year has no
change (the bond market's Veterans Day, when crypto and stocks trade); cut at ``--start`` first,
a start the day after such a holiday paired bitcoin's move from the holiday with the 10-year's
from the Friday before (``--start 2024-11-12``: bitcoin -0.79% beside the 10-year's +13 bp, a
stress day of the 95% state, where from Friday 11-08 bitcoin rose 13.9%)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.regression.quantile_regression import QuantReg

from _cut_store import cut_workspace
from spillwatch.scenarios import Portfolio
from spillwatch.service import risk

pytestmark = pytest.mark.realdata

FILES = ("fred/DGS10.csv", "fred/SP500.csv", "crypto/BTCUSDT.csv")
START = pd.Timestamp("2024-11-12")
END = "2025-12-31"


@pytest.fixture(scope="module")
def ws(shared_data, tmp_path_factory):
    """The 10-year, the S&P 500 and bitcoin from June 2024 to 2025, by the project's import."""
    with cut_workspace(shared_data, tmp_path_factory.mktemp("veterans"), FILES,
                       first="2024-06-01", last=END) as w:
        yield w


def _read(path) -> pd.Series:
    return pd.read_csv(path, index_col=0, parse_dates=True, na_values=".").iloc[:, 0].dropna()


def test_the_pair_s_first_row_runs_from_the_10_year_s_day_before(ws, shared_data):
    rep = risk.tail_risk(ws, assets=("btc",), methods=("historical",), backtest=False,
                         start=START)
    fit = rep.covar.fits["btc_pct"]
    # by hand from the raw files: each of the 10-year's print days from --start, the change
    # since its print before (Friday 11-08 for Tuesday 11-12: none on Veterans Day), and
    # bitcoin's log change between the same two days' closes
    ten = _read(shared_data / "fred/DGS10.csv").loc[:END]
    btc = _read(shared_data / "crypto/BTCUSDT.csv")
    days = ten.index[ten.index >= START]
    prev = ten.index[ten.index.get_indexer(days) - 1]
    x = 100.0 * (ten.loc[days].to_numpy() - ten.loc[prev].to_numpy())
    y = 100.0 * np.log(btc.loc[days].to_numpy() / btc.loc[prev].to_numpy())
    assert (prev[0], x[0]) == (pd.Timestamp("2024-11-08"), pytest.approx(13.0))
    assert y[0] == pytest.approx(100.0 * np.log(87952.01 / 76509.78), abs=1e-9)
    assert (fit["start"], fit["nobs"]) == (START, len(days))
    ref = QuantReg(y, np.column_stack([np.ones_like(x), x])).fit(q=risk.COVAR_Q,
                                                                  vcov="robust", max_iter=5000)
    # to statsmodels' iteratively reweighted solution's precision (inputs equal to 2e-13)
    assert fit["beta"] == pytest.approx(float(ref.params[1]), rel=1e-4)
    assert fit["alpha"] == pytest.approx(float(ref.params[0]), rel=1e-4)
    # the first day is a stress day of the 95% state: its mean reads bitcoin's +13.9% there
    stress = x >= np.quantile(x, 0.95)
    assert stress[0]
    state = fit["states"][0.95]
    assert state["n_stress_days"] == int(stress.sum())
    assert state["mean_on_stress_days"] == pytest.approx(float(y[stress].mean()), rel=1e-9)


# The DCC (``volatility``'s correlation) merges the same way: cut at ``--start`` first, its
# first row paired bitcoin's move from Veterans Day with the 10-year's from Friday.
def test_the_correlation_s_rows_run_from_the_10_year_s_day_before(ws, shared_data):
    rep = risk.correlation(ws, assets=("btc", "ust10y"), start=START)
    data = rep.result.data
    # by hand from the raw files: each of the 10-year's print days from --start, its change
    # since its print before (Friday 11-08 for Tuesday 11-12: none on Veterans Day), and
    # bitcoin's log change between the same two days' closes
    ten = _read(shared_data / "fred/DGS10.csv").loc[:END]
    btc = _read(shared_data / "crypto/BTCUSDT.csv")
    days = ten.index[ten.index >= START]
    prev = ten.index[ten.index.get_indexer(days) - 1]
    assert prev[0] == pd.Timestamp("2024-11-08")
    assert data.index.equals(days)
    np.testing.assert_allclose(data["ust10y_bp"].to_numpy(),
                               100.0 * (ten.loc[days].to_numpy() - ten.loc[prev].to_numpy()),
                               atol=1e-9)
    np.testing.assert_allclose(data["btc_pct"].to_numpy(),
                               100.0 * np.log(btc.loc[days].to_numpy() / btc.loc[prev].to_numpy()),
                               atol=1e-9)
    assert data.loc[START, "btc_pct"] == pytest.approx(100.0 * np.log(87952.01 / 76509.78))


# A book of bitcoin and the S&P 500 has a day on Veterans Day with no 10-year change; the
# book's pair adds it to the next day. Cut at --start first, its first row read the book's
# change from the holiday beside the 10-year's +13 bp from Friday.
BOOK = Portfolio({"btc": 1e6, "spx": 1e6}, kind="notional")


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
