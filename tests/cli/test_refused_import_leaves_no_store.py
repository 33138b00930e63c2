"""A refused first import leaves no store behind (h_fuzz4).

A malformed file imported into a new `--db` (or read with `--data FILE --db NEW`) left a store
holding only its run log's error: the next command said "the stress index needs the 10-year
yield (ust10y), which store … lacks" instead of "no store at … yet: fill it with `spillwatch
import PATH`", as a missing path already leaves none.
"""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app

runner = CliRunner()


@pytest.mark.slow   # four CLI runs, ~4 s
def test_a_refused_import_into_a_new_store_leaves_no_file(tmp_path: Path):
    bad = tmp_path / "bad.csv"
    bad.write_text("date,a,a\n2024-01-02,1,2\n")
    db = tmp_path / "new.duckdb"
    res = runner.invoke(app, ["import", str(bad), "--db", str(db)])
    assert res.exit_code == 2 and "column 'a' appears twice in the header" in res.stderr
    res = runner.invoke(app, ["stress", "--data", str(bad), "--db", str(db)])
    assert res.exit_code == 2 and "column 'a' appears twice in the header" in res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv"]
    res = runner.invoke(app, ["stress", "--db", str(db)])
    assert res.exit_code == 2 and f"no store at {db} yet" in res.stderr


@pytest.mark.slow   # two CLI runs on a store file, ~3 s
def test_a_folder_with_one_file_stored_keeps_its_store(tmp_path: Path):
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "bad.csv").write_text("date,a,a\n2024-01-02,1,2\n")
    (folder / "good.csv").write_text("date,x\n2024-01-02,1.5\n")
    db = tmp_path / "new.duckdb"
    res = runner.invoke(app, ["import", str(folder), "--db", str(db)])
    assert res.exit_code == 2 and "1 of 2 file(s) were not imported" in res.stderr
    assert db.exists()
    res = runner.invoke(app, ["data", "health", "--db", str(db), "--json"])
    assert res.exit_code == 0 and "csv:good.x" in res.stdout
