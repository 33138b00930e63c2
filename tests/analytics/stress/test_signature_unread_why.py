"""A signature never read by the evening says why (session 52, from h_ep9's reading of early 2006).

The broad dollar (fred/DTWEXBGS.csv) begins 2006-01-02; each leg's move is scaled by the
volatility of at least half of its last 250 changes (`signature_window`), so the first day
with a signature is 2006-06-27, after 125 changes of the dollar before it. `stress --as-of
2006-03-01` said "signature unavailable", its JSON null, without a word of why; before 2006 the
dollar had not reported at all.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from _cut_store import cut_store
from spillwatch._results import signature_text
from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.data.source import open_source
from spillwatch.service import stress as service
from spillwatch.service._today import replay_day
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata

FILES = ("fred/DGS10.csv", "fred/DTWEXBGS.csv", "fred/DGS2.csv", "fred/VIXCLS.csv",
         "fred/BAMLC0A0CM.csv", "equity/sp500_yahoo.csv")


@pytest.fixture(scope="module")
def store(shared_data, tmp_path_factory):
    return cut_store(shared_data, tmp_path_factory.mktemp("sig"), FILES, first="2003-01-01",
                     last="2006-12-31")


def _summary(store, day: dt.date) -> dict:
    with Workspace(open_source(store, read_only=True)) as ws, replay_day(day, published=True):
        v = vintage_workspace(ws, day)
        return service.summary(v, service.stress(v))


def test_the_first_months_of_the_dollar_say_the_scale_is_not_filled(store, shared_data):
    dollar = pd.read_csv(shared_data / "fred" / "DTWEXBGS.csv", index_col="date",
                         parse_dates=True)["DTWEXBGS"].dropna()
    assert dollar.index[0] == pd.Timestamp("2006-01-02")
    assert int(dollar.loc[:"2006-03-01"].diff().notna().sum()) < 125
    out = _summary(store, dt.date(2006, 3, 1))
    assert out["signature"] == "unavailable" and out["signature_last_date"] is None
    assert out["signature_unread"] == (
        "never read by then: each leg's moves are scaled by the volatility of at least 125 of "
        "its last 250 changes")
    assert signature_text(out) == f"unavailable ({out['signature_unread']})"
    # the summary says it, for the dashboard's regime line to show (it wrote its own words and
    # said "signature: unavailable" alone)
    assert out["signature_text"] == signature_text(out)


def test_before_the_dollar_reports_the_leg_is_named(store):
    out = _summary(store, dt.date(2005, 6, 1))
    assert out["signature_unread"] == "no usd_broad by then"
    assert out["signature_text"] == "unavailable (no usd_broad by then)"
    # once a day has been read, no such reason
    later = _summary(store, dt.date(2006, 9, 1))
    assert later["signature_last_date"] is not None and later["signature_unread"] is None
