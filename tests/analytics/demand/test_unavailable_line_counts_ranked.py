"""The demand text names the groups its percentile ranks (h_data2).

On 2010-06-01 (../shared/data replayed) `demand` said "unavailable (unknown, not calm): auctions
(...); the percentile ranks the gauge of the other 4 among past values of the same groups" and,
two lines up, "the percentile is the gauge's without foreign official custody": it ranks 3.
"""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = [pytest.mark.realdata, pytest.mark.slow]


def test_the_unavailable_line_counts_the_groups_the_percentile_ranks(real_db):
    from spillwatch.alerts.backtest.vintage import vintage_workspace
    from spillwatch.data.source import open_source
    from spillwatch.service import demand as demand_service
    from spillwatch.service._today import replay_day
    from spillwatch.service.workspace import Workspace

    w = Workspace(open_source(real_db, read_only=True))
    try:
        day = dt.date(2010, 6, 1)
        with replay_day(day):
            res = demand_service.demand(vintage_workspace(w, day))
        line = next(x for x in str(res).splitlines() if x.startswith("unavailable"))
        # auctions has none yet, custody is read but not ranked: 3 groups, not "the other 4"
        assert line.endswith("; the percentile ranks the gauge of Japan private, Japan official "
                             "and China among past values of the same groups")
    finally:
        w.close()


def test_two_ranked_groups_are_both_named(real_db):
    """On 2009-09-15 the percentile ranks two groups (custody under a year in it, auctions and
    China unavailable): both are named, joined by "and" (h_mut24: naming the first of two alone
    survived the test above, of three)."""
    from spillwatch.alerts.backtest.vintage import vintage_workspace
    from spillwatch.data.source import open_source
    from spillwatch.service import demand as demand_service
    from spillwatch.service._today import replay_day
    from spillwatch.service.workspace import Workspace

    w = Workspace(open_source(real_db, read_only=True))
    try:
        day = dt.date(2009, 9, 15)
        with replay_day(day):
            res = demand_service.demand(vintage_workspace(w, day))
        assert res.latest()["percentile_groups"] == ["japan_private", "japan_official"]
        line = next(x for x in str(res).splitlines() if x.startswith("unavailable"))
        assert line.endswith("; the percentile ranks the gauge of Japan private and Japan "
                             "official among past values of the same groups")
    finally:
        w.close()
