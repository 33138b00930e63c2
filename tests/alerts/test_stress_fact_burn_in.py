"""A stress fact without a value says why: which input has not reported, or that its inputs
print and its history is still too short.

`alerts facts --as-of 1997-06-23 'stress.credit'` on ../shared/data said "missing input on
1997-06-23" while both spreads (ICE's IG and HY OAS, from 1996-12-31) printed that day: the
credit sub-index was in its burn-in (h_ep7).
"""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app as cli

pytestmark = pytest.mark.realdata
runner = CliRunner()


FILES = ("DGS10.csv", "BAMLC0A0CM.csv", "BAMLH0A0HYM2.csv")


@pytest.fixture(scope="module")
def rates_and_credit(shared_data, tmp_path_factory):
    """The 10-year, the spreads, and the required blocks' inputs (the dollar and the VIX)."""
    db = tmp_path_factory.mktemp("credit") / "store.duckdb"
    for f in (*FILES, "DEXJPUS.csv", "VIXCLS.csv"):
        res = runner.invoke(cli, ["import", str(shared_data / "fred" / f), "--db", str(db)])
        assert res.exit_code == 0, res.output
    return db


def _facts(db, day: str, *names: str) -> dict[str, dict]:
    res = runner.invoke(cli, ["alerts", "facts", *(names or ("stress.credit", "stress.crypto")),
                              "--as-of", day, "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    return {r["fact"]: r for r in json.loads(res.stdout)["rows"]}


@pytest.mark.slow
def test_a_sub_index_in_its_burn_in_says_so(rates_and_credit):
    got = _facts(rates_and_credit, "1997-06-23")
    assert got["stress.credit"]["value"] is None
    # the reading's day (the yen of H.10 is out the Monday after its week: 06-20 here)
    day = got["stress.credit"]["date"]
    assert day in ("1997-06-20", "1997-06-23")
    assert got["stress.credit"]["note"] == (
        f"too little history on {day}: ig_oas, hy_oas print, the value is still in its "
        "burn-in")
    # an input that has not reported is named
    assert got["stress.crypto"]["note"] == f"missing input on {day} (btc, eth)"
    # once through its burn-in the sub-index has a value
    assert _facts(rates_and_credit, "1998-06-23")["stress.credit"]["value"] is not None


def test_a_sub_index_s_own_percentile_in_its_burn_in_says_how_far_it_is(rates_and_credit):
    """``stress.credit_percentile`` ranks the credit sub-index among its own 250 published
    readings before it has a value: until then it says how many it has."""
    got = _facts(rates_and_credit, "1998-06-23", "stress.credit", "stress.credit_percentile",
                 "stress.crypto_percentile")
    day = got["stress.credit"]["date"]
    assert got["stress.credit"]["value"] is not None
    pct = got["stress.credit_percentile"]
    assert pct["value"] is None and pct["unit"] == "pct"
    m = re.fullmatch(rf"the credit sub-index's own percentile is in its burn-in on {day}: "
                     r"(\d+) of the 250 published readings it is ranked among", pct["note"])
    assert m is not None, pct["note"]
    # the credit sub-index is out of its own burn-in on 1997-12-23: its readings since then
    assert 100 < int(m.group(1)) < 250
    # without a sub-index, its percentile says why as the sub-index does
    assert got["stress.crypto_percentile"]["note"] == f"missing input on {day} (btc, eth)"
    later = _facts(rates_and_credit, "1999-06-23", "stress.credit_percentile")
    assert 0.0 <= later["stress.credit_percentile"]["value"] <= 100.0


@pytest.mark.slow
def test_an_index_never_published_is_not_called_stale(shared_data, tmp_path):
    """Without the required blocks' inputs the index never reads: that is the reason, not a
    "last published …, past the 6-day limit (stale inputs: none listed)"."""
    db = tmp_path / "store.duckdb"
    for f in FILES:
        res = runner.invoke(cli, ["import", str(shared_data / "fred" / f), "--db", str(db)])
        assert res.exit_code == 0, res.output
    got = _facts(db, "1997-06-23")["stress.credit"]
    assert got["value"] is None
    assert got["note"].startswith("the stress index has no reading: the data have no input of "
                                  "the required block(s) dollar, equity_vol"), got["note"]
    assert "staleness" not in got["note"] and "limit" not in got["note"]


@pytest.mark.slow
def test_the_burn_in_count_is_of_the_published_readings_the_percentile_waits_for(
        rates_and_credit):
    """The count the note gives and the published readings still to come add up to the burn-in
    exactly: the percentile's first value is on the 250th reading with both the sub-index and
    the index (a day with the credit sub-index but no index is no reading; counted, the note
    read 128 of 250 where 124 were had)."""
    from spillwatch.service.stress import stress
    from spillwatch.service.workspace import Workspace

    note = _facts(rates_and_credit, "1998-06-23", "stress.credit_percentile")[
        "stress.credit_percentile"]["note"]
    m = re.fullmatch(r"the credit sub-index's own percentile is in its burn-in on "
                     r"(\S+): (\d+) of the 250 published readings it is ranked among", note)
    assert m is not None, note
    with Workspace(str(rates_and_credit)) as ws:
        res = stress(ws)
    first = res.segment_percentiles["credit"].first_valid_index()
    frame = res.frame.loc[m.group(1):first].iloc[1:]         # after the reading, to the first
    to_come = int((frame["credit"].notna() & frame["stress"].notna()).sum())
    assert int(m.group(2)) + to_come == res.spec.burn_in == 250
    assert int(frame["credit"].notna().sum()) > to_come       # days without an index exist
