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


@pytest.mark.slow
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
    out on Tuesday), and the weekend's crypto closes are what the note names, with Monday's,
    a business day whose 10-year is not out (they were all called the weekend's)."""
    res = CliRunner().invoke(app, ["stress", "--db", str(real_db), "--as-of", "2025-10-20",
                                   "--json"])
    assert res.exit_code == 0, res.output
    notes = json.loads(res.stdout)["summary"]["notes"]
    assert notes[0] == ("the reading is of 2025-10-17: the 10-year of 2025-10-20 was published "
                        "on 2025-10-21, after the evening these data are seen from")
    assert len(notes) == 2 and notes[1].startswith(
        "crypto closed after the reading of 2025-10-17, on a business day whose 10-year is not "
        "published yet and on a weekend or US market holiday: btc +3.9% to 2025-10-20")


@pytest.mark.slow
def test_an_evening_reading_the_day_before_says_the_10_year_was_not_out(real_db, shared_data,
                                                                        tmp_path,
                                                                        live_server_cls):
    """Once the par curve stopped (2025-07-11) the 10-year comes from H.15, out the next
    business day: the evening of 2025-12-30 read 2025-12-29 with no word of why. The CLI and
    the API give the note; it is not given where the reading is the evening's own day, nor
    where the reading stops before the 10-year does (another note says why)."""
    import httpx

    from spillwatch.api.app import create_app
    from spillwatch.api.limits import RateLimit

    dgs10 = pd.read_csv(shared_data / "fred" / "DGS10.csv", parse_dates=["date"])
    assert {"2025-12-29", "2025-12-30"} <= set(dgs10["date"].dt.strftime("%Y-%m-%d"))

    def notes(day: str) -> tuple[str, list[str]]:
        res = CliRunner().invoke(app, ["stress", "--db", str(real_db), "--as-of", day,
                                       "--json"])
        assert res.exit_code == 0, res.output
        s = json.loads(res.stdout)["summary"]
        return s["date"], s["notes"]

    want = ("the reading is of 2025-12-29: the 10-year of 2025-12-30 was published on "
            "2025-12-31, after the evening these data are seen from")
    # ... and the evening's crypto closes after that reading are named
    coins = ("crypto closed after the reading of 2025-12-29: btc +1.4% to 2025-12-30, eth "
             "+1.2% to 2025-12-30 (from the close of 2025-12-29); they enter a later day's "
             "reading, whose 10-year is not published yet")
    assert notes("2025-12-30") == ("2025-12-29", [want, coins])
    assert notes("2025-04-09") == ("2025-04-09", [])            # the par curve: that evening
    day, said = notes("2026-03-31")                              # stopped on other inputs
    assert day == "2026-01-06" and not any("the 10-year of" in n for n in said)
    db = tmp_path / "real.duckdb"
    shutil.copyfile(real_db, db)
    high = RateLimit(per_second=10_000.0, burst=100_000)
    api = create_app(db, token="t" * 24, read_limit=high, write_limit=high, warm=False)
    with live_server_cls(api) as server, httpx.Client(base_url=server.url, timeout=120) as c:
        r = c.get("/api/stress", params={"as_of": "2025-12-30"})
    assert r.status_code == 200, r.text
    assert r.json()["summary"]["notes"] == [want, coins]


def test_a_reading_past_its_limit_says_which_sub_index_stopped_it(real_db):
    """The evening of 2026-07-15 read 2026-01-06, 190 days behind, with only "the last reading
    the data allow by then": the 10-year (DGS10) runs to 2026-07-22 in ../shared/data, but the
    equity/vol sub-index the index needs stopped with VIXCLS (last 2025-12-30) and SP500 (last
    2025-12-31). The note past the limit now comes with the one that says why (h_why1)."""
    res = CliRunner().invoke(app, ["stress", "--db", str(real_db), "--as-of", "2026-07-15",
                                   "--json"])
    assert res.exit_code == 0, res.output
    notes = json.loads(res.stdout)["summary"]["notes"]
    assert notes[0].startswith("the stress reading is as of 2026-01-06, 190 days before "
                               "--as-of 2026-07-15")
    assert notes[1] == (
        "no reading after 2026-01-06: the 10-year reported on 130 days since (2026-01-07 to "
        "2026-07-14), but the index needs the equity_vol sub-index, which had no fresh input "
        "(vix last 2025-12-30, spx last 2025-12-31)")
