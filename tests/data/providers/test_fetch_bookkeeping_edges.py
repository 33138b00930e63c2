"""Fetch bookkeeping edges the mutation run of h_mut18 found unpinned: MOF's weekly file with a
cell it cannot read, MOF's intervention file with a day it cannot date. Recorded payloads
(tests/fixtures/mof) edited one cell, served from 127.0.0.1; nothing of the project is mocked."""

from __future__ import annotations

import pandas as pd
import pytest

from spillwatch.data.fetch import fetch
from spillwatch.data.providers import mof_fx, mof_weekly
from spillwatch.data.providers.mof_fx import MofFxProvider
from spillwatch.data.providers.mof_weekly import MofWeeklyProvider
from spillwatch.exceptions import BadPayload
from spillwatch.store.events import fx_interventions

from .conftest import payload

LTDEBT_NET = "mof:weekly_assets_ltdebt_net_jpy100m"


def _week(httpserver, text):
    httpserver.expect_request(mof_weekly.PATH).respond_with_data(text.encode("cp932"),
                                                                   content_type="text/csv")
    return {"mof_weekly": MofWeeklyProvider(httpserver.url_for(""), min_interval=0.0)}


def _closes(o):
    return o.read == o.stored + o.unchanged + o.revised + o.quarantined + o.merged


def test_a_weekly_cell_mof_cannot_read_is_read_and_quarantined(httpserver, fast, store):
    # week 2025-03-16..22: its long-term debt net "-2,337 " made "-2,3x7"; week 03-30..04-05:
    # its equity acquisitions "48,039 " made "4x,039" (a series not asked for)
    text = payload("mof/week.csv").decode("cp932")
    text = text.replace('"-2,337 "', '"-2,3x7 "', 1).replace('"48,039 "', '"4x,039 "', 1)
    res = fetch(store, series=[LTDEBT_NET], since="2025-03-22", end="2025-05-09 12:00",
                config=fast, providers=_week(httpserver, text))
    assert res.ok, res.errors
    o = res.outcomes[0]
    assert _closes(o)
    # the bad cell of the week ending on the start day (2025-03-22) is the one quarantined;
    # the other series' bad cell is not this fetch's
    assert o.quarantined == 1
    q = store.quarantine()
    assert q["series_id"].tolist() == [LTDEBT_NET]
    assert q["raw_value"].str.strip().tolist() == ["-2,3x7"]
    # a live point's "line" is its time in Unix seconds (2025-03-22T00:00Z), stable across
    # fetches of a file whose rows shift
    assert q["line"].tolist() == [1742601600]
    # stored: the weeks to 03-29, 04-05 and 04-12 (03-22 is quarantined; the week to
    # 2026-01-03 is after the fetch's end)
    got = store.observations([LTDEBT_NET])
    assert pd.DatetimeIndex(got["ts"]).strftime("%Y-%m-%d").tolist() == [
        "2025-03-29", "2025-04-05", "2025-04-12"]
    assert o.stored == 3



def test_a_bad_weekly_cell_after_the_fetch_s_end_is_not_this_fetch_s(httpserver, fast, store):
    """The week to 2025-03-22's long-term debt net made unreadable: a fetch ending on 03-15
    quarantined it although its week is after the end (the observations were cut at both ends,
    the quarantine at the start only; h_mut18)."""
    text = payload("mof/week.csv").decode("cp932").replace('"-2,337 "', '"-2,3x7 "', 1)
    res = fetch(store, series=[LTDEBT_NET], since="2025-03-01", end="2025-03-17 12:00",
                config=fast, providers=_week(httpserver, text))
    assert res.ok, res.errors
    o = res.outcomes[0]
    assert _closes(o) and o.quarantined == 0 and store.quarantine().empty
    got = store.observations([LTDEBT_NET])
    assert pd.DatetimeIndex(got["ts"]).strftime("%Y-%m-%d").tolist() == ["2025-03-15"]
    assert float(got["value"].iloc[0]) == -843.0

def _fx(httpserver, text):
    httpserver.expect_request(mof_fx.PATH).respond_with_data(text.encode("cp932"),
                                                             content_type="text/csv")
    return {"mof_fx": MofFxProvider(httpserver.url_for(""), min_interval=0.0)}


def test_an_intervention_day_mof_s_file_cannot_date_is_quarantined_not_dropped(httpserver,
                                                                               fast, store):
    # 2024-05-01's day made "32" (no such day), in a fetch with a start: its date is not known,
    # so it is not out of the window; it goes to the quarantine with its line (line 21 of the
    # file: `grep -n ",May,1," foreign_exchange_intervention_operations.csv`), as an import
    # of the file does
    text = payload("mof/foreign_exchange_intervention_operations.csv").decode("cp932")
    assert text.count(",May,1,") == 1
    res = fetch(store, series=["mof_fx"], since="2024-01-01", end="2025-05-09 12:00",
                config=fast, providers=_fx(httpserver, text.replace(",May,1,", ",May,32,")))
    assert res.ok, res.errors
    o = res.outcomes[0]
    assert _closes(o)
    assert (o.read, o.stored, o.quarantined) == (2, 1, 1)      # 2024-04-29 stored
    q = store.quarantine()
    assert q["line"].tolist() == [21]
    assert q["reason"].tolist() == ["unparseable date '2024-May-32'"]
    assert fx_interventions(store)["intervention_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-04-29"]


def test_a_fetch_that_ends_before_an_intervention_leaves_it_out(httpserver, fast, store):
    # the request's end bounds the events as it bounds the series: 2024-05-01 is after it
    text = payload("mof/foreign_exchange_intervention_operations.csv").decode("cp932")
    res = fetch(store, series=["mof_fx"], since="2022-10-01", end="2024-04-30 12:00",
                config=fast, providers=_fx(httpserver, text))
    assert res.ok, res.errors
    got = fx_interventions(store)
    assert got["intervention_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2022-10-21", "2022-10-24", "2024-04-29"]
    assert got["amount_jpy_bn"].tolist() == [5620.2, 729.6, 5918.5]
    assert got["currency_pair"].tolist() == ["USD/JPY"] * 3
    assert got["direction"].tolist() == ["sell_USD_buy_JPY"] * 3


def test_an_intervention_row_given_twice_is_merged_and_counted(httpserver, fast, store):
    # 2024-04-29's row repeated as it is: one event, the other row counted as merged (read 3
    # = stored 2 + merged 1)
    text = payload("mof/foreign_exchange_intervention_operations.csv").decode("cp932")
    nl = "\r\n"
    rows = text.split(nl)
    at = next(i for i, r in enumerate(rows) if ",Apr,29," in r)
    rows.insert(at + 1, rows[at])
    res = fetch(store, series=["mof_fx"], since="2024-01-01", end="2025-05-09 12:00",
                config=fast, providers=_fx(httpserver, nl.join(rows)))
    assert res.ok, res.errors
    o = res.outcomes[0]
    assert (o.read, o.stored, o.quarantined, o.merged) == (3, 2, 0, 1)
    assert _closes(o)


def test_tic_current_table_wins_a_month_the_history_table_also_gives(httpserver, fast, store):
    # the history excerpt relabelled so its first block is Feb 2025, Jan 2025, Dec 2024: Feb
    # 2025 is then in both tables, 1079.3 in the history and 1125.9 in Table 5 (newer, kept)
    from spillwatch.data.providers.tic import DOCS, TicProvider

    hist = payload("tic/mfhhis01_excerpt.txt").decode()
    assert "\tJan\tDec\tNov\t" in hist and "Country\t2025\t2024\t2024" in hist
    hist = hist.replace("\tJan\tDec\tNov\t", "\tFeb\tJan\tDec\t", 1).replace(
        "Country\t2025\t2024\t2024", "Country\t2025\t2025\t2024", 1)
    httpserver.expect_request(DOCS + "slt_table5.txt").respond_with_data(
        payload("tic/slt_table5.txt"), content_type="text/plain")
    httpserver.expect_request(DOCS + "mfhhis01.txt").respond_with_data(
        hist.encode(), content_type="text/plain")
    prov = {"tic": TicProvider(httpserver.url_for("").rstrip("/"))}
    res = fetch(store, series=["tic:japan_usd_bn"], since="2024-12-01",
                end="2025-05-20 12:00", config=fast, providers=prov)
    assert res.ok, res.errors
    japan = store.observations(["tic:japan_usd_bn"]).set_index("ts")["value"]
    assert {k.strftime("%Y-%m-%d"): v for k, v in japan.items()} == {
        "2024-12-31": 1087.1, "2025-01-31": 1061.5, "2025-02-28": 1125.9,
        "2025-03-31": 1130.8, "2025-04-30": 1134.5}


def test_mof_weekly_a_week_into_the_new_year_without_its_year_and_a_dash_cell():
    # "2025.12.28~1.3" (the end's year left out) is the week to 2026-01-03; a "-" cell is MOF's
    # "none": no point, not a zero
    assert mof_weekly.parse_period("2025．12．28～1．3") == (pd.Timestamp("2025-12-28"),
                                                           pd.Timestamp("2026-01-03"))
    text = payload("mof/week.csv").decode("cp932")
    assert text.count('"-2,337 "') == 1
    obs, q, _ = mof_weekly.parse(text.replace('"-2,337 "', "- ", 1).encode("cp932"), url="u")
    ref, _, _ = mof_weekly.parse(payload("mof/week.csv"), url="u")
    assert q.empty and len(obs) == len(ref) - 1
    lt = obs[obs["series_id"] == LTDEBT_NET]
    assert pd.Timestamp("2025-03-22") not in set(lt["ts"])
    # a row cut short (its last two cells gone) has gaps there, not values to quarantine
    assert text.count(',"20,803 ","54,359 "') == 1
    obs, q, _ = mof_weekly.parse(text.replace(',"20,803 ","54,359 "', "", 1).encode("cp932"),
                                 url="u")
    assert q.empty and len(obs) == len(ref) - 2
    # the same week twice is refused (which row is right cannot be told)
    week = next(x for x in text.split("\r\n") if x.startswith("2025．4．6"))
    with pytest.raises(BadPayload, match="the week to 2025-04-12 appears twice"):
        mof_weekly.parse(text.replace(week, week + "\r\n" + week, 1).encode("cp932"), url="u")


def test_an_intervention_that_sells_and_buys_one_currency_is_quarantined():
    # a garbled pair naming the dollar on both legs is no pair: quarantined with its line, not
    # stored as "USD/USD", "sell_USD_buy_USD"
    from spillwatch.data.events import check_events

    text = payload("mof/foreign_exchange_intervention_operations.csv").decode("cp932")
    rows = text.split("\r\n")
    at = next(i for i, r in enumerate(rows) if ",May,1," in r)
    assert rows[at].endswith("the US dollar (sold) the Japanese yen (bought)")
    rows[at] = rows[at].replace("the Japanese yen (bought)", "the US dollar (bought)")
    events, _ = mof_fx.parse("\r\n".join(rows).encode("cp932"), url="u")
    got = check_events(events.drop(columns="line"), "fx_interventions", source="u",
                       lines=events["line"])
    assert got.quarantine["line"].tolist() == [21]
    assert "USD/USD" not in set(got.events["currency_pair"])


def test_tic_values_marked_estimated_are_read():
    # a mark after a value (r revised, p preliminary, e estimated, *) is not part of it: a
    # marked last value made the whole holder line read as a label and dropped it
    from spillwatch.data.providers import tic

    text = payload("tic/slt_table5.txt").decode()
    assert text.count("Japan\t1134.5\t1130.8\t1125.9") == 1
    ref = tic.parse(text.encode(), url="u")
    got = tic.parse(text.replace("Japan\t1134.5", "Japan\t1,134.5").encode(), url="u")
    assert got.equals(ref)                 # a thousands comma is not part of the number
    for mark in ("e", "*"):
        got = tic.parse(text.replace("Japan\t1134.5\t1130.8\t1125.9",
                                     f"Japan\t1134.5{mark}\t1130.8\t1125.9{mark}").encode(),
                        url="u")
        assert got.equals(ref), mark


def test_tic_a_start_on_a_month_end_reads_that_month_from_the_history(httpserver, fast, store):
    # since 2025-01-31: January 2025 is wanted; Table 5 starts at February, so the history
    # table is read for it (1079.3)
    from spillwatch.data.providers.tic import DOCS, TicProvider

    httpserver.expect_request(DOCS + "slt_table5.txt").respond_with_data(
        payload("tic/slt_table5.txt"), content_type="text/plain")
    httpserver.expect_request(DOCS + "mfhhis01.txt").respond_with_data(
        payload("tic/mfhhis01_excerpt.txt"), content_type="text/plain")
    prov = {"tic": TicProvider(httpserver.url_for("").rstrip("/"))}
    res = fetch(store, series=["tic:japan_usd_bn"], since="2025-01-31",
                end="2025-05-20 12:00", config=fast, providers=prov)
    assert res.ok, res.errors
    japan = store.observations(["tic:japan_usd_bn"]).set_index("ts")["value"]
    assert japan[pd.Timestamp("2025-01-31")] == 1079.3
    assert res.totals["requests"] == 2


def test_mof_fx_a_quarter_total_five_off_its_days_is_noted():
    # April - June 2024: 59,185 + 38,700 = 97,885; a total of 97,890 is 5 (100 million yen)
    # off, more than rounding
    text = payload("mof/foreign_exchange_intervention_operations.csv").decode("cp932")
    assert text.count('"97,885"') == 1
    _, notes = mof_fx.parse(text.replace('"97,885"', '"97,890"').encode("cp932"), url="u")
    assert notes == ["April - June 2024: the quarter total 97890 differs from the sum of its "
                     "days 97885 (100 million yen)"]


def test_an_intervention_row_without_its_day_is_quarantined_not_dropped():
    # 2024-05-01's English day left blank (",May,,"): the row has its pair and amount, so it
    # is an intervention whose date cannot be read: quarantined with its line 21 (it was
    # skipped as if it were a quarter total, and only the quarter's sum told: 59185 of 97885)
    from spillwatch.data.events import check_events

    text = payload("mof/foreign_exchange_intervention_operations.csv").decode("cp932")
    events, notes = mof_fx.parse(text.replace(",May,1,", ",May,,").encode("cp932"), url="u")
    got = check_events(events.drop(columns="line"), "fx_interventions", source="u",
                       lines=events["line"])
    assert len(events) == 9 and notes == []
    assert got.quarantine["line"].tolist() == [21]
    assert len(got.events) == 8
