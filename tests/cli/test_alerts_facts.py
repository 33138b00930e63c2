"""``spillwatch alerts facts``: the facts a rule can name, with their values and dates.

The names were in a module docstring only; a desk wrote ``usdjpy.chg_1d_pct`` for the yen's
intervention day and learnt from a backtest that it reads the last day of the H.10 week.
"""

from __future__ import annotations

import json

import pytest

from spillwatch.alerts.rules import parse_rules
from spillwatch.cli import main


def run(args: list[str], capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(args)
    got = capsys.readouterr()
    return int(exc.value.code or 0), got.out, got.err


@pytest.mark.realdata
def test_the_yen_s_facts_on_the_evening_after_the_intervention_week(real_db, capsys):
    """As of Monday 2024-05-06 the H.10 week to Friday 05-03 is out: its worst day is the
    Thursday of the intervention (fred/DEXJPUS 157.65 -> 153.77, -2.46%) and the last day's
    change is Friday's (153.77 -> 152.85, -0.60%), both dated 05-03, not the Monday."""
    code, out, err = run(["alerts", "facts", "usdjpy.*", "--db", str(real_db),
                          "--as-of", "2024-05-06", "--json"], capsys)
    assert code == 0, err
    rows = {r["fact"]: r for r in json.loads(out)["rows"]}
    assert set(rows) >= {"usdjpy.level", "usdjpy.chg_1d_pct", "usdjpy.min_chg_1d_pct_5d",
                         "usdjpy.stale_bdays"}
    assert all(n.startswith("usdjpy.") for n in rows)
    assert rows["usdjpy.min_chg_1d_pct_5d"]["value"] == pytest.approx(
        100 * (153.77 / 157.65 - 1), abs=1e-6)
    assert rows["usdjpy.chg_1d_pct"]["value"] == pytest.approx(100 * (152.85 / 153.77 - 1),
                                                               abs=1e-6)
    assert {rows[n]["date"] for n in ("usdjpy.chg_1d_pct", "usdjpy.min_chg_1d_pct_5d")} == {
        "2024-05-03"}
    assert rows["usdjpy.chg_1d_pct"]["unit"] == "pct"


def test_every_listed_fact_can_be_named_in_a_rule(tmp_path, capsys):
    """Each name the command lists parses in a rule, with a value of its kind."""
    code, out, err = run(["alerts", "facts", "--demo", "--json"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["simulated"] is True
    rows = doc["rows"]
    assert len(rows) > 100
    for r in rows:
        if r["kind"].startswith("ordered"):
            value = '"' + r["kind"].split(": ")[1].split(" < ")[0] + '"'
        elif r["kind"].startswith(("category", "text")):
            continue   # the value must be one of its levels; a free text has none
        else:
            value = "0"
        text = f'[[rule]]\nname = "x"\nfact = "{r["fact"]}"\nop = ">="\nvalue = {value}\n'
        assert len(parse_rules(text, path="t.toml").rules) == 1, r["fact"]
    regime = next(r for r in rows if r["fact"] == "stress.regime")
    assert regime["kind"] == "ordered: calm < elevated < crisis"


def test_a_pattern_that_matches_nothing_is_an_error(capsys):
    code, _, err = run(["alerts", "facts", "usdjyp.*", "--demo"], capsys)
    assert code == 2
    assert "error: no fact matches 'usdjyp.*'" in err
