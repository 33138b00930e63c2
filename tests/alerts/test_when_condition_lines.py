"""An error inside one condition of `when` names that condition's line, not the `when =` line."""

from __future__ import annotations

import pytest

from spillwatch.alerts.rules import parse_rules
from spillwatch.exceptions import ConfigError

HEAD = """[[rule]]
name = "btc_drop"
fact = "btc.chg_1d_pct"
op = "<="
value = -8

[[rule]]
name = "sell_america_day"
when = [
  { fact = "ust10y.chg_1d_bp", op = ">=", value = 15 },
  { fact = "usd_broad.chg_5d_pct", op = "<", value = 0 },
]
"""
# the second condition of the second rule
SECOND = 'usd_broad.chg_5d_pct", op = "<", value = 0'


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(("new", "words"), [
    # a schema error (pydantic) inside the list: reported on `when = [` (line 9)
    ('usd_broad.chg_5d_pct", op = "=<", value = 0', ["when condition 2.op must be one of"]),
    ('usd_broad.chg_5d_pct", op = "<", value = "0pct"', ["when condition 2.value"]),
    ('usd_broad.chg_5d_pct", op = "<", value = true', ["not true/false"]),
    # and an unknown key listed the rule's fields (enabled, fact, for, group_by, ...)
    ('usd_broad.chg_5d_pct", op = "<", val = 0', ["unknown field 'val'",
                                                   "valid fields: fact, op, ref, value"]),
    ('usd-broad.chg_5d_pct", op = "<", value = 0', ["when condition 2.fact"]),
    # two conditions on one fact: the second's bad threshold was blamed on the first's line
    ('ust10y.chg_1d_bp", op = "<", value = "x"', ["bad threshold 'x'"]),
    # a '*' fact not first: reported on the rule's [[rule]] header
    ('*.days_past_limit", op = ">", value = 0', ["put the '*' series in the first one"]),
])
def test_error_in_a_when_condition_names_its_line(new, words):
    text = HEAD.replace(SECOND, new)
    want = line_of(text, new)
    with pytest.raises(ConfigError) as exc:
        parse_rules(text, path="desk.toml")
    msg = str(exc.value)
    assert msg.startswith(f"desk.toml:{want}: "), msg
    assert exc.value.line == want
    for w in words:
        assert w in msg, msg


SUBTABLES = """[[rule]]
name = "r"
[[rule.when]]
fact = "ust10y.chg_1d_bp"
op = ">="
value = 15
[[rule.when]]
fact = "usd_broad.chg_1d_pct"
op = "=<"
value = 0
"""


def test_error_in_a_rule_when_table_names_its_line():
    """A bad op in the second [[rule.when]] table was reported on line 1 (the rule's header)."""
    with pytest.raises(ConfigError, match=r"^w.toml:9: rule 'r': when condition 2.op must"):
        parse_rules(SUBTABLES, path="w.toml")


@pytest.mark.parametrize("tail", ['labels.desk = 5\n', '[rule.labels]\ndesk = 5\n'])
def test_a_bad_dotted_key_or_sub_table_is_blamed_on_its_own_line(tail):
    # `labels.desk = 5` (and a [rule.labels] table) was blamed on the rule's header
    text = ('[[rule]]\nname = "x"\nfact = "btc.chg_1d_pct"\nop = "<="\nvalue = -8\n'
            'summary = "hi"\n' + tail)
    with pytest.raises(ConfigError, match=r"^r.toml:7: rule 'x': labels.desk: "):
        parse_rules(text, path="r.toml")
