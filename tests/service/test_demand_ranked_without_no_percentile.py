"""No "the percentile is the gauge's without ..." note on an evening without a percentile.

:func:`spillwatch.service.demand.ranked_without` speaks only of a percentile read off fewer
groups than the gauge holds. On 2001-03-01 (../shared/data replayed) Japan official has a reading
(tail 0.644) and there is no gauge, so no percentile: the note has nothing to qualify (without
its ``not ranked`` guard, h_mut24, `demand`'s notes said "the percentile is the gauge's without
Japan official" of a percentile that does not exist).
"""

from __future__ import annotations

import datetime as dt

import pytest

from _evening import evening

pytestmark = [pytest.mark.realdata, pytest.mark.slow]


def test_no_percentile_no_ranked_without_note(real_db):
    from spillwatch.service import demand as demand_service

    with evening(real_db, dt.date(2001, 3, 1)) as then:
        res = demand_service.demand(then)
        notes = demand_service.summary(then, res)["notes"]
    last = res.latest()
    assert last["percentile"] is None and not last["percentile_groups"]
    assert last["tails"]["japan_official"] == pytest.approx(0.6441, abs=1e-4)
    assert demand_service.ranked_without(res) is None
    assert not any("the percentile is the gauge's without" in n for n in notes)
    # two groups left out of a percentile are "them" (no evening of ../shared/data has
    # two; a store cut to its last years does): the reading as `latest()` gives it
    two = {"percentile": 40.0, "percentile_groups": ["japan_official", "auctions"],
           "tails": {"custody": 0.9, "japan_official": 0.7, "auctions": 0.2,
                     "china": 0.5, "japan_private": None}}
    assert demand_service.ranked_without(res, two) == (
        "the percentile is the gauge's without foreign official custody and China: with "
        "them the gauge has under 250 business days of history to be ranked against")
