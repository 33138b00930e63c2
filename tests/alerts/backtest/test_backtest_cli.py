"""``spillwatch backtest``: every episode with spillwatch's and each official index's lead, the
scores, and clear errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from spillwatch.alerts.backtest import load_episodes
from spillwatch.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def lagged_json(lagged_db):
    res = runner.invoke(app, ["backtest", "--db", str(lagged_db), "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_json_has_every_episode_with_each_lead_and_the_scores(lagged_json):
    doc = lagged_json
    shipped = [e.name for e in load_episodes()]
    assert [e["name"] for e in doc["episodes"]] == shipped
    comps = {"stlfsi4", "ofr_fsi", "ecb_ciss"}
    for e in doc["episodes"]:
        assert set(e["spillwatch"]) == {"covered", "first_alert", "lead_bdays", "hit",
                                        "lead_trigger_bdays", "already_on"}
        assert set(e["comparators"]) == comps
        for c in e["comparators"].values():
            assert "lead_bdays" in c and "spillwatch_lead_bdays" in c
    covered = [e for e in doc["episodes"] if e["spillwatch"]["covered"]]
    assert covered, "the lagged market covers the episodes of its years"
    scores = {s["signal"]: s for s in doc["scores"]}
    for k in ("spillwatch", *comps):
        assert {"auroc_5", "auroc_20", "false_alarms_per_year", "hit_rate"} <= set(scores[k])
    # the data-health rules (a feed past its limit) are not scored as warnings of the market:
    # stale_demand_inputs read "2 hits of 34, lead +21"
    assert set(doc["not_scored"]) == {"stale_data", "stale_demand_inputs"}
    assert "rule:stale_demand_inputs" not in scores
    assert doc["comparators_missing"] == []
    assert "Limits:" in doc["method"]
    for k in comps:
        assert f"median_lead_vs_{k}_bdays" in doc["headline"]


@pytest.mark.slow
def test_human_output_and_rule_firings(lagged_db):
    res = runner.invoke(app, ["backtest", "--db", str(lagged_db), "--start", "2024-01-01"])
    assert res.exit_code == 0, res.output
    assert "early-warning scorecard" in res.output and "lead time to the peak" in res.output
    # the figures with their 95% intervals, and how they are made
    assert "intervals in brackets are 95%: an AUROC's and a gap's by resampling years" in " ".join(
        res.output.split())
    wide = runner.invoke(app, ["backtest", "--db", str(lagged_db), "--start", "2024-01-01",
                               "--wide"], env={"COLUMNS": "400"})
    assert "hit rate 95%" in wide.output and "AUROC 20 common 95%" in wide.output
    # no stray space where an interval is undefined ("hit rate n/a of 0 , AUROC(20) n/a  on")
    assert " , " not in wide.output and "n/a  on" not in wide.output


@pytest.mark.slow
def test_an_end_past_the_data_is_said_not_cut_silently(lagged_db):
    """--end past the data's last date ran to that date without a word."""
    res = runner.invoke(app, ["backtest", "--db", str(lagged_db), "--start", "2024-06-01",
                              "--end", "2099-12-31"])
    assert res.exit_code == 0, res.output
    assert "note: the replay ends on" in res.output
    assert "--end 2099-12-31 is past it" in res.output.replace("\n", " ")


@pytest.mark.parametrize(("args", "needle"), [
    (["--start", "2024/01/01"], "is not a date written YYYY-MM-DD"),
    (["--start", "2024-02-01", "--end", "2024-01-01"],
     "--start 2024-02-01 is after --end 2024-01-01"),
    (["--start", "2099-01-01"], "--start is after the data's last date"),
    (["--end", "1950-01-01"], "--end is before the replay's first date"),
    (["--rules", "/nonexistent/rules.toml"], "no rule file at"),
    (["--episodes", "/nonexistent/episodes.toml"], "no episode file at"),
])
def test_errors(lagged_db, args, needle):
    res = runner.invoke(app, ["backtest", "--db", str(lagged_db), *args])
    assert res.exit_code == 2, res.output
    assert "error:" in res.output and needle in res.output


def test_bad_episode_file_names_its_line(lagged_db, tmp_path):
    p = tmp_path / "eps.toml"
    p.write_text('[[episode]]\nname = "x"\ntrigger = 2024-01-02\npeak = 2024-01-05\n'
                 'kind = "weather"\n')
    res = runner.invoke(app, ["backtest", "--db", str(lagged_db), "--episodes", str(p)])
    assert res.exit_code == 2
    assert f"{p}:5:" in res.output.replace("\n", "")
