"""The stress gauge prints the service's note of a reading older than the evening even when no
input is stale and the reading itself is fresh (h_mut14: the ``note=`` it was given was only
ever tested beside stale inputs)."""

from __future__ import annotations

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
