"""The report's sampling-hours sentence names every series at each end of the largest offset.

On real data bitcoin and ether both close at 24:00 UTC and the H.10 dollar and yen are both
the noon New York rate (17:00 UTC): the sentence read "The latest (btc_pct) is 7 hours after the
earliest (usd_broad_pct)", leaving out eth_pct and usdjpy_pct, sampled at the same hours
(h_verify16, h_small2).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from _cut_store import cut_store
from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.data.source import open_source
from spillwatch.report.context import ReportContext
from spillwatch.report.sections import spillover as spill_section
from spillwatch.service._today import replay_day
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata

# H.15's 2- and 10-year (21:00 UTC), the H.10 broad dollar and yen (17:00), Binance's closes
# (24:00)
FILES = ("fred/DGS2.csv", "fred/DGS10.csv", "fred/DEXJPUS.csv", "fred/DTWEXBGS.csv",
         "crypto/BTCUSDT.csv", "crypto/ETHUSDT.csv")
SENTENCE = r"Sampling times \(UTC\): (.*?)\. (The latest \((.*?)\) is (\d+) hours after the " \
           r"earliest \((.*?)\))"


def _sentence(db) -> re.Match[str]:
    day = dt.date(2019, 6, 28)
    with Workspace(open_source(db, read_only=True)) as ws, replay_day(day, published=True):
        sec = spill_section.build(ReportContext(vintage_workspace(ws, day)))
    m = re.search(SENTENCE, sec.html)
    assert m, sec.html
    return m


@pytest.mark.slow
def test_tied_series_are_all_named(shared_data, tmp_path):
    m = _sentence(cut_store(shared_data, tmp_path, FILES, first="2018-01-01",
                            last="2019-06-28"))
    assert m[1] == ("ust2y_bp 21:00, ust10y_bp 21:00, usd_broad_pct 17:00, usdjpy_pct 17:00, "
                    "btc_pct 24:00, eth_pct 24:00")
    # it read "The latest (btc_pct) is 7 hours after the earliest (usd_broad_pct)"
    assert m[2] == ("The latest (btc_pct, eth_pct) is 7 hours after the earliest "
                    "(usd_broad_pct, usdjpy_pct)")


@pytest.mark.slow
def test_one_series_at_an_end_is_named_alone(shared_data, tmp_path):
    m = _sentence(cut_store(shared_data, tmp_path, FILES[:-1], first="2018-01-01",
                            last="2019-06-28"))
    assert m[1] == ("ust2y_bp 21:00, ust10y_bp 21:00, usd_broad_pct 17:00, usdjpy_pct 17:00, "
                    "btc_pct 24:00")
    assert m[2] == ("The latest (btc_pct) is 7 hours after the earliest "
                    "(usd_broad_pct, usdjpy_pct)")
