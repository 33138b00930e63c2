"""The day's signature counts its windows in each leg's observations (h_mut28).

The module docstring of :mod:`spillwatch.analytics.stress.signature`: "each leg's move over the
last h in {1, 2, 3} observations ending on day t". A panel row on which neither leg reported (a
bond-market holiday that other series print on) is no observation: the two-observation window
of the next day reaches back over it. A mutant that summed the windows over the panel's rows
(NaN included, so no window spanned the holiday) survived the suite.
"""
import numpy as np
import pandas as pd

from spillwatch.analytics.stress import classify


def _legs(n=300, seed=5):
    rng = np.random.default_rng(seed)
    idx = pd.bdate_range("2023-01-02", periods=n, name="date")
    return pd.DataFrame({"ust10y_bp": rng.normal(0, 5, n),
                         "usd_broad_pct": rng.normal(0, 0.3, n)}, index=idx)


def test_a_window_reaches_back_over_a_row_neither_leg_reported():
    ch = _legs()
    ch.iloc[-3] = [12.0, -0.6]        # yields up, the dollar down
    ch.iloc[-2] = [np.nan, np.nan]    # neither leg reported
    ch.iloc[-1] = [0.5, -0.05]        # a quiet day in the same direction (under 0.25 sd)
    y = ch["ust10y_bp"].dropna()
    d = ch["usd_broad_pct"].dropna()
    # by hand: the two observations ending today are day -3 and today, scaled by the sd of
    # the 250 observations before them
    zy = (12.0 + 0.5) / (np.sqrt(2) * y.iloc[-252:-2].std())
    zd = (-0.6 - 0.05) / (np.sqrt(2) * d.iloc[-252:-2].std())
    assert zy >= 1.0 and zd <= -0.5 and abs(0.5 / y.iloc[-251:-1].std()) < 0.5
    got = classify(ch)
    assert got.iloc[-3] == "sell_america"
    assert got.iloc[-2] == "unavailable"
    assert got.iloc[-1] == "sell_america"


def test_a_move_under_the_noise_level_against_the_window_does_not_veto_it():
    """'neither goes against the day's own direction (a leg whose one-day move is at least
    epsilon = 0.25 of a standard deviation has that sign on the day)': a 10-year 0.5 bp lower
    (about 0.1 sd) the day after a +12 bp, -0.6% day has no direction of its own, so the
    two-day window (yields up, the dollar down) decides the day."""
    ch = _legs()
    ch.iloc[-2] = [12.0, -0.6]
    ch.iloc[-1] = [-0.5, -0.05]
    y = ch["ust10y_bp"]
    assert abs(-0.5 / y.iloc[-251:-1].std()) < 0.25
    got = classify(ch)
    assert got.iloc[-2] == "sell_america"
    assert got.iloc[-1] == "sell_america"
    # a move of 0.3 sd against it is a direction: the window that contradicts it is not read
    ch.iloc[-1] = [-0.3 * y.iloc[-251:-1].std() * 1.01, -0.05]
    assert classify(ch).iloc[-1] == "none"


def test_the_shortest_decisive_window_decides_the_day():
    """'The signature of the day is the quadrant of the shortest decisive window'. With the
    defaults a longer decisive window always has the day's signs (a leg of 0.5 sd sets its
    direction), but with ``leg`` under the noise level (0.1 < 0.25) the day alone can be
    decisive with a yield move too small to have a direction: today +0.2 sd with the dollar
    +1.2 sd is dash for cash, though yesterday's -3 sd in yields makes the two-day window a
    flight to quality."""
    ch = _legs()
    sy = ch["ust10y_bp"].iloc[-252:-2].std()
    sd = ch["usd_broad_pct"].iloc[-252:-2].std()
    ch.iloc[-2] = [-3.0 * sy, 0.5 * sd]
    ch.iloc[-1] = [0.2 * sy, 1.2 * sd]
    assert classify(ch, leg=0.1).iloc[-1] == "dash_for_cash"
    # the two-day window alone (today's yield move inside the noise, so it vetoes nothing)
    two = ch.copy()
    two.iloc[-1] = [0.0, 1.2 * sd]
    assert classify(two, leg=0.1).iloc[-1] == "flight_to_quality"


def test_a_window_needs_both_legs_to_move_half_a_standard_deviation():
    """'A window is decisive when both legs moved at least half a standard deviation': yields
    +2 sd with the dollar -0.3 sd (over two quiet days) is no signature, though yields alone
    would read 'sell America'."""
    ch = _legs()
    sy = ch["ust10y_bp"].iloc[-253:-3].std()
    sd = ch["usd_broad_pct"].iloc[-253:-3].std()
    ch.iloc[-3] = [0.0, 0.0]
    ch.iloc[-2] = [0.0, 0.0]
    ch.iloc[-1] = [2.0 * sy, -0.3 * sd]
    assert classify(ch).iloc[-1] == "none"
    ch.iloc[-1] = [2.0 * sy, -0.6 * sd]
    assert classify(ch).iloc[-1] == "sell_america"
