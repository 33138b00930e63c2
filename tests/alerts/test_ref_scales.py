"""`ref` compares only facts of one scale: a percentile (0-100) is not a fraction (0-1)."""

from __future__ import annotations

import pytest

from spillwatch.alerts.rules import load_rules, parse_rules
from spillwatch.exceptions import ConfigError

PCTILE = "spillover.net_rates_dollar_to_crypto_pctile_252d"


def rule(fact: str, ref: str) -> str:
    return f'[[rule]]\nname = "x"\nfact = "{fact}"\nop = ">"\nref = "{ref}"\n'


@pytest.mark.parametrize(("fact", "ref", "units"), [
    # both were accepted: the first holds on every reading (a percentile of 0-100 against a
    # rank of 0-1), the second compares a percentile with an index level
    ("demand.percentile", PCTILE, "(in pct) with " + PCTILE + " (in fraction)"),
    ("stress.percentile", PCTILE, "(in pct) with " + PCTILE + " (in fraction)"),
    ("stress.percentile", "stress.index", "(in pct) with stress.index (in 0-1)"),
])
def test_ref_of_another_scale_is_refused(fact, ref, units):
    with pytest.raises(ConfigError, match=r"^r.toml:5: rule 'x': cannot compare "):
        parse_rules(rule(fact, ref), path="r.toml")
    with pytest.raises(ConfigError) as exc:
        parse_rules(rule(fact, ref), path="r.toml")
    assert units in str(exc.value)


@pytest.mark.parametrize(("fact", "ref"), [
    ("stress.percentile", "demand.percentile"),
    ("stress.percentile", "stress.percentile_longrun"),
    ("stress.index", "demand.gauge"),
    ("spillover.net_rates_dollar_to_crypto", "spillover.net_rates_dollar_to_crypto_p95_252d"),
])
def test_ref_of_one_scale_is_accepted(fact, ref):
    assert len(parse_rules(rule(fact, ref)).rules) == 1


def test_the_default_rules_still_load():
    assert load_rules().rule("spillover_rates_dollar_to_crypto_high").conditions[0].ref
