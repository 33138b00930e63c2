"""Human output prints data as written: brackets are not read as rich markup.

A rule's summary "10y [desk=rates] moved -1.4 bp" printed "10y  moved -1.4 bp" in `alerts
test`, and a file "prices[final].csv" lost its "[final]" in `import`'s table.
"""

from __future__ import annotations

from typer.testing import CliRunner

from spillwatch.cli import app

RULE = """
[[rule]]
name = "drop"
fact = "btc.chg_1d_pct"
op = "<="
value = -8
summary = "BTC [desk=crypto] {btc.chg_1d_pct:.1f}% [/]"
"""


def test_a_summary_with_brackets_prints_whole_in_the_dry_run(tmp_path):
    rules = tmp_path / "r.toml"
    rules.write_text(RULE.replace('value = -8', 'value = 1000'), encoding="utf-8")
    res = CliRunner().invoke(app, ["alerts", "test", "--rules", str(rules), "--demo"],
                             env={"COLUMNS": "250"})
    assert res.exit_code == 0, res.output
    assert "BTC [desk=crypto] " in res.stdout and "% [/]" in res.stdout


def test_a_file_name_with_brackets_prints_whole_in_import(tmp_path):
    f = tmp_path / "prices[final].csv"
    f.write_text("date,MYFUND\n2024-01-02,100\n2024-01-03,101\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["import", str(f), "--db", str(tmp_path / "s.duckdb")],
                             env={"COLUMNS": "250"})
    assert res.exit_code == 0, res.output
    assert "prices[final].csv" in res.stdout + res.stderr


def test_a_file_name_with_brackets_prints_whole_on_stderr(tmp_path):
    # --data's line on stderr ("<file>: read 2, stored 2, ...") comes from the error console:
    # with markup on there, "[final]" was read as a tag and dropped
    f = tmp_path / "prices[final].csv"
    f.write_text("date,MYFUND\n2024-01-02,100\n2024-01-03,101\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["alerts", "test", "--data", str(f)], env={"COLUMNS": "250"})
    assert res.exit_code == 0, res.output
    assert "prices[final].csv: read 2, stored 2, quarantined 0" in res.stderr
