"""Each command's ``--help`` says what the command does.

What was wrong: ``report --help`` gave the Chromium default as "chromium on PATH or
/usr/bin/chromium" while ``$SPILLWATCH_CHROMIUM`` comes first (a stale one refuses ``--pdf``
with Chromium on the PATH); ``spillwatch --help`` said ``import`` reports "read / stored /
unchanged / quarantined", leaving out the revised points its count closes on; ``alerts facts
--help`` told the history of the command ("their full list was in a module docstring only, so a
desk wrote rules by guessing the names") and it and ``alerts silence --help`` showed
reStructuredText's double backquotes to the reader.
"""

from __future__ import annotations

import json

import click
import pytest
import typer.main
from typer.testing import CliRunner

from spillwatch.cli import app

runner = CliRunner()


def _help(*args: str) -> str:
    res = runner.invoke(app, [*args, "--help"], env={"COLUMNS": "300"})
    assert res.exit_code == 0, res.output
    return " ".join(res.output.replace("│", " ").split())


def _commands() -> list[tuple[str, ...]]:
    top: click.Group = typer.main.get_command(app)      # type: ignore[assignment]
    out = []
    for name, cmd in top.commands.items():
        out.append((name,))
        out += [(name, sub) for sub in getattr(cmd, "commands", {})]
    return out


@pytest.mark.slow
def test_no_help_shows_restructuredtext_quotes():
    shown = {" ".join(c): _help(*c) for c in _commands()}
    assert len(shown) > 20
    assert [c for c, text in shown.items() if "``" in text] == []
    assert "module docstring" not in shown["alerts facts"]


def test_report_help_names_the_chromium_it_reads_first(tmp_path):
    text = _help("report")
    assert "default: $SPILLWATCH_CHROMIUM, else chromium on PATH or /usr/bin/chromium" in text
    # and it does come first: a stale one refuses the PDF before the report is built
    res = runner.invoke(app, ["report", "--demo", "--pdf", "--out", str(tmp_path)],
                        env={"SPILLWATCH_CHROMIUM": str(tmp_path / "no-chromium")})
    assert res.exit_code == 2
    assert f"SPILLWATCH_CHROMIUM {tmp_path / 'no-chromium'}: no such file" in res.output
    assert not (tmp_path / "report.html").exists()


def test_import_summary_names_the_revised_points(tmp_path):
    assert "report read/stored/unchanged/revised/quarantined" in _help()
    f, db = tmp_path / "a.csv", tmp_path / "s.duckdb"
    counts = []
    for first in ("1", "1.5"):
        f.write_text(f"date,a\n2024-01-02,{first}\n2024-01-03,2\n", encoding="utf-8")
        res = runner.invoke(app, ["import", str(f), "--db", str(db), "--json"])
        assert res.exit_code == 0, res.output
        counts.append(json.loads(res.stdout)["totals"])
    assert [counts[1][k] for k in ("read", "stored", "unchanged", "revised", "quarantined")] \
        == [2, 0, 1, 1, 0]
