"""A series of one's own in basis points is read on its rises, as the same series in percent
(h_meta1).

The 10-year imported with ``unit = "pct"`` changes by differences in bp and its VaR is read on
its rises (a bond holder's loss); imported in basis points (``unit = "bp"``, the unit the importer
stores a spread or a rate quoted so in) it changed by the same differences but its VaR was read on
its falls: on ../shared/data to mid-2025 FHS 12.88 bp where the same yields in percent read
14.20."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from spillwatch.cli import app
from spillwatch.data.source import open_source
from spillwatch.service import risk
from spillwatch.service.workspace import Workspace

#: The same yields in basis points under four spellings of the unit (h_mut25: 5cfa440 read
#: "bp" on its rises, "bps" and "basis points" still on their falls: historical VaR 8.0 bp where
#: "bp" gives 21.0).
UNITS = {"TENBP": "bp", "TENBPS": "bps", "TENBASIS": "basis points", "TENUPPER": "BPS"}


def _import(tmp, db, name: str, unit: str, values, days, extra: str = "") -> None:
    csv = tmp / f"{name}.csv"
    pd.DataFrame({"date": days.strftime("%Y-%m-%d"), name: values}).to_csv(csv, index=False)
    mapping = tmp / f"{name}.toml"
    mapping.write_text(f'[columns.{name}]\nseries_id = "csv:{name}"\nunit = "{unit}"\n{extra}')
    res = CliRunner().invoke(app, ["import", str(csv), "--db", str(db), "--mapping",
                                   str(mapping)])
    assert res.exit_code == 0, res.output


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    """One yield path in percent, in basis points (x100) under each spelling, and as a price."""
    tmp = tmp_path_factory.mktemp("bp")
    rng = np.random.default_rng(11)
    days = pd.bdate_range("2023-01-02", periods=400)
    # rises fatter than falls: a rise-side and a fall-side VaR differ
    steps = np.where(rng.random(len(days)) < 0.9, rng.normal(-0.01, 0.03, len(days)),
                     rng.normal(0.15, 0.05, len(days)))
    pct = np.round(4.0 + np.cumsum(steps), 2)
    db = tmp / "store.duckdb"
    _import(tmp, db, "TENPCT", "pct", pct, days)
    for name, unit in UNITS.items():
        _import(tmp, db, name, unit, np.round(pct * 100), days)
    # a fund's price on the same path (positive, in USD): a holder loses on its falls
    _import(tmp, db, "FUND", "usd", np.round(pct * 100), days, "positive = true\n")
    w = Workspace(open_source(db, read_only=True))
    yield w
    w.close()


def test_a_series_in_bp_is_read_on_its_rises_as_the_same_in_percent(ws):
    rep = risk.tail_risk(ws, assets=("csv:TENPCT", "csv:TENBP"), methods=("historical",),
                         backtest=False)
    table = rep.var_es.table().reset_index().set_index("series")
    pct, bp = table.loc["csv_tenpct_bp"], table.loc["csv_tenbp_chg"]
    assert pct["loss_when"] == bp["loss_when"] == "rise"
    assert bp["var"] == pytest.approx(pct["var"], rel=1e-9)
    assert bp["es"] == pytest.approx(pct["es"], rel=1e-9)
    # the rise side, by hand: the k-th largest rise of the window's changes (in bp)
    changes = np.diff(ws.series_of("csv:TENBP").dropna().to_numpy())
    window = int(pct["window"])
    k = math.ceil(window * (1 - rep.var_es.spec.level))
    rises = np.sort(changes[-window:])[::-1]
    assert pct["var"] == pytest.approx(rises[k - 1], rel=1e-9)
    assert rises[k - 1] > -np.sort(changes[-window:])[k - 1]     # the fall side is smaller


def test_every_spelling_of_basis_points_is_read_on_its_rises(ws):
    rep = risk.tail_risk(ws, assets=tuple(f"csv:{n}" for n in UNITS), methods=("historical",),
                         backtest=False)
    table = rep.var_es.table().reset_index().set_index("series")
    rows = [table.loc[f"csv_{n.lower()}_chg"] for n in UNITS]
    assert [r["loss_when"] for r in rows] == ["rise"] * len(UNITS)
    # the rise side, by hand: the k-th largest rise of the window's changes (in bp)
    changes = np.diff(ws.series_of("csv:TENBPS").dropna().to_numpy())
    window = int(rows[0]["window"])
    k = math.ceil(window * (1 - rep.var_es.spec.level))
    rises = np.sort(changes[-window:])[::-1]
    assert rises[k - 1] > -np.sort(changes[-window:])[k - 1]     # the fall side is smaller
    for r in rows:
        assert r["var"] == pytest.approx(rises[k - 1], rel=1e-9)


def test_an_own_price_is_still_read_on_its_falls(ws):
    rep = risk.tail_risk(ws, assets=("csv:FUND",), methods=("historical",), backtest=False)
    row = rep.var_es.table().reset_index().set_index("series").loc["csv_fund_pct"]
    assert row["loss_when"] == "fall"
    # by hand: the k-th largest fall of the window's log returns, in percent
    px = ws.series_of("csv:FUND").dropna().to_numpy()
    window = int(row["window"])
    falls = np.sort(-100.0 * np.diff(np.log(px))[-window:])[::-1]
    k = math.ceil(window * (1 - rep.var_es.spec.level))
    assert row["var"] == pytest.approx(falls[k - 1], rel=1e-9)
