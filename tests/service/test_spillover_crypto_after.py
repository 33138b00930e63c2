"""Spillover on an evening whose table ends days before it names crypto's closes since (h_ep12).

The table ends on the last day every series has a change: on the evening of 2024-08-05 (the
yen carry unwind) the broad dollar's and the yen's H.10 days of that week were not out until
the next Monday, so the table was of 2024-08-02, with no word that bitcoin had closed 12.2%
lower since (`stress` and `risk` of that evening read those closes).
"""

from __future__ import annotations

import datetime as dt

import pytest

from _cut_store import cut_files
from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.data.source import open_source
from spillwatch.service import spillover as service
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata

ASSETS = ("ust10y", "usd_broad", "btc")


@pytest.fixture(scope="module")
def ws(shared_data, tmp_path_factory):
    """A store of the 10-year, the broad dollar and Binance's bitcoin, by the project's import."""
    w = Workspace(open_source(cut_files(shared_data, tmp_path_factory.mktemp("rates_btc"), (
        "fred/DGS10.csv", "fred/DTWEXBGS.csv", "crypto/BTCUSDT.csv"))))
    yield w
    w.close()


def _notes(rep: service.SpilloverReport) -> list[str]:
    return [n for n in rep.notes if n.startswith(service.CRYPTO_AFTER)]


@pytest.mark.slow
def test_the_evening_names_bitcoins_closes_after_the_tables_day(ws):
    evening = vintage_workspace(ws, dt.date(2024, 8, 5))
    rep = service.spillover(evening, assets=ASSETS, window=60, lags=1, start="2024-01-02",
                            end="2024-08-05")
    assert rep.summary_dict()["as_of"] == "2024-08-02"      # the dollar's Friday, as before
    (note,) = _notes(rep)
    # BTCUSDT 54,018.81 on 2024-08-05 / 61,498.33 on 2024-08-02 - 1 = -12.16%
    assert "2024-08-02: btc -12.2% to 2024-08-05 (from the close of 2024-08-02)" in note
    # what holds the table back: H.10 the next Monday, FRED's H.15 the next business day
    assert "once ust10y_bp, usd_broad_pct have a later change" in note
    assert note in " ".join(str(rep).split())               # the printed report says it


def test_a_table_of_the_evening_itself_gets_no_note(ws):
    """With --end the dollar of 2024-08-05 is read by observation date: the table is of that
    day and no close follows it."""
    rep = service.spillover(ws, assets=ASSETS, window=60, lags=1, start="2024-01-02",
                            end="2024-08-05")
    assert rep.summary_dict()["as_of"] == "2024-08-05"
    assert not _notes(rep)
