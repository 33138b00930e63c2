"""Up to the table's staleness limit the crypto note speaks, after it the freshness note (h_mut22).

A store whose broad dollar stops on Friday 2024-07-19 (the 10-year and bitcoin go on): with
``end`` 13 days later (:func:`~spillwatch.service.spillover.stale_after_days`) the table is not
stale yet and the note names bitcoin's move since its day and the dollar alone as what holds it
back; a day later the freshness note speaks instead. Exactly one of the two, each evening.
"""

from __future__ import annotations

import pytest

from _cut_store import cut_files
from spillwatch.data.source import open_source
from spillwatch.service import spillover as service
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata

ASSETS = ("ust10y", "usd_broad", "btc")


@pytest.fixture(scope="module")
def ws(shared_data, tmp_path_factory):
    """FRED's 10-year and BTCUSDT from 2024-01-02 to 08-31, the broad dollar to 07-19."""
    tmp = tmp_path_factory.mktemp("dollar_stops")
    folder = cut_files(shared_data, tmp, ("fred/DGS10.csv", "fred/DTWEXBGS.csv",
                                          "crypto/BTCUSDT.csv"),
                       first="2024-01-02", last="2024-08-31",
                       ends={"fred/DTWEXBGS.csv": "2024-07-19"})
    w = Workspace(open_source(folder, db=tmp / "store.duckdb"))
    yield w
    w.close()


def _notes(ws: Workspace, end: str) -> tuple[list[str], list[str]]:
    rep = service.spillover(ws, assets=ASSETS, window=60, lags=1, start="2024-01-02", end=end)
    assert rep.summary_dict()["as_of"] == "2024-07-19"
    notes = [n for n in rep.notes if n]
    return ([n for n in notes if n.startswith(service.CRYPTO_AFTER)],
            [n for n in notes if n.startswith("the latest spillover window is as of")])


def test_the_limit_is_the_weekly_dollar_s_thirteen_days():
    assert service.stale_after_days() == 13


def test_at_the_limit_the_note_names_the_move_and_the_series_that_stops(ws):
    crypto, stale = _notes(ws, "2024-08-01")
    # BTCUSDT 65,354.02 on 08-01 / 66,660.0 on 07-19 - 1 = -1.96%; the 10-year runs on
    assert crypto == ["crypto closed after the table's last day, 2024-07-19: btc -2.0% to "
                      "2024-08-01 (from the close of 2024-07-19); a later table takes them in, "
                      "once usd_broad_pct has a later change"]
    assert stale == []


def test_a_day_after_it_the_freshness_note_speaks(ws):
    crypto, stale = _notes(ws, "2024-08-02")
    assert crypto == []
    assert stale and "14 days before 2024-08-02" in stale[0]
