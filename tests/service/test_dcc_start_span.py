"""The dynamic correlation after ``--start``: its first row's changes span the same time
(h_verify29).

The DCC merges a day one market missed into the next day every series has; cut at ``--start``
first, a start the day after the bond market's Veterans Day paired bitcoin's move from the
holiday with the 10-year's from the Friday before (``--start 2024-11-12``: bitcoin -0.79% beside
the 10-year's +13 bp, where from Friday 11-08 it rose 13.9%)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from _cut_store import cut_files
from spillwatch.data.source import open_source
from spillwatch.service import risk
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata

FILES = ("fred/DGS10.csv", "fred/SP500.csv", "crypto/BTCUSDT.csv")
START, END = pd.Timestamp("2024-11-12"), "2025-12-31"


@pytest.fixture(scope="module")
def ws(shared_data, tmp_path_factory):
    """The 10-year, the S&P 500 and bitcoin from June 2024 to 2025, by the project's import."""
    folder = cut_files(shared_data, tmp_path_factory.mktemp("veterans_dcc"), FILES,
                       first="2024-06-01", last=END)
    w = Workspace(open_source(folder))
    yield w
    w.close()


def _read(path) -> pd.Series:
    return pd.read_csv(path, index_col=0, parse_dates=True, na_values=".").iloc[:, 0].dropna()


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
