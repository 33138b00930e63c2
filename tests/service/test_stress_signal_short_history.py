"""A signal ranked against a short history of its own says so.

On 1998-08-17 the high-yield spread read "percentile 100, red" against 1.6 years of ICE's
series (from 1996-12-31); the index's own short-history note covers the composite only, and a
trader read 3.78% as a record spread (h_ep7).
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app as cli

pytestmark = pytest.mark.realdata
runner = CliRunner()


@pytest.fixture(scope="module")
def store(shared_data, tmp_path_factory):
    """The 10-year, the yen, the VIX and ICE's two spreads, by the project's import."""
    db = tmp_path_factory.mktemp("spreads") / "store.duckdb"
    for f in ("DGS10.csv", "DEXJPUS.csv", "VIXCLS.csv", "BAMLC0A0CM.csv", "BAMLH0A0HYM2.csv"):
        res = runner.invoke(cli, ["import", str(shared_data / "fred" / f), "--db", str(db)])
        assert res.exit_code == 0, res.output
    return db


def _stress(db, day: str) -> dict:
    res = runner.invoke(cli, ["stress", "--as-of", day, "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    return doc.get("summary", doc)


def test_the_spreads_of_1998_say_their_history_is_short(store):
    s = _stress(store, "1998-08-17")
    said = [n for n in s["notes"] if n.startswith("these signals' percentiles")]
    assert said == [
        "these signals' percentiles rank against under 5 years of their own history: "
        "ig_oas_pct 1.6 years (since 1996-12-31), hy_oas_pct 1.6 years (since 1996-12-31), "
        "ig_oas_z5 1.4 years (since 1997-02-20), hy_oas_z5 1.4 years (since 1997-02-20); a "
        "level that history has not seen reads as its extreme"]
    # five years on, they have the history: nothing said
    later = _stress(store, "2003-08-18")
    assert not [n for n in later["notes"] if n.startswith("these signals' percentiles")]
