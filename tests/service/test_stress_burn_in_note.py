"""A sub-index n/a because its indicators are still in their burn-in says so.

Binance's coins (crypto/BTCUSDT.csv, ETHUSDT.csv) begin on 2018-01-01; each indicator is
ranked against at least 250 values of its own history, so in 2018's first months the crypto
sub-index read "n/a" beside BTC drawdowns of 36% with no word of why (h_ep10, also seen by
h_ep4). The store holds the real files of 2016-06 to 2018-03 (the yields, the yen, VIX, the
S&P 500 and the two coins), imported with the project's own import.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from _cut_store import cut_store
from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.data.source import open_source
from spillwatch.report.context import ReportContext
from spillwatch.report.sections import stress as stress_section
from spillwatch.service import stress as service
from spillwatch.service._today import replay_day
from spillwatch.service.workspace import Workspace

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

FILES = ("fred/DGS2.csv", "fred/DGS10.csv", "fred/DGS30.csv", "fred/DEXJPUS.csv",
         "fred/VIXCLS.csv", "fred/SP500.csv", "crypto/BTCUSDT.csv", "crypto/ETHUSDT.csv")


def test_crypto_in_its_burn_in_says_why_it_reads_n_a(shared_data, tmp_path):
    db = cut_store(shared_data, tmp_path, FILES, first="2016-06-01", last="2018-03-31")
    first = (shared_data / "crypto" / "BTCUSDT.csv").read_text().splitlines()[1][:10]
    assert first == "2018-01-01"
    day = dt.date(2018, 3, 1)
    with Workspace(open_source(db, read_only=True)) as ws, replay_day(day, published=True):
        then = vintage_workspace(ws, day)
        out = service.summary(then, service.stress(then))
        sec = stress_section.build(ReportContext(then))
        before = vintage_workspace(ws, dt.date(2017, 12, 29))
        earlier = service.summary(before, service.stress(before))
    assert out["subindices"]["crypto"] is None
    said = [n for n in out["notes"] if n.startswith(service.BURNING_IN)]
    assert len(said) == 1, out["notes"]
    # (the index is on business days: the coins' first close, a holiday, joins 01-02; the
    # realised volatilities begin later)
    assert said[0].startswith(f"{service.BURNING_IN}: crypto (btc_drawdown_pct from 2018-01-02, "
                              "eth_drawdown_pct from 2018-01-02, btc_rvol_pct from 2018-01-23, "
                              "eth_rvol_pct from 2018-01-23): "), said[0]
    assert said[0].endswith("an indicator is ranked once it has 250 values of its own history")
    # the report's stress section says it too
    assert said[0] in html.unescape(re.sub(r"<[^>]+>", "", sec.html))
    # before the coins' first day there is nothing to rank: no such note (the lack of crypto
    # is said by the input lines)
    assert not [n for n in earlier["notes"] if n.startswith(service.BURNING_IN)]
