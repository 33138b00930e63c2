"""A `match` value that no series carries is refused with its line, as a misspelt key is."""

from __future__ import annotations

import datetime as dt

import pytest

from spillwatch.alerts.rules import parse_rules
from spillwatch.exceptions import ConfigError

RULE = ('[[rule]]\nname = "stale"\nfact = "*.days_past_limit"\nop = ">"\nvalue = 0\n'
        'match = {{ {key} = "{value}" }}\n')


@pytest.mark.parametrize("key, value, says", [
    # `frequency = "Daily"` parsed ("1 rules OK") and the rule watched no series at all
    ("frequency", "Daily", "frequency is one of daily, monthly, weekly"),
    ("frequency", "hourly", "frequency is one of daily, monthly, weekly"),
    ("asset", "bitcoin", "asset is one of"),
])
def test_a_match_value_no_series_carries_is_refused(key, value, says):
    with pytest.raises(ConfigError) as exc:
        parse_rules(RULE.format(key=key, value=value), path="r.toml")
    assert exc.value.message.startswith(f"r.toml:6: rule 'stale': match {key} = '{value}' "
                                        "matches no series")
    assert says in exc.value.message


@pytest.mark.parametrize("key, value", [("frequency", "daily"), ("frequency", "weekly"),
                                        ("asset", "btc"), ("series", "fred:DGS10")])
def test_a_match_value_a_series_carries_is_kept(key, value):
    rule = parse_rules(RULE.format(key=key, value=value)).rule("stale")
    assert dict(rule.match) == {key: value}


def test_a_list_of_values_matches_any_of_them():
    # crypto_shock on bitcoin and TRUMP only: a match took one value, so a desk watching two
    # coins wrote two rules or watched every coin
    from spillwatch.alerts.facts import Fact, FactSet
    from spillwatch.alerts.schema import RuleSpec

    text = ('[[rule]]\nname = "two"\nfact = "*.z_1d"\nop = "<="\nvalue = -4\n'
            'match = { asset = ["btc", "trump"] }\n')
    rule = parse_rules(text).rule("two")
    day = dt.date(2025, 10, 10)
    facts = FactSet([Fact(f"{k}.z_1d", z, day, labels={"asset": k, "block": "crypto"})
                     for k, z in (("btc", -4.6), ("eth", -4.2), ("trump", -12.0))], as_of=day)
    assert {e.key: e.active for e in rule.evaluate(facts)} == {"btc": True, "trump": True}
    assert rule.to_dict()["match"] == {"asset": ["btc", "trump"]}
    # the API's form writes the same table
    spec = RuleSpec.model_validate({"name": "two", "fact": "*.z_1d", "op": "<=", "value": -4.0,
                                    "match": {"asset": ["btc", "trump"]}})
    assert parse_rules(spec.toml()).rule("two").match == rule.match
    with pytest.raises(ConfigError, match=r":6: rule 'two': match asset = 'trmp' matches no "
                                          "series"):
        parse_rules(text.replace('"trump"', '"trmp"'), path="r.toml")
    with pytest.raises(ConfigError, match=r"r.toml:6: rule 'two': match"):
        parse_rules(text.replace('["btc", "trump"]', '[]'), path="r.toml")
