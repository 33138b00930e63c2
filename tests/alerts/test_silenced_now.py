"""`alerts list` and the API say an alert is silenced when a silence of matchers alone holds it."""

from __future__ import annotations

import datetime as dt

from alerts._clock import FakeClock
from spillwatch.alerts.admin import AlertAdmin
from spillwatch.alerts.engine import add_silence
from spillwatch.alerts.rules import parse_rules
from spillwatch.store import Store
from spillwatch.store.alerts import AlertTables

from .conftest import T0, Facts, webhook_rules
from .test_engine import cycles

#: Silences that the engine (on the test clock) and `alerts list` (on the wall clock) both see.
LONG = dt.timedelta(days=3650)

RULES = """
[[rule]]
name = "stale"
fact = "*.stale_bdays"
op = ">"
value = 3

[[rule]]
name = "btc_drop"
fact = "btc.chg_1d_pct"
op = "<="
value = -8
"""


def test_a_matchers_only_silence_shows_beside_a_silence_of_a_rule(receiver):
    # with a silence of a rule and one of label matchers alone (asset=btc) both active, the
    # matchers-only one came back from the store with rule NaN (not None) and matched no
    # alert: `alerts list` and /api/alerts said btc's alert was not silenced while the engine
    # held its notifications (its stored flag was true)
    rules = parse_rules(webhook_rules(receiver.url, RULES))
    clock = FakeClock(T0)
    with Store() as store:
        tables = AlertTables(store)
        add_silence(tables, now=T0, duration=LONG, matchers={"asset": "btc"})
        add_silence(tables, now=T0, duration=LONG, rule="btc_drop")
        facts = Facts(**{"btc.stale_bdays": 5.0, "eth.stale_bdays": 5.0,
                         "btc.chg_1d_pct": -9.0})
        cycles(store, clock, rules, facts, 1)
        stored = tables.frame("alert_state")
        assert dict(zip(stored["labels"], stored["silenced"], strict=True)) == {
            '{"asset": "btc", "rule": "stale", "severity": "warning"}': True,
            '{"asset": "eth", "rule": "stale", "severity": "warning"}': False,
            '{"rule": "btc_drop", "severity": "warning"}': True}
        admin = AlertAdmin(store)
        shown = admin.states()
        assert dict(zip(shown["labels"], shown["silenced"], strict=True)) == dict(
            zip(stored["labels"], stored["silenced"], strict=True))
        api = {(a["rule"], a["labels"].get("asset")): a["silenced"]
               for a in admin.alert_docs()["alerts"]}
        assert api == {("stale", "btc"): True, ("stale", "eth"): False,
                       ("btc_drop", None): True}
    # the receiver was told of eth's alert alone
    sent = [a["labels"].get("asset") for r in receiver.accepted() for a in r["body"]["alerts"]]
    assert sent == ["eth"]
