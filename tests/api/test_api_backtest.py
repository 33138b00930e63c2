"""``/api/backtest``: the scorecard the report and the CLI show, computed on first request."""

from __future__ import annotations


def test_backtest_view(http):
    r = http.get("/api/backtest")
    assert r.status_code == 200, r.text
    body = r.json()
    d = body["detail"]
    assert len(d["episodes"]) >= 30
    assert d["lines"][0].startswith("early-warning scorecard (SIMULATED)")
    assert d["timeline"]["data"] and "method" in d
    assert {s["signal"] for s in d["scores"]} >= {"spillwatch", "spillwatch_1y"}
    again = http.get("/api/backtest")
    assert again.content == r.content           # cached per data version
