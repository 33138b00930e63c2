"""A reading held back by a required sub-index says so, not that crypto closed on a weekend."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from typer.testing import CliRunner

from spillwatch.cli import app

pytestmark = pytest.mark.realdata

#: The files the stress monitor reads.
FILES = ("fred/DGS2.csv", "fred/DGS10.csv", "fred/DGS30.csv", "fred/DTWEXBGS.csv",
         "fred/DEXJPUS.csv", "fred/DEXCHUS.csv", "fred/SP500.csv", "fred/VIXCLS.csv",
         "fred/BAMLC0A0CM.csv", "fred/BAMLH0A0HYM2.csv", "fred/WMTSECL1.csv",
         "crypto/BTCUSDT.csv", "crypto/ETHUSDT.csv", "treasury/par_yield_curve.csv",
         "treasury/acm_term_premium_10y.csv", "rates_vol/move.csv", "equity/sp500_yahoo.csv")


def test_a_late_h10_names_the_missing_dollar_not_a_weekend(shared_data, tmp_path):
    """The H.10 of the week to 2025-04-04 not out: the dollar's inputs (last 03-28) pass their
    13 days on 04-11 and the dollar sub-index, which the index needs, drops out. On the
    evening of 04-15 the headline read the crisis of 04-10 (five days old, within the
    10-year's six) with one note, "crypto closed on a weekend or US market holiday after the
    reading of 2025-04-10 ... these closes enter the next business day's reading", although
    04-11, 04-14 and 04-15 were business days with no reading at all."""
    for rel in FILES:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        if rel.split("/")[1] in ("DTWEXBGS.csv", "DEXJPUS.csv", "DEXCHUS.csv"):
            f = pd.read_csv(shared_data / rel, dtype=str, keep_default_na=False)
            f[f["date"] <= "2025-03-28"].to_csv(tmp_path / rel, index=False)
        else:
            shutil.copyfile(shared_data / rel, tmp_path / rel)
    res = CliRunner().invoke(app, ["stress", "--data", str(tmp_path), "--as-of", "2025-04-15",
                                   "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)["summary"]
    assert summary["date"] == "2025-04-10" and summary["regime"] == "crisis"
    assert {"usd_broad", "usdjpy", "usdcny"} <= set(summary["stale"])
    assert summary["notes"][0] == (
        "no reading after 2025-04-10: the 10-year reported on 3 days since (2025-04-11 to "
        "2025-04-15), but the index needs the dollar sub-index, which had no fresh input "
        "(usd_broad last 2025-03-28, usdjpy last 2025-03-28, usdcny last 2025-03-28)")
    assert not any(n.startswith("crypto closed on a weekend") for n in summary["notes"])


def test_an_ordinary_weekend_keeps_its_crypto_note(real_db):
    """Nothing stopped: Monday 2025-10-20 reads Friday's index (the H.15 10-year of Monday is
    out on Tuesday), and the weekend's crypto closes are what the note names."""
    res = CliRunner().invoke(app, ["stress", "--db", str(real_db), "--as-of", "2025-10-20",
                                   "--json"])
    assert res.exit_code == 0, res.output
    notes = json.loads(res.stdout)["summary"]["notes"]
    assert len(notes) == 1 and notes[0].startswith(
        "crypto closed on a weekend or US market holiday after the reading of 2025-10-17")
