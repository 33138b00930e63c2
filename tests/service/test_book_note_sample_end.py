"""The default book's note counts a coin's changes in the model's sample and says where that
sample ends (h_crypto1): on 2025-01-24 it read "trump 0 days of changes" of a token that had
four business days of changes by then (01-21 to 01-24; `alerts facts` its -35.1% in five
days), because the model's sample ended on the broad dollar's last published day, 01-17."""

from __future__ import annotations

import datetime as dt

import pytest

from _cut_store import cut_files
from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.data.source import open_source
from spillwatch.service import scenarios
from spillwatch.service.workspace import Workspace

pytestmark = [pytest.mark.realdata, pytest.mark.slow]   # about 5 s with the import

FILES = ("fred/DGS2.csv", "fred/DGS5.csv", "fred/DGS10.csv", "fred/DGS30.csv",
         "fred/DTWEXBGS.csv", "fred/DEXJPUS.csv", "fred/SP500.csv", "gold/XAUUSD.csv",
         "crypto/BTCUSDT.csv", "crypto/ETHUSDT.csv", "crypto/TRUMPUSDT.csv")


@pytest.fixture(scope="module")
def ws(shared_data, tmp_path_factory):
    """The scenario's market files, by the project's import."""
    w = Workspace(open_source(cut_files(shared_data, tmp_path_factory.mktemp("market"), FILES)))
    yield w
    w.close()


def test_trump_s_days_are_counted_to_the_model_s_sample_end(ws):
    evening = vintage_workspace(ws, dt.date(2025, 1, 24))
    # the token's own closes run a week past the sample: Sunday 01-19 to Friday 01-24
    trump = evening.series_of("trump").dropna()
    assert (f"{trump.index[0]:%Y-%m-%d}", f"{trump.index[-1]:%Y-%m-%d}") == (
        "2025-01-19", "2025-01-24")
    assert scenarios.default_book_note(evening) == (
        "$950,000: the default $1m book without trump (too little history by then: trump 0 "
        "days of changes in the model's sample (to 2025-01-17), the model needs 125)")


def test_a_coin_begun_inside_the_sample_that_runs_past_its_end_says_so(ws):
    """On 2025-03-14 TRUMP (first close 2025-01-19) began inside the model's sample, which
    ends on the dollar's 2025-03-07, and its closes run past that end: the note says where the
    count stops (h_mut24: reading the coin's first close for its last survived the test above,
    whose coin begins after the sample's end)."""
    evening = vintage_workspace(ws, dt.date(2025, 3, 14))
    trump = evening.series_of("trump").dropna()
    assert f"{trump.index[-1]:%Y-%m-%d}" == "2025-03-14"
    note = scenarios.default_book_note(evening)
    assert note.startswith("$950,000: the default $1m book without trump (too little history "
                           "by then: trump ")
    assert note.endswith(" days of changes in the model's sample (to 2025-03-07), the model "
                         "needs 125)")
