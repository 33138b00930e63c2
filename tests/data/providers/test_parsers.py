"""Each provider's parser on recorded payloads in the exact formats the services return.

Where each format is documented is noted in tests/fixtures/README.md.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from spillwatch.data.providers import crypto, fred, tic, treasury
from spillwatch.exceptions import BadPayload

from .conftest import payload


def _series(frame: pd.DataFrame, sid: str) -> pd.Series:
    s = frame[frame["series_id"] == sid].set_index("ts")["value"]
    s.index = s.index.strftime("%Y-%m-%d %H:%M").str.replace(" 00:00", "")
    return s


# -- Treasury ---------------------------------------------------------------------------------
def test_treasury_2025_all_tenors_by_name():
    b = treasury.parse(payload("treasury/daily_treasury_rates_2025.csv"), url="u")
    assert {s.split(":")[1] for s in b.observations["series_id"]} == {
        f"yield_{t}_pct" for t in treasury.TENORS}
    ten = _series(b.observations, "treasury:yield_10y_pct")
    assert ten["2025-04-04"] == 4.01 and ten["2025-04-11"] == 4.48  # README known facts
    assert len(ten) == 9 and ten.index.is_monotonic_increasing  # newest-first file, sorted here
    assert _series(b.observations, "treasury:yield_1_5m_pct")["2025-04-11"] == 4.35
    assert all(not s.positive and s.unit == "pct" for s in b.specs)


def test_treasury_older_year_lacks_short_tenors():
    b = treasury.parse(payload("treasury/daily_treasury_rates_2017.csv"), url="u")
    ids = set(b.observations["series_id"])
    assert "treasury:yield_1_5m_pct" not in ids and "treasury:yield_2m_pct" not in ids
    assert _series(b.observations, "treasury:yield_10y_pct")["2017-01-03"] == 2.45


def test_treasury_columns_by_name_not_position():
    # the same data with columns shuffled, a new tenor and a non-tenor column
    text = (b'Date,"30 Yr","6 Wk","10 Yr",Notes\n'
            b"04/11/2025,4.85,4.33,4.48,x\n04/10/2025,4.86,,4.40,\n")
    b = treasury.parse(text, url="u")
    assert _series(b.observations, "treasury:yield_10y_pct").to_dict() == {
        "2025-04-10": 4.40, "2025-04-11": 4.48}
    assert _series(b.observations, "treasury:yield_6w_pct").to_dict() == {"2025-04-11": 4.33}
    assert any("Notes" in n for n in b.notes)
    assert treasury.column_symbol("1.5 Month") == "yield_1_5m_pct"
    assert treasury.column_symbol("20 Yr") == "yield_20y_pct"


def test_treasury_non_numeric_cell_is_quarantined_not_fatal():
    text = b'Date,"10 Yr"\n04/11/2025,4.48\n04/10/2025,abc\n04/09/2025,N/A\n'
    b = treasury.parse(text, url="u")
    assert len(b.observations) == 1
    assert b.quarantine["reason"].tolist() == ["non-numeric value"]


@pytest.mark.parametrize("body, what", [
    (b'Date,"10 Yr","30 Yr"\n04/11/2025,4.48,4.85\n04/10/2025,4.4', "fields"),
    (b'Date,"10 Yr"\n2025-04-11,4.48\n', "MM/DD/YYYY"),
    (b'"10 Yr"\n4.48\n', "Date"),
    (b"<!DOCTYPE html><html><body>Service unavailable</body></html>", "HTML"),
])
def test_treasury_bad_payloads(body, what):
    with pytest.raises(BadPayload, match=what):
        treasury.parse(body, url="u")


# -- FRED -------------------------------------------------------------------------------------
def test_fred_csv_current_header_and_empty_missing():
    obs, q = fred.parse_csv(payload("fred/fredgraph_DGS10.csv"), "DGS10", url="u")
    s = _series(obs, "fred:DGS10")
    assert "2025-04-18" not in s.index and len(s) == 14 and q.empty
    assert s["2025-04-04"] == 4.01


def test_fred_csv_legacy_header_and_dot_missing():
    obs, _ = fred.parse_csv(payload("fred/fredgraph_DEXJPUS_legacy.csv"), "DEXJPUS", url="u")
    s = _series(obs, "fred:DEXJPUS")
    assert s["2025-04-21"] == 140.81 and "2025-04-22" not in s.index


def test_fred_api_json_dot_missing():
    doc = json.loads(payload("fred/api_series_observations_DGS10.json"))
    obs, q, count = fred.parse_json(doc, "DGS10", url="u")
    assert count == 6 and q.empty
    assert _series(obs, "fred:DGS10").to_dict() == {
        "2025-04-14": 4.38, "2025-04-15": 4.35, "2025-04-16": 4.29, "2025-04-17": 4.34,
        "2025-04-21": 4.42}


def test_fred_csv_and_api_agree():
    doc = json.loads(payload("fred/api_series_observations_DGS10.json"))
    api = _series(fred.parse_json(doc, "DGS10", url="u")[0], "fred:DGS10")
    csv = _series(fred.parse_csv(payload("fred/fredgraph_DGS10.csv"), "DGS10", url="u")[0],
                  "fred:DGS10")
    pd.testing.assert_series_equal(api, csv.loc[api.index])


@pytest.mark.parametrize("body, what", [
    (b"observation_date,DGS2\n2025-04-01,3.9\n", "header"),
    (b"observation_date,DGS10\n2025-04-01,4.17\n2025-04-0,4.1\n", "YYYY-MM-DD"),
    (b"observation_date,DGS10\n2025-04-01,4.17\n2025-04-0", "fields"),
    (b"observation_date,DGS10\n2025-04-01\n", "fields"),
    (b"<html><head><title>Error</title></head></html>", "HTML"),
    (b"", "empty"),
])
def test_fred_bad_csv(body, what):
    with pytest.raises(BadPayload, match=what):
        fred.parse_csv(body, "DGS10", url="u")


def test_fred_json_missing_field():
    doc = json.loads(payload("fred/api_series_observations_DGS10.json"))
    del doc["observations"][2]["value"]
    with pytest.raises(BadPayload, match="lacks 'date' or 'value'"):
        fred.parse_json(doc, "DGS10", url="u")
    with pytest.raises(BadPayload, match="observations"):
        fred.parse_json({"error_code": 400}, "DGS10", url="u")


# -- Binance and CoinGecko --------------------------------------------------------------------
def test_binance_klines_layout_and_open_kline_dropped():
    now = pd.Timestamp("2025-04-10 12:00")
    rows = json.loads(payload("binance/klines_BTCUSDT_1d_page2.json"))
    obs, n, last = crypto.parse_klines(rows, "BTCUSDT", "1d", url="u", now=now)
    assert n == 2 and last == int(pd.Timestamp("2025-04-10").value // 10**6)
    close = _series(obs, "binance:BTCUSDT")
    assert close.to_dict() == {"2025-04-09": 82615.22}  # 04-10 still open at noon
    fields = {s.split(":")[1] for s in obs["series_id"]}
    assert fields == {"BTCUSDT", "BTCUSDT_open", "BTCUSDT_high", "BTCUSDT_low",
                      "BTCUSDT_volume_base", "BTCUSDT_volume_quote"}
    page1 = json.loads(payload("binance/klines_BTCUSDT_1d_page1.json"))
    obs1 = crypto.parse_klines(page1, "BTCUSDT", "1d", url="u", now=now)[0]
    assert _series(obs1, "binance:BTCUSDT")["2025-04-08"] == 76322.42  # README known fact


def test_a_kline_dated_years_ahead_is_kept_for_the_quarantine(store):
    # a 2031 kline was dropped as "still open" and never counted; the ingest's future-date
    # rule now quarantines it, as FRED's future dates are
    from spillwatch.data.ingest import ingest_batch

    now = pd.Timestamp("2025-04-10 12:00")
    rows = json.loads(payload("binance/klines_BTCUSDT_1d_page2.json"))
    ms = int(pd.Timestamp("2031-01-01").value // 10**6)
    rows.append([ms, "1", "1", "1", "1", "1", ms + 86_399_999, "1", 1, "1", "1", "0"])
    obs, n, _ = crypto.parse_klines(rows, "BTCUSDT", "1d", url="u", now=now)
    close = _series(obs, "binance:BTCUSDT")
    assert n == 3 and list(close.index) == ["2025-04-09", "2031-01-01"]   # 04-10: open
    specs = crypto._specs(crypto.BINANCE, "BTCUSDT", "1d", list(crypto.FIELDS.values()))
    rep = ingest_batch(store, obs, specs, source="binance")
    assert rep.read == len(obs) and rep.quarantined == 6          # its six fields
    assert rep.read == rep.stored + rep.unchanged + rep.revised + rep.quarantined


def test_binance_hourly_ids():
    rows = json.loads(payload("binance/klines_BTCUSDT_1h.json"))
    obs = crypto.parse_klines(rows, "BTCUSDT", "1h", url="u",
                              now=pd.Timestamp("2025-04-09"))[0]
    s = _series(obs, "binance:BTCUSDT_1h")
    assert list(s.index) == ["2025-04-08", "2025-04-08 01:00", "2025-04-08 02:00",
                             "2025-04-08 03:00"]
    assert crypto.split_id("binance:BTCUSDT_1h_high") == ("BTCUSDT", "1h", "high")
    assert crypto.series_id("binance", "BTCUSDT", "1h", "high") == "binance:BTCUSDT_1h_high"


@pytest.mark.parametrize("doc", [
    {"code": -1121, "msg": "Invalid symbol."},
    [[1743897600000, "1", "2"]],
    [[1743897600000, "a", "b", "c", "d", "e", 1743983999999, "f"]],
    # open times in seconds or microseconds: every kline vanished without a failure line
    [[1743897600, "1", "2", "0.5", "1.5", "10", 1743983999, "15"]],
    [[1743897600000000, "1", "2", "0.5", "1.5", "10", 1743983999999999, "15"]],
])
def test_binance_bad_payloads(doc):
    with pytest.raises(BadPayload, match="klines"):
        crypto.parse_klines(doc, "BTCUSDT", "1d", url="u", now=pd.Timestamp("2025-05-01"))


def test_coingecko_daily_labels_and_live_point():
    doc = json.loads(payload("coingecko/market_chart_bitcoin_daily.json"))
    obs = crypto.parse_market_chart(doc, "bitcoin", "1d", url="u",
                                    now=pd.Timestamp("2025-04-10 12:00"))
    close = _series(obs, "coingecko:bitcoin")
    # the 00:00 UTC point of 04-09 is the close of 04-08; the live 09:20 point is dropped
    assert close["2025-04-08"] == 76273.56 and close.index[-1] == "2025-04-09"
    assert abs(close["2025-04-08"] / 76322.42 - 1) < 0.01  # agrees with Binance's close
    assert len(_series(obs, "coingecko:bitcoin_volume_usd")) == 5


def test_coingecko_hourly_and_missing_field():
    doc = json.loads(payload("coingecko/market_chart_bitcoin_hourly.json"))
    obs = crypto.parse_market_chart(doc, "bitcoin", "1h", url="u",
                                    now=pd.Timestamp("2025-04-08 05:00"))
    assert len(_series(obs, "coingecko:bitcoin_1h")) == 5
    del doc["total_volumes"]
    with pytest.raises(BadPayload, match="total_volumes"):
        crypto.parse_market_chart(doc, "bitcoin", "1h", url="u", now=pd.Timestamp("2025-05-01"))


# -- TIC --------------------------------------------------------------------------------------
@pytest.mark.parametrize("table", ["slt_table5.txt", "mfh.txt"])
def test_tic_current_table(table):
    """Table 5 (tabs, one header of ISO months, "Of Which: ..." lines) and the old mfh.txt
    (aligned with spaces, two header lines) read alike."""
    obs = tic.parse(payload(f"tic/{table}"), url="u")
    assert _series(obs, "tic:japan_usd_bn")["2025-04-30"] == 1134.5  # README known facts
    assert _series(obs, "tic:china_mainland_usd_bn")["2025-04-30"] == 743.6
    assert _series(obs, "tic:foreign_official_bonds_notes_usd_bn")["2025-02-28"] == 3475.1
    assert _series(obs, "tic:korea_south_usd_bn")["2025-03-31"] == 125.8
    assert obs["series_id"].nunique() == 11


def test_tic_history_tabs_series_break_and_na():
    obs = tic.parse(payload("tic/mfhhis01_excerpt.txt"), url="u")
    japan = _series(obs, "tic:japan_usd_bn")
    assert japan["2011-06-30"] == 911.0  # the first of the two June 2011 columns wins
    assert japan["2025-01-31"] == 1079.3 and japan["2024-12-31"] == 1061.5
    assert "2024-11-30" not in _series(obs, "tic:belgium_usd_bn").index  # n.a.
    assert _series(obs, "tic:china_mainland_usd_bn")["2024-12-31"] == 759.0


def test_tic_shared_data_agrees(shared_data):
    ref = pd.read_csv(shared_data / "tic" / "major_foreign_holders.csv", parse_dates=["date"],
                      index_col="date")
    obs = tic.parse(payload("tic/slt_table5.txt"), url="u")
    for sid, g in obs.groupby("series_id"):
        col = sid.split(":")[1]
        got = g.set_index("ts")["value"]
        assert col in ref.columns, col
        want = ref.loc[got.index, col]
        assert (got - want).abs().max() < 1e-9, col


@pytest.mark.parametrize("table", ["slt_table5.txt", "mfh.txt"])
@pytest.mark.parametrize("cut, what", [
    ("Treasury Bills", "T-Bonds"),
    ("All Other", "Grand Total"),
])
def test_tic_truncated(table, cut, what):
    text = payload(f"tic/{table}").decode()
    with pytest.raises(BadPayload, match=what):
        tic.parse(text[: text.index(cut)].encode(), url="u")


@pytest.mark.parametrize("sep", ["\t", "   "])
def test_tic_short_line_and_html(sep):
    table = "slt_table5.txt" if sep == "\t" else "mfh.txt"
    text = payload(f"tic/{table}").decode().replace(sep.join(["1134.5", "1130.8", "1125.9"]),
                                                    "1134.5")
    with pytest.raises(BadPayload, match="1 values for 3 months"):
        tic.parse(text.encode(), url="u")
    with pytest.raises(BadPayload, match="HTML"):
        tic.parse(b"<!doctype html><title>404</title>", url="u")


def test_tic_revision_marks_and_a_holder_twice():
    text = payload("tic/mfh.txt").decode()
    # a revision mark on the last value made the Japan line a label: Japan was dropped
    marked = text.replace("1134.5   1130.8   1125.9", "1134.5   1130.8   1125.9r", 1)
    obs = tic.parse(marked.encode(), url="u")
    japan = obs[obs["series_id"] == "tic:japan_usd_bn"].set_index("ts")["value"]
    plain = tic.parse(payload("tic/mfh.txt"), url="u")
    assert japan.to_dict() == plain[plain["series_id"] == "tic:japan_usd_bn"].set_index(
        "ts")["value"].to_dict()
    # a second Japan line in one block: which is right cannot be told (the first won silently)
    line = next(ln for ln in text.splitlines() if ln.startswith("Japan"))
    twice = text.replace(line, line + "\n" + line.replace("1134.5", "1034.5"), 1)
    with pytest.raises(BadPayload, match=r"'Japan' appears twice in one block"):
        tic.parse(twice.encode(), url="u")


def test_fred_json_error_body_is_named_as_json():
    # a 200 with {"error_code": 400, ...} read as "an answer cut short (truncated)"
    with pytest.raises(BadPayload, match="a JSON answer where the CSV was expected"):
        fred.parse_csv(b'{"error_code": 400, "error_message": "Bad Request."}', "DGS10",
                       url="u")


def test_tic_table_5_notes_and_a_bad_month():
    text = payload("tic/slt_table5.txt").decode()
    # the notes after the last line are prose, even when a line ends with a number
    noted = text + "Revised with the survey of end-June 2025\r\n"
    assert tic.parse(noted.encode(), url="u").equals(tic.parse(text.encode(), url="u"))
    with pytest.raises(BadPayload, match="a month outside"):
        tic.parse(text.replace("2025-04", "2025-13").encode(), url="u")
    # a header whose months cannot be read is named (it said no header was found)
    with pytest.raises(BadPayload, match=r"\(line 6: 'Country\\t2025-4\\t.*neither ISO"):
        tic.parse(text.replace("2025-04", "2025-4").encode(), url="u")
    # a title line that names the table is no holder, the Link line names the file
    obs = tic.parse(text.encode(), url="u")
    assert not obs["series_id"].str.contains("table|link|of_which").any()
