"""A stress fact whose input the store holds only from later says when it begins (h_ep11).

`spillwatch alerts facts 'stress.*' --as-of 2014-10-15` on the real store said of
``stress.btc_drawdown_pct`` "missing input on 2014-10-15 (btc)", while the series' own facts
on that evening say "the store's figures of it begin later: btc 2018-01-01" (crypto/BTCUSDT.csv
begins 2018-01-01). The store holds the 10-year, the yen and the VIX (the index's required
blocks) and bitcoin, imported with the project's own import.
"""

from __future__ import annotations

import datetime as dt

import pytest

from _cut_store import cut_store, facts_on

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

FILES = ("fred/DGS10.csv", "fred/DEXJPUS.csv", "fred/VIXCLS.csv", "crypto/BTCUSDT.csv",
         "fred/DTWEXBGS.csv")


def test_a_stress_input_that_begins_later_says_when(shared_data, tmp_path):
    # the broad dollar from 2015 in this store
    db = cut_store(shared_data, tmp_path, FILES, first="2011-01-01", last="2018-01-31",
                   starts={"fred/DTWEXBGS.csv": "2015-01-01"})
    (fs,) = facts_on(db, dt.date(2014, 10, 15), spillover=False, demand=False)
    got = fs.get("stress.btc_drawdown_pct")
    # the reading of the evening is Tuesday's: FRED's 10-year of a day is out the next day
    assert got.as_of == dt.date(2014, 10, 14)
    assert got.value is None and got.reason == (
        "missing input on 2014-10-14 (btc): the store's figures of it begin later: "
        "btc 2018-01-01"), got.reason
    # an input not in the store at all is named alone (no figures to begin)
    assert fs.get("stress.eth_rvol_pct").reason == "missing input on 2014-10-14 (eth)"
    # an input that printed keeps its value: the 10-year's 1-day change of 2014-10-14
    # (fred/DGS10.csv: 2.31 on 10-10, 2.21 on 10-14 after Columbus Day)
    assert fs.get("stress.ust10y_chg1_bp").value == pytest.approx(-10.0)
    # the signature, as the window's facts beside it (it said only "no day yet with both the
    # 10-year yield and the broad dollar"; h_verify25)
    rows = [x.split(",") for x in (shared_data / "fred/DTWEXBGS.csv").read_text().splitlines()]
    first = next(d for d, *v in rows[1:] if d >= "2015" and v and v[0].strip())[5:]
    assert fs.get("stress.signature").reason == (
        "no day yet with both the 10-year yield and the broad dollar: the store's figures of "
        f"it begin later: usd_broad 2015-{first}")
    assert fs.get("stress.signature_ust10y_chg_5d_bp").reason == (
        fs.get("stress.signature").reason)
