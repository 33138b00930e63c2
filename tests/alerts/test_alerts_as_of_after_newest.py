"""``alerts test --as-of`` and ``alerts facts --as-of`` refuse an evening after the newest data,
as every other command's --as-of does.

On the real store (newest data 2026-08-21) ``alerts test --as-of 2026-08-24 --json`` exited 0
and evaluated the 19 rules (data_as_of 2026-08-21, staleness counted to 08-24), while stress,
demand, spillover, risk, volatility and scenario ``--as-of 2026-08-24`` exited 2: "error:
--as-of 2026-08-24 is after the newest data (2026-08-21); leave it out for the latest data"
(h_sweep1).
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from _cut_store import cut_store
from spillwatch.cli import app as cli

pytestmark = pytest.mark.realdata
runner = CliRunner()


@pytest.fixture(scope="module")
def store(shared_data, tmp_path_factory):
    """The 10-year and the VIX of early 2024, by the project's import (newest: 2024-03-15)."""
    return cut_store(shared_data, tmp_path_factory.mktemp("newest"),
                     ["fred/DGS10.csv", "fred/VIXCLS.csv"],
                     first="2024-01-01", last="2024-03-15")


@pytest.mark.parametrize("args", [["stress"], ["alerts", "test"], ["alerts", "facts"]])
def test_an_evening_after_the_newest_data_is_refused_alike(store, args):
    res = runner.invoke(cli, [*args, "--as-of", "2024-03-18", "--db", str(store), "--json"])
    assert res.exit_code == 2, res.output
    assert ("error: --as-of 2024-03-18 is after the newest data (2024-03-15); leave it out for "
            "the latest data") in res.output
