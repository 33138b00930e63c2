"""A book's one-day VaR and ES from history (`risk --portfolio`), against its P&L by hand."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from typer.testing import CliRunner

import spillwatch as sw
from spillwatch.cli import app
from spillwatch.exceptions import ConfigError, ScenarioError
from spillwatch.scenarios import Portfolio
from spillwatch.service import risk
from spillwatch.service.workspace import Workspace

BOOK = {"ust10y": 5e6, "usdjpy": -2e6, "btc": 1e6}


@pytest.fixture(scope="module")
def real_ws(real_db):
    """One read-only workspace on the session's real store for the book tests below: the
    store's series and the standard assets' whole-history panels are read and built once and
    shared, as the server's workspace shares them between requests (each book's own analysis
    is still its own)."""
    from spillwatch.data.source import open_source

    with Workspace(open_source(real_db, read_only=True)) as ws:
        yield ws


def _par_bond_return(prev_pct: np.ndarray, new_pct: np.ndarray, years: float) -> np.ndarray:
    """A par bond bought at yesterday's yield (its coupon), priced at today's."""
    c, y = prev_pct / 100.0, new_pct / 100.0
    disc = (1.0 + y / 2.0) ** (-2.0 * years)
    return c / y * (1.0 - disc) + disc - 1.0


def test_book_var_and_es_equal_the_pnl_by_hand():
    from spillwatch.scenarios import Portfolio

    ws = Workspace("demo")
    port = Portfolio(BOOK, kind="notional")
    rep = risk.tail_risk(ws, portfolio=port, backtest=False)
    book = rep.book
    assert book is not None and book["gross_usd"] == 8e6
    # by hand, from the levels: yields in percent, prices
    lv = sw.load("demo", assets=["ust10y", "usdjpy", "btc"], transform="levels")
    lv = lv.loc[risk.START:]
    # the book's days: those every position has; each change runs from the book's day before
    # (a move on a day one market was shut is in the next day's change, not lost)
    both = lv[["ust10y_pct", "usdjpy_jpy", "btc_usd"]].dropna()
    y, jpy, btc = (both[c].to_numpy() for c in both.columns)
    pnl = (5e6 * _par_bond_return(y[:-1], y[1:], 10.0) - 2e6 * (1.0 - jpy[:-1] / jpy[1:])
           + 1e6 * (btc[1:] / btc[:-1] - 1.0))
    pnl = pd.Series(pnl, index=both.index[1:])
    first = risk.book_returns(ws, port)[2].index[0]
    pnl = pnl.loc[first:]                     # the panel's first change is the day after START
    assert book["days"] == len(pnl)
    last = np.sort(pnl.to_numpy()[-500:])          # the historical window: the last 500 days
    k = math.ceil(500 * 0.01)
    assert book["methods"]["historical"]["var_usd"] == pytest.approx(-last[k - 1], rel=1e-9)
    assert book["methods"]["historical"]["es_usd"] == pytest.approx(-last[:k].mean(), rel=1e-9)
    assert set(book["methods"]) == {"historical", "fhs", "t"}
    assert str(rep).startswith(f"book portfolio ($8,000,000 gross, {len(pnl):,} days ")
    assert "; the historical and FHS tails read the last 500)" in str(rep)


def test_risk_portfolio_on_the_cli(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text("asset,notional_usd\nust10y,5e6\nusdjpy,-2e6\nbtc,1e6\n")
    res = CliRunner().invoke(app, ["risk", "--demo", "--portfolio", str(path), "--json",
                                   "--no-backtest"])
    assert res.exit_code == 0, res.output
    book = json.loads(res.stdout)["summary"]["book"]
    assert book["name"] == "b" and book["positions_usd"] == {"ust10y": 5e6, "usdjpy": -2e6,
                                                             "btc": 1e6}
    assert book["methods"]["historical"]["var_usd"] > 0
    # one unit for the level in one document (the book's read 99.0 beside the summary's 0.99)
    summary = json.loads(res.stdout)["summary"]
    assert book["level"] == summary["level"] == 0.99
    # the book's VaR is a simple return of its gross, not a log change with a price fall
    assert summary["units"].startswith("var/es: the book's next-day loss in percent of its "
                                       "gross notional (book_pct_of_gross: a simple return")
    assert summary["es_price_fall_pct"] == {}
    assets = CliRunner().invoke(app, ["risk", "--demo", "--assets", "btc,ust10y", "--json",
                                      "--no-backtest"])
    plain = json.loads(assets.stdout)["summary"]
    assert plain["units"].startswith("var/es: a holder's next-day loss in the series' units")
    assert set(plain["es_price_fall_pct"]) == {"btc_pct/historical", "btc_pct/fhs",
                                               "btc_pct/t"}
    bad = tmp_path / "bad.csv"
    bad.write_text("asset,weight\nbtc,0.5\nvix,0.5\n")
    res = CliRunner().invoke(app, ["risk", "--demo", "--portfolio", str(bad)])
    assert res.exit_code == 2
    # the assets a scenario's book may hold (VIX is no holding)
    assert f"error: {bad} line 3: unknown asset(s) in the portfolio: vix" in res.stderr
    with pytest.raises(ConfigError, match="not both"):
        risk.tail_risk(Workspace("demo"), portfolio=str(path), assets=("btc",))
    with pytest.raises(ScenarioError, match="line 2: unknown"):
        odd = tmp_path / "odd.csv"
        odd.write_text("asset,weight\ndoge,1\n")
        risk.tail_risk(Workspace("demo"), portfolio=str(odd))


@pytest.mark.realdata
def test_a_book_keeps_every_move_and_ignores_zero_positions(real_ws):
    # TRUMP's +19.5% of 2025-10-13 (the Treasury market shut for Columbus Day) was on no day
    # of the book; a TRUMP position of zero cut a 10-year book's history to TRUMP's
    from spillwatch.scenarios import Portfolio

    ws = real_ws
    # a cent of 10-year: the book's days are the 10-year's, its P&L TRUMP's
    port = Portfolio({"ust10y": 0.01, "trump": 1e6}, kind="notional")
    pnl = risk.book_returns(ws, port)[2]
    lv = ws.panel(["trump"], transform="levels")["trump_usd"].dropna()
    assert pd.Timestamp("2025-10-13") in lv.index
    assert pd.Timestamp("2025-10-13") not in pnl.index        # no 10-year that day ...
    first, last = pnl.index[0], pnl.index[-1]
    prev = lv.loc[:first].index[-2]                            # the close before the first
    # ... yet its move is in the book: TRUMP's whole return over the span, day by day
    assert np.log1p(pnl / 1e6).sum() == pytest.approx(
        math.log(lv.loc[last] / lv.loc[prev]), rel=1e-6)
    zero = risk.book_returns(ws, Portfolio({"ust10y": 1e6, "trump": 0.0},
                                           kind="notional"))[2]
    alone = risk.book_returns(ws, Portfolio({"ust10y": 1e6}, kind="notional"))[2]
    pd.testing.assert_series_equal(zero, alone)


@pytest.mark.realdata
def test_a_book_starts_on_the_first_day_it_holds_every_asset(real_ws):
    # TRUMP's months before it listed were merged into its first change and that day dropped
    # as a gap: the book began 2025-01-23 and lost 2025-01-22, when TRUMP fell 17% (-$62k)
    from spillwatch.scenarios import Portfolio

    book = {"btc": 1e6, "trump": 2e5}
    ws = real_ws
    pnl = risk.book_returns(ws, Portfolio(book, kind="notional"))[2]
    ch = risk.risk_panel(ws, assets=("btc", "trump"))[["btc_pct", "trump_pct"]].dropna()
    # by hand: every day both have a change (the risk calendar's), priced e^x - 1
    hand = 1e6 * np.expm1(ch["btc_pct"] / 100) + 2e5 * np.expm1(ch["trump_pct"] / 100)
    assert pnl.index[0] == hand.index[0] == pd.Timestamp("2025-01-22")
    assert pnl.iloc[0] == pytest.approx(hand.iloc[0], rel=1e-9) and pnl.iloc[0] < -50_000
    pd.testing.assert_series_equal(pnl.loc[:"2025-12-31"], hand.loc[:"2025-12-31"],
                                   check_names=False, check_freq=False, rtol=1e-9)


@pytest.mark.realdata
def test_a_book_too_short_for_its_var_names_the_way_out_of_a_book(real_db, tmp_path,
                                                                   shared_data):
    # it said "leave it out of --assets", an option `risk --portfolio` was not given
    path = tmp_path / "b.csv"
    path.write_text("asset,notional_usd\nbtc,1e6\ntrump,2e5\n")
    res = CliRunner().invoke(app, ["risk", "--db", str(real_db), "--portfolio", str(path),
                                   "--end", "2025-03-14"])
    assert res.exit_code == 2, res.output
    assert "leave trump out of the book (it starts on 2025-01-22) or give a later --end" in \
        " ".join(res.stderr.split())
    assert "--assets" not in res.stderr
    # a book whose days end with one position's data (gold's, 2025-10-03): "give a later
    # --end" could not help; leaving that position out can
    path.write_text("asset,weight\nbtc,0.3\ntrump,0.2\ngold,0.5\n")
    res = CliRunner().invoke(app, ["risk", "--db", str(real_db), "--portfolio", str(path)])
    assert res.exit_code == 2, res.output
    last = pd.read_csv(shared_data / "gold" / "XAUUSD.csv", parse_dates=["date"])["date"].max()
    text = " ".join(res.stderr.split())
    assert ("99% VaR needs at least 200: leave trump out of the book (it starts on "
            f"2025-01-22) or leave gold out (its data end on {last:%Y-%m-%d})") in text
    assert "--end" not in text
    # a window's --start bounds a book whose positions began before it (it named bitcoin as
    # starting late, and the 10-year, CoVaR's series and no position, as ending early)
    path.write_text("asset,weight\nbtc,1\n")
    res = CliRunner().invoke(app, ["risk", "--db", str(real_db), "--portfolio", str(path),
                                   "--start", "2025-06-01", "--as-of", "2025-10-15"])
    assert res.exit_code == 2, res.output
    text = " ".join(res.stderr.split())
    assert text.endswith("needs at least 200: give an earlier --start or give a later --end "
                         "(or --as-of)"), text
    # --as-of before the default start: it said "give a --start before --end" to a user who
    # gave no --end; and not an earlier --start for the default assets, crypto's, whose data
    # begin after it (following that advice ended on "no asset to measure"); since h_par1 it
    # says that no crypto was published by then, and when the store's begins
    res = CliRunner().invoke(app, ["risk", "--db", str(real_db), "--as-of", "2013-06-24"])
    text = " ".join(res.stderr.split())
    assert res.exit_code == 2 and text.endswith(
        "holds none of btc, eth, trump: the store's figures of them begin later (btc "
        "2018-01-01, eth 2018-01-01, trump 2025-01-19); give a later --as-of"), text
    assert "--start before" not in text


@pytest.mark.realdata
def test_a_late_starting_position_that_cuts_the_book_short_is_named(real_ws):
    """A 10% TRUMP line cut a book of bitcoin and the 10-year to 237 days of 2025 while the
    JSON said window 500; the note names TRUMP and the days the others have."""
    ws = real_ws
    rep = risk.tail_risk(ws, portfolio={"btc": 0.5, "ust10y": 0.4, "trump": 0.1},
                         backtest=False)
    book = rep.book
    assert book["days"] < 500 and book["days_read"] == book["days"]
    (note,) = [n for n in rep.notes if n.startswith("the book's history is")]
    assert f"the book's history is {book['days']:,} days" in note
    assert "trump_pct begins on 2025-01-2" in note
    held = risk.risk_panel(ws, assets=("btc", "ust10y"))
    assert f"the other positions have {len(held.dropna()):,} days together" in note


@pytest.mark.realdata
def test_a_book_holding_gold_reads_bitcoin_on_the_risk_calendar_and_its_own_next_day(real_ws,
                                                                                   shared_data):
    """Gold prints on US holidays: with a gold line the book's calendar split bitcoin's
    weekend moves (its VaR 6.86% against `risk`'s 7.59%), and the weekend note spoke of
    bitcoin's next day (2026-01-05) while the book's VaR was dated by gold's end, 2025-10-03."""
    ws = real_ws
    alone = risk.risk_panel(ws, assets=("btc",))["btc_pct"]
    with_gold = risk.risk_panel(ws, assets=("btc", "gold"))
    pd.testing.assert_series_equal(with_gold["btc_pct"], alone)
    # gold's own moves are all there: its Good Friday or holiday change joins the next day
    lv = ws.panel(["gold"], transform="levels")["gold_usd"].dropna()
    g = with_gold["gold_pct"].dropna()
    assert g.sum() == pytest.approx(100 * math.log(lv.loc[g.index[-1]] / lv.loc[:g.index[0]]
                                                   .iloc[-2]), rel=1e-9)
    # ... and a series that runs past the standard calendar keeps its last days (the term
    # premium's 21 days after the 10-year's last print were dropped)
    tp = pd.read_csv(shared_data / "treasury" / "acm_term_premium_10y.csv",
                     parse_dates=["date"]).dropna()
    got = risk.risk_panel(ws, assets=("term_premium",))["term_premium_bp"].dropna()
    assert got.index[-1] == tp["date"].max() > alone.index[-1]
    rep = risk.tail_risk(ws, portfolio={"btc": 0.5, "gold": 0.5}, backtest=False)
    last = pd.Timestamp(rep.book["last_date"]) if "last_date" in rep.book else None
    (note,) = [n for n in rep.notes if n.startswith("btc_pct: the next business day")]
    day = ws.panel(["gold"], transform="changes")["gold_pct"].last_valid_index()
    nxt = pd.bdate_range(day, periods=2)[1]
    assert f"({nxt:%Y-%m-%d})" in note, (note, last)


@pytest.mark.realdata
def test_a_positions_gap_that_costs_the_book_days_is_said(real_ws):
    # the broad dollar is empty 2016-01-22 to 26: its change over the gap is not measured, so
    # the Treasuries' moves of 2016-01-22 to 28 were no day of a curve book, without a word
    from spillwatch.scenarios import Portfolio

    book = Portfolio({"ust2y": 1e8, "ust5y": -1e8, "usd_broad": 5e7}, kind="notional")
    ws = real_ws
    rep = risk.tail_risk(ws, portfolio=book, backtest=False, start="2015-06-01",
                         end="2016-12-31")
    pnl = risk.book_returns(ws, book, start="2015-06-01", end="2016-12-31")[2]
    held = risk.risk_panel(ws, assets=("ust2y", "ust5y", "usd_broad"), start="2015-06-01",
                           end="2016-12-31")
    alone = risk.tail_risk(ws, portfolio=Portfolio({"ust2y": 1e8, "ust5y": -1e8},
                                                   kind="notional"),
                           backtest=False, start="2015-06-01", end="2016-12-31")
    every = held.dropna().index
    lost = every[~every.isin(pnl.index)]
    assert list(lost) == [pd.Timestamp("2016-01-28")]          # measured by hand
    (note,) = [n for n in rep.notes if "no P&L" in n]
    assert note.startswith("the book has no P&L from 2016-01-22 to 2016-01-28: usd_broad_pct "
                           "has no change from 2016-01-22 to 2016-01-27")
    assert "(1 day with every position's change in 1 such gap)" in note
    # a book without the gapped position keeps those days and says nothing of a gap
    assert not [n for n in alone.notes if "no P&L" in n]


@pytest.mark.realdata
def test_a_gap_at_the_window_s_end_is_said_and_blames_no_position_for_a_short_book(real_ws):
    """`--end 2016-01-28` lost the window's last day (both positions changed on it) to the
    dollar's gap without a word, and the short-book note blamed the 10-year, which starts with
    the dollar ("ust10y_bp begins on 2015-01-02; the other positions have 263 days")."""
    from spillwatch.scenarios import Portfolio

    book = Portfolio({"ust10y": 1e7, "usd_broad": 1e7}, kind="notional")
    ws = real_ws

    def notes(end):
        return risk.tail_risk(ws, portfolio=book, backtest=False, start="2015-01-01",
                              end=end).notes

    last = notes("2016-01-28")
    cut = notes("2016-01-27")
    edge = notes("2016-01-22")
    assert any(n.startswith("the book has no P&L from 2016-01-22 to 2016-01-28: "
                            "usd_broad_pct") for n in last)
    assert not any("begins on" in n for n in last + cut + edge)
    # the dollar printed on 01-27 with no change (its change spans the gap): said
    assert ("the book's last day is 2016-01-21: usd_broad_pct printed after it to 2016-01-27 "
            "with no change") in " ".join(cut)
    assert "4 days after it are not in the book" in " ".join(cut)
    # the dollar's last print in the window is 01-21 (the edge of its data there): no gap
    assert not any("no P&L" in n or "last day is" in n for n in edge)


@pytest.mark.realdata
def test_a_books_covar_pairs_it_with_the_10_year_over_the_same_span(real_ws):
    """The book's CoVaR took the 10-year's change on the book's date alone.

    A 10-year move on a day that is no day of the book (Good Friday 2023-04-07: +9 bp on the
    jobs report, the S&P 500 shut) was dropped: the book's Thursday-to-Monday return was paired
    with Monday's +2 bp, not the +11 bp (3.30% to 3.41%) over its span, and the sell-off days
    read 121 where the 10-year rose 9 bp or more over 122 of the book's days.
    """
    from spillwatch.scenarios import Portfolio

    ws = real_ws
    port = Portfolio({"btc": 1e6, "spx": 2e6}, kind="notional")
    rep = risk.tail_risk(ws, portfolio=port, backtest=False)
    pnl = risk.book_returns(ws, port)[2]
    lv = ws.panel(["ust10y"], transform="levels")["ust10y_pct"].dropna()
    fit = rep.covar.fits[risk.BOOK_COLUMN]
    # by hand: the book's days on which the 10-year printed (a day it did not, Columbus Day,
    # joins the next), the 10-year's change from the previous such day's close to this one's
    days = pnl.index[pnl.index.isin(lv.index)]
    before = lv.loc[:days[0]].index[-2]          # the 10-year's close before the first day
    x = (100.0 * lv.loc[[before, *days]].diff()).round(6).iloc[1:]
    assert x.loc["2023-04-10"] == pytest.approx(11.0)
    assert fit["nobs"] == len(x)
    st = fit["states"][0.95]
    assert st["x_stress"] == pytest.approx(float(np.quantile(x, 0.95)))
    assert st["n_stress_days"] == int((x >= np.quantile(x, 0.95)).sum()) == 122


# -- the backtest of a book's VaR (on by default in `risk --portfolio`), against its P&L by
# hand (h_cov2: every book test above passed backtest=False, and the API's compares it with
# the CLI's without a number of its own). The historical 99% VaR of a day is minus the 5th
# worst of the 500 days before it; Kupiec's and Christoffersen's likelihood ratios are the
# textbook ones (Kupiec 1995; Christoffersen 1998), with scipy's chi-square tail.

def _pnl_by_hand(ws: Workspace, port: Portfolio) -> pd.Series:
    lv = sw.load("demo", assets=["ust10y", "usdjpy", "btc"], transform="levels")
    both = lv.loc[risk.START:, ["ust10y_pct", "usdjpy_jpy", "btc_usd"]].dropna()
    y, jpy, btc = (both[c].to_numpy() for c in both.columns)
    pnl = (5e6 * _par_bond_return(y[:-1], y[1:], 10.0) - 2e6 * (1.0 - jpy[:-1] / jpy[1:])
           + 1e6 * (btc[1:] / btc[:-1] - 1.0))
    first = risk.book_returns(ws, port)[2].index[0]
    return pd.Series(pnl, index=both.index[1:]).loc[first:]


def _log_lik(k: int, n: int, p: float) -> float:
    return (n - k) * math.log(1.0 - p) + (k * math.log(p) if k else 0.0)


@pytest.mark.slow
def test_a_book_s_var_backtest_counts_its_losses_by_hand():
    ws = Workspace("demo")
    port = Portfolio(BOOK, kind="notional")
    rep = risk.tail_risk(ws, portfolio=port, backtest=True, methods=("historical",))
    row = rep.backtest.to_dict()["table"]
    got = dict(zip(row["columns"], row["data"][0], strict=True))
    x = _pnl_by_hand(ws, port).to_numpy()
    window, k = 500, math.ceil(500 * 0.01)
    hit = np.array([-x[t] > -np.sort(x[t - window:t])[k - 1] for t in range(window, len(x))])
    n, v = len(hit), int(hit.sum())
    assert (got["series"], got["method"]) == ("book_pct_of_gross", "historical")
    assert (got["days"], got["violations"]) == (n, v) == (1_499, 14)
    assert got["expected"] == pytest.approx(0.01 * n, rel=1e-12)
    lr_uc = -2.0 * (_log_lik(v, n, 0.01) - _log_lik(v, n, v / n))
    assert got["kupiec_lr"] == pytest.approx(lr_uc, rel=1e-9)
    assert got["kupiec_p"] == pytest.approx(stats.chi2.sf(lr_uc, 1), rel=1e-9)
    # independence: a violation after a violation against one after none
    prev, now = hit[:-1], hit[1:]
    n00, n01 = int((~prev & ~now).sum()), int((~prev & now).sum())
    n10, n11 = int((prev & ~now).sum()), int((prev & now).sum())
    p01, p11, p1 = n01 / (n00 + n01), n11 / (n10 + n11), (n01 + n11) / (n - 1)
    lr_ind = -2.0 * (_log_lik(n01 + n11, n - 1, p1)
                     - _log_lik(n01, n00 + n01, p01) - _log_lik(n11, n10 + n11, p11))
    assert got["christoffersen_lr"] == pytest.approx(lr_ind, rel=1e-9)
    assert got["christoffersen_p"] == pytest.approx(stats.chi2.sf(lr_ind, 1), rel=1e-9)
    assert got["passed"] is True
    assert not any("backtest of the book skipped" in n for n in rep.notes)


def test_a_book_too_short_for_a_backtest_says_so():
    ws = Workspace("demo")
    port = Portfolio(BOOK, kind="notional")
    rep = risk.tail_risk(ws, portfolio=port, backtest=True, methods=("historical",),
                         start="2025-06-01")
    days = len(_pnl_by_hand(ws, port).loc["2025-06-01":])
    assert rep.backtest is None and rep.book["days"] == days == 370
    assert f"backtest of the book skipped: {days} days, the backtest needs 750" in rep.notes
