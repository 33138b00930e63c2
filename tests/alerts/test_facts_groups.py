"""`alerts facts PATTERN` computes only the groups its patterns can name."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from spillwatch.alerts.facts import fact_groups, fact_kind
from spillwatch.cli import app


def _facts(*args: str) -> dict:
    res = CliRunner().invoke(app, ["alerts", "facts", *args, "--demo", "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout[res.stdout.index("{"):])


def test_the_groups_hold_only_names_a_rule_can_read():
    groups = fact_groups()
    assert set(groups) == {"stress", "spillover", "demand"}   # compute_facts' flags
    for g, names in groups.items():
        assert names and all(n.startswith(f"{g}.") for n in names)
        for n in names:
            fact_kind(n)                                        # a known fact, or it raises
    # the joint moves come from the two series whatever the stress flag
    assert not any(n.startswith("stress.signature_") for n in groups["stress"])


@pytest.mark.parametrize(("pattern", "stress"), [("btc.*", False), ("*.z_1d", False),
                                                  ("stress.regime", True), ("*", True)])
def test_an_asset_pattern_does_not_wait_for_the_stress_index(pattern, stress):
    """`facts 'btc.*'` computed the stress index, the spillover and the foreign-demand gauge
    (seconds on real data) to list bitcoin's numbers; it now reads only the asset facts, and
    a pattern that can name a stress fact still gets it."""
    got = _facts(pattern)
    names = {r["fact"] for r in got["rows"]}
    assert (got["stress_as_of"] is not None) is stress
    assert ("stress.regime" in names) is stress
    if pattern == "btc.*":
        assert names == {"btc.level", "btc.chg_1d_pct", "btc.chg_5d_pct", "btc.chg_20d_pct",
                         "btc.min_chg_1d_pct_5d", "btc.max_chg_1d_pct_5d", "btc.z_1d",
                         "btc.stale_bdays", "btc.days_past_limit"}


def test_a_dry_run_computes_the_groups_its_rules_read(tmp_path):
    """`alerts test --rules` on stress rules alone computed the spillover and the gauge too; a
    rule on a coin reads no group, one whose summary names a demand fact reads the gauge."""
    from spillwatch.alerts.rules import default_rules_text, parse_rules

    rules = tmp_path / "r.toml"
    rules.write_text('[[rule]]\nname = "coin"\nfact = "*.z_1d"\nop = "<="\nvalue = -4\n'
                     'match = { block = "crypto" }\n')
    res = CliRunner().invoke(app, ["alerts", "test", "--rules", str(rules), "--demo",
                                   "--json"])
    assert res.exit_code == 0, res.output
    got = json.loads(res.stdout[res.stdout.index("{"):])
    assert got["stress_as_of"] is None and {r["rule"] for r in got["rows"]} == {"coin"}
    named = parse_rules('[[rule]]\nname = "a"\nfact = "btc.chg_1d_pct"\nop = "<="\nvalue = -8\n'
                        'summary = "{btc.chg_1d_pct} with the gauge at {demand.percentile}"\n'
                        'renotify_on = "custody.chg_1w_usd_bn"\n').fact_names()
    assert named == {"btc.chg_1d_pct", "demand.percentile", "custody.chg_1w_usd_bn"}
    every = parse_rules(default_rules_text()).fact_names()
    assert {"stress.regime", "spillover.net_rates_dollar_to_crypto", "demand.percentile",
            "*.z_1d"} <= every
