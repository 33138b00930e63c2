"""A first alert on the peak day itself is a hit (lead 0), and the median lead is a median.

Mutation testing (h_mut) found that ``first < p`` for ``first <= p`` (scores.py, the *Hit*
definition: 'first alert comes on or before its peak') and ``.mean()`` for ``.median()`` of
the hits' leads passed every test of tests/alerts/backtest (no case put an onset on the peak,
and no case had hits whose mean and median differ)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from spillwatch.alerts.backtest import ScoreSpec, Signal, parse_episodes, score

THREE = parse_episodes("""
[[episode]]
name = "a"
trigger = 2022-03-01
peak = 2022-03-08
kind = "rates"

[[episode]]
name = "b"
trigger = 2023-03-01
peak = 2023-03-08
kind = "rates"

[[episode]]
name = "c"
trigger = 2024-03-01
peak = 2024-03-08
kind = "rates"
""")


ONE = parse_episodes("""
[[episode]]
name = "a"
trigger = 2024-02-01
peak = 2024-02-08
kind = "rates"
""")


def _card(on, dates, episodes):
    spec = ScoreSpec(pre=20, post=5, recovery=60, horizons=(5,))
    return score(dates, [Signal("sw", "sw", "index", on, on)], episodes, headline="sw",
                 spec=spec)


def test_an_alert_that_starts_on_the_peak_day_is_a_hit_with_lead_zero():
    dates = pd.bdate_range("2021-01-04", "2024-12-31", name="date")
    pos = {d: i for i, d in enumerate(dates)}
    on = np.zeros(len(dates))
    peaks = [pos[pd.Timestamp(d)] for d in ("2022-03-08", "2023-03-08", "2024-03-08")]
    for p in peaks:
        on[p:p + 3] = 1.0                    # switches on exactly on the peak day
    card = _card(on, dates, THREE)
    leads = card.leads.set_index("episode")
    assert leads["hit"].tolist() == [True, True, True]
    assert leads["lead_bdays"].tolist() == [0, 0, 0]
    assert card.summary.loc["sw", "hits"] == 3 and card.summary.loc["sw", "hit_rate"] == 1.0


def test_the_median_lead_is_the_median_of_the_hits_leads():
    """Leads of 1, 2 and 15 business days: median 2 (a mean would say 6)."""
    dates = pd.bdate_range("2021-01-04", "2024-12-31", name="date")
    pos = {d: i for i, d in enumerate(dates)}
    on = np.zeros(len(dates))
    for day, lead in (("2022-03-08", 1), ("2023-03-08", 2), ("2024-03-08", 15)):
        p = pos[pd.Timestamp(day)]
        on[p - lead:p + 2] = 1.0
    card = _card(on, dates, THREE)
    assert sorted(card.leads["lead_bdays"].tolist()) == [1, 2, 15]
    assert card.summary.loc["sw", "median_lead_bdays"] == 2.0


def test_an_alert_that_starts_on_the_window_s_first_day_is_not_already_on():
    """'Already on' is an alert on when the window opened *and on the day before its first day
    too' (scores.py, *Lead time*). One switched on exactly on T - pre warned inside the window:
    it is a hit before the trigger, its lead to the trigger is pre. Mutation testing (h_mut):
    ``carried[lo]`` for ``carried[lo - 1]`` passed every scorecard test."""
    episodes = ONE
    dates = pd.bdate_range("2023-01-02", "2024-06-28", name="date")
    pos = {d: i for i, d in enumerate(dates)}
    trig, peak = pos[pd.Timestamp("2024-02-01")], pos[pd.Timestamp("2024-02-08")]
    lo = trig - 20
    fresh = np.zeros(len(dates))
    fresh[lo:peak + 1] = 1.0
    got = _card(fresh, dates, episodes)
    row = got.leads.set_index("signal").loc["sw"]
    assert row["first_alert"] == dates[lo] and row["lead_trigger_bdays"] == 20
    assert not row["already_on"]
    assert got.summary.loc["sw", "hits_before_trigger"] == 1
    assert got.summary.loc["sw", "hits_already_on"] == 0
    early = np.zeros(len(dates))
    early[lo - 3:peak + 1] = 1.0
    got = _card(early, dates, episodes)
    assert got.leads.set_index("signal").loc["sw", "already_on"]
    assert got.summary.loc["sw", "hits_already_on"] == 1


def test_a_replay_that_ends_one_day_before_the_window_does_not_cover_the_episode():
    """Covered: '[T - pre, P + post] lies in the replay' (scores.py, *Covered*). A replay whose
    last day is P + post - 1 cuts the window by one day: not covered; one that reaches P + post
    covers it. Mutation testing (h_mut): ``p + spec.post <= n`` for ``< n`` passed every
    scorecard test."""
    episodes = ONE
    peak = pd.Timestamp("2024-02-08")
    for last, covered in ((peak + pd.offsets.BDay(4), False), (peak + pd.offsets.BDay(5), True)):
        dates = pd.bdate_range("2023-01-02", last, name="date")
        on = np.zeros(len(dates))
        on[dates.get_loc(peak) - 2:] = 1.0
        got = _card(on, dates, episodes)
        assert bool(got.leads.set_index("signal").loc["sw", "covered"]) is covered, last
        assert got.summary.loc["sw", "covered"] == int(covered)
