"""The dashboard's spillover cards say when their window is not today's, as the other cards do."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.mark.slow
def test_the_spillover_cards_say_their_window_is_stale(real_db):
    """On ../shared/data the spillover's latest window is of 2025-12-26 (the broad dollar's last
    day). The dashboard's yield, curve, crypto, stress and demand cards each wrote STALE under
    their charts on 2026-12-05, but the net spillover and the network cards drew that window,
    344 days old, with no word (the network's title gave its date, the net chart none): read
    beside "STALE" cards they passed for today's. Both now carry the note the headline gives;
    on an evening the window is current (2025-12-29) they carry none."""
    from spillwatch.api.views import FIGURES, ViewContext
    from spillwatch.data.source import open_source
    from spillwatch.service._today import replay_day
    from spillwatch.service.workspace import Workspace

    def notes(fig):
        return " ".join(a.text for a in fig.layout.annotations if a.text).replace("<br>", " ")

    w = Workspace(open_source(real_db, read_only=True))
    try:
        ctx = ViewContext(w, "test")
        with replay_day(dt.date(2026, 12, 5)):
            for name in ("spillover_net", "spillover_network"):
                text = notes(FIGURES[name].draw(ctx))
                assert ("the latest spillover window is as of 2025-12-26, 344 days before "
                        "today (2026-12-05): not today's reading") in text, (name, text)
        with replay_day(dt.date(2025, 12, 29)):
            for name in ("spillover_net", "spillover_network"):
                assert "not today's reading" not in notes(FIGURES[name].draw(ctx)), name
    finally:
        w.close()
