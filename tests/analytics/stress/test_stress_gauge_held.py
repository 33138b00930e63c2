"""The stress gauge's title says when the exit band holds the regime above the needle's band."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.realdata


def test_gauge_title_says_the_band_holds_the_regime(real_db):
    """On 2025-05-08 (as published that evening) the recent percentile was 74.7 and the
    all-history one 71.2: the needle sat in the dial's green band (0-80) under a title "regime
    elevated", with nothing of the exit band that keeps it there, while the regime line beside
    it, `stress`, the headline, the report and the API all said "held by the exit band:
    elevated until both percentiles are below 70"."""
    import datetime as dt

    from spillwatch.alerts.backtest.vintage import vintage_workspace
    from spillwatch.data.source import open_source
    from spillwatch.plotting.gauge import stress_gauge
    from spillwatch.service import stress as service
    from spillwatch.service.workspace import Workspace

    src = open_source(None, db=real_db, read_only=True)
    try:
        ws = vintage_workspace(Workspace(src), dt.date(2025, 5, 8))
        res = service.stress(ws)
        last = res.latest()
        assert last["date"] == "2025-05-08" and last["regime"] == "elevated"
        assert last["percentile"] < 80 and last["percentile_longrun"] < 80
        # read as one line (the title is wrapped to a printed page's width)
        title = stress_gauge(res).layout.title.text.replace("<br>", " ")
        assert ("regime <b>elevated</b> (held by the exit band: elevated until both "
                "percentiles are below 70), index") in title, title
    finally:
        src.close()
