"""`alerts list` prints an alert's value as its summary does, against the rule's threshold.

The table cut the stored value to four figures without its rule: an alert of
``custody.level > 2433`` that fired on 2,433.41 read 2433 in `alerts list` while its
summary (in `--json`, the notices and the API) said "custody.level = 2433.4 (rule: > 2433)".
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
value = 2433

[[rule]]
name = "btc_under"
fact = "btc.level"
op = "<"
value = 145636.9

[[rule]]
name = "eth_over_gold"
fact = "eth.level"
op = ">"
ref = "gold.level"
"""


FACTS = [Fact("custody.level", 2433.409960035926, DAY),
         Fact("btc.level", 145636.8964596283, DAY),
         Fact("eth.level", 3173.639744417807, DAY),
         Fact("gold.level", 3173.5, DAY)]


def _evaluated(tmp_path, rules_text=RULES, facts=FACTS):
    rules = tmp_path / "r.toml"
    rules.write_text(rules_text, encoding="utf-8")
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        AlertAdmin(store, rules).evaluate(FactSet(facts), dt.datetime(2026, 10, 29, 1))
    return db


def _table(db, *extra):
    res = CliRunner().invoke(app, ["alerts", "list", "--db", str(db), *extra],
                             env={"COLUMNS": "250"})
    assert res.exit_code == 0, res.output
    return res.stdout


def test_the_list_prints_the_value_with_the_digits_of_its_summary(tmp_path):
    db = _evaluated(tmp_path)
    rows = {r["rule"]: r for r in json.loads(_table(db, "--json"))["rows"]}
    assert rows["custody_over"]["summary"] == ("custody.level = 2433.4 (rule: > 2433) on "
                                               "2026-10-28")
    assert rows["custody_over"]["value_text"] == "2433.4"
    assert rows["btc_under"]["value_text"] == "145636.896"
    assert rows["eth_over_gold"]["value_text"] == "3173.6"   # against its ref's 3173.5
    lines = {ln.split("│")[1].strip(): ln for ln in _table(db).splitlines()
             if ln.startswith("│") and "_" in ln}
    cells = {rule: [c.strip() for c in ln.split("│")] for rule, ln in lines.items()}
    assert "2433.4" in cells["custody_over"], lines["custody_over"]
    assert "145636.896" in cells["btc_under"], lines["btc_under"]
    assert "3173.6" in cells["eth_over_gold"], lines["eth_over_gold"]


def test_a_state_written_before_the_text_was_kept_prints_four_figures(tmp_path):
    db = _evaluated(tmp_path)
    with Store(db) as store, store.transaction() as con:
        con.execute("UPDATE alert_state SET value_text = NULL")
    lines = [ln for ln in _table(db).splitlines() if "custody_over" in ln]
    assert lines and "│ 2433 " in lines[0], lines


def test_the_api_gives_the_same_text(tmp_path):
    import asyncio

    import httpx

    from spillwatch.api.app import create_app
    from spillwatch.data.source import open_source

    async def get(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://127.0.0.1") as client:
            return await client.get("/api/alerts")

    db = _evaluated(tmp_path)
    with open_source(db, read_only=True) as src:
        res = asyncio.run(get(create_app(src, warm=False, evaluate_alerts=False)))
    assert res.status_code == 200, res.text
    texts = {a["rule"]: a["value_text"] for a in res.json()["alerts"]}
    listed = {r["rule"]: r["value_text"]
              for r in json.loads(_table(db, "--json"))["rows"]}
    assert texts == listed == {"custody_over": "2433.4", "btc_under": "145636.896",
                               "eth_over_gold": "3173.6"}


def test_a_whole_number_value_is_its_own_text(tmp_path):
    # (h_mut12) a value that is no float (a count) is its str: kept as "", the list printed an
    # empty cell where the stored value was 7
    count = '[[rule]]\nname = "count"\nfact = "custody.level"\nop = ">"\nvalue = 5\n'
    facts = [Fact("custody.level", 7, DAY)]
    (e,) = parse_rules(count).rules[0].evaluate(FactSet(facts))
    assert e.value == 7 and e.value_text == "7"
    db = _evaluated(tmp_path, count, facts)
    (row,) = json.loads(_table(db, "--json"))["rows"]
    assert row["value_text"] == "7"


def test_a_value_that_is_no_number_keeps_no_text(tmp_path):
    # the state keeps a number's text only: a regime's alert has neither value nor text (the
    # API's value_text beside a null value would be a reading the list never prints)
    regime = '[[rule]]\nname = "regime"\nfact = "stress.regime"\nop = ">="\nvalue = "elevated"\n'
    facts = [Fact("stress.regime", "crisis", DAY)]
    (e,) = parse_rules(regime).rules[0].evaluate(FactSet(facts))
    assert e.active and e.value_text == "crisis"
    db = _evaluated(tmp_path, regime, facts)
    with Store(db) as store:
        (doc,) = AlertAdmin(store).alert_docs()["alerts"]
    assert doc["rule"] == "regime" and doc["state"] in ("pending", "firing")
    assert pd.isna(doc["value"]) and doc["value_text"] is None
