"""Every alert of a group told to a receiver is resolved there, after a rerouting."""

from __future__ import annotations

from alerts._clock import FakeClock
from spillwatch.alerts.rules import parse_rules
from spillwatch.store import Store

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
group_by = ["severity"]

[[rule]]
name = "eth_drop"
fact = "eth.chg_1d_pct"
op = "<="
value = -8
receivers = {receivers}
group_by = ["severity"]
"""


def test_the_second_alert_of_a_rerouted_group_is_resolved_too(receiver):
    # two firing alerts of one group (group_by severity) told to "desk"; both rules then
    # moved to "hook" alone. BTC's resolution reached the desk, and that notification rewrote
    # what the desk was told fires with the group's firing members there: none, so ETH was
    # dropped from it and its resolution never came (the desk's last word on it: "firing")
    clock = FakeClock(T0)
    both = parse_rules(RULES.format(url=receiver.url, receivers='["hook", "desk"]'))
    moved = parse_rules(RULES.format(url=receiver.url, receivers='["hook"]'))
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
