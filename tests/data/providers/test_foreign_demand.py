"""The foreign-demand sources: Treasury auctions (Fiscal Data API), MOF's weekly flows, JGB yields
and FX interventions, FRED's SOFR and custody holdings. Parsers on recorded payloads in each
service's format, then fetches against a local fake (127.0.0.1 only) with the fault cases."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from werkzeug import Request, Response

from spillwatch.data.events import check_events
from spillwatch.data.fetch import fetch, plan, provider_of
from spillwatch.data.providers import auctions, mof_fx, mof_jgb, mof_weekly
from spillwatch.data.providers.auctions import AuctionsProvider
from spillwatch.data.providers.fred import FredProvider
from spillwatch.data.providers.mof_fx import MofFxProvider
from spillwatch.data.providers.mof_jgb import MofJgbProvider
from spillwatch.data.providers.mof_weekly import MofWeeklyProvider
from spillwatch.exceptions import BadPayload
from spillwatch.store.events import auctions as stored_auctions
from spillwatch.store.events import event_revisions, fx_interventions

from .conftest import payload

AUCTIONS = "/services/api/fiscal_service/v1/accounting/od/auctions_query"
WEEK = mof_weekly.PATH
JGB_ALL, JGB_NOW = mof_jgb.HISTORY, mof_jgb.CURRENT
FX = mof_fx.PATH
ALL = ["auction", "mof", "fred:SOFR", "fred:WMTSECL1"]


# -- parsers on recorded payloads ---------------------------------------------------------------
def test_auctions_parse_shares_and_skips():
    doc = json.loads(payload("fiscaldata/auctions_query_2025-04.json"))
    rows, pages, notes = auctions.parse(doc, url="u")
    assert pages == 1 and list(rows["cusip"]) == ["91282CMW8", "91282CMM0", "912810UG1"]
    ten = rows.set_index("cusip").loc["91282CMM0"]
    assert (ten["tenor"], ten["term"], ten["reopening"]) == ("10-Year", "9-Year 10-Month", "Yes")
    assert ten["indirect_pct"] == pytest.approx(87.896, abs=1e-3)
    assert ten["dealer_pct"] + ten["direct_pct"] + ten["indirect_pct"] == pytest.approx(100)
    assert ten["dispersion_bp"] == pytest.approx(9.5) and ten["size_bn"] == 39.0
    assert any("announced but not held" in n for n in notes)
    assert any("2 record(s) that are not nominal" in n for n in notes)


def test_auctions_bad_records_are_quarantined_not_fatal():
    doc = json.loads(payload("fiscaldata/auctions_query_2025-04.json"))
    doc["data"][0]["high_yield"] = "n/a!"
    doc["data"][2]["cusip"] = "bad cusip"
    rows, _, _ = auctions.parse(doc, url="u")
    got = check_events(rows.drop(columns="line"), "auctions", source="u", lines=rows["line"])
    assert len(got.events) == 1 and len(got.quarantine) == 2
    assert set(got.quarantine["reason"]) == {"non-numeric high_yield 'n/a!'",
                                             "cusip 'bad cusip' is not valid"}
    assert got.quarantine["series_id"].tolist() == ["auction:3-Year", "auction:10-Year"]


def test_auction_yields_with_a_comma_are_not_read_a_thousand_times_off():
    # "4,125" in a yield was stored as 4125 % (dispersion 412,130 bp); in dollar amounts
    # a comma groups thousands
    doc = json.loads(payload("fiscaldata/auctions_query_2025-04.json"))
    doc["data"][0]["high_yield"] = "4,125"
    bond = next(r for r in doc["data"] if r["cusip"] == "912810UG1")
    bond["offering_amt"] = "39,000,000,000"
    rows, _, _ = auctions.parse(doc, url="u")
    assert rows.iloc[0]["high_yield"] == "4,125" and pd.isna(rows.iloc[0]["dispersion_bp"])
    got = check_events(rows.drop(columns="line"), "auctions", source="u", lines=rows["line"])
    assert got.quarantine["reason"].tolist() == ["high_yield 4,125 out of range"]
    assert rows.set_index("cusip").loc["912810UG1", "size_bn"] == 39.0


@pytest.mark.parametrize("meta, links, page, want", [
    ({"total-pages": "2"}, None, 1, 2),                           # a page count sent as text
    ({}, {"next": "&page%5Bnumber%5D=3"}, 2, 3),                 # no count: 'links.next'
    ({"total-pages": 1}, {"next": None}, 1, 1),
])
def test_auction_paging_reads_a_text_count_and_the_next_link(meta, links, page, want):
    doc = json.loads(payload("fiscaldata/auctions_query_2025-04.json"))
    doc["meta"] = meta
    if links is None:
        doc.pop("links", None)
    else:
        doc["links"] = links
    assert auctions.parse(doc, url="u", page=page)[1] == want


@pytest.mark.parametrize("doc", [[], {"data": {}}, {"data": [1], "meta": {}}, "x",
                                 {"data": [], "meta": []}])
def test_auctions_bad_payloads(doc):
    with pytest.raises(BadPayload, match="auction"):
        auctions.parse(doc, url="u")


def test_mof_weekly_columns_by_name_and_periods():
    obs, q, _ = mof_weekly.parse(payload("mof/week.csv"), url="u")
    assert q.empty and obs["series_id"].nunique() == 22
    w = obs.pivot(index="ts", columns="series_id", values="value")
    assert w.loc["2025-04-05", "mof:weekly_assets_ltdebt_net_jpy100m"] == -25726
    assert w.loc["2025-04-05", "mof:weekly_assets_ltdebt_acq_jpy100m"] == 149006
    # the week 2025-12-28 .. 2026-01-03 ends in the next year
    assert pd.Timestamp("2026-01-03") in w.index
    # acquisitions − dispositions = net on every row (MOF's identity)
    for side in ("assets", "liab"):
        for g in ("equity", "ltdebt", "stdebt"):
            net = w[f"mof:weekly_{side}_{g}_acq_jpy100m"] - w[f"mof:weekly_{side}_{g}_disp_jpy100m"]
            assert (net - w[f"mof:weekly_{side}_{g}_net_jpy100m"]).abs().max() <= 1


def test_mof_weekly_matches_the_shared_file(shared_data):
    obs, _, _ = mof_weekly.parse(payload("mof/week.csv"), url="u")
    ref = pd.read_csv(shared_data / "holdings/mof_weekly_intl_securities.csv",
                      parse_dates=["date"]).set_index("date")
    for sid, g in obs.groupby("series_id"):
        col = sid.split("weekly_", 1)[1]
        assert (g.set_index("ts")["value"] == ref.loc[g["ts"], col].to_numpy()).all(), sid


def test_mof_weekly_bad_payloads():
    text = payload("mof/week.csv").decode("cp932")
    with pytest.raises(BadPayload, match="does not name"):
        mof_weekly.parse(text.replace("Long-term debt securities", "Bonds").replace(
            "中 長 期 債", "債券").encode("cp932"), url="u")
    with pytest.raises(BadPayload, match="not a week"):
        mof_weekly.parse(text.replace("2025．3．30～4．5", "2025．3．30～4．9").encode("cp932"),
                         url="u")
    with pytest.raises(BadPayload, match="HTML"):
        mof_weekly.parse(b"<!DOCTYPE html><html>maintenance</html>", url="u")
    week = next(x for x in text.splitlines() if x.startswith("2025．3．30～4．5"))
    with pytest.raises(BadPayload, match="period '2025．3．30～4．' not understood"):
        mof_weekly.parse((text + week.replace("2025．3．30～4．5", "2025．3．30～4．") + "\r\n")
                         .encode("cp932"), url="u")


def test_mof_weekly_a_dated_footnote_is_a_note_not_a_broken_period():
    # a footnote line starting with a year failed the whole group as "period not understood"
    text = payload("mof/week.csv").decode("cp932")
    noted = text + "2014年1月以降の計数は、新基準による。,,,,,,,,,,,,,,,,,,,,,,\r\n"
    obs, q, _ = mof_weekly.parse(noted.encode("cp932"), url="u")
    ref, _, _ = mof_weekly.parse(text.encode("cp932"), url="u")
    assert q.empty and obs.equals(ref)
    with pytest.raises(BadPayload, match="mof_weekly: no week row"):
        mof_weekly.parse(b"\xff\xfe\xfd" * 50, url="u")


def test_mof_jgb_era_dates_and_missing_tenors():
    obs, q = mof_jgb.parse(payload("mof/jgbcm_all.csv"), url="u")
    w = obs.pivot(index="ts", columns="series_id", values="value")
    assert w.index[0] == pd.Timestamp("1974-09-24")  # S49.9.24
    assert pd.isna(w.loc["1974-09-24", "mof:jgb_10y"])  # '-': not issued yet
    assert w.loc["2025-04-01", "mof:jgb_10y"] == 1.511  # R7.4.1
    assert w.loc["2025-04-07", "mof:jgb_10y"] == 1.129
    assert {pd.Timestamp("2019-04-26"), pd.Timestamp("2019-05-07")} <= set(w.index)  # H31, R1
    assert q.empty


def test_mof_jgb_bad_payloads():
    with pytest.raises(BadPayload, match="no header"):
        mof_jgb.parse("a,b\n1,2\n".encode("cp932"), url="u")
    bad = payload("mof/jgbcm.csv").decode("cp932").replace("R7.5.2", "X7.5.2").encode("cp932")
    with pytest.raises(BadPayload, match="neither an era date"):
        mof_jgb.parse(bad, url="u")
    odd = payload("mof/jgbcm.csv").decode("cp932").replace("0.521", "0.5x1").encode("cp932")
    _, q = mof_jgb.parse(odd, url="u")
    assert q["reason"].tolist() == ["non-numeric value '0.5x1'"]


def test_mof_fx_carried_dates_pairs_and_amounts(shared_data):
    events, notes = mof_fx.parse(payload("mof/foreign_exchange_intervention_operations.csv"),
                                 url="u")
    got = check_events(events.drop(columns="line"), "fx_interventions", source="u",
                       lines=events["line"])
    assert got.quarantine.empty and notes == []
    e = got.events.set_index("intervention_date")
    assert e.loc["1991-06-13", "amount_jpy_bn"] == 21.3  # year and month carried down
    assert e.loc["2011-08-04", "direction"] == "sell_JPY_buy_USD"
    ref = pd.read_csv(shared_data / "holdings/mof_fx_intervention_daily.csv",
                      parse_dates=["date"]).set_index("date")
    for d, row in e.iterrows():
        assert row["amount_jpy_bn"] == ref.loc[d, "amount_jpy_bn"]
        assert (row["currency_pair"], row["direction"]) == (ref.loc[d, "currency_pair"],
                                                            ref.loc[d, "direction"])


def test_mof_fx_quarter_total_mismatch_is_noted_and_bad_rows_quarantined():
    text = payload("mof/foreign_exchange_intervention_operations.csv").decode("cp932")
    text = text.replace('"97,885"', '"97,000"').replace(",13,213,", ",13,2x3,")
    events, notes = mof_fx.parse(text.encode("cp932"), url="u")
    assert any("April - June 2024" in n and "differs" in n for n in notes)
    got = check_events(events.drop(columns="line"), "fx_interventions", source="u",
                       lines=events["line"])
    assert got.quarantine["reason"].tolist() == ["non-numeric amount_jpy_bn '2x3'"]
    assert got.quarantine["line"].tolist() == [11]


def test_routing_and_plan():
    assert provider_of("mof:jgb_10y") == "mof_jgb" and provider_of("auction:x") == "auction"
    assert provider_of("mof:weekly_assets_ltdebt_net_jpy100m") == "mof_weekly"
    provs = {"auction": AuctionsProvider("http://x"), "mof_weekly": MofWeeklyProvider("http://x"),
             "mof_jgb": MofJgbProvider("http://x"), "mof_fx": MofFxProvider("http://x"),
             "fred": FredProvider("http://x")}
    labels = [u.label for u in plan(["mof,auction", "fred:SOFR"], provs)]
    assert labels == ["mof_weekly", "mof_jgb", "mof_fx", "auction", "fred:SOFR"]
    assert [u.label for u in plan(["mof:jgb_10y"], provs)] == ["mof:jgb_10y"]
    default = [u.label for u in plan(None, provs)]
    assert default[:4] == ["auction", "mof_weekly", "mof_jgb", "mof_fx"]
    assert {"fred:SOFR", "fred:WMTSECL1", "fred:DGS3MO", "fred:IR3TIB01JPM156N"} <= set(default)


# -- fetches against a local fake --------------------------------------------------------------
class Fake:
    """The services as they answer: Fiscal Data filters on the auction date, MOF serves files."""

    def __init__(self) -> None:
        self.doc = json.loads(payload("fiscaldata/auctions_query_2025-04.json"))

    def auctions(self, request: Request) -> Response:
        flt = request.args["filter"]
        lo = flt.split("auction_date:gte:")[1][:10]
        hi = flt.split("auction_date:lte:")[1][:10]
        rows = [r for r in self.doc["data"] if lo <= r["auction_date"] <= hi]
        return Response(json.dumps({**self.doc, "data": rows,
                                    "meta": {**self.doc["meta"], "count": len(rows)}}),
                        content_type="application/json")

    def fred(self, request: Request) -> Response:
        name = {"SOFR": "fred/fredgraph_SOFR.csv",
                "WMTSECL1": "fred/fredgraph_WMTSECL1_2007.csv"}[request.args["id"]]
        return Response(payload(name), content_type="text/csv")

    def install(self, httpserver) -> None:
        httpserver.expect_request(AUCTIONS).respond_with_handler(self.auctions)
        httpserver.expect_request("/graph/fredgraph.csv").respond_with_handler(self.fred)
        for path, name in ((WEEK, "mof/week.csv"), (JGB_ALL, "mof/jgbcm_all.csv"),
                           (JGB_NOW, "mof/jgbcm.csv"),
                           (FX, "mof/foreign_exchange_intervention_operations.csv")):
            httpserver.expect_request(path).respond_with_data(payload(name),
                                                              content_type="text/csv")


def providers(url: str) -> dict:
    return {"auction": AuctionsProvider(url, min_interval=0.0, history_start="2025-04-01"),
            "mof_weekly": MofWeeklyProvider(url, min_interval=0.0),
            "mof_jgb": MofJgbProvider(url, min_interval=0.0, history_start="2025-04-01"),
            "mof_fx": MofFxProvider(url, min_interval=0.0),
            "fred": FredProvider(url, min_interval=0.0, history_start="2007-06-01")}


@pytest.fixture
def fake(httpserver):
    f = Fake()
    f.install(httpserver)
    return f


def test_fetch_every_foreign_demand_source(httpserver, fake, fast, store):
    provs = providers(httpserver.url_for(""))
    res = fetch(store, series=ALL, end="2025-05-09 12:00", config=fast, providers=provs)
    assert res.ok, res.errors
    for o in res.outcomes:
        assert o.read == o.stored + o.unchanged + o.revised + o.quarantined + o.merged
    a = stored_auctions(store)
    assert a["cusip"].tolist() == ["91282CMW8", "91282CMM0", "912810UG1"]
    fx = fx_interventions(store)
    assert len(fx) == 9 and fx["amount_jpy_bn"].iloc[-2] == 5918.5
    w = store.wide(["mof:weekly_assets_ltdebt_net_jpy100m", "mof:jgb_10y", "fred:SOFR",
                    "fred:WMTSECL1"])
    assert w.loc["2025-04-05", "mof:weekly_assets_ltdebt_net_jpy100m"] == -25726
    assert w.loc["2025-05-01", "mof:jgb_10y"] == 1.291  # this month's file
    assert w.loc["2025-04-01", "mof:jgb_10y"] == 1.511  # the history file
    assert w.loc["2025-04-09", "fred:SOFR"] == 4.42
    # custody in billions; FRED's zeros before July 2007 quarantined with the reason
    custody = store.observations(["fred:WMTSECL1"])
    assert custody["value"].tolist() == [1209.781, 1222.406, 1228.010, 1222.950]
    q = store.quarantine("fred:WMTSECL1")
    assert len(q) == 4 and q["reason"].str.contains("a holding of zero is not a value").all()
    # a second fetch changes nothing
    again = fetch(store, series=ALL, end="2025-05-09 12:00", config=fast, providers=provs)
    assert again.ok and again.totals["stored"] == 0 and again.totals["revised"] == 0
    assert event_revisions(store).empty


def test_a_field_the_api_leaves_empty_keeps_its_stored_value(httpserver, fake, fast, store):
    """One "null" bid-to-cover and indirect amount blanked the stored ratio and the three
    bidder shares (the indirect share is the foreign-demand signal), counted as "revised"."""
    provs = providers(httpserver.url_for(""))
    first = fetch(store, series=["auction"], end="2025-05-09 12:00", config=fast,
                  providers=provs)
    assert first.ok
    before = stored_auctions(store).set_index("cusip")
    held = before.index[1]
    for r in fake.doc["data"]:
        if r["cusip"] == held:
            r["bid_to_cover_ratio"] = "null"
            r["indirect_bidder_accepted"] = "null"
    again = fetch(store, series=["auction"], end="2025-05-09 12:00", config=fast,
                  providers=provs)
    assert again.ok and again.totals["revised"] == 0
    after = stored_auctions(store).set_index("cusip")
    cols = ["bid_to_cover", "dealer_pct", "direct_pct", "indirect_pct"]
    pd.testing.assert_frame_equal(after.loc[[held], cols], before.loc[[held], cols])
    assert after.loc[held, "indirect_pct"] > 0 and event_revisions(store).empty


def test_a_series_the_answer_no_longer_holds_is_named(httpserver, fake, fast, store):
    """MOF renamed its 10-year column (10年 to 10年(指標)): the fetch said "failed 0" and the
    10-year JGB stopped while the other tenors ran on. The fetch now names it."""
    provs = providers(httpserver.url_for(""))
    first = fetch(store, series=["mof:jgb_10y", "mof_jgb"], end="2025-05-09 12:00",
                  config=fast, providers=provs)
    assert first.ok and "mof:jgb_10y" in store.last_points()
    renamed = payload("mof/jgbcm.csv").decode("cp932").replace(",10年,", ",10年(指標),")
    httpserver.clear_all_handlers()
    for path, body in ((JGB_NOW, renamed.encode("cp932")),
                       (JGB_ALL, payload("mof/jgbcm_all.csv"))):
        httpserver.expect_request(path).respond_with_data(body, content_type="text/csv")
    again = fetch(store, series=["mof_jgb"], end="2025-05-09 12:00", config=fast,
                  providers=provs)
    notes = [n for o in again.outcomes for n in o.notes]
    assert any(n.startswith("mof:jgb_10y: not in the answer, though the store holds it to")
               for n in notes), notes
    assert not any(n.startswith("mof:jgb_5y: not in the answer") for n in notes)


def test_auction_fetch_after_the_shared_import_is_unchanged(httpserver, fake, fast, store,
                                                             shared_data):
    from spillwatch.data.ingest import import_path

    import_path(shared_data / "auctions", store)
    res = fetch(store, series=["auction"], since="2025-04-07", end="2025-04-11", config=fast,
                providers=providers(httpserver.url_for("")))
    assert res.ok and res.totals["unchanged"] == 3 and res.totals["revised"] == 0


def test_faults_429_500_truncated_html(httpserver, fast, store):
    url = httpserver.url_for("")
    doc = payload("fiscaldata/auctions_query_2025-04.json")
    httpserver.expect_oneshot_request(AUCTIONS).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "0"})
    httpserver.expect_oneshot_request(AUCTIONS).respond_with_data("boom", status=503)
    httpserver.expect_oneshot_request(AUCTIONS).respond_with_data(
        doc, content_type="application/json")
    res = fetch(store, series=["auction"], end="2025-04-30", config=fast,
                providers=providers(url))
    assert res.ok and res.totals["stored"] == 3
    # a truncated answer (shorter than its Content-Length) is retried, then fails; no rows
    def short(request: Request) -> Response:
        r = Response(payload("mof/week.csv")[:900], content_type="text/csv")
        r.headers["Content-Length"] = "5000"
        return r

    httpserver.expect_request(WEEK).respond_with_handler(short)
    httpserver.expect_request(JGB_NOW).respond_with_data(
        "<!DOCTYPE html><html><body>メンテナンス中</body></html>", content_type="text/html")
    res = fetch(store, series=["mof_weekly", "mof_jgb"], end="2025-05-09", config=fast,
                providers=providers(url))
    assert "broken" in res.errors["mof_weekly"] or "peer closed" in res.errors["mof_weekly"]
    assert "HTML page" in res.errors["mof_jgb"] and res.outcomes[1].error_type == "BadPayload"
    assert store.observations(["mof:jgb_10y"]).empty


def test_a_jgb_day_twice_in_one_file_is_quarantined_not_first_wins(httpserver, fast, store):
    # a second R7.5.1 line with other yields: the first was kept without a word (jgb_1y
    # 0.999 stored where the other line said 0.521); both now go to the quarantine
    text = payload("mof/jgbcm.csv").decode("cp932")
    good = next(ln for ln in text.splitlines() if ln.startswith("R7.5.1,"))
    bad = good.replace("R7.5.1,0.521", "R7.5.1,0.999", 1)
    httpserver.expect_request(JGB_NOW).respond_with_data(
        text.replace(good, bad + "\r\n" + good, 1).encode("cp932"), content_type="text/csv")
    prov = {"mof_jgb": MofJgbProvider(httpserver.url_for(""), min_interval=0.0)}
    res = fetch(store, series=["mof:jgb_1y", "mof:jgb_2y"], since="2025-05-01",
                end="2025-05-09 12:00", config=fast, providers=prov)
    o = res.outcomes[0]
    assert o.read == o.stored + o.unchanged + o.revised + o.quarantined + o.merged
    w = store.wide(["mof:jgb_1y", "mof:jgb_2y"])
    assert pd.Timestamp("2025-05-01") not in w["mof:jgb_1y"].dropna().index
    assert w.loc["2025-05-01", "mof:jgb_2y"] == 0.629          # the same in both lines: kept
    q = store.quarantine("mof:jgb_1y")
    assert sorted(q["raw_value"].astype(str)) == ["0.521", "0.999"]


def test_a_fetched_intervention_record_covers_the_quarters_detailed_by_then(httpserver, fake,
                                                                           fast, store):
    """MOF's file holds every quarter it had detailed when fetched, a quarter without
    operations as no row: fetched on 2025-05-09, it covers 2024's last quarter (detailed on
    2025-02-10), though its last operation is of 2024-05-01 (whose quarter, read from the rows
    alone, ends 2024-06-30); an imported file only says its rows."""
    from spillwatch.data.source import MarketSource
    from spillwatch.service.demand import interventions_through

    src = MarketSource(store, "t", owned=False)
    assert interventions_through(src) is None               # no record yet
    res = fetch(store, series=["mof_fx"], end="2025-05-09 12:00", config=fast,
                providers=providers(httpserver.url_for("")))
    assert res.ok, res.errors
    assert fx_interventions(store)["intervention_date"].max() == pd.Timestamp("2024-05-01")
    assert store.meta("fetched:fx_interventions") == "2025-05-09T12:00:00"
    assert interventions_through(src) == pd.Timestamp("2024-12-31")
    # a day after Q1 2025's detail (2025-05-12) the next fetch covers it
    fetch(store, series=["mof_fx"], end="2025-05-13 08:00", config=fast,
          providers=providers(httpserver.url_for("")))
    assert interventions_through(src) == pd.Timestamp("2025-03-31")


def test_a_fetch_of_auctions_says_nothing_of_the_intervention_record(httpserver, fake, fast,
                                                                   store):
    """h_mut12: only a fetch that read MOF's intervention file marks the record fetched (an
    auctions fetch, events of another table, marked it covering every quarter detailed by
    then, and a record of older operations read zero reports after its end)."""
    from spillwatch.data.source import MarketSource
    from spillwatch.service.demand import interventions_through

    res = fetch(store, series=["auction"], end="2025-05-09 12:00", config=fast,
                providers=providers(httpserver.url_for("")))
    assert res.ok, res.errors
    assert len(stored_auctions(store))
    assert store.meta("fetched:fx_interventions") is None
    assert interventions_through(MarketSource(store, "t", owned=False)) is None
