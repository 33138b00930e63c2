"""With no source reachable, `spillwatch run` says so per source, fails fast and writes nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

URL_SETTINGS = ("TREASURY_URL", "TIC_URL", "FRED_URL", "FRED_API_URL", "BINANCE_URL",
                "COINGECKO_URL", "FISCALDATA_URL", "MOF_URL")


@pytest.mark.slow
def test_offline_run_fails_fast_with_one_line_per_source(tmp_path):
    # '.invalid' never resolves (RFC 2606): the machine's network does not matter
    env = {**os.environ, **{f"SPILLWATCH_{k}": f"http://spillwatch-{k.lower()}.invalid/"
                            for k in URL_SETTINGS}}
    out = tmp_path / "report"
    t0 = time.monotonic()
    res = subprocess.run([sys.executable, "-m", "spillwatch", "run", "--db",
                          str(tmp_path / "s.duckdb"), "--out", str(out)],
                         capture_output=True, text=True, timeout=120, env=env)
    took = time.monotonic() - t0
    assert res.returncode == 1, res.stderr
    lines = [x for x in res.stderr.splitlines() if x.startswith("error: ")]
    sources = {x.split(":")[1].strip() for x in lines[:-1]}
    assert {"treasury", "tic"} <= sources and any(s.startswith("fred") for s in sources)
    assert "no report written" in lines[-1] and "--no-fetch" in lines[-1]
    assert not out.exists()
    assert "Traceback" not in res.stderr
    # why it is fast: after two hosts failed to resolve, no other source is even attempted
    skipped = [x for x in lines if "not attempted: the network looks unreachable" in x]
    assert len(skipped) >= len(lines) - 4
    # the budget (15 s) is loose enough to hold on any machine: a process start and
    # two failed name lookups
    assert took < 15, took
