"""The report's net-spillover and network charts say when their window is not the evening's,
as the dashboard's two spillover cards (the same figures, /api/figures/spillover_net and
spillover_network) do: `report --as-of 2026-08-21` drew a window 238 days old without a word
under a headline that said STALE, where the cards of that evening said it (h_par2)."""

from __future__ import annotations

import datetime as dt

import pytest

from _cut_store import cut_store
from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.data.source import open_source
from spillwatch.report.context import ReportContext
from spillwatch.report.sections import spillover as spill_section
from spillwatch.service import spillover as spill_service
from spillwatch.service._today import replay_day
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata

FILES = ("fred/DGS2.csv", "fred/DGS10.csv", "fred/DEXJPUS.csv", "fred/DTWEXBGS.csv",
         "crypto/BTCUSDT.csv", "crypto/ETHUSDT.csv")


def _notes(fig) -> str:
    return " ".join(a.text for a in fig.layout.annotations if a.text).replace("<br>", " ")


def _section(db, day):
    with Workspace(open_source(db, read_only=True)) as ws, replay_day(day, published=True):
        then = vintage_workspace(ws, day)
        sec = spill_section.build(ReportContext(then))
        note = spill_service.stale_note(spill_service.spillover(then), simulated=False)
    return sec, note


def test_a_stale_window_s_charts_say_so(shared_data, tmp_path):
    # the broad dollar stops on 2019-03-29, every window with it: on 2019-06-28 the latest
    # window is 91 days old
    db = cut_store(shared_data, tmp_path, FILES, first="2018-01-01", last="2019-06-28",
                   ends={"fred/DTWEXBGS.csv": "2019-03-29"})
    sec, note = _section(db, dt.date(2019, 6, 28))
    assert note is not None and "91 days before 2019-06-28, the date asked for" in note
    said = " ".join(note.split())
    # the net chart and the network, as the cards draw them; the TCI and the table as before
    assert [said in " ".join(_notes(f).split()) for f in sec.figures] == [False, True, True,
                                                                          False]


def test_a_current_window_s_charts_say_nothing(shared_data, tmp_path):
    db = cut_store(shared_data, tmp_path, FILES, first="2018-01-01", last="2019-06-28")
    sec, note = _section(db, dt.date(2019, 6, 28))
    assert note is None
    assert not any("the latest spillover window" in _notes(f) for f in sec.figures)
    # the sampling offset's two ends (the demo samples every series at one hour): the noon
    # H.10 dollar and crypto's 24:00 UTC close, 7 hours apart (the New York close, 3)
    import re

    m = re.search(r"The latest \(([\w, ]+)\) is (\d+) hours after the earliest \(([\w, ]+)\)",
                  sec.html)
    assert m, sec.html
    # every series at each end (test_report_sampling_ties)
    assert m[1] == "btc_pct, eth_pct" and m[3] == "usd_broad_pct, usdjpy_pct"
    assert int(m[2]) == 7 and "after the New York close" not in sec.html
