"""Ending a silence: now, or when it already ended, whichever is earlier."""

from __future__ import annotations

import datetime as dt

from spillwatch.alerts.engine import add_silence, expire_silence
from spillwatch.store import Store
from spillwatch.store.alerts import AlertTables

T0 = dt.datetime(2025, 4, 9, 14, 0, 0)


def test_expiring_a_silence_never_extends_it():
    """``silence expire`` ends a silence now; one that already ended keeps its end (moving it
    to now would make the audit say it silenced alerts for two more hours)."""
    with Store() as store:
        t = AlertTables(store)
        sid = add_silence(t, now=T0, duration=dt.timedelta(hours=1), rule="btc_drop")
        assert expire_silence(t, sid, now=T0 + dt.timedelta(hours=3)) == T0 + dt.timedelta(hours=1)
        got = t.frame("alert_silences").iloc[0]["expires_at"].to_pydatetime()
        assert got == T0 + dt.timedelta(hours=1)
        live = add_silence(t, now=T0, duration=dt.timedelta(hours=4), rule="eth_drop")
        expire_silence(t, live, now=T0 + dt.timedelta(hours=2))
        rows = t.frame("alert_silences").set_index("id")
        assert rows.loc[live, "expires_at"].to_pydatetime() == T0 + dt.timedelta(hours=2)
