"""A stress signal's fact is dated by its inputs' last report, as `stress` dates it."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from spillwatch.cli import app

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

EVENING = "2022-09-22"     # MOF's first yen-buying since 1998; the H.10 of its week out on 09-26


def _json(args: list[str]) -> dict:
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout[res.stdout.index("{"):])


def test_h10_signals_are_dated_by_the_print_they_read(real_db, shared_data):
    """On the intervention's evening ``stress.usdjpy_z1`` read −0.46 dated 2022-09-22, as the
    yen's move of that day; it is the z of the H.10 print of Friday 09-16 (the day's −1.37% is
    first published on Monday 09-26), which ``stress`` itself dates 2022-09-16."""
    raw = pd.read_csv(shared_data / "fred" / "DEXJPUS.csv", parse_dates=["date"])
    yen = pd.to_numeric(raw.set_index("date")["DEXJPUS"], errors="coerce").dropna()
    published = yen.loc[:"2022-09-16"].index[-1].date().isoformat()   # the week before's H.10
    assert yen.loc["2022-09-22"] / yen.loc["2022-09-21"] - 1.0 == pytest.approx(-0.013737,
                                                                                abs=1e-6)
    facts = _json(["alerts", "facts", "stress.*", "--db", str(real_db), "--as-of", EVENING,
                   "--json"])
    rows = {r["fact"]: r for r in facts["rows"]}
    for name in ("usdjpy_z1", "usdjpy_z5", "usd_broad_z1", "usdcny_z1"):
        assert rows[f"stress.{name}"]["date"] == published, name
    # the reading's own inputs keep its date: the 10-year's +19 bp of the day (DGS10 3.51 → 3.70)
    assert rows["stress.ust10y_chg1_bp"]["date"] == EVENING
    assert rows["stress.ust10y_chg1_bp"]["value"] == pytest.approx(19.0)
    assert rows["stress.index"]["date"] == EVENING
    # every signal's date is the one the stress command prints in its "last input" column
    stress = _json(["stress", "--db", str(real_db), "--as-of", EVENING, "--json"])
    for s in stress["signals"]:
        fact = rows[f"stress.{s['name']}"]
        assert fact["date"] == (s["last_observed"] or EVENING), s["name"]
        assert fact["value"] == pytest.approx(s["value"], rel=1e-9), s["name"]
