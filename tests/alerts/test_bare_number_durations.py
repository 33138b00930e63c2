"""A duration written as a bare number in a rule file is refused, naming its line."""

from __future__ import annotations

import datetime as dt

import pytest

from spillwatch.alerts.rules import parse_rules
from spillwatch.exceptions import ConfigError

RULE = """[[rule]]
name = "stress_p90_3d"
fact = "stress.percentile"
op = ">="
value = 90
"""


@pytest.mark.parametrize(("key", "value"), [("for", "3"), ("keep_firing_for", "7"),
                                            ("repeat_interval", "1.5")])
def test_a_bare_number_duration_is_refused(key, value):
    """`for = 3` (a desk's "three days") was read as three seconds and accepted silently:
    the rule fired on the first evening, and `keep_firing_for = 7` held nothing."""
    text = RULE + f"{key} = {value}\n"
    with pytest.raises(ConfigError, match=rf"^r.toml:6: rule 'stress_p90_3d': {key} = "
                                          rf"{value} is {float(value):g} seconds in a rule "
                                          "file; write the unit"):
        parse_rules(text, path="r.toml")


def test_defaults_too_and_units_and_zero_still_read():
    with pytest.raises(ConfigError, match=r"^r.toml:2: \[defaults\]: for = 3 is 3 seconds"):
        parse_rules("[defaults]\nfor = 3\n" + RULE, path="r.toml")
    rs = parse_rules(RULE + 'for = "3d"\nkeep_firing_for = 0\n', path="r.toml")
    assert rs.rules[0].for_ == dt.timedelta(days=3)
    assert rs.rules[0].keep_firing_for == dt.timedelta(0)
