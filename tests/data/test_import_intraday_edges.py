"""Edges of the whole-file intraday refusal and of the mapped-column note (h_mut9).

* the refusal names the line of the first dated row (a blank date on the first row is not it);
* a daily file giving every date twice (a duplicated export) is no intraday file: the refusal
  counts distinct times of day, not rows;
* every mapped column missing from the header is said, not only the first.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app
from spillwatch.data.ingest import import_path
from spillwatch.exceptions import ImportFileError

runner = CliRunner()


def test_the_refusal_names_the_first_dated_line(store, tmp_path):
    f = tmp_path / "hourly.csv"
    f.write_text("time,price\n,5\n2024-01-01 09:00,1\n2024-01-01 16:00,2\n"
                 "2024-01-02 09:00,3\n2024-01-02 16:00,4\n")
    with pytest.raises(ImportFileError, match=r"hourly\.csv:3: every date has several times"):
        import_path(f, store)


def test_every_date_given_twice_at_midnight_is_not_intraday(store, tmp_path):
    f = tmp_path / "twice.csv"
    f.write_text("date,A\n2024-01-01,5\n2024-01-01,5\n2024-01-02,6\n2024-01-02,6\n")
    try:
        import_path(f, store)
    except ImportFileError as exc:          # whatever else it says, not "intraday"
        assert "several times of day" not in str(exc)


def test_every_missing_mapped_column_is_said(tmp_path):
    f = tmp_path / "fund.csv"
    f.write_text("when,MYFUND,OTHER\n2025-01-02,100.5,3\n2025-01-03,101.25,4\n")
    res = runner.invoke(app, ["import", str(f), "--date-column", "when",
                              "--map", "MYFUND=csv:MYFUND", "--map", "OTHR=csv:OTHER",
                              "--map", "THIRD=csv:THIRD",
                              "--db", str(tmp_path / "s.duckdb"), "--json"])
    assert res.exit_code == 0, res.output
    notes = json.loads(res.stdout)["files"][0]["notes"]
    assert "mapped column 'OTHR' not in the header: nothing imported into csv:OTHER" in notes
    assert "mapped column 'THIRD' not in the header: nothing imported into csv:THIRD" in notes
