"""The crypto closes note calls Columbus and Veterans Day what they are: bond-market holidays.

On those days the Treasury market is shut (no 10-year, so no reading) while the stock market
and crypto trade. The note on crypto's closes after the reading said "crypto closed on a
weekend or US market holiday" of Veterans Day 2022-11-11 (FTX's bankruptcy; the S&P 500 closed
3,956.37 -> 3,992.93 that day) and of Columbus Day 2024-10-14 (h_ep9, h_small2).
"""

from __future__ import annotations

import datetime as dt

import pytest

from _cut_store import cut_store
from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.data.source import open_source
from spillwatch.service import stress as stress_service
from spillwatch.service import summary
from spillwatch.service._today import replay_day
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata

# the index's three blocks (yields with the par curve, a dollar rate, the equity block) and
# the coins
FILES = ("fred/DGS2.csv", "fred/DGS10.csv", "fred/DGS30.csv", "treasury/par_yield_curve.csv",
         "fred/DEXJPUS.csv", "fred/VIXCLS.csv", "fred/SP500.csv", "crypto/BTCUSDT.csv",
         "crypto/ETHUSDT.csv")


@pytest.fixture(scope="module")
def db(shared_data, tmp_path_factory):
    return cut_store(shared_data, tmp_path_factory.mktemp("bond_words"), FILES,
                     first="2021-01-01", last="2025-04-30")


def _notes(db, day: dt.date) -> tuple[dict, list[str]]:
    with Workspace(open_source(db, read_only=True)) as ws, replay_day(day, published=True):
        w = vintage_workspace(ws, day)
        s = stress_service.summary(w, stress_service.stress(w))
        head = summary.headline(w, today=day, scenarios=False).lines()
    return s, head


@pytest.mark.slow
def test_a_bond_market_holiday_is_not_called_a_us_market_holiday(db):
    # Friday 2022-11-11, Veterans Day: the stock market traded
    s, _ = _notes(db, dt.date(2022, 11, 11))
    (note,) = [n for n in s["notes"] if n.startswith("crypto closed")]
    assert s["date"] == "2022-11-10"
    assert note.startswith("crypto closed on a US bond-market holiday (Veterans Day 2022-11-11: "
                           "the Treasury market shut, stocks traded) after the reading of "
                           "2022-11-10: btc -3.0% to 2022-11-11, eth -0.8% to 2022-11-11")
    assert "US market holiday" not in note
    # Monday 2024-10-14, Columbus Day, after a weekend: both named, and the headline keeps it
    s, head = _notes(db, dt.date(2024, 10, 14))
    (note,) = [n for n in s["notes"] if n.startswith("crypto closed")]
    assert note.startswith("crypto closed on a US bond-market holiday (Columbus Day 2024-10-14: "
                           "the Treasury market shut, stocks traded) and a weekend after the "
                           "reading of 2024-10-11: btc +5.7% to 2024-10-14, eth +7.8% to "
                           "2024-10-14")
    assert any(note in line for line in head)


@pytest.mark.slow
def test_a_day_both_markets_shut_keeps_its_words(db):
    # Good Friday 2025-04-18: the stock market and the Treasury market shut
    s, head = _notes(db, dt.date(2025, 4, 18))
    (note,) = [n for n in s["notes"] if n.startswith("crypto closed")]
    assert note.startswith("crypto closed on a weekend or US market holiday after the reading "
                           "of 2025-04-17: btc -0.6% to 2025-04-18, eth +0.3% to 2025-04-18")
    assert any(note in line for line in head)
