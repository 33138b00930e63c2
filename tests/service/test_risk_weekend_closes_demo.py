"""The simulated market says no word of its weekend closes beside the VaR (h_mut14): the note
of closes since the panel's last business day is of real data (`risk --as-of 2022-05-08`,
bitcoin 5.5% lower by Sunday); the demo's bitcoin also closes every day."""

from __future__ import annotations

from spillwatch.data.source import open_source
from spillwatch.service import risk
from spillwatch.service.workspace import Workspace


def test_the_demo_s_weekend_closes_are_not_called_real():
    ws = Workspace(open_source("demo"))
    try:
        btc = ws.series_of("btc").dropna()
        sunday = [d for d in btc.index if d.day_of_week == 6][-3]
        assert ws.simulated and btc.index[-1] > sunday
        rep = risk.tail_risk(ws, assets=("btc",), methods=("historical",), backtest=False,
                             end=str(sunday.date()))
        assert not [n for n in rep.notes if n.startswith("closes since the last business day")]
    finally:
        ws.close()
