"""A receiver told an alert fires is told it resolved, after the rule's routing was edited."""

from __future__ import annotations

from alerts._clock import FakeClock
from spillwatch.alerts.rules import parse_rules
from spillwatch.store import Store
from spillwatch.store.alerts import AlertTables

from .conftest import T0, Facts
from .test_engine import cycles

RULES = """
[[receiver]]
name = "hook"
type = "webhook"
url = "{url}"
timeout = 5

[[receiver]]
name = "desk"
type = "webhook"
url = "{url}"
timeout = 5

[[rule]]
name = "btc_drop"
fact = "btc.chg_1d_pct"
op = "<="
value = -8
receivers = {receivers}
group_by = {group_by}
summary = "BTC {{btc.chg_1d_pct:.1f}}%"
"""


def _rules(url: str, receivers: str = '["hook", "desk"]', group_by: str = '["rule"]'):
    return parse_rules(RULES.format(url=url, receivers=receivers, group_by=group_by))


def _last_word(got: list[dict], receiver: str) -> str:
    """The status of btc_drop in the last notification ``receiver`` accepted."""
    mine = [r["body"] for r in got if r["body"]["receiver"] == receiver]
    return next(a for a in mine[-1]["alerts"] if a["labels"]["rule"] == "btc_drop")["status"]


def test_a_receiver_dropped_from_a_firing_rule_is_told_it_resolved(receiver):
    # a desk moved a firing rule from two receivers to one (`receivers = ["hook"]`, the file
    # re-read at the next cycle): when the alert resolved, only "hook" was told; "desk" had
    # been told "firing" and was never told anything again (its last word stayed "firing",
    # as for a deleted rule before it was mended)
    clock = FakeClock(T0)
    with Store() as store:
        cycles(store, clock, _rules(receiver.url), Facts(**{"btc.chg_1d_pct": -9.0}), 1)
        moved = _rules(receiver.url, receivers='["hook"]')
        cycles(store, clock, moved, Facts(**{"btc.chg_1d_pct": -9.5}), 1)
        cycles(store, clock, moved, Facts(**{"btc.chg_1d_pct": 1.0}), 2)
        st = AlertTables(store).frame("alert_state", "rule = 'btc_drop'")
        assert st["state"].tolist() == ["resolved"]
    got = receiver.accepted()
    assert _last_word(got, "hook") == "resolved"
    assert _last_word(got, "desk") == "resolved"
    # each told once that it fired and once that it resolved, never the resolution twice
    desk = [r["body"]["status"] for r in got if r["body"]["receiver"] == "desk"]
    assert desk == ["firing", "resolved"]


def test_a_changed_group_by_still_resolves_the_group_told_it_fires(receiver):
    # group_by edited while the alert fired: the alert moved to a new group, whose receiver
    # had not been told of it, and the old group's "firing" was never resolved
    clock = FakeClock(T0)
    with Store() as store:
        cycles(store, clock, _rules(receiver.url, receivers='["desk"]'),
               Facts(**{"btc.chg_1d_pct": -9.0}), 1)
        regrouped = _rules(receiver.url, receivers='["desk"]', group_by='["severity"]')
        cycles(store, clock, regrouped, Facts(**{"btc.chg_1d_pct": -9.5}), 1)
        cycles(store, clock, regrouped, Facts(**{"btc.chg_1d_pct": 1.0}), 2)
    got = [r["body"] for r in receiver.accepted()]
    told = {}
    for body in got:                       # the last word of each group the desk was told of
        for a in body["alerts"]:
            told[body["group_key"]] = a["status"]
    assert told == {"rule=btc_drop": "resolved", "severity=warning": "resolved"}
