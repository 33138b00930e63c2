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
    assert s["sell_america_days_last_year_read"] is None


def test_a_year_with_few_readable_days_says_how_many(shared_data, tmp_path):
    """`stress --as-of 2006-07-03`: the signature's first readable days are 2006-06-27..30 (the
    broad dollar from 2006-01-02, scaled once 125 changes are behind a day), so the count "0 to
    2006-06-30" is of 4 days, not of a year's (h_verify22)."""
    db = cut_store(shared_data, tmp_path, ["fred/DGS10.csv", "fred/DTWEXBGS.csv",
                                           "fred/VIXCLS.csv", "fred/DEXJPUS.csv"],
                   first="2004-01-01", last="2006-07-31")
    res = runner.invoke(cli, ["stress", "--as-of", "2006-07-03", "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    s = json.loads(res.stdout)["summary"]
    assert s["sell_america_days_last_year_to"] == "2006-06-30"
    assert s["sell_america_days_last_year_read"] == 4
    assert s["sell_america_days_last_year"] == 0
