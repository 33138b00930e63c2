"""`demand --as-of 2015-07-08` on SAFE's real first month (holdings/china_fx_reserves_safe.csv
begins with 2015-06-30, out 2015-07-08): the note says it is the store's first month, not a
month SAFE did not report (h_verify22)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from _cut_store import cut_store
from spillwatch.cli import app as cli

pytestmark = pytest.mark.realdata
runner = CliRunner()


@pytest.fixture(scope="module")
def store(shared_data, tmp_path_factory):
    return cut_store(shared_data, tmp_path_factory.mktemp("safe1"),
                     ["holdings/china_fx_reserves_safe.csv", "tic/major_foreign_holders.csv",
                      "fred/DTWEXBGS.csv", "fred/DGS10.csv"],
                     first="2009-01-01", last="2015-08-31")


@pytest.mark.parametrize("day", ["2015-07-08", "2015-08-07"])
def test_safe_s_first_month_is_said_to_be_the_first(store, day):
    res = runner.invoke(cli, ["demand", "--as-of", day, "--db", str(store), "--json"])
    assert res.exit_code == 0, res.output
    notes = " ".join(json.loads(res.stdout)["summary"]["notes"])
    assert "China reserves flow vs its fit (the store's first month of SAFE reserves, " \
           "2015-06-30: no change before it)" in notes
    assert "a month SAFE did not report" not in notes
