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

ETH_RULE = """
[[rule]]
name = "eth_drop"
fact = "eth.chg_1d_pct"
op = "<="
value = -8
receivers = {receivers}
group_by = ["severity"]
"""


def _two(url: str, receivers: str):
    """btc_drop and eth_drop in one group (by severity), sent to ``receivers``."""
    return parse_rules(RULES.format(url=url, receivers=receivers, group_by='["severity"]')
                       + ETH_RULE.format(receivers=receivers))


def test_the_second_alert_of_a_rerouted_group_is_resolved_too(receiver):
    # two firing alerts of one group (group_by severity) told to "desk"; both rules then
    # moved to "hook" alone. BTC's resolution reached the desk, and that notification rewrote
    # what the desk was told fires with the group's firing members there: none, so ETH was
    # dropped from it and its resolution never came (the desk's last word on it: "firing")
    clock = FakeClock(T0)
    both = _two(receiver.url, '["hook", "desk"]')
    moved = _two(receiver.url, '["hook"]')
    with Store() as store:
        cycles(store, clock, both, Facts(**{"btc.chg_1d_pct": -9.0, "eth.chg_1d_pct": -9.0}), 1)
        cycles(store, clock, moved, Facts(**{"btc.chg_1d_pct": -9.5, "eth.chg_1d_pct": -9.5}), 1)
        cycles(store, clock, moved, Facts(**{"btc.chg_1d_pct": 1.0, "eth.chg_1d_pct": -9.5}), 2)
        cycles(store, clock, moved, Facts(**{"btc.chg_1d_pct": 1.0, "eth.chg_1d_pct": 1.0}), 2)
    desk = [[(a["labels"]["rule"], a["status"]) for a in r["body"]["alerts"]]
            for r in receiver.accepted() if r["body"]["receiver"] == "desk"]
    assert desk == [[("btc_drop", "firing"), ("eth_drop", "firing")],
                    [("btc_drop", "resolved")],
                    [("eth_drop", "resolved")]]
    hook = [a["status"] for r in receiver.accepted() if r["body"]["receiver"] == "hook"
            for a in r["body"]["alerts"] if a["labels"]["rule"] == "eth_drop"]
    assert hook[-1] == "resolved" and hook.count("resolved") == 1
