"""How far back a replay's lead-in reaches: the rules' timers and a week more, a year at least."""

from __future__ import annotations

import datetime as dt

from spillwatch.alerts.rules import parse_rules


def _rules(for_: str, keep: str) -> str:
    return f"""
[[rule]]
name = "r"
fact = "btc.chg_1d_pct"
op = "<="
value = -8
for = "{for_}"
keep_firing_for = "{keep}"
"""


def test_lead_in_is_the_longest_timer_and_a_week_at_least_a_year():
    """A rule pending for 400 days needs its 400 days of lead-in and a week more (407), one
    pending 300 days and kept firing 60 the 360 and a week (367); a 30-minute rule kept
    firing 7 days gets the year's minimum; rules without timers, no lead-in."""
    from spillwatch.alerts.backtest.replay import MIN_LEAD_IN, _timers

    assert dt.timedelta(days=365) == MIN_LEAD_IN
    assert _timers(parse_rules(_rules("400d", "0m"))) == dt.timedelta(days=407)
    assert _timers(parse_rules(_rules("300d", "60d"))) == dt.timedelta(days=367)
    assert _timers(parse_rules(_rules("30m", "7d"))) == dt.timedelta(days=365)
    assert _timers(parse_rules(_rules("0m", "0m"))) == dt.timedelta(0)


def test_lead_in_ends_the_business_day_before_the_first_asked():
    """The lead-in is the business days from ``first − reach`` to the day before the first
    asked day: joined to the asked days it repeats none (the first asked day was run twice,
    its alerts' timers counting a day that is one)."""
    import pandas as pd

    from spillwatch.alerts.backtest.replay import _lead_in, replay_days
    from spillwatch.service.workspace import Workspace

    ws = Workspace("demo")
    asked = replay_days(ws)[100:110]                       # Monday 2019-07-22 on
    lead = _lead_in(ws, asked, dt.timedelta(days=30))
    assert lead[0] == asked[0] - pd.Timedelta(days=28)     # Monday 06-24: 30 days back is Sat
    assert lead[-1] == pd.Timestamp("2019-07-19")           # the Friday before
    assert lead.append(asked).is_unique
    assert len(_lead_in(ws, asked, dt.timedelta(0))) == 0


def test_a_lead_in_that_holds_off_for_keep_firing_for_is_settled():
    """A firing alert ends once its condition has not held for ``keep_firing_for`` (the
    engine's ``now - cleared_since < keep_firing_for`` keeps it only while shorter): a lead-in
    whose condition is off from a Monday to the Monday a week later, exactly 7 days for a
    7-day ``keep_firing_for``, resets the alert, so the replay is settled; off Monday to
    Thursday (3 days) it is not."""
    from types import SimpleNamespace

    import numpy as np
    import pandas as pd

    from spillwatch.alerts.backtest.lifecycle import ACTIVE, INACTIVE
    from spillwatch.alerts.backtest.replay import _settled

    dates = pd.bdate_range("2024-03-01", periods=12)            # Fri 03-01 .. Mon 03-18
    rule = SimpleNamespace(for_=dt.timedelta(0), keep_firing_for=dt.timedelta(days=7))
    week = np.full(12, ACTIVE)
    week[1:7] = INACTIVE                                        # Mon 03-04 .. Mon 03-11
    assert dates[6] - dates[1] == pd.Timedelta(days=7)
    assert _settled([SimpleNamespace(rule=rule, active=week)], dates, 12)
    short = np.full(12, ACTIVE)
    short[1:5] = INACTIVE                                       # Mon 03-04 .. Thu 03-07
    assert not _settled([SimpleNamespace(rule=rule, active=short)], dates, 12)


def test_the_replay_shows_a_reading_through_the_last_day_of_its_limit():
    """The replayed monitor shows the day's stress reading while its age is within the
    10-year's staleness limit (6 calendar days), inclusive, as the live monitor's ``fresh``
    (``age <= limit``) does: a reading 6 days old is shown, one 7 days old is not."""
    from types import SimpleNamespace

    import numpy as np

    from spillwatch import universe
    from spillwatch.alerts.backtest.replay import _gate

    limit = universe.ASSETS["ust10y"].timing.stale_after_days
    assert limit == 6
    r = 20000                                            # the reading's day number
    D = np.array([r + 5, r + 6, r + 7])
    cal = np.array([r, r + 5, r + 6, r + 7])
    sr = SimpleNamespace(limits={}, cal=cal,
                         calendar=SimpleNamespace(last=lambda d: np.searchsorted(
                             cal, d, side="right") - 1))
    sd = SimpleNamespace(reading=np.full(3, r))
    assert _gate(sd, sr, D, D.copy()).tolist() == [True, True, False]
    never = SimpleNamespace(reading=np.full(3, -1))
    assert _gate(never, sr, D, D.copy()).tolist() == [False, False, False]
