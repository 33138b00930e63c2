"""Import of the real data in ../shared/data: every file its README lists, then all unchanged."""

import re

import pytest

from spillwatch.data.ingest import import_path
from spillwatch.store import Store

pytestmark = pytest.mark.realdata


def readme_files(shared):
    text = (shared / "README.md").read_text()
    files = set()
    for folder in ["fred", "crypto", "gold", "reference", "treasury", "tic", "stress",
                   "rates_vol", "equity"]:
        for p in (shared / folder).glob("*.csv"):
            files.add(p)
    # every file named in the README's tables exists and is among them
    named = set(re.findall(r"\b([a-z0-9_]+\.csv)\b", text))
    assert {"par_yield_curve.csv", "major_foreign_holders.csv", "dy2012.csv"} <= named
    return files


def test_import_all_then_unchanged(shared_data, tmp_path):
    files = readme_files(shared_data)
    with Store(tmp_path / "s.duckdb") as store:
        first = import_path(shared_data, store)
        assert {f.source for f in first.files} == {str(p) for p in files}
        t = first.totals
        assert t["stored"] > 480_000 and t["quarantined"] == 0
        assert t["read"] == t["stored"] + t["unchanged"] + t["revised"] + t["quarantined"]
        second = import_path(shared_data, store)
        t2 = second.totals
        assert t2["stored"] == 0 and t2["revised"] == 0
        assert t2["unchanged"] == t["stored"]
        health = store.health().set_index("series_id")
        # spot checks from the data README
        w = store.wide(["fred:DGS10", "binance:BTCUSDT", "binance:TRUMPUSDT", "tic:japan_usd_bn"])
        assert w.loc["2025-04-04", "fred:DGS10"] == 4.01
        assert w.loc["2025-04-11", "fred:DGS10"] == 4.48
        assert w.loc["2025-04-08", "binance:BTCUSDT"] == pytest.approx(76322, abs=1)
        assert w.loc["2025-04-22", "binance:TRUMPUSDT"] == pytest.approx(9.23, abs=0.01)
        assert w.loc["2025-04-30", "tic:japan_usd_bn"] == pytest.approx(1134.5)
        assert health.loc["fred:DCOILWTICO", "quarantined"] == 0  # -37.63 is a real print
        assert health.loc["binance:BTCUSDT", "unit"] == "usd"
