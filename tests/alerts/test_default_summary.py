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
        "*.days_past_limit = 2 (rule: > 0) on 2026-11-28")
    assert out[("both", "")].summary == (
        "stress.regime = crisis (rule: >= 'elevated') on 2026-12-03; "
        "spillover.net_rates_dollar_to_crypto = 6.25 (rule: > 5 "
        "(spillover.net_rates_dollar_to_crypto_p95_252d)) on 2026-12-02")
