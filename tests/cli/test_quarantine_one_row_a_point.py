"""``data quarantine`` lists a rejected point once, however many file paths rejected it.

The store keeps a quarantine row per file path (a fix of one file tidies its own rows), so a
desk importing a dated folder each evening saw the same points listed again for every folder
(h_live1: 4,029 rows for 237 custody zeros after 17 evenings) where ``data health`` counts
each point once.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app

runner = CliRunner()


def _invoke(*args: str) -> dict:
    res = runner.invoke(app, [*args, "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


@pytest.mark.slow
def test_a_point_rejected_from_two_folders_is_one_row_naming_the_newest(tmp_path):
    db = str(tmp_path / "s.duckdb")
    paths = []
    for day in ("2024-01-03", "2024-01-04"):
        folder = tmp_path / day
        folder.mkdir()
        f = folder / "a.csv"
        rows = "date,A\n2024-01-01,1\n2024-01-02,x\n2024-01-03,3\n"
        f.write_text(rows + ("2024-01-04,y\n" if day == "2024-01-04" else ""), "utf-8")
        _invoke("import", str(f), "--db", db)
        paths.append(str(f.resolve()))
    rows = _invoke("data", "quarantine", "--db", db)["rows"]
    # 'x' of 2024-01-02 rejected from both paths: once, from the newest, two files; 'y' once
    got = [(r["raw_date"], r["raw_value"], r["source"], r["line"], r["files"]) for r in rows]
    assert sorted(got) == [("2024-01-02", "x", paths[1], 3, 2),
                           ("2024-01-04", "y", paths[1], 5, 1)]
    # as `data health` counts them
    health = _invoke("data", "health", "--db", db)["rows"]
    assert [h["quarantined"] for h in health if h["series_id"] == "csv:A"] == [2]
    # one series asked for: the same rows
    assert _invoke("data", "quarantine", "--db", db, "--series", "csv:A")["rows"] == rows
