"""The alert list survives a rule file mid-edit that no longer parses.

The monitor then runs its last good rules and its alerts fire and are delivered, but
``/api/alerts`` answered 409 with the parse error, so the dashboard's alerts card read
"not available" (h_live1: a live loop on the real store of April 2025, a ``[[rule`` typo
while stress_crisis and treasury_spike fired).
"""

from __future__ import annotations

import json

from alerts._clock import FakeClock
from spillwatch._results import jsonable
from spillwatch.alerts.admin import AlertAdmin
from spillwatch.alerts.rules import parse_rules
from spillwatch.api.schemas import AlertsOut
from spillwatch.store import Store

from .conftest import T0, Facts, webhook_rules
from .test_engine import cycles

RULE = """
[[rule]]
name = "btc_drop"
fact = "btc.chg_1d_pct"
op = "<="
value = -8
severity = "critical"
summary = "BTC {btc.chg_1d_pct:.1f}%"
"""


def test_alert_states_are_listed_when_the_rule_file_no_longer_parses(receiver, tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text(webhook_rules(receiver.url, RULE), "utf-8")
    with Store() as store:
        cycles(store, FakeClock(T0), parse_rules(path.read_text("utf-8")),
               Facts(**{"btc.chg_1d_pct": -9.0}), 1)
        admin = AlertAdmin(store, path)
        good = admin.alert_docs()
        path.write_text(path.read_text("utf-8") + "\n[[rule\n", "utf-8")   # mid-edit
        doc = admin.alert_docs()
    assert good["rules_error"] is None and good["rules"] == 1
    (a,) = doc["alerts"]
    assert (a["rule"], a["state"], a["severity"], a["summary"]) == (
        "btc_drop", "firing", "critical", "BTC -9.0%")
    assert {k: v for k, v in a.items() if k != "silenced"} == {
        k: v for k, v in good["alerts"][0].items() if k != "silenced"}
    assert doc["rules"] == 1 and doc["evaluated_at"] == good["evaluated_at"]
    assert doc["rules_error"].startswith(f"{path}:") and "not valid TOML" in doc["rules_error"]
    # what /api/alerts serves validates against its schema
    out = AlertsOut.model_validate(json.loads(json.dumps(jsonable(doc))))
    assert out.rules_error == doc["rules_error"] and len(out.alerts) == 1
