"""The monitor, the dashboard server and CLI commands share one store file at the same time."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time

import httpx
import pytest

from spillwatch.data.source import open_source
from spillwatch.store import Store
from spillwatch.store.alerts import AlertTables

DURATION_S = 30.0
MAX_WAIT_S = 2.0
#: One round of reads (API, ``stress --json``, ``alerts list``) starts every ROUND_S seconds:
#: about six rounds against fifteen monitor cycles, without keeping a second core busy for 30 s.
ROUND_S = 5.0


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "spillwatch", *args], capture_output=True,
                          text=True, timeout=120, env=env)


def _waited(stderr: str) -> float:
    m = re.search(r"waited ([0-9.]+) s for the store", stderr)
    return float(m.group(1)) if m else 0.0


@pytest.mark.slow
def test_monitor_server_and_cli_share_one_store(tmp_path):
    db = tmp_path / "shared.duckdb"
    open_source("demo", db=db).close()
    with Store(db, read_only=True) as store:
        points = store.count()
    env = {**os.environ, "SPILLWATCH_TOKEN": "t" * 32, "COLUMNS": "200"}
    port = _free_port()
    mon_out = (tmp_path / "monitor.jsonl").open("w")
    monitor = subprocess.Popen(
        [sys.executable, "-m", "spillwatch", "monitor", "--db", str(db), "--every", "2s",
         "--no-fetch", "--json"], stdout=mon_out, stderr=subprocess.PIPE, text=True,
        env=env)
    server = subprocess.Popen(
        [sys.executable, "-m", "spillwatch", "serve", "--db", str(db), "--port", str(port),
         "--log-level", "warning"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=env)
    api_ok = cli_ok = lists_ok = 0
    waits: list[float] = []
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:  # the server is up
            try:
                if httpx.get(f"{url}/api/meta", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, server.stderr.read() if server.poll() else ""
            time.sleep(0.2)
        end = time.monotonic() + DURATION_S
        while time.monotonic() < end:
            t0 = time.monotonic()
            r = httpx.get(f"{url}/api/stress", timeout=60)
            assert r.status_code == 200, r.text
            assert r.json()["summary"]["regime"] in ("calm", "elevated", "crisis")
            api_ok += 1
            res = _cli("stress", "--db", str(db), "--json", env=env)
            assert res.returncode == 0, res.stderr
            assert json.loads(res.stdout)["summary"] == r.json()["summary"]
            waits.append(_waited(res.stderr))
            cli_ok += 1
            res = _cli("alerts", "list", "--all", "--db", str(db), "--json", env=env)
            assert res.returncode == 0, res.stderr
            waits.append(_waited(res.stderr))
            lists_ok += 1
            assert time.monotonic() - t0 < 60
            assert monitor.poll() is None and server.poll() is None
            time.sleep(max(0.0, min(t0 + ROUND_S, end) - time.monotonic()))
    finally:
        for proc in (monitor, server):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        outs = [p.communicate(timeout=60) for p in (monitor, server)]
        mon_out.close()
    assert monitor.returncode == 0, outs[0][1]
    assert server.returncode == 0, outs[1][1]
    lines = (tmp_path / "monitor.jsonl").read_text().splitlines()
    cycles = [json.loads(x) for x in lines if x.startswith("{")]
    assert len(cycles) >= 5, outs[0][1]
    assert "stopped cleanly" in outs[0][1] and "stopped cleanly" in outs[1][1]
    assert api_ok >= 4 and cli_ok >= 4 and lists_ok >= 4
    assert max(waits) < MAX_WAIT_S
    with Store(db, read_only=True) as store:
        assert store.count() == points                       # nothing lost, nothing doubled
        cyc = AlertTables(store).frame("alert_cycles", order="cycle_id")
    assert cyc["cycle_id"].tolist() == list(range(1, len(cycles) + 1))
    assert (cyc["status"] == "ok").all()
