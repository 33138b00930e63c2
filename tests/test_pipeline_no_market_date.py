"""`spillwatch run` on data holding none of the watch list says so, not "market as of None".

A user's folder of their own series (h_data2: one fund's NAV) ran with every section but the
market and data health failing, under the first line "spillwatch run: data fund.csv, market as
of None (the last day half the watch list reports; ...)"; the report's header said "n/a".
"""

from __future__ import annotations

import pytest

from spillwatch.pipeline import run


@pytest.mark.slow
def test_a_run_without_the_watch_list_has_no_market_date(tmp_path):
    f = tmp_path / "fund.csv"
    f.write_text("date,NAV\n2024-01-02,101.5\n2024-01-03,102.25\n2024-01-04,101.75\n")
    res = run(f, out=tmp_path / "out", sections=["market"])
    assert res.as_of is None
    assert res._summary_lines()[0] == (
        f"spillwatch run: data {res.source}, no market date (the data hold none of the watch "
        "list's series)")
    assert res.failures == {}
