"""A `match` value that no series carries is refused with its line, as a misspelt key is."""

from __future__ import annotations

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
