"""An evening before the coins' data: the crypto card and the report's chart say why, with no axes.

`/?as_of=2016-06-01` on ../shared/data (Binance closes from 2018-01-01) drew the crypto card as
an empty frame titled "Crypto (no coin in the data)": a log price axis of 0.1 to 10k "rebased to
100" over a time axis of -1 to 6, and no word of why, while the two spillover cards beside it said
"the store's figures of them begin later (btc 2018-01-01, eth 2018-01-01)"; `report --as-of
2016-06-01` drew the same frame (h_dash2).
"""

from __future__ import annotations

import datetime as dt

import pytest

from _cut_store import cut_store
from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.api.views import FIGURES, ViewContext
from spillwatch.data.source import open_source
from spillwatch.report.context import ReportContext
from spillwatch.report.sections import market as market_section
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata

FILES = ("fred/DGS10.csv", "crypto/BTCUSDT.csv", "crypto/ETHUSDT.csv")


def _text(fig) -> str:
    return " ".join((a.text or "").replace("<br>", " ") for a in fig.layout.annotations)


def _says_why_without_axes(fig) -> None:
    assert not fig.data
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    said = " ".join(_text(fig).split())
    assert "holds no coin (btc, eth, trump)" in said, said
    assert "the store's figures of them begin later: btc 2018-01-01, eth 2018-01-01" in said


def test_the_card_and_the_report_say_the_coins_begin_later(shared_data, tmp_path):
    db = cut_store(shared_data, tmp_path, FILES, first="2015-01-01", last="2018-01-31")
    day = dt.date(2016, 6, 1)
    with Workspace(open_source(db, read_only=True)) as ws:
        then = vintage_workspace(ws, day)
        _says_why_without_axes(FIGURES["crypto"].draw(ViewContext(then, "test", as_of=day)))
        sec = market_section.build(ReportContext(then))
        crypto = [f for f in sec.figures if f.layout.title.text.startswith("Crypto")]
        assert len(crypto) == 1
        _says_why_without_axes(crypto[0])
        # the coins' evening draws them, with their axes
        later = vintage_workspace(ws, dt.date(2018, 1, 30))
        fig = FIGURES["crypto"].draw(ViewContext(later, "test", as_of=dt.date(2018, 1, 30)))
        assert [t.name.split()[0] for t in fig.data] == ["BTC", "ETH"]
        assert fig.layout.yaxis.visible is not False
