"""The default book's note, and risk's and the correlation's, say why a position is left out.

"$950,000: the default $1m book without trump (not in the data, or too little of it by then)"
left the trader to guess which, beside a chart of TRUMP on that date: on 2025-03-10 (demo)
TRUMP has 35 days of changes where the model needs 125; on 2024-06-03 its figures begin later;
in a store without it, it is not in the data. The CLI, the API's headline, the report and
`run`'s headline read the one note (``service.scenarios.book_note``).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from spillwatch.cli import app as cli

pytestmark = pytest.mark.slow     # a market fit per evening (about 3 s each)
runner = CliRunner()


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store the demo was written into by ``stress --demo --db``, once for the module: each
    test deletes rows of its own copy (:func:`_copy`), never of this one."""
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    res = runner.invoke(cli, ["stress", "--demo", "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    return db


def _copy(demo_store: Path, tmp_path: Path) -> Path:
    return Path(shutil.copyfile(demo_store, tmp_path / "demo.duckdb"))


def _note(*args: str) -> str:
    res = runner.invoke(cli, ["scenario", "japan-10pct", "--paths", "200", "--no-alone",
                              "--json", *args])
    assert res.exit_code == 0, res.output
    return json.loads(res.output)["book_note"]


def test_too_little_history_by_then():
    assert _note("--demo", "--as-of", "2025-03-10") == (
        "$950,000: the default $1m book without trump (too little history by then: trump 35 "
        "days of changes, the model needs 125)")


def test_figures_that_begin_later_and_none_in_the_store(demo_store, tmp_path):
    db = _copy(demo_store, tmp_path)
    assert _note("--db", str(db), "--as-of", "2024-06-03") == (
        "$950,000: the default $1m book without trump (the store's figures of it begin "
        "later: trump 2025-01-20)")
    # the store's file without the token's figures (no project code: the table's rows)
    with duckdb.connect(str(db)) as con:
        con.execute("DELETE FROM observations WHERE series_id = 'demo:trump'")
    assert _note("--db", str(db), "--as-of", "2024-06-03") == (
        "$950,000: the default $1m book without trump (not in the data published by then)")
    assert _note("--db", str(db), "--as-of", "2025-03-10") == (
        "$950,000: the default $1m book without trump (not in the data published by then)")


def test_risk_and_correlation_notes_say_when_the_figures_begin():
    """`risk` said "without trump (… holds no data of it)" and `volatility` "trump_pct left
    out of the joint estimation: no data in …" of a store whose TRUMP begins later."""
    later = "the store's figures of it begin later: trump 2025-01-20"
    res = runner.invoke(cli, ["risk", "--demo", "--as-of", "2024-06-03", "--json"])
    assert res.exit_code == 0, res.output
    assert ("without trump (demo market (simulated) as published by 2024-06-03 holds no data "
            f"of it; {later})") in json.loads(res.output)["notes"]
    res = runner.invoke(cli, ["volatility", "--demo", "--as-of", "2024-06-03", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["correlation"]["left_out"]["trump_pct"] == (
        f"no data in demo market (simulated) as published by 2024-06-03; {later}")
    # today's data: no evening, nothing begins later
    res = runner.invoke(cli, ["volatility", "--demo", "--json"])
    assert res.exit_code == 0, res.output
    assert "trump_pct" not in json.loads(res.output)["correlation"]["left_out"]


def test_two_reasons_and_a_short_asset_on_the_latest_data(demo_store, tmp_path):
    """Each reason said apart ("; "), and on the latest data an asset too short is not also
    called "not in the data" (h_mut16): the demo without its gold, then without TRUMP's
    figures after 2025-03-10."""
    db = _copy(demo_store, tmp_path)
    with duckdb.connect(str(db)) as con:
        con.execute("DELETE FROM observations WHERE series_id = 'demo:gold'")
    # TRUMP from 2025-01-20: 35 business days of changes by 2025-03-10 (01-21 to 03-10)
    assert _note("--db", str(db), "--as-of", "2025-03-10") == (
        "$850,000: the default $1m book without gold, trump (too little history by then: trump "
        "35 days of changes, the model needs 125; gold: not in the data published by then)")
    with duckdb.connect(str(db)) as con:
        con.execute("DELETE FROM observations WHERE series_id = 'demo:trump' "
                    "AND ts > '2025-03-10'")
    # (on the latest data no evening was asked for: "too little history", not "by then")
    assert _note("--db", str(db)) == (
        "$850,000: the default $1m book without gold, trump (too little history: trump 35 days "
        "of changes, the model needs 125; gold: not in the data)")
