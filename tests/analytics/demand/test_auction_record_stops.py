"""When the gauge's "why" calls the auction record stopped (h_mut14).

It counts as stopped more than 21 days (AUCTION_FEED_STALE_DAYS) after its last auction, as the
28-day means take it, and only for an auction indicator without a value: day 21 is not past
it, an indicator with a value is one not yet ranked, and another input's old observation
within its own limit is not called stale by the auctions' rule.
"""

from __future__ import annotations

from spillwatch.analytics.demand._results import _why_missing
from spillwatch.analytics.demand.auctions import AUCTION_FEED_STALE_DAYS

STOPPED = " (auction results last observed 2026-10-06: past its staleness limit)"


def test_the_auction_record_stops_after_21_days_without_an_auction():
    assert AUCTION_FEED_STALE_DAYS == 21
    seen = {"auctions": {"observed": "2026-10-06", "stale": False}}
    name = "auction_weakness_28d"
    assert _why_missing(name, seen, {}, None, "2026-10-27") == " (too little history to rank it)"
    assert _why_missing(name, seen, {}, None, "2026-10-28") == STOPPED
    assert _why_missing(name, seen, {}, None, "2026-12-04") == STOPPED
    # without the evening, the freshness entry alone decides
    assert _why_missing(name, seen, {}, None) == " (too little history to rank it)"
    # a value not yet ranked is not a stopped record
    assert _why_missing(name, seen, {name: 0.4}, None, "2026-12-04") == (
        " (too few readings yet to rank it)")


def test_other_inputs_keep_their_own_limits():
    seen = {"custody": {"observed": "2026-10-06", "stale": False}}
    assert _why_missing("custody_chg4_usd_bn", seen, {}, None, "2026-12-04") == (
        " (too little history to rank it)")
