"""POST /api/risk/portfolio: a book's VaR and ES from history, as `risk --portfolio` gives them."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app

BOOK = [{"asset": "btc", "weight": 0.3}, {"asset": "ust10y", "weight": 0.5},
        {"asset": "usdjpy", "weight": -0.2}]


def _cli(tmp_path, *extra):
    f = tmp_path / "book.csv"
    f.write_text("asset,weight\n" + "".join(f"{p['asset']},{p['weight']}\n" for p in BOOK))
    res = CliRunner().invoke(app, ["risk", "--demo", "--portfolio", str(f), "--json", *extra])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def _same(api: dict, cli: dict) -> None:
    a, c = dict(api), dict(cli)
    assert c.pop("simulated") is True         # the API says it beside: CapabilityOut.simulated
    a["summary"] = {**a["summary"], "book": {**a["summary"]["book"], "name": "x"}}
    c["summary"] = {**c["summary"], "book": {**c["summary"]["book"], "name": "x"}}
    assert a == c


@pytest.mark.slow
def test_a_book_s_risk_is_the_cli_s(http, auth, tmp_path):
    r = http.post("/api/risk/portfolio", json={"portfolio": BOOK}, headers=auth)
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["simulated"] is True
    _same(doc["detail"], _cli(tmp_path))
    book = doc["summary"]["book"]
    assert book["gross_usd"] == pytest.approx(1e6) and set(book["methods"]) == {
        "historical", "fhs", "t"}
    assert doc["summary"]["notes"] == doc["detail"]["notes"]
    # in dollars: a notional book of ten times the weights has ten times the VaR
    big = http.post("/api/risk/portfolio", headers=auth, json={
        "portfolio": [{**p, "weight": p["weight"] * 1e7} for p in BOOK], "kind": "notional"})
    assert big.status_code == 200, big.text
    hb = big.json()["summary"]["book"]["methods"]["historical"]["var_usd"]
    assert hb == pytest.approx(10 * book["methods"]["historical"]["var_usd"], rel=1e-9)


def test_a_book_s_risk_as_of_a_date_is_the_cli_s(http, auth, tmp_path):
    r = http.post("/api/risk/portfolio", headers=auth,
                  json={"portfolio": BOOK, "as_of": "2025-06-30", "backtest": False})
    assert r.status_code == 200, r.text
    _same(r.json()["detail"], _cli(tmp_path, "--as-of", "2025-06-30", "--no-backtest"))


@pytest.mark.parametrize("level", [0.8, 0.9995])
def test_a_book_s_risk_at_any_level_the_cli_takes_is_answered(http, auth, demo_source, level):
    """The API took levels of 0.9 to 0.999 where `risk --level` takes any above 0.5 and below
    1: a book's 80% VaR was the CLI's number and a 422 here. (Compared with the service on the
    app's own source: a browser test revises the session's demo close, which `--demo` lacks.)"""
    from spillwatch.scenarios import Portfolio
    from spillwatch.service import risk
    from spillwatch.service.workspace import Workspace

    r = http.post("/api/risk/portfolio", headers=auth,
                  json={"portfolio": BOOK, "level": level, "backtest": False})
    assert r.status_code == 200, r.text
    book = r.json()["summary"]["book"]
    assert book["level"] == level
    want = risk.tail_risk(Workspace(demo_source), backtest=False, level=level,
                          portfolio=Portfolio({p["asset"]: p["weight"] for p in BOOK},
                                              kind="weights")).book
    assert want is not None and set(book["methods"]) == set(want["methods"])
    for m, v in want["methods"].items():
        assert book["methods"][m]["var_usd"] == pytest.approx(v["var_usd"], rel=1e-9)
        assert book["methods"][m]["es_usd"] == pytest.approx(v["es_usd"], rel=1e-9)


@pytest.mark.parametrize("body, code, match", [
    ({"portfolio": [{"asset": "btc", "weight": 0.5}, {"asset": "BTC", "weight": 0.5}]}, 409,
     "portfolio[1]: 'btc' is listed twice"),
    ({"portfolio": [{"asset": "nosuch", "weight": 1.0}]}, 409, "portfolio[0]: unknown asset"),
    ({"portfolio": BOOK, "as_of": "1950-01-03"}, 409, ""),
    ({"portfolio": BOOK, "as_of": "2025-6-30"}, 422, "YYYY-MM-DD"),
    ({"portfolio": []}, 422, ""),
    ({"portfolio": BOOK, "level": 0.5}, 422, ""),
    ({"portfolio": BOOK, "level": 1.0}, 422, ""),
])
def test_bad_books_are_refused_with_the_reason(http, auth, body, code, match):
    r = http.post("/api/risk/portfolio", json=body, headers=auth)
    assert r.status_code == code, r.text
    assert match in json.dumps(r.json())


def test_the_book_s_risk_needs_the_token(http):
    assert http.post("/api/risk/portfolio", json={"portfolio": BOOK}).status_code == 401


def test_a_store_moved_under_the_server_is_a_503_that_says_so(tmp_path, serve):
    """`mv` of the store under `spillwatch serve`: every view was a bare 500 whose reason
    only the log had (and DuckDB would have made a new empty store). A 503 says why."""
    import httpx
    import pandas as pd

    from spillwatch.api.app import create_app
    from spillwatch.data.source import open_source
    from spillwatch.store import Store

    db = tmp_path / "s.duckdb"
    Store(db).upsert(pd.DataFrame({"series_id": "fred:DGS10",
                                   "ts": pd.date_range("2024-01-01", periods=5),
                                   "value": [4.0, 4.1, 4.2, 4.1, 4.0]}))
    app_ = create_app(open_source(db, read_only=True), token="t" * 24, warm=False)
    with serve(app_) as url, httpx.Client(base_url=url, timeout=30) as c:
        db.rename(tmp_path / "away.duckdb")
        r = c.get("/api/alerts/silences")
        assert r.status_code == 503, r.text
        assert "no longer exists" in r.json()["detail"]
        assert not db.exists()
        # a cached route read by the guard was a bare 500; a dated view read the store's
        # failure as the date's (409)
        for path in ("/api/health", "/api/stress?as_of=2024-01-04"):
            r = c.get(path)
            assert r.status_code == 503 and "no longer exists" in r.json()["detail"], (path,
                                                                                    r.text)
        # and a write's: a 409 said the request could not be run "on these data"
        auth = {"Authorization": "Bearer " + "t" * 24}
        for path, body in (("/api/scenarios", {"preset": "japan-10pct", "paths": 200}),
                           ("/api/risk/portfolio",
                            {"portfolio": [{"asset": "ust10y", "weight": 1.0}]})):
            r = c.post(path, json=body, headers=auth)
            assert r.status_code == 503 and "no longer exists" in r.json()["detail"], (path,
                                                                                    r.text)


def test_a_zero_line_is_a_line_of_nothing_as_in_the_cli(http, auth):
    """A book with a zero line: the CLI priced it as the book without that line; the API
    checked each line alone and refused it ("portfolio[0]: the portfolio is empty")."""
    zero = [{"asset": "eth", "weight": 0.0}, *BOOK]
    with_zero = http.post("/api/risk/portfolio", json={"portfolio": zero, "backtest": False},
                          headers=auth)
    without = http.post("/api/risk/portfolio", json={"portfolio": BOOK, "backtest": False},
                        headers=auth)
    assert with_zero.status_code == 200, with_zero.text
    methods = with_zero.json()["summary"]["book"]["methods"]
    assert methods == without.json()["summary"]["book"]["methods"]
    # every line zero is still an empty book, named as such
    empty = http.post("/api/risk/portfolio", headers=auth,
                      json={"portfolio": [{"asset": "btc", "weight": 0.0}]})
    assert empty.status_code == 409 and "empty" in empty.text
