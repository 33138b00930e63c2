"""`spillwatch run --as-of` on a Saturday: the run states the market's date, not the date asked."""

from __future__ import annotations

import datetime as dt

from spillwatch.pipeline import run


def test_a_run_as_of_a_saturday_states_the_market_s_friday(tmp_path):
    """RunResult.as_of is the last day half the watch list reports (what the run's first line
    says), not the evening asked for: on Saturday 2026-07-04 the Treasuries, the dollar, the yen
    and the VIX last printed on Friday the 3rd, only the coins on the 4th."""
    res = run("demo", out=tmp_path, sections=["market"], as_of=dt.date(2026, 7, 4))
    dates = sorted((v["date"] for v in res.sections["market"]["latest"].values()), reverse=True)
    half = dates[(len(dates) + 1) // 2 - 1]          # the newest date at least half report
    assert half == "2026-07-03"
    assert res.as_of == dt.date(2026, 7, 3)
    assert "market as of 2026-07-03" in res._summary_lines()[0]
    assert res.failures == {}
