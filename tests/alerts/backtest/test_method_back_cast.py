"""The scorecard's method says which series were first published after the evenings they are
read on (h_ep13).

The replay reads each series from its publication lag, but STLFSI4 (its version 4 of November
2022; the first STLFSI of 2010), the OFR FSI (Monin, OFR WP 17-04, October 2017) and the ACM
term premium (a download since May 2014; Adrian, Crump and Moench, JFE 2013) are stored with
histories that begin years before they were first published: on the evenings before, both
sides of the comparison read back-casts, which the method paragraph did not say.
"""

from __future__ import annotations

import pandas as pd
import pytest

from spillwatch.alerts.backtest import METHOD
from spillwatch.store import Store

#: Each series, the words the method gives its first publication, and that month.
FIRST_PUBLISHED = {
    "fred:STLFSI4": ("STLFSI4, the version stored, in November 2022", "2022-11-01"),
    "ofr:ofr_fsi": ("the OFR FSI in October 2017", "2017-10-01"),
    "nyfed:acm_term_premium_10y_pct": ("the ACM term premium in May 2014", "2014-05-01"),
}


def test_the_method_names_each_back_cast_and_its_first_publication():
    assert "some were first published after the evenings they are read on" in METHOD
    assert "the St. Louis Fed's index in 2010" in METHOD
    for words, _ in FIRST_PUBLISHED.values():
        assert words in METHOD


@pytest.mark.realdata
def test_the_stored_histories_begin_before_their_first_publication(real_db):
    """STLFSI4 from 1993-12-31, the OFR FSI from 2000-01-03, the ACM premium from 1961-06-14:
    every evening of the replay before each's first publication reads a back-cast."""
    store = Store(real_db, read_only=True)
    first = store.query("SELECT series_id, min(ts) AS first FROM observations "
                        "WHERE series_id IN (SELECT unnest(?)) GROUP BY series_id",
                        [list(FIRST_PUBLISHED)]).set_index("series_id")["first"]
    assert first.to_dict() == {"fred:STLFSI4": pd.Timestamp("1993-12-31"),
                               "ofr:ofr_fsi": pd.Timestamp("2000-01-03"),
                               "nyfed:acm_term_premium_10y_pct": pd.Timestamp("1961-06-14")}
    for sid, (_, published) in FIRST_PUBLISHED.items():
        assert first[sid] < pd.Timestamp(published)
