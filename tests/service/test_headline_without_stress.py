"""The headline's problems when the stress index cannot be read (h_cov2: no test ran them).

A store without the 10-year says the index needs it; a store holding only the 10-year says
why the index has no reading (its required blocks), where the headline otherwise had no stress
line and no word of why. Each store is built from a seeded file imported as the user would.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from spillwatch.cli import app
from spillwatch.data.source import open_source
from spillwatch.service import summary
from spillwatch.service.workspace import Workspace

DAYS = pd.bdate_range("2025-01-02", "2025-12-31")
TODAY = dt.date(2026, 1, 2)


def _store(tmp_path, column: str, series_id: str, values: np.ndarray, *flags: str):
    path = tmp_path / f"{column}.csv"
    pd.DataFrame({"date": DAYS.strftime("%Y-%m-%d"), column: values}).to_csv(path, index=False)
    db = tmp_path / f"{column}.duckdb"
    res = CliRunner().invoke(app, ["import", str(path), "--db", str(db), "--map",
                                   f"{column}={series_id}", *flags])
    assert res.exit_code == 0, res.output
    return db


def _problems(db) -> list[str]:
    with Workspace(open_source(db, read_only=True)) as ws:
        return summary.headline(ws, today=TODAY, scenarios=False).problems


@pytest.fixture
def walk():
    return np.random.default_rng(3).normal(0, 1, len(DAYS)).cumsum()


def test_without_the_10_year_the_headline_says_the_index_needs_it(tmp_path, walk):
    db = _store(tmp_path, "BTCUSDT", "binance:BTCUSDT", 90_000 * np.exp(walk / 50), "--positive")
    problems = _problems(db)
    assert "The stress index needs the 10-year yield, which the data lack." in problems
    assert not any(p.startswith("The stress index unavailable") for p in problems)
    assert problems[0].startswith("Missing inputs: Treasury yields; dollar; ")


def test_with_the_10_year_alone_the_headline_says_why_no_reading(tmp_path, walk):
    db = _store(tmp_path, "DGS10", "fred:DGS10", 4.2 + walk / 20)
    problems = _problems(db)
    assert ("The stress index unavailable: the data have no input of the required block(s) "
            "dollar, equity_vol: the index is published only with rates, dollar, equity_vol "
            "all present") in problems
    assert "The stress index needs the 10-year yield, which the data lack." not in problems
    assert problems[0].startswith("Missing inputs: Treasury yields (ust2y, ust30y); dollar; ")
