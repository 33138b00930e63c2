"""A ``--map`` naming a column the file lacks is said, also when other mapped columns are found.

With none of the mapped columns in the header the import is refused ("mapped column 'X' not in
the header"); with one found and one misspelt (``--map OTHR=csv:OTHER``), the misspelt one
imported nothing, exit 0, and the report said nothing of it (found by fuzzing the import
options).
"""

from __future__ import annotations

import json

from typer.testing import CliRunner

from spillwatch.cli import app

runner = CliRunner()
TEXT = "when,MYFUND,OTHER\n2025-01-02,100.5,3\n2025-01-03,101.25,4\n"


def test_a_mapped_column_not_in_the_header_is_noted(tmp_path):
    f = tmp_path / "fund.csv"
    f.write_text(TEXT)
    res = runner.invoke(app, ["import", str(f), "--date-column", "when",
                              "--map", "MYFUND=csv:MYFUND", "--map", "OTHR=csv:OTHER",
                              "--db", str(tmp_path / "s.duckdb"), "--json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)["files"][0]
    assert (report["read"], report["stored"]) == (2, 2)      # MYFUND's two values
    assert "mapped column 'OTHR' not in the header: nothing imported into csv:OTHER" in (
        report["notes"])
    assert "column 'OTHER' not mapped: skipped" in report["notes"]


def test_a_file_with_every_mapped_column_is_not_noted(tmp_path):
    f = tmp_path / "fund.csv"
    f.write_text(TEXT)
    res = runner.invoke(app, ["import", str(f), "--date-column", "when",
                              "--map", "MYFUND=csv:MYFUND", "--map", "OTHER=csv:OTHER",
                              "--db", str(tmp_path / "s.duckdb"), "--json"])
    assert res.exit_code == 0, res.output
    assert not [n for n in json.loads(res.stdout)["files"][0]["notes"] if "mapped" in n]
