"""A user's weekly file imported onto a publisher's daily id (h_data2).

A weekly bitcoin mapped onto ``binance:BTCUSDT`` has no daily change. The import advised "give
it its frequency in a mapping file (--mapping, frequency = "weekly")"; the import that did so
said nothing, the publisher's series stayed daily (a publisher's catalog entry is kept), and
`spillover` still read "btc_pct has no change". The note now says the id stays daily, what to
do instead, and says it again on the import with the mapping.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from spillwatch.cli import app
from spillwatch.store import Store

pytestmark = pytest.mark.realdata


def _notes(res) -> list[str]:
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)["files"][0]["notes"]


def test_a_weekly_file_on_a_publishers_daily_id_is_told_what_to_do(
        shared_data: Path, tmp_path: Path) -> None:
    btc = pd.read_csv(shared_data / "crypto/BTCUSDT.csv")
    btc = btc[(btc["date"] >= "2024-01-01")
              & (pd.to_datetime(btc["date"]).dt.day_name() == "Sunday")]
    weekly = tmp_path / "btc_weekly.csv"
    btc.rename(columns={"BTCUSDT": "close"}).to_csv(weekly, index=False)
    db = tmp_path / "w.duckdb"
    run = CliRunner().invoke
    first = _notes(run(app, ["import", str(weekly), "--db", str(db), "--json", "--map",
                             "close=binance:BTCUSDT", "--positive"]))
    (note,) = [n for n in first if n.startswith("binance:BTCUSDT: its")]
    assert f"its {len(btc)} dates are a median of 7 days apart" in note
    assert "publisher's series, catalogued as daily whatever frequency a mapping" in note
    assert "give it its frequency in a mapping file" not in note
    # the advice the old note gave, followed: the id stays daily, and the import says so
    mapping = tmp_path / "m.toml"
    mapping.write_text('[columns.close]\nseries_id = "binance:BTCUSDT"\nfrequency = "weekly"\n'
                       "positive = true\n")
    again = _notes(run(app, ["import", str(weekly), "--db", str(db), "--json", "--mapping",
                             str(mapping)]))
    assert [n for n in again if n.startswith("binance:BTCUSDT: its")] == [note]
    store = Store(db, read_only=True)
    try:
        assert store.series().set_index("series_id").loc["binance:BTCUSDT",
                                                         "frequency"] == "daily"
    finally:
        store.close()
