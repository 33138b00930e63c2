"""Bad requests: a clear 4xx naming the problem, never a 500 or an internal message."""

from __future__ import annotations

import json

import pytest


@pytest.mark.parametrize("body, match", [
    ({"preset": "japan-10pct", "portfolio": [{"asset": "btc", "weight": 1e300}], "paths": 200},
     "a position is between"),
    ({"preset": "japan-10pct", "portfolio": [{"asset": "btc", "weight": -1e300}], "paths": 200},
     "a position is between"),
    ({"preset": "japan-10pct", "portfolio": [{"asset": "btc", "weight": 1e-300}], "paths": 200},
     "a position is between"),
    ({"preset": "japan-10pct", "portfolio": [], "paths": 200}, "empty"),
    ({"sellers": ["japan:1e9:999w"], "paths": 200}, "weeks must be at most 260"),
])
def test_bad_books_and_sales_are_refused_with_the_reason(http, auth, body, match):
    r = http.post("/api/scenarios", json=body, headers=auth)
    assert r.status_code == 409, r.text
    assert match in r.json()["detail"]
    streamed = http.post("/api/scenarios?stream=true", json=body, headers=auth)
    events = [json.loads(x) for x in streamed.text.splitlines() if x.strip()]
    assert events[-1]["event"] == "error" and match in events[-1]["detail"], events[-1]


def test_asset_aliases_mean_what_they_mean_in_the_cli(http, auth):
    heads = []
    for name in ("btc", "BTC", "bitcoin"):
        r = http.post("/api/scenarios", json={"preset": "japan-10pct", "paths": 200,
                                              "portfolio": [{"asset": name, "weight": 1.0}]},
                      headers=auth)
        assert r.status_code == 200, r.text
        heads.append(r.json()["headline"])
    assert heads[0] == heads[1] == heads[2]
