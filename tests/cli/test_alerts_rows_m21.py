"""`alerts list`'s terminal rows as a reader reads them (h_mut21's mutants of ``cli.alerts``)."""

from __future__ import annotations

import json

import pandas as pd

from spillwatch.cli.alerts import _human_states


def test_a_silenced_alert_reads_yes_and_its_times_are_utc():
    frame = pd.DataFrame({
        "rule": ["btc_drawdown", "ust10y_jump"],
        "labels": [json.dumps({"asset": "btc", "severity": "page"}),
                   json.dumps({"asset": "ust10y", "severity": "warn"})],
        "state": ["firing", "pending"],
        "active_since": pd.to_datetime(["2026-12-04 16:09:22", "2026-12-05 08:00:00"]),
        "last_value": [2433.41, 21.0],
        "value_text": ["2433.41", None],
        "silenced": [True, False],
        "inhibited_by": ["", "btc_drawdown"],
        "note": [None, "held"],
    })
    rows = _human_states(frame)
    assert rows["silenced"].tolist() == ["yes", ""]
    assert rows["since"].tolist() == ["2026-12-04 16:09 UTC", "2026-12-05 08:00 UTC"]
    assert rows["asset"].tolist() == ["btc", "ust10y"]
    # a pending alert is not said to be held back: only a firing one is
    assert rows["inhibited_by"].tolist() == ["", ""]
    # the value as the alert's summary printed it against its rule (custody.level > 2433
    # fired at 2433.41, which four figures cut to 2433)
    assert rows["value"].tolist()[0] == "2433.41"
