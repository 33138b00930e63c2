"""The sell-America window's facts say why an evening without the broad dollar has none (h_ep11).

`spillwatch alerts test --as-of 1994-12-20` on the real store said of ``yields_up_dollar_down``
"stress.signature_ust10y_chg_5d_bp: fact 'stress.signature_ust10y_chg_5d_bp' was not computed;
stress.signature_usd_broad_chg_5d_pct: fact ... was not computed", beside
``sell_america_signature``'s "no day yet with both the 10-year yield and the broad dollar" on the
same evening: the broad dollar (fred/DTWEXBGS.csv) begins 2006-01-02, the 10-year printed that
day. The store holds both, imported with the project's own import.
"""

from __future__ import annotations

import datetime as dt

import pytest

from _cut_store import cut_store, facts_on
from spillwatch.alerts.facts import JOINT_FACTS

pytestmark = [pytest.mark.realdata, pytest.mark.slow]


def test_an_evening_before_the_broad_dollar_says_why_it_has_no_window(shared_data, tmp_path):
    db = cut_store(shared_data, tmp_path, ["fred/DGS10.csv", "fred/DTWEXBGS.csv"],
                   first="1994-01-01", last="2006-03-31")
    fs, later = facts_on(db, dt.date(1994, 12, 20), dt.date(2006, 3, 31), stress=False,
                         spillover=False, demand=False)
    assert fs.get("ust10y.level").value == pytest.approx(7.81)       # DGS10 of 1994-12-20
    for name in JOINT_FACTS:
        got = fs.get(name)
        assert got.value is None and got.reason == (
            "no day yet with both the 10-year yield and the broad dollar: the store's figures "
            "of it begin later: usd_broad 2006-01-02"), (name, got.reason)
    # once both legs print, the window is read: the 10-year's 5-day change to the dollar's
    # last day out by 2006-03-31 (the H.10 of the week to 03-24, out on Monday 03-27)
    assert later.get("stress.signature_ust10y_chg_5d_bp").value is not None
