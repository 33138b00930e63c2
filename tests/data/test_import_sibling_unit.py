"""A user's file of an asset in another unit than the stored source it is spliced with.

The sources of one asset are spliced without rescaling. A user's 10-year yields written as
fractions (0.0448) under ``fred:DGS10`` beside the Treasury's par curve in percent were stored
without a word, and the stress monitor read a 443.6 bp one-day move of the 10-year on
2025-04-11; bitcoin in cents under ``coingecko:bitcoin`` beside Binance's dollars spliced a
+460.5 % day into bitcoin where Binance's file ends. Such a file is quarantined, the stored
source kept; an honest second source of an asset imports as before.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cut_store import cut_store
from typer.testing import CliRunner

from spillwatch.cli import app
from spillwatch.data.source import open_source

pytestmark = pytest.mark.realdata


def _import(csv: Path, db: Path, *args: str) -> dict:
    res = CliRunner().invoke(app, ["import", str(csv), "--db", str(db), "--json", *args])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)["files"][0]


def _changes(db: Path, key: str) -> pd.Series:
    src = open_source(db, read_only=True)
    try:
        return src.panel(assets=[key], transform="changes").iloc[:, 0].dropna()
    finally:
        src.close()


def test_yields_as_fractions_beside_the_par_curve_in_percent_are_quarantined(
        shared_data: Path, tmp_path: Path) -> None:
    db = cut_store(shared_data, tmp_path, ["treasury/par_yield_curve.csv"],
                   first="2025-01-02", last="2025-06-30")
    ten = pd.read_csv(shared_data / "fred/DGS10.csv")
    ten = ten[(ten["date"] >= "2025-01-02") & (ten["date"] <= "2025-06-30")].dropna()
    own = tmp_path / "my_10y.csv"
    pd.DataFrame({"Date": pd.to_datetime(ten["date"]).dt.strftime("%d/%m/%Y"),
                  "US10Y": (ten["DGS10"] / 100).round(6)}).to_csv(own, index=False)
    f = _import(own, db, "--map", "US10Y=fred:DGS10", "--date-column", "Date",
                "--date-format", "%d/%m/%Y")
    assert (f["read"], f["stored"], f["quarantined"]) == (len(ten), 0, len(ten))
    assert any("another unit than a stored source of the same asset" in n for n in f["notes"])
    src = open_source(db, read_only=True)
    try:
        reasons = src.store.quarantine()["reason"].unique().tolist()
    finally:
        src.close()
    assert len(reasons) == 1
    assert "another unit than treasury:yield_10y_pct" in reasons[0]
    assert "a median 0.01 times it" in reasons[0]
    # the 10-year's changes are the par curve's: 4.01 on 2025-04-04, 4.15 on 04-07: +14 bp
    ch = _changes(db, "ust10y")
    assert ch.abs().max() < 30
    assert ch.loc["2025-04-07"] == pytest.approx(14.0)


def test_bitcoin_in_cents_beside_binance_in_dollars_is_quarantined(
        shared_data: Path, tmp_path: Path) -> None:
    db = cut_store(shared_data, tmp_path, ["crypto/BTCUSDT.csv"], first="2025-10-01")
    btc = pd.read_csv(shared_data / "crypto/BTCUSDT.csv")
    btc = btc[btc["date"] >= "2025-12-01"]
    later = pd.date_range(pd.Timestamp(btc["date"].iloc[-1]) + pd.Timedelta(days=1), periods=5)
    own = tmp_path / "btc_cents.csv"
    pd.DataFrame({"date": [*btc["date"], *later.strftime("%Y-%m-%d")],
                  "cents": np.round(100 * np.r_[btc["BTCUSDT"].to_numpy(),
                                                np.full(5, btc["BTCUSDT"].iloc[-1])])
                  }).to_csv(own, index=False)
    f = _import(own, db, "--map", "cents=coingecko:bitcoin", "--positive")
    assert (f["stored"], f["quarantined"]) == (0, len(btc) + 5)
    ch = _changes(db, "btc")
    assert ch.abs().max() < 20          # no spliced +460.5 % day where Binance's file ends
    assert ch.index.max() == pd.Timestamp(btc["date"].iloc[-1])


def test_an_honest_second_source_of_an_asset_is_stored(shared_data: Path,
                                                       tmp_path: Path) -> None:
    db = cut_store(shared_data, tmp_path, ["fred/SP500.csv"], first="2019-01-01",
                   last="2019-12-31")
    spx = pd.read_csv(shared_data / "equity/sp500_yahoo.csv")
    spx = spx[(spx["date"] >= "2019-01-01") & (spx["date"] <= "2019-12-31")]
    own = tmp_path / "spx.csv"
    spx[["date", "sp500_close"]].to_csv(own, index=False)
    f = _import(own, db, "--map", "sp500_close=yahoo:sp500_close", "--positive")
    assert (f["stored"], f["quarantined"]) == (len(spx), 0)


def test_bitcoin_in_cents_appended_after_binance_ends_is_quarantined(
        shared_data: Path, tmp_path: Path) -> None:
    # no common date: the user's newer closes begin the day after Binance's file ends
    db = cut_store(shared_data, tmp_path, ["crypto/BTCUSDT.csv"], first="2025-10-01",
                   last="2025-12-31")
    btc = pd.read_csv(shared_data / "crypto/BTCUSDT.csv")
    btc = btc[btc["date"] > "2025-12-31"]
    own = tmp_path / "btc_cents.csv"
    pd.DataFrame({"date": btc["date"], "cents": np.round(100 * btc["BTCUSDT"])}
                 ).to_csv(own, index=False)
    f = _import(own, db, "--map", "cents=coingecko:bitcoin", "--positive")
    assert (f["stored"], f["quarantined"]) == (0, len(btc))
    assert _changes(db, "btc").abs().max() < 20
    # the same closes in dollars are stored, and bitcoin runs on
    dollars = tmp_path / "btc_dollars.csv"
    btc.rename(columns={"BTCUSDT": "usd"}).to_csv(dollars, index=False)
    g = _import(dollars, db, "--map", "usd=coingecko:bitcoin", "--positive")
    assert (g["stored"], g["quarantined"]) == (len(btc), 0)
    assert _changes(db, "btc").index.max() == pd.Timestamp(btc["date"].iloc[-1])
