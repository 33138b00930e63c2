"""A Sunday evening's scenario run and presets carry the coins' weekend note (h_mut16: the
note's function was tested on its panel, but removing it from `run` or `presets` failed no
test).

As of Sunday 2022-10-23 on ../shared/data: BTCUSDT 19,164.37 on Friday 10-21 and 19,570.40 on
10-23 (100 * (19570.40 / 19164.37 - 1) = +2.12%), ETHUSDT 1,299.75 and 1,364.20 (+4.96%).
"""

from __future__ import annotations

import datetime as dt

import pytest

from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.data.source import open_source
from spillwatch.scenarios.selloff import preset
from spillwatch.service import scenarios
from spillwatch.service.workspace import Workspace

pytestmark = [pytest.mark.realdata, pytest.mark.slow]   # the market fit (about 5 s)

NOTE = ("closes since the data's last business day (a weekend, a US market holiday, or a "
        "business day the other markets have not yet published): btc +2.1% from 2022-10-21 "
        "to 2022-10-23, eth +5.0% from 2022-10-21 to 2022-10-23; the paths start from that "
        "last row's close, and these closes are in no data of the fit")


def test_the_run_and_the_presets_say_the_coins_weekend(real_db):
    with Workspace(open_source(real_db, read_only=True)) as ws:
        sunday = vintage_workspace(ws, dt.date(2022, 10, 23))
        run = scenarios.run(sunday, preset("japan-10pct"), paths=200)
        sets = scenarios.presets(sunday, paths=200)
    assert NOTE in run.notes, run.notes
    assert NOTE in sets.notes, sets.notes
