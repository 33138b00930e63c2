"""A rule without a summary says each condition's value, threshold and date."""

from __future__ import annotations

import datetime as dt

from spillwatch.alerts.facts import Fact, FactSet
from spillwatch.alerts.rules import parse_rules

RULES = """
[[rule]]
name = "ust10y_jump"
fact = "ust10y.chg_1d_bp"
op = ">="
value = 15

[[rule]]
name = "stale"
fact = "*.days_past_limit"
op = ">"
value = 0

[[rule]]
name = "both"
when = [{ fact = "stress.regime", op = ">=", value = "elevated" },
        { fact = "SPILL", op = ">", ref = "SPILL_p95_252d" }]
""".replace("SPILL", "spillover.net_rates_dollar_to_crypto")


def test_the_default_summary_gives_value_threshold_and_date():
    """Without a summary the alert read "ust10y.chg_1d_bp >= 15.0": the monitor's console and
    Slack text of a 10-year up 20 bp on 2026-12-03 said neither +20 nor the day."""
    day = dt.date(2026, 12, 3)
    fs = FactSet([Fact("ust10y.chg_1d_bp", 20.0, day),
                  Fact("btc.days_past_limit", 2.0, dt.date(2026, 11, 28),
                       labels={"asset": "btc"}),
                  Fact("stress.regime", "crisis", day),
                  Fact("spillover.net_rates_dollar_to_crypto", 6.25, dt.date(2026, 12, 2)),
                  Fact("spillover.net_rates_dollar_to_crypto_p95_252d", 5.0,
                       dt.date(2026, 12, 2))])
    out = {(e.rule, e.key): e for r in parse_rules(RULES).rules for e in r.evaluate(fs)}
    assert out[("ust10y_jump", "")].active is True
    assert out[("ust10y_jump", "")].summary == (
        "ust10y.chg_1d_bp = 20 (rule: >= 15) on 2026-12-03")
    assert out[("stale", "btc")].summary == (
        "btc.days_past_limit = 2 (rule: > 0) on 2026-11-28")
    assert out[("both", "")].summary == (
        "stress.regime = crisis (rule: >= 'elevated') on 2026-12-03; "
        "spillover.net_rates_dollar_to_crypto = 6.25 (rule: > 5 "
        "(spillover.net_rates_dollar_to_crypto_p95_252d)) on 2026-12-02")


def test_a_wildcard_rule_s_default_summary_names_its_series():
    """A rule on ``*.chg_5d_pct`` without a summary read "*.chg_5d_pct = 8.224 (rule: >
    1.262 (spx.chg_5d_pct))": the notice's line gives the rule's name, not the asset, so a
    desk could not tell which series fired (``alerts test`` printed "not met:
    gold.chg_5d_pct = …" for the others)."""
    rules = parse_rules("""
[[rule]]
name = "beats_spx"
fact = "*.chg_5d_pct"
op = ">"
ref = "spx.chg_5d_pct"
""")
    day = dt.date(2024, 5, 6)
    fs = FactSet([Fact("btc.chg_5d_pct", 8.224, day, labels={"asset": "btc"}),
                  Fact("spx.chg_5d_pct", 1.262, day, labels={"asset": "spx"})])
    out = {e.key: e for r in rules.rules for e in r.evaluate(fs)}
    assert out["btc"].active is True
    assert out["btc"].summary == (
        "btc.chg_5d_pct = 8.224 (rule: > 1.262 (spx.chg_5d_pct)) on 2024-05-06")
    assert "*" not in out["btc"].summary
