"""With a rule file that no longer parses, the alert list counts the rules its stored states are
of, the quiet ones too (h_mut25).

30db548 lists the stored alerts with ``rules_error`` and counts the rules of every stored state
(``rules``); its test has one rule, firing, so a mutant counting the listed (not inactive)
states alone survived: a desk with one rule firing of two read "1 rules" mid-edit, "2" before.
"""

from __future__ import annotations

from alerts._clock import FakeClock
from spillwatch.alerts.admin import AlertAdmin
from spillwatch.alerts.rules import parse_rules
from spillwatch.store import Store

from .conftest import T0, Facts, webhook_rules
from .test_engine import cycles

RULES = """
[[rule]]
name = "btc_drop"
fact = "btc.chg_1d_pct"
op = "<="
value = -8
severity = "critical"
summary = "BTC {btc.chg_1d_pct:.1f}%"

[[rule]]
name = "btc_rise"
fact = "btc.chg_1d_pct"
op = ">="
value = 8
summary = "BTC {btc.chg_1d_pct:+.1f}%"
"""


def test_the_rule_count_mid_edit_is_the_count_before_it(receiver, tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text(webhook_rules(receiver.url, RULES), "utf-8")
    with Store() as store:
        cycles(store, FakeClock(T0), parse_rules(path.read_text("utf-8")),
               Facts(**{"btc.chg_1d_pct": -9.0}), 1)
        admin = AlertAdmin(store, path)
        good = admin.alert_docs()
        path.write_text(path.read_text("utf-8") + "\n[[rule\n", "utf-8")   # mid-edit
        doc = admin.alert_docs()
    assert [a["rule"] for a in good["alerts"]] == ["btc_drop"]     # btc_rise is quiet
    assert good["rules"] == 2 and good["rules_error"] is None
    assert doc["rules_error"] is not None
    assert [a["rule"] for a in doc["alerts"]] == ["btc_drop"]
    assert doc["rules"] == 2
