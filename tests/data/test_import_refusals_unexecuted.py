"""`import` refusals no test executed (h_cov2): exit 2, `error: …` naming the file or option.

A folder without a .csv file, a column given to ``--map`` twice and a mapping file whose
``[columns]`` are not tables were refused with these words, but no test ran them. Nothing is
imported: the store gains no series.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app
from spillwatch.store import Store

runner = CliRunner()


@pytest.mark.parametrize(("files", "args", "says"), [
    ({"in/readme.txt": "hi\n"}, ["in"], "in: no .csv file in this folder"),
    ({}, ["two.csv", "--map", "A=csv:X", "--map", " A=csv:Y"],
     "error: --map: column 'A' is mapped twice"),
    ({"m.toml": "columns = 5\n"}, ["two.csv", "--mapping", "m.toml"],
     "error: m.toml: 'columns' must be a table of [columns.NAME] tables"),
    ({"m.toml": "[columns]\nA = 5\n"}, ["two.csv", "--mapping", "m.toml"],
     "error: m.toml: [columns.A] must be a table"),
    ({"m.toml": '[columns.A]\nseries_id = "csv:AA"\n[columns.B]\nbogus = 1\n'},
     ["two.csv", "--mapping", "m.toml"],
     "error: m.toml: [columns.B] unknown key(s) ['bogus']; allowed: ['block', 'frequency', "
     "'name', 'positive', 'series_id', 'unit']"),
])
def test_an_import_refused_names_what_and_where(tmp_path, monkeypatch, files, args, says):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "two.csv").write_text("date,A,B\n2024-01-02,1,2\n2024-01-03,3,4\n")
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text)
    res = runner.invoke(app, ["import", *args, "--db", "s.duckdb"])
    assert res.exit_code == 2, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert res.stderr.startswith("error: ") and says in " ".join(res.stderr.split())
    if (tmp_path / "s.duckdb").exists():
        with Store(tmp_path / "s.duckdb", read_only=True) as store:
            assert store.series().empty
