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


#: A second rule that stays quiet (h_mut25: a count of the listed states alone survived).
RISE = """
[[rule]]
name = "btc_rise"
fact = "btc.chg_1d_pct"
op = ">="
value = 8
summary = "BTC {btc.chg_1d_pct:+.1f}%"
"""


def _before_and_mid_edit(receiver, path, rules: str) -> tuple[dict, dict]:
    """The alert list after one cycle with bitcoin -9%, then with ``[[rule`` appended."""
    path.write_text(webhook_rules(receiver.url, rules), "utf-8")
    with Store() as store:
        cycles(store, FakeClock(T0), parse_rules(path.read_text("utf-8")),
               Facts(**{"btc.chg_1d_pct": -9.0}), 1)
        admin = AlertAdmin(store, path)
        good = admin.alert_docs()
        path.write_text(path.read_text("utf-8") + "\n[[rule\n", "utf-8")   # mid-edit
        return good, admin.alert_docs()


def test_alert_states_are_listed_when_the_rule_file_no_longer_parses(receiver, tmp_path):
    path = tmp_path / "rules.toml"
    good, doc = _before_and_mid_edit(receiver, path, RULE)
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


def test_the_rule_count_mid_edit_is_the_count_before_it(receiver, tmp_path):
    # the rules its stored states are of, the quiet ones too: a desk with one rule firing of
    # two read "1 rules" mid-edit, "2" before
    good, doc = _before_and_mid_edit(receiver, tmp_path / "rules.toml", RULE + RISE)
    assert [a["rule"] for a in good["alerts"]] == ["btc_drop"]     # btc_rise is quiet
    assert good["rules"] == 2 and good["rules_error"] is None
    assert doc["rules_error"] is not None
    assert [a["rule"] for a in doc["alerts"]] == ["btc_drop"]
    assert doc["rules"] == 2
