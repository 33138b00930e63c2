"""``spillwatch backtest`` replays the monitor's rules: the rule file's and those added through
the API.

What was wrong: ``--rules``' help said "default: the monitor's rules", and the monitor and
``alerts test`` run the file's rules with the API's, but the replay read the file alone: a desk's
rule added on the server (``POST /api/alerts/rules``) fired in ``alerts test --as-of`` and was
missing from the scorecard, with no word of it.
"""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from spillwatch.alerts.admin import AlertAdmin
from spillwatch.alerts.rules import default_rules_text
from spillwatch.alerts.schema import RuleSpec
from spillwatch.cli import app
from spillwatch.store import Store

runner = CliRunner()

RULE = RuleSpec(name="desk_ust10y_rise", fact="ust10y.chg_1d_bp", op=">", value=8,
                severity="warning", summary="10-year up {value:.0f} bp")


def _backtest(*args: str) -> dict:
    res = runner.invoke(app, ["backtest", "--start", "2024-01-01", "--json", *args])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def _firings(doc: dict, rule: str) -> list[tuple[str, str | None]]:
    return [(f["fired"], f["resolved"]) for f in doc["firings"] if f["rule"] == rule]


@pytest.mark.slow
def test_the_replay_scores_the_rules_added_through_the_api(lagged_db, tmp_path):
    db = tmp_path / "desk.duckdb"
    shutil.copyfile(lagged_db, db)
    with Store(db) as store:
        AlertAdmin(store).add_rule(RULE)
    # the same rule written into the rule file after the packaged ones
    file = tmp_path / "rules.toml"
    file.write_text(default_rules_text() + "\n" + RULE.toml(), encoding="utf-8")
    by_file = _backtest("--db", str(lagged_db), "--rules", str(file))
    assert _firings(by_file, RULE.name), "the rule fires in the lagged market"

    doc = _backtest("--db", str(db))
    assert doc["settings"]["rules"] == "<default rules> + API rules"
    assert f"rule:{RULE.name}" in doc["signals"]
    assert _firings(doc, RULE.name) == _firings(by_file, RULE.name)
    # the rules of the file are replayed as before
    plain = _backtest("--db", str(lagged_db))
    assert plain["settings"]["rules"] == "<default rules>"
    assert f"rule:{RULE.name}" not in plain["signals"]
    assert [f for f in doc["firings"] if f["rule"] != RULE.name] == plain["firings"]


def test_the_help_says_which_rules_are_replayed():
    res = runner.invoke(app, ["backtest", "--help"], env={"COLUMNS": "300"})
    assert res.exit_code == 0
    text = " ".join(res.output.replace("│", " ").split())
    assert "the monitor's rules" not in text
    assert ("default: $SPILLWATCH_RULES, else the packaged rules), with the rules added "
            "through the API, as the monitor runs them") in text
