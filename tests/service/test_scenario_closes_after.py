"""A Sunday evening's scenario names the coins' weekend closes it starts before (h_verify20).

The fitted market's last row is the panel's last business day: as of Sunday 2022-10-23 bitcoin's
paths start from Friday 2022-10-21's close (19,164.37, BTCUSDT), and its Saturday and Sunday
(19,570.40 by Sunday: +2.1%) are in no data of the fit. `risk --as-of 2022-10-23` said "btc
+2.1% from 2022-10-21 to 2022-10-23"; `scenario --as-of 2022-10-23` said nothing. The scenario's
notes (run and the presets) now say it, in risk's words
(:func:`spillwatch.service.scenarios.closes_after_note`; the market fit itself takes seconds,
so the note is tested on the panel it reads).
"""

from __future__ import annotations

import datetime as dt

import pytest

from _cut_store import cut_store
from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.data.source import open_source
from spillwatch.service import scenarios
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata

# the 10-year from Treasury's curve, as the real store reads it (with FRED's DGS10 alone the
# evening's last row is 10-20, the 21st's 10-year not yet out)
FILES = ("crypto/BTCUSDT.csv", "treasury/par_yield_curve.csv")


def _store(shared_data, tmp_path):
    """The real bitcoin and Treasury curve from 2022-06-01 to 2022-11-30."""
    return cut_store(shared_data, tmp_path, FILES, first="2022-06-01", last="2022-11-30")


def test_a_sunday_evening_s_scenario_names_the_coin_s_weekend(shared_data, tmp_path):
    db = _store(shared_data, tmp_path)
    with Workspace(open_source(db, read_only=True)) as ws:
        sunday = vintage_workspace(ws, dt.date(2022, 10, 23))
        note = scenarios.closes_after_note(sunday, ["ust10y", "btc"],
                                           end=sunday.source.known_by)
        friday = vintage_workspace(ws, dt.date(2022, 10, 21))
        none = scenarios.closes_after_note(friday, ["ust10y", "btc"],
                                           end=friday.source.known_by)
    # 100 * (19570.40 / 19164.37 - 1) = +2.12
    assert note is not None and "btc +2.1% from 2022-10-21 to 2022-10-23" in note, note
    assert "the paths start from that last row's close" in note, note
    assert none is None, none
