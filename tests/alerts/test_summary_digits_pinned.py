"""The summaries' digits at the edges no other test reached (h_mut11: each of these was a
mutant that left the suite green).

A level of 10,000 or more whole, from 10,000 (not 100,000) up to 1e15; a small number kept in
its four-figure exponent form; an infinite threshold or ref neither read nor failing the
value; a rule's own summary read against its refs only, and a field without a spec as
written; ``alerts test``'s not-met line giving a ref's value and a text threshold as the rule
does.
"""

from __future__ import annotations

import datetime as dt

import pytest

from spillwatch.alerts.facts import Fact, FactSet
from spillwatch.alerts.rules import parse_rules, shown
from spillwatch.cli.alerts import _not_met

DAY = dt.date(2026, 10, 28)
INF = float("inf")


@pytest.mark.parametrize(("value", "thresholds", "refs", "text"), [
    (12345.6, (), (), "12346"),              # 10,000 or more: whole, not 1.235e+04
    (2.5e15, (), (), "2.5e+15"),             # 1e15 or more: the exponent form
    (1.5e-7, (1e-7,), (), "1.5e-07"),        # a small number apart from its threshold
    (2433.409960035926, (2433.0, INF), (), "2433.4"),   # an infinite threshold is no line
    (2433.409960035926, (2433.0,), (INF,), "2433.4"),   # nor an infinite ref
    (2433.409960035926, (2433.0, float("nan")), (float("nan"),), "2433.4"),
])
def test_shown_at_its_edges(value, thresholds, refs, text):
    assert shown(value, thresholds, refs) == text


RULES = """
[[rule]]
name = "own"
summary = "custody {custody.level:.1f}"
fact = "custody.level"
op = ">"
value = 2433.4

[[rule]]
name = "plain"
summary = "{btc.chg_5d_pct} vs {spx.chg_5d_pct}"
fact = "btc.chg_5d_pct"
op = ">"
ref = "spx.chg_5d_pct"

[[rule]]
name = "under"
fact = "btc.chg_5d_pct"
op = "<"
ref = "spx.chg_5d_pct"

[[rule]]
name = "word"
fact = "stress.regime"
op = "=="
value = "crisis"

[[rule]]
name = "blank"
fact = "stress.signature"
op = "=="
value = "sell_america"

[[rule]]
name = "blank_ref"
fact = "btc.chg_5d_pct"
op = "<"
ref = "eth.chg_5d_pct"
"""
FACTS = FactSet([Fact("custody.level", 2433.409960035926, DAY),
                 Fact("btc.chg_5d_pct", 1.26234, DAY), Fact("spx.chg_5d_pct", 1.26201, DAY),
                 Fact("stress.regime", "calm", DAY),
                 Fact("stress.signature", None, DAY, reason="not read by then"),
                 Fact("eth.chg_5d_pct", None, DAY, reason="no data")])


def _evaluated() -> dict[str, tuple[object, object]]:
    return {r.name: (r, e) for r in parse_rules(RULES).rules for e in r.evaluate(FACTS)}


def test_a_rule_s_own_summary_is_read_against_its_refs_only():
    """It prints no threshold (``default_pairs(refs_only=True)``): its own spec stands, and a
    field without a spec is written in full, not cut to four figures."""
    ev = _evaluated()
    assert ev["own"][1].active and ev["own"][1].summary == "custody 2433.4"
    assert ev["plain"][1].active and ev["plain"][1].summary == "1.26234 vs 1.26201"


def test_not_met_gives_the_ref_s_value_apart_from_the_fact_s():
    rule, e = _evaluated()["under"]
    assert e.active is False
    assert _not_met(rule, e) == ("not met: btc.chg_5d_pct = 1.2623 (rule: < spx.chg_5d_pct "
                                 "(1.2620))")


def test_not_met_quotes_a_text_threshold():
    rule, e = _evaluated()["word"]
    assert e.active is False
    assert _not_met(rule, e) == "not met: stress.regime = calm (rule: == 'crisis')"


def test_not_met_says_a_fact_without_a_value_has_none():
    """`alerts test --as-of 1999-04-26` printed "not met: stress.signature =  (rule: ==
    'sell_america')": a blank where the signature had no value (h_sweep1)."""
    ev = _evaluated()
    rule, e = ev["blank"]
    assert e.active is None                 # unknown, not "no": the CLI's verdict column
    assert _not_met(rule, e) == "not met: stress.signature: no value (rule: == 'sell_america')"
    rule, e = ev["blank_ref"]
    assert _not_met(rule, e) == ("not met: btc.chg_5d_pct = 1.262 (rule: < eth.chg_5d_pct "
                                 "(no value))")
