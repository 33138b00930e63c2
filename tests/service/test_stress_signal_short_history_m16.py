"""The signals' short-history note: read on the date asked for (--end), and not said beside
the index's own short-history note (h_mut16: neither was pinned by a test).

../shared/data's 10-year, yen, VIX and ICE's two spreads (from 1996-12-31), by the project's
import, cut to 2004-12-31 (and, for a short index, to begin on 1996-06-01).
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from _cut_store import cut_store
from spillwatch.cli import app as cli

pytestmark = pytest.mark.realdata
runner = CliRunner()

FILES = tuple(f"fred/{f}" for f in ("DGS10.csv", "DEXJPUS.csv", "VIXCLS.csv", "BAMLC0A0CM.csv",
                                    "BAMLH0A0HYM2.csv"))
SIGNALS = "these signals' percentiles"


def _notes(db, *args: str) -> list[str]:
    res = runner.invoke(cli, ["stress", *args, "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    return doc.get("summary", doc)["notes"]


def test_the_note_is_of_the_end_asked_for(shared_data, tmp_path):
    """On 2004-12-31 the spreads have 8 years; at --end 1998-08-17 they had 594 days
    (1996-12-31 on: 1.6 years) and the z-scores 543 (1997-02-20 on: 1.5)."""
    db = cut_store(shared_data, tmp_path, FILES, last="2004-12-31")
    assert [n for n in _notes(db, "--end", "1998-08-17") if n.startswith(SIGNALS)] == [
        "these signals' percentiles rank against under 5 years of their own history: "
        "ig_oas_pct 1.6 years (since 1996-12-31), hy_oas_pct 1.6 years (since 1996-12-31), "
        "ig_oas_z5 1.4 years (since 1997-02-20), hy_oas_z5 1.4 years (since 1997-02-20); a "
        "level that history has not seen reads as its extreme"]


def test_not_said_beside_the_index_s_own_short_history(shared_data, tmp_path):
    """Data from 1996-06-01: the index itself ranks against 1.2 years on 1998-08-17, which its
    own note says; the signals' note would repeat it."""
    db = cut_store(shared_data, tmp_path, FILES, first="1996-06-01", last="2004-12-31")
    notes = _notes(db, "--as-of", "1998-08-17")
    assert any(n.startswith("the percentiles rank this reading against 1.2 years of readings "
                            "(since 1997-06-05)") for n in notes), notes
    assert not [n for n in notes if n.startswith(SIGNALS)], notes


def test_five_years_is_counted_in_years_of_365_25_days(shared_data, tmp_path):
    """1996-12-31 to 2001-12-31 is 1826 days: 4.9993 years of 365.25 days, under 5 (shown
    cut to 4.9, not rounded to 5.0); to 2002-01-02, 1828 days (5.0048), no longer. The
    z-scores (from 1997-02-20: 1775 days, 4.86 years) stay under 5 on both."""
    db = cut_store(shared_data, tmp_path, FILES, last="2004-12-31")
    said = {end: [n for n in _notes(db, "--end", end) if n.startswith(SIGNALS)]
            for end in ("2001-12-31", "2002-01-02")}
    assert said["2001-12-31"] == [
        "these signals' percentiles rank against under 5 years of their own history: "
        "ig_oas_pct 4.9 years (since 1996-12-31), hy_oas_pct 4.9 years (since 1996-12-31), "
        "ig_oas_z5 4.8 years (since 1997-02-20), hy_oas_z5 4.8 years (since 1997-02-20); a "
        "level that history has not seen reads as its extreme"]
    assert said["2002-01-02"] == [
        "these signals' percentiles rank against under 5 years of their own history: "
        "ig_oas_z5 4.8 years (since 1997-02-20), hy_oas_z5 4.8 years (since 1997-02-20); a "
        "level that history has not seen reads as its extreme"]


def test_one_short_signal_is_said_too(shared_data, tmp_path):
    """Without the IG spread: on 2002-01-02 the HY spread's percentile has 1828 days (5.0
    years), its z-score 1777 (from 1997-02-20: 4.86, said 4.8), the one signal under 5 years."""
    db = cut_store(shared_data, tmp_path, [f for f in FILES if "BAMLC0A0CM" not in f],
                   last="2004-12-31")
    assert [n for n in _notes(db, "--end", "2002-01-02") if n.startswith(SIGNALS)] == [
        "these signals' percentiles rank against under 5 years of their own history: "
        "hy_oas_z5 4.8 years (since 1997-02-20); a level that history has not seen reads as "
        "its extreme"]
