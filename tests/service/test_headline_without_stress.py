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


def test_a_gauge_without_a_reading_is_neither_led_nor_dated(tmp_path):
    # a year of custody alone: the foreign-demand gauge has rows but no reading (custody too
    # short to rank, no other group); the headline said "led by no group" and "the
    # foreign-demand gauge is as of 2026-01-02" of a gauge that was never read (h_data1)
    weeks = pd.date_range("2025-01-01", "2025-12-31", freq="W-WED")
    level = 2_900_000 + np.random.default_rng(3).normal(0, 5_000, len(weeks)).cumsum()
    (tmp_path / "data" / "fred").mkdir(parents=True)
    pd.DataFrame({"date": weeks.strftime("%Y-%m-%d"), "WMTSECL1": level.round()}).to_csv(
        tmp_path / "data" / "fred" / "WMTSECL1.csv", index=False)
    db = tmp_path / "custody.duckdb"
    res = CliRunner().invoke(app, ["import", str(tmp_path / "data"), "--db", str(db)])
    assert res.exit_code == 0, res.output
    with Workspace(open_source(db, read_only=True)) as ws:
        lines = summary.headline(ws, today=dt.date(2026, 3, 2), scenarios=False).lines()
    line = next(x for x in lines if x.startswith("Foreign selling gauge"))
    assert line.startswith("Foreign selling gauge percentile n/a on 2026-01-02, no reading; "
                           "unavailable (unknown, not calm): foreign official custody (last "
                           "observed 2025-12-31: too little history to rank it)"), line
    assert "led by" not in line and "the foreign-demand gauge is as of" not in line, line
    # ... and still says that the evening has no group, and why
    assert ("STALE: on 2026-03-02 no group has a reading (the gauge needs 3): foreign official "
            "custody (Fed custody holdings last observed 2025-12-31: past its staleness limit)"
            in line), line
