"""A date or text fact (``demand.auction_date``) can be named in a summary, in renotify_on or by
ref, not compared with a threshold: the refusal says so, and ``alerts facts`` lists its kind as
such."""

from __future__ import annotations

import logging

import pytest

from spillwatch.alerts.rules import parse_rules
from spillwatch.exceptions import ConfigError

RULE = """[[rule]]
name = "auction_day"
when = [{ fact = "demand.auction_date", op = "!=", value = "none" }]
"""


def test_a_threshold_on_a_date_fact_is_refused_with_what_to_do():
    """The refusal read "bad threshold 'none' for demand.auction_date: choose one of "
    and named nothing to choose (the fact has no fixed values)."""
    with pytest.raises(ConfigError) as exc:
        parse_rules(RULE, path="desk.toml")
    msg = str(exc.value)
    assert "choose one of" not in msg, msg
    assert "demand.auction_date is a date or a text" in msg, msg
    assert "renotify_on" in msg and "ref" in msg, msg


def test_the_engine_log_says_not_evaluated_once(caplog):
    """A '*' rule's H.10 instance logged "rule x [usdjpy] not evaluated: not evaluated: ..."."""
    import datetime as dt

    from spillwatch.alerts.facts import Fact, FactSet

    day = dt.date(2024, 5, 6)
    rules = parse_rules("""[[rule]]
name = "fx"
when = [{ fact = "*.chg_1d_pct", op = "<=", value = -1.5 },
        { fact = "ust10y.chg_1d_bp", op = ">=", value = 5 }]
""", path="desk.toml")
    fs = FactSet([Fact("ust10y.chg_1d_bp", 6.0, day, labels={"asset": "ust10y"}),
                  Fact("usdjpy.chg_1d_pct", -2.0, dt.date(2024, 5, 3),
                       labels={"asset": "usdjpy"})], as_of=day)
    from spillwatch.alerts.engine import Engine
    from spillwatch.store import Store
    from spillwatch.store.alerts import AlertTables

    with Store() as store, caplog.at_level(logging.INFO, logger="spillwatch.alerts.engine"):
        Engine(AlertTables(store), rules).evaluate(fs, dt.datetime(2024, 5, 6, 22))
    said = [r.getMessage() for r in caplog.records if "not evaluated" in r.getMessage()]
    assert said and all("not evaluated: not evaluated" not in m for m in said), said


@pytest.mark.slow
@pytest.mark.realdata
def test_alerts_facts_lists_a_date_fact_as_text(real_db, capsys):
    """`alerts facts` gave demand.auction_date the kind "category", as if a rule could compare
    it with one of its values."""
    import json

    from spillwatch.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["alerts", "facts", "demand.*", "--db", str(real_db), "--as-of", "2025-04-14",
              "--json"])
    assert int(exc.value.code or 0) == 0
    rows = {r["fact"]: r for r in json.loads(capsys.readouterr().out)["rows"]}
    assert rows["demand.auction_date"]["kind"] == "text (summaries, renotify_on, ref)"
    assert rows["demand.top_group"]["kind"].startswith("category: custody")
