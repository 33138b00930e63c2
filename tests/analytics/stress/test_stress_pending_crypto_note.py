"""A weekday evening read the day before (its 10-year not out) names crypto's closes after it."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.data.source import open_source
from spillwatch.service import stress as stress_service
from spillwatch.service._today import replay_day
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata


def _move(shared_data, symbol: str, start: str, end: str) -> float:
    closes = pd.read_csv(shared_data / "crypto" / f"{symbol}.csv", index_col="date")[symbol]
    return 100.0 * (closes[end] / closes[start] - 1.0)


def test_the_evening_of_a_crypto_crash_names_it_after_the_day_before_s_reading(real_db,
                                                                               shared_data):
    """Friday 2025-10-10: TRUMP -28.5%, ETH -12.3%, BTC -7.3% (Binance closes). The H.15
    10-year of that day was out on 10-14 (Columbus Day between), so the evening read 10-09
    (BTC drawdown 2.4%, green) and said nothing of the crash (`stress --as-of 2025-10-10`,
    `run --as-of 2025-10-10`): the note on crypto's closes after the reading was given only
    when one of them fell on a weekend or a US holiday."""
    day = dt.date(2025, 10, 10)
    with Workspace(open_source(real_db, read_only=True)) as ws, replay_day(day, published=True):
        w = vintage_workspace(ws, day)
        summary = stress_service.summary(w, stress_service.stress(w))
    assert summary["date"] == "2025-10-09"
    btc = _move(shared_data, "BTCUSDT", "2025-10-09", "2025-10-10")
    eth = _move(shared_data, "ETHUSDT", "2025-10-09", "2025-10-10")
    assert f"{btc:+.1f}" == "-7.3" and f"{eth:+.1f}" == "-12.3"
    (note,) = [n for n in summary["notes"] if n.startswith("crypto closed")]
    assert note.startswith(f"crypto closed after the reading of 2025-10-09: btc {btc:+.1f}% to "
                           f"2025-10-10, eth {eth:+.1f}% to 2025-10-10 (from the close of "
                           "2025-10-09)")


@pytest.mark.slow
def test_a_weekend_after_the_pending_day_says_both(real_db, shared_data):
    """Sunday 2025-10-12 read 2025-10-09 too: its note called the moves from 10-09 the
    weekend's, though they hold Friday 10-10's business-day close (BTC -7.3% that day)
    (h_verify21). A weekend after a published reading keeps the weekend's words."""
    day, sunday = dt.date(2025, 10, 12), dt.date(2025, 4, 6)
    with Workspace(open_source(real_db, read_only=True)) as ws:
        with replay_day(day, published=True):
            w = vintage_workspace(ws, day)
            summary = stress_service.summary(w, stress_service.stress(w))
        with replay_day(sunday, published=True):
            before = vintage_workspace(ws, sunday)
            april = stress_service.summary(before, stress_service.stress(before))
    btc = _move(shared_data, "BTCUSDT", "2025-10-09", "2025-10-12")
    (note,) = [n for n in summary["notes"] if n.startswith("crypto closed")]
    assert note.startswith(
        "crypto closed after the reading of 2025-10-09, on a business day whose 10-year is not "
        f"published yet and on a weekend or US market holiday: btc {btc:+.1f}% to 2025-10-12")
    (note,) = [n for n in april["notes"] if n.startswith("crypto closed")]
    assert note.startswith("crypto closed on a weekend or US market holiday after the reading "
                           "of 2025-04-04")
