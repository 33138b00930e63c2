"""A replay of an evening (``run --as-of``, ``report --as-of``, the dashboard's ``?as_of=``)
reads the data as published by then: a reading behind that evening is the last the data
allow, and no import or fetch could mend it.

``run --as-of 2026-07-15`` on ../shared/data printed "STALE: the latest spillover window is as
of 2025-12-26, 201 days before today (2026-07-15): not today's reading; import or fetch newer
data", and its report's forecasts, VaR and the scenario's TIC sizing asked the same, where
``spillover --as-of 2026-07-15`` said "the last reading the data allow by then". Today's data
(the clock's day, or a day taken as today without a vintage) still ask for newer data.
"""

from __future__ import annotations

import datetime as dt

import pytest

from spillwatch.service._today import asked_for, behind_today, replay_day, stale_series

DAY = dt.date(2026, 7, 15)
SEEN = dt.date(2025, 12, 26)


def test_a_published_replay_names_the_evening_asked_for():
    with replay_day(DAY, published=True):
        note = behind_today(SEEN, simulated=False, limit_days=7, what="the reading")
        series = stale_series({"btc_pct": SEEN}, simulated=False, what="the VaR")
        assert asked_for(DAY, DAY)
    assert note == ("the reading is as of 2025-12-26, 201 days before 2026-07-15, the date "
                    "asked for: the last reading the data allow by then")
    assert series == ("the VaR from a last date past the series' staleness limit, not of "
                      "2026-07-15, the date asked for: btc_pct (as of 2025-12-26, 201 days "
                      "before, limit 3): the last readings the data allow by then")


def test_today_still_asks_for_newer_data():
    """A day taken as today on the whole store (no vintage), and the clock's day."""
    with replay_day(DAY):
        note = behind_today(SEEN, simulated=False, limit_days=7, what="the reading")
        series = stale_series({"btc_pct": SEEN}, simulated=False, what="the VaR")
        assert not asked_for(DAY, DAY)
        assert asked_for(DAY, SEEN)          # an earlier evening is always one asked for
    assert note == ("the reading is as of 2025-12-26, 201 days before today (2026-07-15): "
                    "not today's reading; import or fetch newer data")
    assert series is not None and series.endswith("; import or fetch newer data")
    assert "not today's (2026-07-15)" in series
    # the replay's day, not another day taken as today inside it, is the evening asked for
    with replay_day(DAY, published=True):
        assert not asked_for(DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=1))
        later = behind_today(SEEN, simulated=False, limit_days=7, what="the reading",
                             today=DAY + dt.timedelta(days=1))
    assert later is not None and later.endswith("import or fetch newer data")
    # and the flag does not outlive its block
    with replay_day(DAY):
        assert not asked_for(DAY, DAY)


def test_the_dashboard_s_past_evening_is_a_published_replay():
    """The API's views of ``?as_of=`` (``views.replayed``) read a vintage of that evening."""
    from spillwatch.api.views import ViewContext, replayed

    seen = []
    replayed(lambda ctx: seen.append(asked_for(DAY, DAY)))(ViewContext(None, "v", as_of=DAY))
    replayed(lambda ctx: seen.append(asked_for(DAY, DAY)))(ViewContext(None, "v"))
    assert seen == [True, False]


@pytest.mark.realdata
def test_a_replay_s_tic_sizing_asks_for_no_newer_tic(real_db):
    """``run --as-of 2026-07-15``'s scenario section said "sized on TIC holdings past TIC's
    staleness limit today (2026-07-15): ...; import or fetch newer tic/ data" of a vintage
    whose last TIC month (December 2025) was the last published by then."""
    from spillwatch.alerts.backtest.vintage import vintage_workspace
    from spillwatch.scenarios import preset
    from spillwatch.service import scenarios
    from spillwatch.service.workspace import Workspace

    with Workspace(real_db, read_only=True) as ws:
        v = vintage_workspace(ws, DAY)
        month = v.raw().series["tic_japan"].dropna().index[-1]
        spec = preset("japan-china-coordinated", None, "TIC")
        with replay_day(DAY, published=True):
            replay = scenarios.holdings_note(v, spec)
        with replay_day(DAY):
            clock = scenarios.holdings_note(v, spec)
    assert replay is not None and clock is not None
    assert replay.startswith(f"sized on TIC holdings past TIC's staleness limit on {DAY}, the "
                             f"evening asked for: Japan's of {month:%Y-%m} (")
    assert replay.endswith("(the data hold no later month published by then)")
    assert clock.startswith(f"sized on TIC holdings past TIC's staleness limit today ({DAY})")
    assert "import or fetch newer tic/ data" in clock
