"""An inhibition with no ``equal`` labels is named by its rule alone (h_mut9).

``inhibited_by = [{ rule = "drop" }]``: any firing ``drop`` holds the alert back, and the alert's
``inhibited_by`` reads ``drop`` (not ``drop for `` with nothing after it), in the engine's
state as in the replay's firings.
"""

from __future__ import annotations

import datetime as dt

from spillwatch.alerts.engine import Engine
from spillwatch.alerts.facts import Fact, FactSet
from spillwatch.alerts.rules import inhibitor, parse_rules
from spillwatch.store import Store
from spillwatch.store.alerts import AlertTables

RULES = parse_rules("""
[[rule]]
name = "drop"
fact = "btc.chg_1d_pct"
op = "<="
value = -8

[[rule]]
name = "shock"
fact = "eth.z_1d"
op = "<="
value = -4
inhibited_by = [{ rule = "drop" }]
""")


def test_an_inhibition_without_equal_is_named_by_its_rule():
    shock = next(r for r in RULES.rules if r.name == "shock")
    assert inhibitor(shock, {"rule": "shock"}, [("drop", {"rule": "drop"})]) == "drop"
    with Store() as store:
        Engine(AlertTables(store), RULES).evaluate(
            FactSet([Fact("btc.chg_1d_pct", -9.0), Fact("eth.z_1d", -5.0)]),
            dt.datetime(2025, 3, 3, 20))
        st = AlertTables(store).frame("alert_state")
        assert st.loc[st["rule"] == "shock", "inhibited_by"].tolist() == ["drop"]
