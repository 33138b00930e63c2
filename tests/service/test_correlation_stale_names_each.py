"""A stale dynamic correlation names every series that stops it, and every next one (h_mut13).

The h_why1 test has one series stopping first and one next; mutants naming only the first of
several survived. In ../shared/data the broad dollar (fred/DTWEXBGS.csv) ends 2025-12-26, the
VIX (fred/VIXCLS.csv) and the high-yield OAS (fred/BAMLH0A0HYM2.csv) both on 2025-12-30, the
S&P 500 (fred/SP500.csv) on 2025-12-31; bitcoin runs on into 2026.
"""

from __future__ import annotations

import datetime as dt

import pytest

from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.service import risk as service
from spillwatch.service.workspace import Workspace

HEAD = ("the dynamic correlation (its last common day) is as of {d}, {n} days before "
        "2026-07-15, the date asked for: the last reading the data allow by then: ")


@pytest.fixture(scope="module")
def evening(real_db):
    with Workspace(real_db, read_only=True) as ws:
        yield vintage_workspace(ws, dt.date(2026, 7, 15))


def _note(v, assets):
    return service.correlation(v, assets=assets, method="ewma", end="2026-07-15").notes[0]


@pytest.mark.realdata
def test_two_series_stopping_on_the_same_day_are_both_named(evening):
    assert _note(evening, ("vix", "hy_oas", "spx", "btc")) == HEAD.format(
        d="2025-12-30", n=197) + ("vix_pct, hy_oas_bp stop on 2025-12-30 (the next to stop, "
                                  "spx_pct, on 2025-12-31)")


@pytest.mark.realdata
def test_two_series_stopping_next_are_both_named(evening):
    assert _note(evening, ("usd_broad", "vix", "hy_oas", "btc")) == HEAD.format(
        d="2025-12-26", n=201) + ("usd_broad_pct stops on 2025-12-26 (the next to stop, "
                                  "vix_pct, hy_oas_bp, on 2025-12-30)")


@pytest.mark.realdata
def test_series_all_stopping_on_one_day_add_nothing(evening):
    """The VIX and the high-yield OAS both end on 2025-12-30: none stops it before another, and
    the note is the freshness note alone (a mutant reading a next one to stop raised)."""
    assert _note(evening, ("vix", "hy_oas")) == HEAD.format(d="2025-12-30", n=197)[:-2]
