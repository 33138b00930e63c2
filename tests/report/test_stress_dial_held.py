"""The stress dial's "why the band is not the regime" gives way to the exit band's reason, and
reads no all-history rank where there is none (h_mut6's surviving mutants of f9716b7's gauge:
the ``regime_held`` test dropped, and the NaN test of the all-history percentile dropped)."""

from __future__ import annotations

import math

from spillwatch.plotting.gauge import band_vs_regime, stress_gauge
from spillwatch.service import stress as service
from spillwatch.service.workspace import Workspace


def test_a_regime_held_by_the_exit_band_is_not_explained_by_the_all_history_rank():
    """The demo's last reading (2026-10-30): percentile 76.3, all history 78.9, regime elevated,
    held by the exit band. Read as a band/regime mismatch the title would add "the all-history
    percentile (black mark), 78, reaches elevated's 80": false (78 is under 80), and beside the
    exit band's own reason."""
    ws = Workspace("demo")
    try:
        res = service.stress(ws)
        last = res.latest()
        assert last["date"] == "2026-10-30" and last["regime"] == "elevated"
        assert last["percentile"] < 80 and last["percentile_longrun"] < 80
        fig = stress_gauge(res)
    finally:
        ws.close()
    title = fig.layout.title.text.replace("<br>", " ")
    assert "regime <b>elevated</b> (held by the exit band: elevated until both percentiles " \
           "are below 70)" in title, title
    assert "all-history percentile" not in title and "black mark" not in title
    assert fig.data[0].gauge.threshold.value is None


def test_no_all_history_rank_is_no_reason():
    assert band_vs_regime("elevated", 97.0, math.nan, (80.0, 95.0)) is None
    assert band_vs_regime("elevated", 97.0, None, (80.0, 95.0)) is None
