"""An own series with no date up to ``--end`` is refused in words, not with a traceback
(h_meta1).

The first-change rule of ``risk_panel`` (5f8349e) read an own series' first date; with ``--end``
before its data began the series had none, and ``risk --end 2024-06-01 --assets csv:T1`` ended
in ``IndexError: index 0 is out of bounds`` (exit 1) where it said that the series has no
observations in the window (exit 2)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from spillwatch.cli import app


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """A 10-year (under FRED's id) from mid-2022 and a coin of one's own from 2025-01-19."""
    tmp = tmp_path_factory.mktemp("late_own")
    path = tmp / "store.duckdb"
    rng = np.random.default_rng(5)
    bdays = pd.bdate_range("2022-06-01", "2025-03-31")
    ten = np.round(4.0 + np.cumsum(rng.normal(0, 0.05, len(bdays))), 2)
    days = pd.date_range("2025-01-19", "2025-03-31", freq="D")
    coin = 40.0 * np.exp(np.cumsum(rng.normal(0, 0.05, len(days))))
    for name, series_id, idx, values, extra in (
            ("TEN", "fred:DGS10", bdays, ten, []),
            ("COIN", "csv:COIN", days, coin, ["--positive"])):
        csv = tmp / f"{name}.csv"
        pd.DataFrame({"date": idx.strftime("%Y-%m-%d"), name: values}).to_csv(csv, index=False)
        res = CliRunner().invoke(app, ["import", str(csv), "--db", str(path), "--map",
                                       f"{name}={series_id}", *extra])
        assert res.exit_code == 0, res.output
    return path


@pytest.mark.parametrize("assets", ["csv:COIN", "csv:COIN,ust10y"])
def test_an_own_series_that_begins_after_end_is_refused_in_words(db, assets):
    res = CliRunner().invoke(app, ["risk", "--db", str(db), "--end", "2024-06-01",
                                   "--assets", assets])
    assert res.exit_code == 2, res.output
    assert "'csv_coin_pct' has no observations in the window" in res.output
