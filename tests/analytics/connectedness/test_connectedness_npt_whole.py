"""The DY table's NPT row is a count of assets: it prints whole, in the terminal and the report.

``NPT`` (net pairwise transmission, Gabauer 2021) is how many other assets each one drives on
net. `spillwatch spillover` and the report's latest spillover table printed it "4.00" beside
the shares in percent (h_small2).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import spillwatch as sw
from spillwatch.cli import app
from spillwatch.report.format import table_html

COLUMNS = ["ust10y_bp", "usd_broad_pct", "btc_pct", "eth_pct"]


@pytest.fixture(scope="module")
def result():
    panel = sw.load("demo", assets=["ust10y", "usd_broad", "btc", "eth"])[COLUMNS].dropna()
    return sw.connectedness(panel.iloc[-400:], lags=2, horizon=10)


def _npt_line(text: str) -> list[str]:
    (line,) = [x for x in text.splitlines() if x.startswith("NPT")]
    return line.split()[1:]


def test_the_terminal_prints_npt_whole_and_the_shares_with_two_decimals(result):
    table = result.table()
    npt = table.loc["NPT", COLUMNS].to_numpy()
    assert np.array_equal(npt, np.round(npt)) and npt.sum() == 6    # 4 assets: 6 pairs
    text = str(result)                          # the summary the CLI prints
    cells = _npt_line(text)
    # it read "2.00", ...; its FROM cell, undefined, is blank as in the report (it read "NaN")
    assert cells == [f"{v:.0f}" for v in npt]
    # the other rows as before: two decimals, the columns as wide as pandas printed them; the
    # NET row's undefined FROM cell blank
    old = table.round(2).to_string().splitlines()
    new = text.splitlines()[1:len(old) + 1]
    assert [x for x in new if not x.startswith("NPT")] == [
        x.replace("NaN", "   ") if x.startswith("NET") else x
        for x in old if not x.startswith("NPT")]
    assert all(len(a) == len(b) for a, b in zip(new, old, strict=True))
    assert "NaN" not in text


def test_the_block_table_prints_no_nan_corner():
    # the block table's TO and NET rows have no FROM: "NaN" was printed in both
    panel = sw.load("demo", assets=["ust10y", "usd_broad", "btc", "eth"])[COLUMNS].dropna()
    blocks = sw.connectedness(panel.iloc[-300:], lags=1, horizon=5).blocks()
    text = str(blocks)
    rows = {line.split()[0]: line.split()[1:] for line in text.splitlines()
            if line.startswith(("TO ", "NET "))}
    table = blocks.table()
    assert rows == {r: [f"{v:.2f}" for v in table.loc[r].drop("FROM")] for r in ("TO", "NET")}
    assert "NaN" not in text


def test_the_report_table_prints_npt_whole(result):
    table = result.table()
    html = table_html(table, corner="to \\ from")
    (row,) = re.findall(r"<tr><td>NPT</td>(.*?)</tr>", html)
    cells = re.findall(r"<td>(.*?)</td>", row)
    assert cells == [str(int(v)) for v in table.loc["NPT", COLUMNS]] + [""]   # it read "2.00"
    (net,) = re.findall(r"<tr><td>NET</td>(.*?)</tr>", html)
    assert re.findall(r"<td>(.*?)</td>", net)[:len(COLUMNS)] == [
        f"{v:,.2f}" for v in table.loc["NET", COLUMNS]]


def test_a_count_named_row_with_a_fraction_keeps_its_decimals():
    frame = pd.DataFrame({"a": [1.5, 2.0], "b": [3.0, 4.0]}, index=["NPT", "n"])
    html = table_html(frame)
    assert "<tr><td>NPT</td><td>1.50</td><td>3.00</td></tr>" in html
    assert "<tr><td>n</td><td>2</td><td>4</td></tr>" in html


def test_spillover_command_prints_npt_whole():
    out = CliRunner().invoke(app, ["spillover", "--demo"], env={"COLUMNS": "400"})
    assert out.exit_code == 0, out.output
    cells = _npt_line(out.stdout.split("Latest table:")[1])
    assert len(cells) == 6 and all(re.fullmatch(r"\d+", c) for c in cells)   # no "NaN"
    assert sum(int(c) for c in cells) == 15          # 6 assets: 15 pairs


def test_only_the_undefined_corners_are_blank(result):
    """Blank is for the summary rows' undefined ``FROM`` cells alone: the TCI's two corners
    keep their numbers and a cell without a value elsewhere still says "NaN", not nothing
    (h_mut30: blanking every non-finite cell passed every test)."""
    from spillwatch.analytics.connectedness._blocks import table_text

    table = result.table().copy()
    table.loc["btc_pct", "eth_pct"] = np.nan               # a cell the table could not fill
    rows = {line.split()[0]: line.split()[1:] for line in table_text(table).splitlines()[2:]}
    assert rows["btc_pct"][COLUMNS.index("eth_pct")] == "NaN"
    assert rows["TO"][-1] == f"{table.at['TO', 'FROM']:.2f}"             # the TCI
    assert rows["Inc.Own"][-1] == f"{table.at['Inc.Own', 'FROM']:.2f}"   # corrected TCI
    assert len(rows["NET"]) == len(rows["NPT"]) == len(COLUMNS)          # FROM blank
