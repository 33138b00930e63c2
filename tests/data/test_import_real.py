"""Import of the real data in ../shared/data: every file its README lists, then all unchanged."""

import re

import pytest

from spillwatch.data.ingest import import_path
from spillwatch.store import Store
from spillwatch.store.events import auctions, fx_interventions

pytestmark = pytest.mark.realdata


def readme_files(shared):
    text = (shared / "README.md").read_text()
    files = set()
    for folder in ["fred", "crypto", "gold", "reference", "treasury", "tic", "stress",
                   "rates_vol", "equity", "holdings", "japan", "auctions"]:
        for p in (shared / folder).glob("*.csv"):
            files.add(p)
    files |= set((shared / "reference" / "connectedness_r").glob("*.csv"))
    assert shared / "stress" / "ecb_ciss_daily.csv" in files
    # every file named in the README's tables exists and is among them
    named = set(re.findall(r"\b([a-z0-9_]+\.csv)\b", text))
    assert {"par_yield_curve.csv", "major_foreign_holders.csv", "dy2012.csv",
            "ust_auctions_notes_bonds.csv", "mof_weekly_intl_securities.csv"} <= named
    return files


@pytest.fixture(scope="module")
def imported(shared_data, tmp_path_factory):
    """The whole folder imported once into a store file (shared by the tests of this module)."""
    store = Store(tmp_path_factory.mktemp("real") / "s.duckdb")
    first = import_path(shared_data, store)
    yield store, first
    store.close()


@pytest.mark.slow
def test_import_all_then_unchanged(shared_data, imported):
    files = readme_files(shared_data)
    store, first = imported
    assert {f.source for f in first.files} == {str(p) for p in files}
    t = first.totals
    assert t["stored"] > 680_000
    # the only quarantined points: WMTSECL1's 237 zeros (2002-12-18 .. 2007-06-27)
    assert t["quarantined"] == 237
    q = store.quarantine()
    assert set(q["series_id"]) == {"fred:WMTSECL1"} and len(q) == 237
    assert q["reason"].str.contains("a holding of zero is not a value").all()
    assert (q["raw_value"].str.strip() == "0").all()
    assert sorted(q["raw_date"])[0] == "2002-12-18" and sorted(q["raw_date"])[-1] == (
        "2007-06-27")
    for f in first.files:
        assert f.read == f.stored + f.unchanged + f.revised + f.quarantined + f.duplicates
        if "WMTSECL1" not in f.source:
            assert f.quarantined == 0, f.source
    assert t["read"] == t["stored"] + t["unchanged"] + t["revised"] + t["quarantined"]
    second = import_path(shared_data, store)
    t2 = second.totals
    assert t2["stored"] == 0 and t2["revised"] == 0
    assert t2["unchanged"] == t["stored"]
    assert store.count("quarantine") == 237
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


def test_new_files_spot_checks(imported):
    """Series ids and values of the second-round files, against the data README's spot checks."""
    store, rep = imported
    by = {f.source.split("/data/")[-1]: f for f in rep.files}
    assert by["auctions/ust_auctions_notes_bonds.csv"].stored == 926
    assert by["holdings/mof_fx_intervention_daily.csv"].stored == 386
    assert by["holdings/mof_weekly_intl_securities.csv"].stored == 1105 * 22
    w = store.wide(["fred:WMTSECL1", "fred:SOFR", "mof:weekly_assets_ltdebt_net_jpy100m",
                    "mof:jgb_10y", "boj:tona_pct", "ecb:ciss", "safe:cn_fx_reserves_usd100m",
                    "mof:monthly_ltbonds_total_jpy_tn"])
    assert w.loc["2025-04-09", "fred:WMTSECL1"] == pytest.approx(2932.857)  # $bn
    assert w.loc["2025-04-09", "fred:SOFR"] == 4.42
    assert w.loc["2025-04-05", "mof:weekly_assets_ltdebt_net_jpy100m"] == -25726
    assert w.loc["2025-04-01", "mof:jgb_10y"] == 1.511
    assert w.loc["2025-04-07", "mof:jgb_10y"] == 1.129
    cat = store.series().set_index("series_id")
    assert cat.loc["fred:WMTSECL1", "unit"] == "usd_bn"
    assert cat.loc["fred:WMTSECL1", "frequency"] == "weekly"
    assert cat.loc["mof:weekly_assets_ltdebt_net_jpy100m", "frequency"] == "weekly"
    assert cat.loc["mof:weekly_assets_ltdebt_net_jpy100m", "unit"] == "jpy100m"
    assert cat.loc["mof:jgb_10y", "unit"] == "pct"
    assert "mof:weekly_period_start" not in cat.index
    # the four R reference files keep their own ids: nothing merged into one csv:TCI
    tci = [s for s in cat.index if s.endswith(":TCI")]
    assert sorted(tci) == ["acg2020_tvp_nlag1:TCI", "acg2020_tvp_nlag1_minnesota:TCI",
                           "acg2020_tvp_nlag2:TCI", "acg2020_tvp_nlag2_minnesota:TCI"]
    assert store.observations(tci).groupby("series_id").size().eq(521).all()
    # monthly, as the acg2020 data they are computed on, whether the folder or the file is
    # imported (they were catalogued daily, and as "reference dataset" through the folder)
    assert set(cat.loc[tci, "frequency"]) == {"monthly"}
    assert set(cat.loc[tci, "name"]) == {"TCI (R ConnectednessApproach output)"}
    a = auctions(store, start="2025-04-09", end="2025-04-09")
    row = a[a["cusip"] == "91282CMM0"].iloc[0]
    assert (row["tenor"], bool(row["reopening"])) == ("10-Year", True)
    assert row["high_yield"] == 4.435 and row["bid_to_cover"] == 2.67
    assert row["indirect_pct"] == pytest.approx(87.90, abs=0.005)
    every = auctions(store)
    assert len(every) == 926 and every.groupby("auction_date").size().max() > 1
    fx = fx_interventions(store).set_index("intervention_date")
    assert fx.loc["2024-04-29", "amount_jpy_bn"] == 5918.5
    assert fx.loc["2022-09-22", "amount_jpy_bn"] == 2838.2
    assert fx.loc["2022-09-22", "direction"] == "sell_USD_buy_JPY"
    two = fx_interventions(store, start="1999-06-21", end="1999-06-21")
    assert set(two["currency_pair"]) == {"USD/JPY", "EUR/JPY"}
