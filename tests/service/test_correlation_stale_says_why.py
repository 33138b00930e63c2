"""A dynamic correlation older than the evening asked for names the series that stop it (h_why1).

``volatility --as-of 2026-07-15`` said "the dynamic correlation (its last common day) is as of
2025-12-26, 201 days before 2026-07-15, the date asked for: the last reading the data allow by
then" and not why: ../shared/data's broad dollar (fred/DTWEXBGS.csv) ends on 2025-12-26, the
S&P 500 (fred/SP500.csv) on 2025-12-31, bitcoin runs on into 2026.
"""

from __future__ import annotations

import datetime as dt

import pytest

from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.service import risk as service
from spillwatch.service.workspace import Workspace


@pytest.mark.realdata
def test_an_old_last_common_day_names_the_series_that_ends_it(real_db):
    with Workspace(real_db, read_only=True) as ws:
        v = vintage_workspace(ws, dt.date(2026, 7, 15))
        rep = service.correlation(v, assets=("usd_broad", "spx", "btc"), method="ewma",
                                  end="2026-07-15")
    assert rep.notes[0] == (
        "the dynamic correlation (its last common day) is as of 2025-12-26, 201 days before "
        "2026-07-15, the date asked for: the last reading the data allow by then: "
        "usd_broad_pct stops on 2025-12-26 (the next to stop, spx_pct, on 2025-12-31)")
