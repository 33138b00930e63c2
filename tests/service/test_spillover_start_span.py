"""A window's connectedness does not depend on where ``spillover --start`` cut the history
before it (h_meta1).

The VAR merges a day one market missed into the next complete row; cut at ``--start`` first,
the first row lost the missed day's moves of the other series: ``--start 2022-01-03`` read
bitcoin's change from 2021-12-31 beside the yen's from 12-30 (H.10 has no 12-31), and the
first window's TCI and net spillover differed from the same window of the whole history."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from _cut_store import cut_workspace
from spillwatch.service import spillover

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

FILES = ("fred/DGS10.csv", "fred/DEXJPUS.csv", "crypto/BTCUSDT.csv")
ASSETS = ("ust10y", "usdjpy", "btc")
SETTINGS = {"assets": ASSETS, "window": 100, "lags": 1, "horizon": 5}


@pytest.fixture(scope="module")
def ws(shared_data, tmp_path_factory):
    """The 10-year, the yen and bitcoin over 2021-09 to 2022-09, by the project's import."""
    with cut_workspace(shared_data, tmp_path_factory.mktemp("yearend"), FILES,
                       first="2021-09-01", last="2022-09-30") as w:
        yield w


def test_every_reading_after_start_is_the_whole_history_s(ws):
    whole = spillover.spillover(ws, **SETTINGS)
    cut = spillover.spillover(ws, start="2022-01-03", **SETTINGS)
    tci_cut = cut.rolling.tci.dropna()
    # the first window is the 100 rows from 2022-01-03, whose row holds bitcoin's move of 12-31
    assert tci_cut.index[0] == pd.Timestamp("2022-05-25") and len(tci_cut) > 80
    tci_whole = whole.rolling.tci.reindex(tci_cut.index)
    np.testing.assert_allclose(tci_cut.to_numpy(), tci_whole.to_numpy(), rtol=1e-9)
    daily = cut.daily_headline.dropna()
    np.testing.assert_allclose(daily.to_numpy(),
                               whole.daily_headline.reindex(daily.index).to_numpy(), rtol=1e-9)
