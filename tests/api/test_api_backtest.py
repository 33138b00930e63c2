"""``/api/backtest``: the scorecard the report and the CLI show, computed on first request."""

from __future__ import annotations

import pytest


@pytest.mark.slow
def test_backtest_view(http):
    r = http.get("/api/backtest")
    assert r.status_code == 200, r.text
    body = r.json()
    d = body["detail"]
    assert len(d["episodes"]) >= 30
    assert d["lines"][0].startswith("early-warning scorecard (SIMULATED)")
    assert d["timeline"]["data"] and "method" in d
    assert {s["signal"] for s in d["scores"]} >= {"spillwatch", "spillwatch_1y"}
    # the scorecard's notes as `backtest --json` gives them (the packaged list's overlapping
    # episodes), not only inside the text lines
    assert any("one alert can be the hit of both" in n for n in d["notes"])
    assert all(f"note: {n}" in d["lines"] for n in d["notes"])
    assert isinstance(d["not_scored"], dict)
    # the firings the monitor held back, as `backtest --json` counts them and its text says
    inh = d["inhibition"]["crypto_shock"]
    assert 0 < inh["never_told"] <= inh["firings"]
    assert (f"crypto_shock: {inh['never_told']} of its {inh['firings']} firings were held "
            "back for their whole span by btc_daily_drop for asset=btc") in " ".join(d["lines"])
    again = http.get("/api/backtest")
    assert again.content == r.content           # cached per data version
