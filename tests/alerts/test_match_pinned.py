"""``match`` lists and the line of a sub-table: behaviour h_mut7's mutants showed unpinned."""

from __future__ import annotations

import datetime as dt

import pytest

from spillwatch.alerts.facts import Fact, FactSet
from spillwatch.alerts.rules import parse_rules
from spillwatch.exceptions import ConfigError

DAY = dt.date(2025, 10, 10)
FACTS = FactSet([Fact(f"{k}.z_1d", z, DAY, labels={"asset": k, "block": block})
                 for k, z, block in (("btc", -4.6, "crypto"), ("eth", -4.2, "crypto"),
                                     ("ust10y", -5.0, "rates"))], as_of=DAY)


def test_every_match_label_must_hold_not_any_one():
    # block crypto AND asset in (btc, ust10y): bitcoin only (ether is not listed, the
    # 10-year is not crypto)
    text = ('[[rule]]\nname = "two"\nfact = "*.z_1d"\nop = "<="\nvalue = -4\n'
            'match = { block = "crypto", asset = ["btc", "ust10y"] }\n')
    rule = parse_rules(text).rule("two")
    assert [e.key for e in rule.evaluate(FACTS)] == ["btc"]


def test_a_match_list_is_kept_as_a_tuple():
    # Rule.match holds a string or a tuple of strings (its declared type): the rule is frozen
    text = ('[[rule]]\nname = "two"\nfact = "*.z_1d"\nop = "<="\nvalue = -4\n'
            'match = { asset = ["btc", "eth"] }\n')
    assert parse_rules(text).rule("two").match == {"asset": ("btc", "eth")}


def test_a_bad_quoted_sub_table_is_blamed_on_its_own_line():
    # [rule."labels"] is the same table as [rule.labels] (TOML quoted keys)
    text = ('[[rule]]\nname = "x"\nfact = "btc.chg_1d_pct"\nop = "<="\nvalue = -8\n'
            'summary = "hi"\n[rule."labels"]\ndesk = 5\n')
    with pytest.raises(ConfigError, match=r"^r.toml:7: rule 'x': labels.desk: "):
        parse_rules(text, path="r.toml")


def test_a_match_string_s_own_fault_names_the_label_only():
    # a string too long: told as match.asset, not pydantic's match.asset.constrained-str
    text = ('[[rule]]\nname = "s"\nfact = "*.z_1d"\nop = "<="\nvalue = -4\n'
            f'match = {{ asset = "{"x" * 201}" }}\n')
    with pytest.raises(ConfigError) as info:
        parse_rules(text, path="r.toml")
    assert info.value.message == ("r.toml:6: rule 's': match.asset: String should have at "
                                  "most 200 characters")
