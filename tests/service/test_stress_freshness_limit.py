"""The stress reading's staleness note at its limit (h_mut6: a mutant reading the 10-year's limit
one day longer, or 300 days longer, passed every test; the cards' test reads a reading 333 days
old, far from the edge)."""

from __future__ import annotations

import datetime as dt

from spillwatch import universe
from spillwatch.service.stress import freshness_note

LIMIT = universe.ASSETS["ust10y"].timing.stale_after_days
READ = dt.date(2026, 1, 6)


def test_a_reading_at_the_limit_has_no_note_and_one_day_past_it_has():
    at = READ + dt.timedelta(days=LIMIT)
    assert freshness_note(READ, simulated=False, today=at) is None
    past = READ + dt.timedelta(days=LIMIT + 1)
    assert freshness_note(READ, simulated=False, today=past) == (
        f"the stress reading is as of 2026-01-06, {LIMIT + 1} days before today ({past}): "
        "not today's reading; import or fetch newer data")
    assert freshness_note(READ, simulated=True, today=past) is None      # the demo never is


def test_an_end_asked_for_is_the_reference():
    end = READ + dt.timedelta(days=LIMIT + 1)
    assert freshness_note(READ, simulated=False, today=dt.date(2026, 12, 5), end=end,
                          end_name="--as-of") == (
        f"the stress reading is as of 2026-01-06, {LIMIT + 1} days before --as-of {end}: the "
        "last reading the data allow by then")
    assert freshness_note(READ, simulated=False, today=dt.date(2026, 12, 5),
                          end=READ + dt.timedelta(days=LIMIT)) is None
