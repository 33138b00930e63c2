"""The monitor, the dashboard server and CLI commands share one store file at the same time.

The run itself (``_shared_store.run``: ``monitor --every 2s`` and ``serve`` on one store, then
for 30 s a round every 5 s of ``/api/stress``, ``spillwatch stress --json`` and
``spillwatch alerts list``) starts in the background of a test process at the beginning of the
session; this test checks what it observed.
"""

from __future__ import annotations

import pytest

from service import _shared_store

MAX_WAIT_S = 2.0


@pytest.mark.slow
def test_monitor_server_and_cli_share_one_store(session_root):
    got = _shared_store.result(session_root)
    assert "error" not in got, got.get("error")
    assert got["monitor_rc"] == 0, got["monitor_err"]
    assert got["server_rc"] == 0, got["server_err"]
    assert len(got["cycles"]) >= 5, got["monitor_err"]
    assert "stopped cleanly" in got["monitor_err"] and "stopped cleanly" in got["server_err"]
    n = _shared_store.MIN_ROUNDS
    assert got["api_ok"] >= n and got["cli_ok"] >= n and got["lists_ok"] >= n
    assert max(got["waits"]) < MAX_WAIT_S
    assert got["points_after"] == got["points_before"]         # nothing lost, nothing doubled
    assert got["cycle_ids"] == list(range(1, len(got["cycles"]) + 1))
    assert all(s == "ok" for s in got["cycle_status"])
