"""Each fact group is exactly what its flag of ``compute_facts`` adds, and ``groups_named`` and
``RuleSet.fact_names`` name a group from any one of its facts (h_mut6's surviving mutants:
``stress.signature`` left out of the stress group, only a group's first name matched, a rule's
``ref`` and ``{fact@date}`` fields and the special summary fields read wrongly)."""

from __future__ import annotations

import pytest

from spillwatch.alerts.facts import compute_facts, fact_groups, groups_named
from spillwatch.alerts.rules import parse_rules
from spillwatch.service.workspace import Workspace

FLAGS = ("stress", "spillover", "demand")


@pytest.fixture(scope="module")
def demo():
    ws = Workspace("demo")
    yield ws, set(compute_facts(ws, stress=False, spillover=False, demand=False).facts)
    ws.close()


@pytest.mark.parametrize("group", FLAGS)
def test_a_group_is_exactly_the_facts_its_flag_adds(demo, group):
    """On the demo: the names computed with only ``group`` on, less those computed with every
    flag off. A fact missing from its group (``stress.signature``) was left out whenever a
    caller asked for that fact alone (`alerts facts stress.signature`)."""
    ws, off = demo
    on = set(compute_facts(ws, **{g: g == group for g in FLAGS}).facts)
    assert on - off == set(fact_groups()[group])
    assert off <= on


def test_any_one_fact_of_a_group_names_it_and_no_other():
    for group, names in fact_groups().items():
        for name in names:
            assert groups_named([name]) == {g: g == group for g in FLAGS}, name
    assert groups_named(["stress.signature"])["stress"] is True
    # the joint moves are computed whatever the flags
    assert groups_named(["stress.signature_*"]) == dict.fromkeys(FLAGS, False)
    assert groups_named([]) == dict.fromkeys(FLAGS, False)


def test_a_rule_s_ref_and_dated_summary_fields_are_facts_it_reads():
    """The ref (the spillover's 95th percentile), a ``{fact@date}`` field read as the fact, and
    the special fields (``{value}``, ``{asset}``, ``{rule}``...) read as no fact."""
    rules = parse_rules(
        '[[rule]]\nname = "a"\nfact = "spillover.net_rates_dollar_to_crypto"\nop = ">"\n'
        'ref = "spillover.net_rates_dollar_to_crypto_p95_252d"\n'
        'summary = "{rule}: {value:.1f} on {as_of}, gauge dated {demand.gauge@date}"\n')
    named = rules.fact_names()
    assert named == {"spillover.net_rates_dollar_to_crypto",
                     "spillover.net_rates_dollar_to_crypto_p95_252d", "demand.gauge"}
    assert groups_named(named) == {"stress": False, "spillover": True, "demand": True}
    # a ref alone names its group: the stress percentile read against the gauge's
    ref = parse_rules('[[rule]]\nname = "b"\nfact = "btc.z_1d"\nop = "<"\n'
                      'ref = "eth.z_1d"\nsummary = "{stress.percentile@date}"\n').fact_names()
    assert ref == {"btc.z_1d", "eth.z_1d", "stress.percentile"}
