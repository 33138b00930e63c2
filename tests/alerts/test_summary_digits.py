"""A rule's default summary never prints a comparison that does not hold as printed.

Four significant figures rounded a value onto its rule's threshold: a rule file's
``custody.level > 2433`` fired on 2,433.41 and read "custody.level = 2433 (rule: > 2433)",
``btc.level > 145600`` on 145,636.90 "btc.level = 1.456e+05 (rule: > 145600)".
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from spillwatch.alerts.facts import Fact, FactSet
from spillwatch.alerts.rules import parse_rules
from spillwatch.cli import app

DAY = dt.date(2026, 10, 28)


def _summaries(rules: str, facts: list[Fact]) -> dict[tuple[str, str], str]:
    fs = FactSet(facts)
    return {(e.rule, e.key): e.summary for r in parse_rules(rules).rules
            for e in r.evaluate(fs)}


def test_a_value_rounded_onto_its_threshold_gets_the_digits_that_tell_them_apart():
    out = _summaries("""
[[rule]]
name = "custody_over"
fact = "custody.level"
op = ">"
value = 2433

[[rule]]
name = "btc_over"
fact = "btc.level"
op = ">"
value = 145600

[[rule]]
name = "eth_under"
fact = "eth.level"
op = "<"
value = 3174

[[rule]]
name = "band"
when = [{ fact = "custody.level", op = ">", value = 2433.4 },
        { fact = "custody.level", op = "<", value = 2433.5 }]
""", [Fact("custody.level", 2433.409960035926, DAY),
      Fact("btc.level", 145636.8964596283, DAY),
      Fact("eth.level", 3173.639744417807, DAY)])
    assert out[("custody_over", "")] == "custody.level = 2433.4 (rule: > 2433) on 2026-10-28"
    assert out[("btc_over", "")] == "btc.level = 145637 (rule: > 145600) on 2026-10-28"
    assert out[("eth_under", "")] == "eth.level = 3173.6 (rule: < 3174) on 2026-10-28"
    # one value against two thresholds: the digits that keep both, the same in each part
    assert out[("band", "")] == ("custody.level = 2433.41 (rule: > 2433.4) on 2026-10-28; "
                                 "custody.level = 2433.41 (rule: < 2433.5) on 2026-10-28")


def test_a_value_its_four_figures_keep_apart_reads_as_before():
    out = _summaries("""
[[rule]]
name = "custody_over"
fact = "custody.level"
op = ">"
value = 2000

[[rule]]
name = "jump"
fact = "ust10y.chg_1d_bp"
op = ">="
value = 15
""", [Fact("custody.level", 2433.409960035926, DAY), Fact("ust10y.chg_1d_bp", 15.0, DAY)])
    assert out[("custody_over", "")] == "custody.level = 2433 (rule: > 2000) on 2026-10-28"
    # equal to its threshold is printed equal (>= holds)
    assert out[("jump", "")] == "ust10y.chg_1d_bp = 15 (rule: >= 15) on 2026-10-28"


def test_two_facts_compared_print_digits_enough_to_be_ordered_as_they_are():
    """``*.chg_5d_pct > spx.chg_5d_pct`` with 1.26234 against 1.26201 read "1.262 (rule: >
    1.262 (spx.chg_5d_pct))"."""
    out = _summaries("""
[[rule]]
name = "beats_spx"
fact = "*.chg_5d_pct"
op = ">"
ref = "spx.chg_5d_pct"
""", [Fact("btc.chg_5d_pct", 1.26234, DAY, labels={"asset": "btc"}),
      Fact("eth.chg_5d_pct", 1.26101, DAY, labels={"asset": "eth"}),
      Fact("spx.chg_5d_pct", 1.26201, DAY, labels={"asset": "spx"})])
    assert out[("beats_spx", "btc")] == (
        "btc.chg_5d_pct = 1.2623 (rule: > 1.2620 (spx.chg_5d_pct)) on 2026-10-28")
    assert out[("beats_spx", "eth")] == (
        "eth.chg_5d_pct = 1.261 (rule: > 1.262 (spx.chg_5d_pct)) on 2026-10-28")


@pytest.mark.parametrize(("value", "thresholds", "refs", "text"), [
    (2433.409960035926, (2433.0,), (), "2433.4"),
    (2432.6, (2433.0,), (), "2432.6"),          # under its threshold: not printed on it
    (145636.8964596283, (), (), "145637"),      # a level of 10,000 or more printed whole
    (-145636.8964596283, (-145600.0,), (), "-145637"),
    (0.000123456, (0.0001235,), (), "0.00012346"),
    (1.0000004e-7, (1e-7,), (), "0.00000010000004"),
    (3.5, (), (), "3.5"),
    (float("nan"), (1.0,), (), "nan"),
])
def test_shown(value, thresholds, refs, text):
    from spillwatch.alerts.rules import shown  # new with the fix: the other tests run without
    assert shown(value, thresholds, refs) == text


@pytest.mark.slow
def test_alerts_test_prints_the_digits_in_its_table_and_its_not_met_lines(tmp_path):
    """``alerts test``'s value column and "not met" lines print as the summaries do; the
    rule's own threshold as written (``< 2433.41`` read "< 2433")."""
    runner = CliRunner()
    res = runner.invoke(app, ["alerts", "facts", "--demo", "--json", "custody.level"])
    assert res.exit_code == 0, res.output
    rows = {r["fact"]: r["value"] for r in json.loads(res.stdout)["rows"]}
    level = rows["custody.level"]
    below = float(f"{level:.4g}")            # what four figures print of the level
    if below >= level:
        below -= 1e-4 * abs(level)
    rules = tmp_path / "r.toml"
    rules.write_text(f"""
[[rule]]
name = "over"
fact = "custody.level"
op = ">"
value = {below!r}

[[rule]]
name = "never"
fact = "custody.level"
op = "<"
value = {below!r}
""")
    res = runner.invoke(app, ["alerts", "test", "--demo", "--rules", str(rules), "--json"])
    assert res.exit_code == 0, res.output
    doc = {r["rule"]: r for r in json.loads(res.stdout)["rows"]}
    over, never = doc["over"]["summary"], doc["never"]["summary"]
    shown_over = over.split(" = ", 1)[1].split(" ", 1)[0]
    assert float(shown_over) > below, over
    assert never.startswith(f"not met: custody.level = {shown_over} (rule: < {below:g})")
    res = runner.invoke(app, ["alerts", "test", "--demo", "--rules", str(rules)],
                        env={"COLUMNS": "250"})
    assert res.exit_code == 0, res.output
    line = next(ln for ln in res.stdout.splitlines() if "│ over" in ln)
    assert f"│ {shown_over} " in line, line
