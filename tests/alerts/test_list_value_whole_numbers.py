"""A whole-number value prints as itself in `alerts list` and `alerts test` (h_mut12).

The engine keeps each alert's value as its summary prints it (``value_text``); a value that
is no float (a count) is its ``str``: kept as "", the list printed an empty cell where the
stored value was 7.
"""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd
from typer.testing import CliRunner

from spillwatch.alerts.admin import AlertAdmin
from spillwatch.alerts.facts import Fact, FactSet
from spillwatch.alerts.rules import parse_rules
from spillwatch.cli import app
from spillwatch.store import Store

DAY = dt.date(2026, 10, 28)
RULES = """
[[rule]]
name = "custody_over"
fact = "custody.level"
op = ">"
value = 5
"""


def test_a_whole_number_value_is_its_own_text(tmp_path):
    rules = tmp_path / "r.toml"
    rules.write_text(RULES, encoding="utf-8")
    facts = FactSet([Fact("custody.level", 7, DAY)])
    (rule,) = parse_rules(RULES).rules
    (e,) = rule.evaluate(facts)
    assert e.value == 7 and e.value_text == "7"
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        AlertAdmin(store, rules).evaluate(facts, dt.datetime(2026, 10, 29, 1))
    res = CliRunner().invoke(app, ["alerts", "list", "--db", str(db), "--json"],
                             env={"COLUMNS": "250"})
    assert res.exit_code == 0, res.output
    (row,) = json.loads(res.stdout)["rows"]
    assert row["value_text"] == "7"


REGIME = """
[[rule]]
name = "regime"
fact = "stress.regime"
op = ">="
value = "elevated"
"""


def test_a_value_that_is_no_number_keeps_no_text(tmp_path):
    # the state keeps a number's text only: a regime's alert has neither value nor text (the
    # API's value_text beside a null value would be a reading the list never prints)
    rules = tmp_path / "r.toml"
    rules.write_text(REGIME, encoding="utf-8")
    facts = FactSet([Fact("stress.regime", "crisis", DAY)])
    (rule,) = parse_rules(REGIME).rules
    (e,) = rule.evaluate(facts)
    assert e.active and e.value_text == "crisis"
    with Store(tmp_path / "s.duckdb") as store:
        admin = AlertAdmin(store, rules)
        admin.evaluate(facts, dt.datetime(2026, 10, 29, 1))
        (doc,) = admin.alert_docs()["alerts"]
    assert doc["rule"] == "regime" and doc["state"] in ("pending", "firing")
    assert pd.isna(doc["value"]) and doc["value_text"] is None
