"""README's dollar-book figures are what `risk --portfolio` gives on ../shared/data.

What was wrong: README said a Japanese insurer's $2bn of 10-year Treasuries with $2bn of USD/JPY
sold "reads a larger dollar VaR than unhedged: $56.0m against $29.7m at 99%", naming no command;
neither `risk --portfolio` (historical $50.2m against $20.8m, FHS $40.0m against $15.0m, t $39.5m
against $15.2m) nor a preset scenario (japan-10pct: $319m against $170m) prints those figures,
nor did `risk --portfolio` on the commit that wrote them. README now names the command and gives
its figures.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.realdata
def test_readme_insurer_book_var_is_what_risk_portfolio_gives(real_db, tmp_path):
    text = " ".join(README.read_text("utf-8").split())
    said = re.search(r"`risk --portfolio` gives \$([\d.]+)m against \$([\d.]+)m at 99% "
                     r"\(historical, the last 500 days of \.\./shared/data\)", text)
    assert said, "README no longer states the figures this test checks"
    got = []
    for name, lines in (("hedged", "ust10y,2e9\nusdjpy,-2e9\n"), ("unhedged", "ust10y,2e9\n")):
        book = tmp_path / f"{name}.csv"
        book.write_text("asset,notional_usd\n" + lines)
        res = CliRunner().invoke(app, ["risk", "--db", str(real_db), "--portfolio", str(book),
                                       "--level", "0.99", "--methods", "historical",
                                       "--no-backtest", "--json"])
        assert res.exit_code == 0, res.output
        book_doc = json.loads(res.stdout)["summary"]["book"]
        assert book_doc["window"] == 500
        got.append(book_doc["methods"]["historical"]["var_usd"] / 1e6)
    assert got == pytest.approx([float(said.group(1)), float(said.group(2))], abs=0.05), got
    assert got[0] > got[1]          # the yen line adds risk to a dollar book
