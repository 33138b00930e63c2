"""Risk on TRUMP's first evenings says why the token has no observation yet (h_ep12)."""

from __future__ import annotations

import datetime as dt

import pytest

from _cut_store import cut_files
from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.data.source import open_source
from spillwatch.exceptions import DataError
from spillwatch.service import risk
from spillwatch.service.workspace import Workspace

pytestmark = [pytest.mark.realdata, pytest.mark.slow]   # about 2 s each


@pytest.fixture(scope="module")
def ws(shared_data, tmp_path_factory):
    """The 10-year (the business days) and Binance's BTCUSDT, TRUMPUSDT and PAXGUSDT closes,
    by the project's import."""
    w = Workspace(open_source(cut_files(shared_data, tmp_path_factory.mktemp("btc_trump"), (
        "fred/DGS10.csv", "crypto/BTCUSDT.csv", "crypto/TRUMPUSDT.csv",
        "crypto/PAXGUSDT.csv"))))
    yield w
    w.close()


def _left_out(rep) -> list[str]:
    return [n for n in rep.notes if n.startswith("trump_pct left out")]


#: The words after "no change on the business-day calendar yet: " on TRUMP's first evenings.
RUNS = "a change runs from one business day's close to the next, and "
BEFORE = "; its moves before "


@pytest.mark.parametrize(("evening", "closes", "why"), [
    # Sunday's 46.5 alone
    (dt.date(2025, 1, 19), "its close of 2025-01-19 gives",
     RUNS + "none of its closes is a business day's yet"),
    # and MLK Day's 36.5 (-21.5%)
    (dt.date(2025, 1, 20), "its 2 closes from 2025-01-19 give",
     RUNS + "none of its closes is a business day's yet" + BEFORE
     + "its first business-day close join no change"),
    # and Tuesday's 43.76, its first business-day close: Wednesday's change is from it
    (dt.date(2025, 1, 21), "its 3 closes from 2025-01-19 give",
     RUNS + "its first is 2025-01-21's" + BEFORE + "that close join no change"),
])
def test_the_launch_evenings_say_why_trump_has_no_observation(ws, evening, closes, why):
    """`risk --as-of 2025-01-20` read "trump_pct left out: 0 observations in the window, VaR
    needs 200" while the store held the token's closes of 01-19 and 01-20 (-21.5%); the
    evening of 01-19 read "its 1 close from 2025-01-19 give". The reason then said "a
    weekend's or a US market holiday's close joins the next business day's" of closes that
    join none (h_crypto1): the token's first change is Wednesday's, from Tuesday's close, so
    the launch weekend's moves are in no observation (``test_a_short_history_keeps_its_count``
    counts 01-22 and 01-23 alone)."""
    rep = risk.tail_risk(vintage_workspace(ws, evening), methods=("historical",),
                         backtest=False, end=evening.isoformat())
    (note,) = _left_out(rep)
    assert note == (f"trump_pct left out: 0 observations in the window ({closes} no "
                    f"change on the business-day calendar yet: {why}), VaR needs 200")


def test_a_first_close_on_a_business_day_is_not_called_a_weekend_s(ws):
    """PAXG's first close is Friday 2020-08-28, a business day's: `risk --assets paxg` that
    evening gave it the weekend-or-holiday reason, and on Sunday 08-30 said its weekend's
    closes join the next business day's as if Friday's did too (the closing note's item)."""
    def refusal(evening: dt.date) -> str:
        with pytest.raises(DataError) as got:
            risk.tail_risk(vintage_workspace(ws, evening), assets=("paxg",),
                           methods=("historical",), backtest=False, end=evening.isoformat())
        return str(got.value)

    assert ("(its close of 2020-08-28 gives no change on the business-day calendar yet: "
            + RUNS + "its first is 2020-08-28's); ") in refusal(dt.date(2020, 8, 28))
    assert ("(its 3 closes from 2020-08-28 give no change on the business-day calendar yet: "
            + RUNS + "its first is 2020-08-28's; its closes since join the next business "
            "day's); ") in refusal(dt.date(2020, 8, 30))


def test_an_end_on_the_whole_store_counts_the_closes_by_it(ws):
    """`risk --end 2025-01-21` on the whole store (every later close stored) counts the three
    closes by the end, not the store's."""
    rep = risk.tail_risk(ws, methods=("historical",), backtest=False, end="2025-01-21")
    assert _left_out(rep) == [
        "trump_pct left out: 0 observations in the window (its 3 closes from 2025-01-19 give no "
        "change on the business-day calendar yet: " + RUNS + "its first is 2025-01-21's"
        + BEFORE + "that close join no change), VaR needs 200"]


def test_a_short_history_keeps_its_count(ws):
    """From its first business-day change on, the note counts them, as before (no reason):
    01-22 and 01-23 (FRED's 10-year of 01-24 is out the next business day, so the panel of
    that evening ends on 01-23)."""
    rep = risk.tail_risk(vintage_workspace(ws, dt.date(2025, 1, 24)), methods=("historical",),
                         backtest=False, end="2025-01-24")
    assert _left_out(rep) == ["trump_pct left out: 2 observations in the window, VaR needs 200"]


def test_a_named_trump_says_why_it_has_no_observation(ws):
    """`risk --assets trump --as-of 2025-01-21` refused "'trump_pct' has no observations in
    the window" with the token's three closes stored; it gives the default table's reason."""
    with pytest.raises(DataError) as got:
        risk.tail_risk(vintage_workspace(ws, dt.date(2025, 1, 21)), assets=("trump",),
                       methods=("historical",), backtest=False, end="2025-01-21")
    assert str(got.value) == (
        "'trump_pct' has no observations in the window (its 3 closes from 2025-01-19 give no "
        "change on the business-day calendar yet: " + RUNS + "its first is 2025-01-21's"
        + BEFORE + "that close join no change); 99% VaR needs at least 200. Its history begins "
        "there: "
        "give a later --as-of or leave it out of --assets.")


def test_a_window_after_the_last_close_is_not_called_no_change_yet(ws):
    """A coin whose closes stop before ``--start`` has changes, none in the window: `risk
    --assets trump --start 2026-02-02` (TRUMPUSDT's last close 2026-01-02) said its closes
    "give no change on the business-day calendar yet" and "its history begins there: give a
    later --end" (h_verify28)."""
    with pytest.raises(DataError) as got:
        risk.tail_risk(ws, assets=("trump",), methods=("historical",), backtest=False,
                       start="2026-02-02")
    assert str(got.value) == ("'trump_pct' has no observations in the window; 99% VaR needs "
                              "at least 200")



def test_a_close_after_the_calendar_s_last_day_keeps_its_reason(ws):
    """On a store whose 10-year is out the next business day, the evening of 2025-01-22 ends
    the panel on 01-21: TRUMP's 01-22 close has no change yet (0 observations) although it has
    two business-day closes. Counting those closes as "a change by the evening" dropped the
    reason (43f6610); only a window after the last close is an empty window (h_verify28)."""
    evening = dt.date(2025, 1, 22)
    rep = risk.tail_risk(vintage_workspace(ws, evening), methods=("historical",),
                         backtest=False, end=evening.isoformat())
    assert _left_out(rep) == [
        "trump_pct left out: 0 observations in the window (its 4 closes from 2025-01-19 give no "
        "change on the business-day calendar yet: " + RUNS + "its first is 2025-01-21's"
        + BEFORE + "that close join no change; its closes since join the next business "
        "day's), VaR needs 200"]
