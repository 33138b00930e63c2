"""``/api/backtest`` after a rule is added or deleted through the API replays the rules
``spillwatch backtest`` replays (h_verify29).

Since 3821826 the CLI's scorecard replays the rule file's rules and the API's, as the monitor runs
them; the server's scorecard is cached per data version, which a rule does not change, so a rule
added through the API was in ``spillwatch backtest --db`` and missing from ``/api/backtest`` (and
the dashboard's scorecard card) until the next import."""

from __future__ import annotations

import json

import httpx
import pytest
from typer.testing import CliRunner

from alerts.backtest.lagged_market import write_lagged_market
from spillwatch.alerts.admin import AlertAdmin
from spillwatch.alerts.schema import RuleSpec
from spillwatch.api.app import create_app
from spillwatch.cli import app as cli
from spillwatch.store import Store

TOKEN = "test-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
RULE = {"name": "desk_ust10y_rise", "fact": "ust10y.chg_1d_bp", "op": ">", "value": 8,
        "severity": "warning", "summary": "10-year up {value:.0f} bp"}


def _scores(doc: dict) -> dict[str, dict]:
    return {s["signal"]: s for s in doc["scores"]}


@pytest.mark.slow
def test_the_served_scorecard_follows_the_api_s_rules_as_the_cli_s(tmp_path, serve):
    db = tmp_path / "desk.duckdb"
    with Store(db) as store:
        write_lagged_market(store, days=400)
    server = create_app(db, token=TOKEN, warm=False, read_limit=None, write_limit=None,
                        token_read_limit=None, token_write_limit=None)
    with serve(server) as url, httpx.Client(base_url=url, timeout=120) as http:
        before = http.get("/api/backtest").json()["detail"]
        r = http.post("/api/alerts/rules", json=RULE, headers=AUTH)
        assert r.status_code == 201, r.text
        added = http.get("/api/backtest").json()["detail"]
        r = http.delete(f"/api/alerts/rules/{RULE['name']}", headers=AUTH)
        assert r.status_code == 200, r.text
        deleted = http.get("/api/backtest").json()["detail"]
    assert before["settings"]["rules"] == "<default rules>"
    assert f"rule:{RULE['name']}" not in before["signals"]
    # with the rule: the scorecard of `spillwatch backtest --db` on the same store, rule by rule
    assert added["settings"]["rules"] == "<default rules> + API rules"
    assert f"rule:{RULE['name']}" in added["signals"]
    with Store(db) as store:
        AlertAdmin(store).add_rule(RuleSpec(**RULE))
    res = CliRunner().invoke(cli, ["backtest", "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    assert _scores(added) == _scores(json.loads(res.stdout))
    assert _scores(added)[f"rule:{RULE['name']}"]["false_alarms"] > 0   # it fires here
    # deleted: the scorecard without it again
    assert deleted["settings"]["rules"] == "<default rules>"
    assert _scores(deleted) == _scores(before)
