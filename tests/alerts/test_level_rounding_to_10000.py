"""A level that four figures round to 10,000 is printed whole, as 10,000 and more are (h_mut11).

``shown`` tested the raw value against 10,000: 9,999.6 printed "1e+04" ("custody.level = 1e+04
(rule: > 9000)") beside 10,000.4's "10000", the exponent form the level rule removed.
"""

from __future__ import annotations

import datetime as dt

import pytest

from spillwatch.alerts.facts import Fact, FactSet
from spillwatch.alerts.rules import parse_rules, shown


@pytest.mark.parametrize(("value", "text"), [
    (9999.4, "9999"), (9999.6, "10000"), (-9999.7, "-10000"), (10000.4, "10000"),
    (9.99996e14, "999996000000000"), (1e15, "1e+15"),
])
def test_a_level_rounded_to_10000_or_more_is_whole(value, text):
    assert shown(value) == text


def test_the_default_summary_of_a_level_just_under_10000():
    (rule,) = parse_rules("""
[[rule]]
name = "lvl"
fact = "custody.level"
op = ">"
value = 9000
""").rules
    (e,) = rule.evaluate(FactSet([Fact("custody.level", 9999.6, dt.date(2026, 10, 28))]))
    assert e.summary == "custody.level = 10000 (rule: > 9000) on 2026-10-28"
    # against a threshold of 10,000 the digits still tell it apart
    assert shown(9999.6, (10000.0,)) == "9999.6"


def test_a_level_under_10000_keeps_its_spec_s_exponent_form():
    # h_mut12: the whole-number form starts at a printed 10,000 whatever the spec: a
    # summary's {fact:.2g} of 1,500 reads as .2g writes it, 15,000 whole
    assert shown(1500.0, (), (), ".2g") == "1.5e+03"
    assert shown(15000.0, (), (), ".2g") == "15000"
