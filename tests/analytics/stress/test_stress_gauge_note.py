"""The stress gauge prints the service's note of a reading older than the evening even when no
input is stale and the reading itself is fresh (h_mut14: the ``note=`` it was given was only
ever tested beside stale inputs)."""

from __future__ import annotations

import pandas as pd
import pytest

from spillwatch.data.source import open_source
from spillwatch.plotting.gauge import stress_gauge
from spillwatch.service import stress
from spillwatch.service.workspace import Workspace


def test_the_note_alone_is_printed():
    ws = Workspace(open_source("demo"))
    try:
        res = stress.stress(ws)
    finally:
        ws.close()
    last = res.latest()
    assert not last.get("stale") and last.get("fresh", True)
    said = [a.text for a in stress_gauge(res, simulated=True, note="NOTE").layout.annotations]
    assert said == ["NOTE"]
    assert not stress_gauge(res, simulated=True).layout.annotations


@pytest.mark.realdata
@pytest.mark.slow
def test_a_window_holding_one_reading_is_a_reading(real_db):
    """A window from the last reading on (``stress(ws, start=<its day>)``) holds one reading:
    the gauge still says that reading is stale, not "no reading" (h_mut30: a gauge that took
    two readings for one passed every test)."""
    with Workspace(open_source(real_db, read_only=True)) as ws:
        whole = stress.stress(ws)
        day = whole.valid.index[-1]
        evening = (whole.frame.index[-1] + pd.Timedelta(days=7)).date()
        assert whole.frame.index[-1] > day                     # days without a reading after it
        res = stress.stress(ws, start=day, today=evening)
        note = stress.stale_note(ws, res, today=evening)
    assert len(res.valid) == 1 and not res.latest()["fresh"]
    fig = stress_gauge(res, note=note)
    assert fig.layout.title.text.startswith(f"Stress percentile {day:%Y-%m-%d}: regime <b>")
    said = " ".join(" ".join(a.text.replace("<br>", " ") for a in fig.layout.annotations).split())
    assert said.endswith("; the reading itself is stale"), said
    # the reading dated by its own day, not the evening's (``as_of``)
    assert said.startswith(f"the stress reading is as of {day:%Y-%m-%d}, "), said
