"""Before the broad dollar (2006-01) the sell-America signature could be read on no day: the
year's count of sell-America days is unknown, not 0.

``spillwatch stress --as-of 1999-04-26 --json`` said ``sell_america_days_last_year: 0`` (to
1999-04-26) beside ``signature: "unavailable"``, ``signature_last: null`` and
``sell_america_days_per_year: null``, with no note (h_sweep1).
"""

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
    """The 10-year, the yen and the VIX of 1998-1999, by the project's import (no broad dollar)."""
    return cut_store(shared_data, tmp_path_factory.mktemp("unread"),
                     ["fred/DGS10.csv", "fred/DEXJPUS.csv", "fred/VIXCLS.csv"],
                     first="1998-01-01", last="1999-04-30")


def test_no_readable_day_gives_no_count(store):
    res = runner.invoke(cli, ["stress", "--as-of", "1999-04-26", "--db", str(store), "--json"])
    assert res.exit_code == 0, res.output
    s = json.loads(res.stdout)["summary"]
    assert s["signature"] == "unavailable" and s["signature_last"] is None
    assert s["sell_america_days_per_year"] is None
    assert s["sell_america_days_last_year"] is None
    assert s["sell_america_days_last_year_to"] is None
