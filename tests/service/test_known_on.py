"""History exports say when each row could first be computed (``known_on``), and a row used
from that evening on is exactly what the data published by then give: no look-ahead."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.data.releases import AssetRelease, days, known_on
from spillwatch.data.source import open_source
from spillwatch.service import spillover, stress


def _release(obs: list[str], rel: list[str]) -> AssetRelease:
    r = days(pd.DatetimeIndex(rel))
    return AssetRelease(days(pd.DatetimeIndex(obs)), r, np.maximum.accumulate(r), ("x",))


def test_a_row_waits_for_the_latest_input_it_reads_and_never_precedes_its_date():
    daily = _release(["2025-04-03", "2025-04-04"], ["2025-04-03", "2025-04-04"])
    h10 = _release(["2025-04-03", "2025-04-04"], ["2025-04-07", "2025-04-07"])   # Monday
    weekly = _release(["2025-03-26", "2025-04-02"], ["2025-03-27", "2025-04-03"])
    idx = pd.DatetimeIndex(["2025-04-01", "2025-04-04", "2025-04-05"])
    got = known_on({"a": daily, "b": h10, "c": weekly}, idx)
    assert got.tolist() == [pd.Timestamp("2025-04-01"), pd.Timestamp("2025-04-07"),
                            pd.Timestamp("2025-04-07")]
    # seen on the evening of Sunday 04-06, Friday's dollar is not out yet: the row waits
    week = pd.bdate_range("2025-03-03", "2025-03-28")      # published up to 03-28 (03-31)
    h10_then = AssetRelease(days(week), days(week + pd.offsets.Week(weekday=0)),
                            days(week + pd.offsets.Week(weekday=0)), ("fred:DTWEXBGS",))
    assert known_on({"b": h10_then}, idx[1:2], as_of="2025-04-06").tolist() == \
        [pd.Timestamp("2025-04-07")]
    # ... while on full data ending 03-28 (a series that stopped) nothing is due
    assert known_on({"b": h10_then}, idx[1:2]).tolist() == [pd.Timestamp("2025-04-04")]
    # a weekly series alone: its last print up to the date, or the date itself
    assert known_on({"c": weekly}, idx).tolist() == [pd.Timestamp("2025-04-01"),
                                                     pd.Timestamp("2025-04-04"),
                                                     pd.Timestamp("2025-04-05")]


@pytest.mark.realdata
@pytest.mark.slow
def test_a_stress_row_from_its_known_on_evening_is_what_was_published(real):
    rows = stress.history(real, stress.stress(real))
    assert rows.columns[0] == "known_on" and (rows["known_on"] >= rows.index).all()
    # a Friday waits for the H.10 dollar of the following Monday
    assert rows.loc["2025-04-04", "known_on"] == pd.Timestamp("2025-04-07")
    for d in ("2025-04-04", "2022-10-21"):
        when = rows.loc[d, "known_on"]
        then = stress.stress(vintage_workspace(real, when), end=d).frame.loc[d]
        assert then["stress"] == pytest.approx(rows.loc[d, "stress"], abs=1e-12)
        assert then["percentile"] == pytest.approx(rows.loc[d, "percentile"], abs=1e-9)
    # the evening before, the row could not be computed from what was out
    before = rows.loc["2025-04-04", "known_on"] - pd.Timedelta(days=1)
    early = stress.stress(vintage_workspace(real, before), end="2025-04-04").frame
    assert "2025-04-04" not in early.index.strftime("%Y-%m-%d") or \
        early.loc["2025-04-04", "stress"] != pytest.approx(rows.loc["2025-04-04", "stress"])


@pytest.mark.realdata
@pytest.mark.slow
def test_a_spillover_row_waits_for_the_dollar_of_its_window(real):
    """The 2025-12-26 window needs the H.10 dollar and yen of that Friday, out 12-29."""
    rep = spillover.spillover(real)
    rows = spillover.history(real, rep)
    assert rows.columns[0] == "known_on"
    assert rows.loc["2025-12-26", "known_on"] == pd.Timestamp("2025-12-29")
    lag = (rows["known_on"] - rows.index).dt.days
    assert lag.min() >= 3 and lag.max() <= 9      # a week-end, a holiday Monday
    tail = rows.drop(columns="known_on")
    assert tail.equals(rep.timeseries())


@pytest.mark.realdata
def test_the_as_of_headline_gives_the_signature_the_monitor_read_that_evening(real, real_db):
    """On the evening of 2007-12-12 the dollar of that week was not out: `stress --as-of`
    said "signature unavailable" while `alerts test --as-of` fired on sell_america of
    12-07, the last day with both legs. The headline now names that day too."""
    import datetime as dt

    from spillwatch.alerts.facts import compute_facts

    then = vintage_workspace(real, "2007-12-12")
    head = stress.summary(then, stress.stress(then, end="2007-12-12"), end="2007-12-12")
    assert head["signature"] == "unavailable"
    with open_source(real_db, read_only=True) as src:
        fact = compute_facts(src.store, as_of=dt.date(2007, 12, 12), spillover=False,
                             demand=False).get("stress.signature")
    assert (head["signature_last"], head["signature_last_date"]) == \
        (fact.value, fact.as_of.isoformat()) == ("sell_america", "2007-12-07")
    assert "the last day with both legs, 2007-12-07, read sell_america" in \
        " ".join(str(stress.stress(then, end="2007-12-12")).split())


@pytest.mark.realdata
@pytest.mark.slow
def test_an_as_of_export_marks_its_unfinished_rows(real):
    """As of Sunday 2025-04-06 the dollar of that week was not out: the week's rows are
    provisional (known_on Monday 04-07, after the evening asked for) and every row known by
    then equals the full history's."""
    full = stress.history(real, stress.stress(real))
    then = vintage_workspace(real, "2025-04-06")
    rows = stress.history(then, stress.stress(then, end="2025-04-06"))
    assert (rows.loc["2025-03-31":, "known_on"] == pd.Timestamp("2025-04-07")).all()
    final = rows[rows["known_on"] <= pd.Timestamp("2025-04-06")]
    assert final.index[-1] == pd.Timestamp("2025-03-28")
    cols = ["stress", "percentile", "regime", "signature"]
    pd.testing.assert_frame_equal(final[cols], full.loc[final.index, cols])
    assert (full.loc["2025-03-31":"2025-04-04", "known_on"] == pd.Timestamp("2025-04-07")).all()


@pytest.mark.realdata
def test_the_year_of_sell_america_days_says_where_it_ends(real):
    head = stress.summary(real, stress.stress(real))
    # the last day the signature could be read: both legs out (the reading itself is later:
    # "to 2025-04-11" on that evening counted none of the week's days, which read on 04-14)
    res = stress.stress(real)
    read = res.signature[res.signature != "unavailable"].index
    assert head["sell_america_days_last_year_to"] == head["signature_last_date"] == \
        f"{read[-1]:%Y-%m-%d}" < head["date"]
    # ... and what a year holds on average (22 in the last year read as a lot; the signature
    # reads 'sell America' on about 25 days of a year since the dollar's data start, 2006-06)
    years = ((read[-1] - read[0]).days + 1) / 365.25
    want = res.sell_america_days.loc[read[0]:read[-1]].sum() / years
    then = vintage_workspace(real, "2025-04-11")
    fri = stress.summary(then, stress.stress(then, end="2025-04-11"), end="2025-04-11")
    assert fri["sell_america_days_last_year_to"] == "2025-04-04"
    # a year of 365 days, both ends counted (it took 366: 25 where the year holds 24)
    to = pd.Timestamp(head["sell_america_days_last_year_to"])
    days = res.sell_america_days.loc[to - pd.Timedelta(days=364):to]
    assert len(pd.date_range(days.index[0], to)) <= 365
    assert head["sell_america_days_last_year"] == int(days.sum())
    assert head["sell_america_days_per_year"] == pytest.approx(want, abs=0.05)
    assert 15 < head["sell_america_days_per_year"] < 35


@pytest.mark.realdata
def test_an_as_of_data_health_counts_what_was_published_by_then(real, shared_data):
    # `run --as-of 2022-10-21` listed the 10-year's last point as 2026-07-22 and 690,087 points
    from spillwatch.service import health

    then = health.health_table(vintage_workspace(real, "2022-10-21")).set_index("series_id")
    dgs10 = pd.read_csv(shared_data / "fred" / "DGS10.csv", parse_dates=["date"]).dropna()
    out = dgs10[dgs10["date"] <= "2022-10-20"]   # H.15: the next business day
    assert then.loc["fred:DGS10", "last point"] == pd.Timestamp("2022-10-20").date()
    assert then.loc["fred:DGS10", "points"] == len(out)
    assert then.loc["tic:japan_usd_bn", "last point"] == pd.Timestamp("2022-08-31").date()
    assert (pd.to_datetime(then["last point"]) <= "2022-10-21").all()
    now = health.health_table(real).set_index("series_id")
    assert health.summary(vintage_workspace(real, "2022-10-21"))["points"] < \
        health.summary(real)["points"] and len(then) < len(now)


def test_an_as_of_data_health_counts_the_revisions_made_by_then(store):
    # a revision recorded years after the as-of evening was counted in that evening's health
    from spillwatch.alerts.backtest.vintage import VintageSource
    from spillwatch.data.ingest import ingest_batch
    from spillwatch.data.providers.csvfile import SeriesSpec
    from spillwatch.data.source import MarketSource

    spec = SeriesSpec("fred:DGS10", "10y", "pct", "daily", "rates", "fred", "DGS10", False)
    ts = pd.bdate_range("2021-06-01", periods=30)
    frame = pd.DataFrame({"series_id": spec.series_id, "ts": ts, "value": 1.5})
    ingest_batch(store, frame, [spec], source="first")
    ingest_batch(store, frame.assign(value=frame["value"].where(frame.index != 5, 1.6)),
                 [spec], source="revised")
    now = pd.Timestamp.now().normalize()
    src = MarketSource(store, "memory", owned=False)
    for day, revisions in (("2022-10-21", 0), (now, 1)):
        health = VintageSource.of(src, day).health().set_index("series_id")
        assert health.loc["fred:DGS10", "revisions"] == revisions, day
        assert health.loc["fred:DGS10", "points"] == 30


@pytest.mark.realdata
def test_the_data_s_evening_does_not_move_when_a_series_is_left_out(real_db, tmp_path):
    """Without TRUMP the rule "half the held series have a value" needed 6 of 13, which the
    yields, USD/JPY and MOVE alone met on 2026-02-20: the run's date moved seven weeks past
    the other series' last day (2026-01-02 with the full data)."""
    import shutil

    import duckdb

    from spillwatch.data.source import open_source
    from spillwatch.service import health
    from spillwatch.service.workspace import Workspace

    db = tmp_path / "notrump.duckdb"
    shutil.copyfile(real_db, db)
    with duckdb.connect(str(db)) as con:
        con.execute("DELETE FROM observations WHERE series_id LIKE 'binance:TRUMP%'")
    with Workspace(open_source(real_db, read_only=True)) as ws:
        full = health.as_of(ws)
    with Workspace(open_source(db, read_only=True)) as ws:
        assert "trump" not in ws.have(["trump"])
        assert health.as_of(ws) == full


def test_a_frozen_feed_is_named_beside_the_var_and_the_index(store):
    """Every series unchanged for months: bitcoin's filtered and t VaR read 0.0068% (the
    historical 10.46%) and the index read calm, with nothing said; a repeating feed keeps its
    dates fresh, so no staleness rule saw it."""
    from spillwatch.data.ingest import ingest_batch
    from spillwatch.data.providers.csvfile import SeriesSpec
    from spillwatch.data.source import MarketSource
    from spillwatch.service import risk as risk_service
    from spillwatch.service._today import frozen_note
    from spillwatch.service.workspace import Workspace

    rng = np.random.default_rng(3)
    days = pd.date_range("2023-01-01", periods=700, freq="D")
    px = 30_000 * np.exp(np.cumsum(rng.standard_normal(700) * 0.03))
    px[-40:] = px[-41]                                         # frozen for 40 days
    # as a folder's file is imported (the live fetch quarantines a run of repeats already)
    spec = SeriesSpec("binance:BTCUSDT", "BTC", "usd", "daily", "crypto", "binance",
                      "BTCUSDT", False)
    ingest_batch(store, pd.DataFrame({"series_id": spec.series_id, "ts": days, "value": px}),
                 [spec], source="test")
    with Workspace(MarketSource(store, "memory", owned=False)) as ws:
        rep = risk_service.tail_risk(ws, assets=("btc",), backtest=False, start="2023-01-01",
                                     end=days[-1])
    note = next(n for n in rep.notes if n.startswith("not moving: "))
    assert note.startswith("not moving: btc_pct (") and "a frozen feed?" in note, note
    n = 30
    ch = pd.DataFrame({"btc_pct": [1.0] * (n - 11) + [0.0] * 11,
                       "ust1m_bp": [1.0] * (n - 24) + [0.0] * 24,
                       "usdcny_pct": [0.1] + [0.0] * (n - 1)},
                      index=pd.bdate_range("2025-01-06", periods=n))
    # eleven still days of a price are not yet a frozen feed (twelve are), nor 24 of a bill
    # (the 1-month bill sat at zero 17 days in 2015, the IG spread 14 in 2014: a verifier's
    # false "frozen feed?"); a managed currency's repeats are values
    assert frozen_note(ch, "x") is None
    ch.loc[ch.index[-12], "btc_pct"] = 0.0
    assert frozen_note(ch, "x").startswith("not moving: btc_pct (12 days since ")
    ch.loc[ch.index[-25], "ust1m_bp"] = 0.0
    assert "ust1m_bp (25 days since " in frozen_note(ch, "x")


@pytest.mark.slow
@pytest.mark.realdata
def test_a_weekend_evening_says_crypto_moved_after_the_reading(real, shared_data):
    """On Sunday 2025-04-06 the index reads Friday and its inputs gave Friday's bitcoin close
    as the last, while the store held the weekend's (BTC -6.5%, ETH -13%): said, with the move
    from the raw closes; a weekday evening says nothing of it."""
    px = {k: pd.read_csv(shared_data / f"crypto/{k}USDT.csv", index_col="date",
                         parse_dates=True)[f"{k}USDT"] for k in ("BTC", "ETH")}
    then = vintage_workspace(real, "2025-04-06")
    head = stress.summary(then, stress.stress(then, end="2025-04-06"), end="2025-04-06")
    assert head["date"] == "2025-04-04"
    (note,) = [n for n in head["notes"] if n.startswith("crypto closed on a weekend")]
    for k in ("BTC", "ETH"):
        move = 100 * (px[k]["2025-04-06"] / px[k]["2025-04-04"] - 1)
        assert f"{k.lower()} {move:+.1f}% to 2025-04-06" in note
    assert "enter the next business day's reading" in note
    # a reading past its limit says STALE, not "a weekend" (weeks of crypto after it)
    late = stress.summary(then, stress.stress(then), today=pd.Timestamp("2025-05-01").date())
    assert not [n for n in late["notes"] if n.startswith("crypto closed")]
    # ... and the headline says it on the stress line (the report's and `run`'s)
    from spillwatch.service.summary import headline

    lines = headline(then, today=pd.Timestamp("2025-04-06").date(), scenarios=False).lines()
    assert lines[0].startswith("Stress ") and f"; {note}." in lines[0]
    mon = vintage_workspace(real, "2025-04-09")
    head = stress.summary(mon, stress.stress(mon, end="2025-04-09"), end="2025-04-09")
    assert not [n for n in head["notes"] if n.startswith("crypto closed")]
    # a holiday evening too, from the last reading (a holiday row reads none: MLK Day, the
    # day after Christmas, Good Friday were silent or named the holiday row)
    for evening, read in (("2025-01-20", "2025-01-17"), ("2025-12-27", "2025-12-24"),
                          ("2024-03-29", "2024-03-28")):
        ws = vintage_workspace(real, evening)
        head = stress.summary(ws, stress.stress(ws, end=evening), end=evening)
        assert head["date"] == read
        (note,) = [n for n in head["notes"] if n.startswith("crypto closed")]
        for k in ("BTC", "ETH"):
            last = px[k].loc[:evening].index[-1]
            move = 100 * (px[k][last] / px[k][read] - 1)
            assert f"{k.lower()} {move:+.1f}% to {last:%Y-%m-%d}" in note, (evening, note)


def test_the_crypto_chart_of_a_weekend_evening_draws_the_weekend(real, shared_data):
    """The report's and the dashboard's crypto chart of Sunday 2025-04-06 stopped at Friday's
    close (the business-day panel) while the headline above it gave the weekend's fall: the
    coins are drawn on their own calendar, to that evening's close, and no later."""
    from spillwatch.api.views import ViewContext, figure_view
    from spillwatch.report.context import ReportContext
    from spillwatch.report.sections import market

    px = {k: pd.read_csv(shared_data / f"crypto/{k}USDT.csv", index_col="date",
                         parse_dates=True)[f"{k}USDT"] for k in ("BTC", "ETH", "TRUMP")}
    then = vintage_workspace(real, "2025-04-06")
    import plotly.graph_objects as go

    served = go.Figure(figure_view(ViewContext(then, "v", pd.Timestamp("2025-04-06").date()),
                                   "crypto").figure.model_dump(exclude_none=True))
    (drawn,) = [f for f in market.build(ReportContext(then)).figures
                if f.layout.title.text.startswith("Crypto")]
    for fig in (served, drawn):
        assert [t.name.split()[0] for t in fig.data] == ["BTC", "ETH", "TRUMP"]
        for t in fig.data:
            coin = t.name.split()[0]
            x = pd.DatetimeIndex(pd.to_datetime(list(t.x)))
            raw = px[coin].loc[x[0]:"2025-04-06"]
            # every close of the window, Saturdays and Sundays too, and none after the evening
            assert x[-1] == pd.Timestamp("2025-04-06") and list(x) == list(raw.index)
            assert t.name.endswith("USD on 2025-04-06)")
            data = t.customdata
            if isinstance(data, dict):   # served: numpy's bytes in base64 (plotly's JSON)
                import base64

                data = np.frombuffer(base64.b64decode(data["bdata"]),
                                     dtype=np.dtype(data["dtype"])).reshape(-1, 1)
            price = np.asarray(data, dtype=float)[:, 0]
            np.testing.assert_allclose(price, raw.to_numpy(), rtol=1e-12)
