"""The words of the 10-year's "beyond history" warning, and a market without its levels (h_mut14).

A target that passes history most before its peak names that day and the peak apart (a sale
over 7 business days, as of the real data's fit: its day-6 rise against the largest 6-day rise,
51 bp, passes it by more than its day-7 peak passes the largest 7-day rise, 64 bp); one that
passes it most at the peak says "median peak".

``beyond_history`` compares the 10-year target day by day with the largest rise over as many
days; a market fitted without its levels (``FittedMarket.levels`` None) has only the fit's
records for its fixed windows (5, 10, 20 ... 1000 business days), and each day reads the
shortest of them at least as long, the longest past it, and the rises (not the falls).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from spillwatch.scenarios import SelloffScenario, fit_market
from spillwatch.scenarios._format import _rises_by_day, beyond_history
from spillwatch.scenarios.selloff import parse_seller

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def bare(panel):
    """A one-day sale of $100bn on the real market fitted without its levels, and the rises
    the fit recorded for its windows."""
    market = fit_market(panel)
    bare = dataclasses.replace(market, levels=None)
    res = SelloffScenario((parse_seller("japan:100bn:0.2w"),)).simulate(bare, paths=50, seed=1)
    rises = {int(w): v[1] for w, v in market.info["max_moves"]["ust10y"].items()}
    return market, res, rises


def test_each_day_reads_the_shortest_recorded_window_at_least_as_long(bare):
    market, res, rises = bare
    assert res.market.levels is None
    got = _rises_by_day(res, 21)
    want = [rises[5]] * 5 + [rises[10]] * 5 + [rises[20]] * 10 + [rises[40]]
    assert got == pytest.approx(want)
    # the rises, not the falls, and never the levels' own day-by-day rises
    assert got[0] != pytest.approx(market.largest_rises("ust10y", 1)[0])
    # past the longest window, the longest
    assert _rises_by_day(res, 1001)[-1] == pytest.approx(rises[1000])


def test_without_the_windows_table_the_fits_rises_are_read(bare):
    market, _, _ = bare
    info = {k: v for k, v in market.info.items() if k != "max_moves"}
    plain = dataclasses.replace(market, levels=None, info=info)
    res = SelloffScenario((parse_seller("japan:100bn:0.2w"),)).simulate(plain, paths=50, seed=1)
    table = market.info["ust10y_max_rise_bp"]
    assert _rises_by_day(res, 6) == pytest.approx([table["5"]] * 5 + [table["10"]])


def test_a_rise_past_history_before_the_peak_names_its_day_and_the_peak(bare):
    market, _, _ = bare
    rises = market.largest_rises("ust10y", 7)
    res = SelloffScenario((parse_seller("japan:155bn:1.4w"),)).simulate(market, paths=50,
                                                                         seed=1)
    fan = res.impact_fan((0.5,), tenor="ust10y")["q0.5"].to_numpy(dtype=float)
    assert int(fan.argmax()) == 7
    t = int(np.argmax(fan[1:8] / rises)) + 1
    assert t < 7 and fan[t] > rises[t - 1]        # the data's: day 6, 51 bp
    warn = beyond_history(res)
    assert (f"the 10-year target's median rise, {fan[t]:+.0f} bp by day {t} (its peak "
            f"{fan[7]:+.0f} bp on day 7), is {fan[t] / rises[t - 1]:.2f}x the largest rise of "
            f"the 10-year over {t} business days in its own data of the fit "
            f"({rises[t - 1]:+.0f} bp, ") in warn


def test_a_rise_past_history_at_its_peak_is_the_median_peak(bare):
    market, _, _ = bare
    one = SelloffScenario((parse_seller("japan:100bn:0.2w"),)).simulate(market, paths=50, seed=1)
    fan = one.impact_fan((0.5,), tenor="ust10y")["q0.5"].to_numpy(dtype=float)
    r1 = market.largest_rises("ust10y", 1)[0]
    assert beyond_history(one).startswith(
        f"beyond history: the 10-year target's median peak, {fan[1]:+.0f} bp, is "
        f"{fan[1] / r1:.2f}x the largest rise of the 10-year over 1 business day in ")


def test_a_front_loaded_path_is_read_on_each_day_s_own_rise(bare):
    """A one-day sale beside an 8-week one: +45 bp on day 1 (against the largest one-day rise,
    29 bp), then a slow climb to its peak on day 40; each day's rise is read against as many
    days of history, day 1 against one day (a ratio shifted a day read day 3)."""
    market, _, _ = bare
    res = SelloffScenario((parse_seller("japan:100bn:0.2w"), parse_seller("china:50bn:8w"))
                          ).simulate(market, paths=50, seed=1)
    fan = res.impact_fan((0.5,), tenor="ust10y")["q0.5"].to_numpy(dtype=float)
    top = int(fan.argmax())
    rises = market.largest_rises("ust10y", top)
    assert top > 1 and int(np.argmax(fan[1:top + 1] / rises)) == 0
    assert (f"the 10-year target's median rise, {fan[1]:+.0f} bp by day 1 (its peak "
            f"{fan[top]:+.0f} bp on day {top}), is {fan[1] / rises[0]:.2f}x the largest rise of "
            "the 10-year over 1 business day in ") in beyond_history(res)
