"""A reading older than the evening says why on every card, in the report and in the headline,
in the words `demand`, `stress` and `spillover` print for it (h_verify17).

On ../shared/data as published by 2008-09-15, `demand` said why the gauge is of 2008-08-15
("on 2008-09-15 only Japan private and Japan official have a reading (the gauge needs 3): ...");
the dashboard's dial and attribution cards said only that it was old. On 2026-07-15 `stress`
named the input that stopped the index (VIX last 2025-12-30, S&P 500 last 2025-12-31:
fred/VIXCLS.csv and fred/SP500.csv end there) and `spillover` the series that ends every window
(the broad dollar, fred/DTWEXBGS.csv, ends 2025-12-26); the three stress cards, the report's
stress section, the two spillover cards and the headline's spillover line said neither.
"""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.realdata


def _squash(text: str) -> str:
    """Text without its whitespace (a card wraps its note at any space or hyphen)."""
    return "".join(text.replace("<br>", " ").split())


def _notes(fig) -> str:
    return _squash(" ".join(a.text for a in fig.layout.annotations if a.text))


@pytest.fixture(scope="module")
def workspace(real_db):
    from spillwatch.data.source import open_source
    from spillwatch.service.workspace import Workspace

    w = Workspace(open_source(real_db, read_only=True))
    yield w
    w.close()


def _evening(w, day: dt.date):
    from spillwatch.alerts.backtest.vintage import vintage_workspace
    from spillwatch.api.views import ViewContext

    return ViewContext(vintage_workspace(w, day), "test", as_of=day)


@pytest.fixture(scope="module")
def late_2026(workspace):
    """2026-07-15 as `run --as-of` and the dashboard's ``as_of`` replay it: every card, the
    stress section of the report, the headline, and what `stress` and `spillover` say."""
    from spillwatch.api.views import FIGURES
    from spillwatch.report.context import ReportContext
    from spillwatch.report.html import build_sections
    from spillwatch.service import spillover as spillover_service
    from spillwatch.service import stress as stress_service
    from spillwatch.service import summary as summary_service
    from spillwatch.service._today import replay_day

    day = dt.date(2026, 7, 15)
    ctx = _evening(workspace, day)
    ws = ctx.workspace
    with replay_day(day):
        cards = {name: _notes(FIGURES[name].draw(ctx))
                 for name in ("stress_gauge", "stress_history", "stress_contributions",
                              "spillover_net", "spillover_network")}
        stress = stress_service.summary(ws, stress_service.stress(ws))["notes"]
        spill = spillover_service.spillover(ws).notes
        (section,), _ = build_sections(ReportContext(ws), ["stress"])
        lines = summary_service.headline(ws, today=day, scenarios=False).lines()
    return {"cards": cards, "stress": stress, "spillover": spill, "section": section.html,
            "lines": lines}


def test_the_stress_cards_and_section_name_the_input_that_stopped_the_index(late_2026):
    stopped = [n for n in late_2026["stress"] if n.startswith("no reading after 2026-01-06")]
    assert stopped and "vix last 2025-12-30, spx last 2025-12-31" in stopped[0]
    for name in ("stress_gauge", "stress_history", "stress_contributions"):
        assert _squash(stopped[0]) in late_2026["cards"][name], name
        # ... under the freshness note `stress` prints before it
        assert _squash(late_2026["stress"][0]) in late_2026["cards"][name], name
    assert _squash(stopped[0]) in _squash(late_2026["section"])


def test_the_spillover_cards_and_headline_name_the_series_that_ends_every_window(late_2026):
    why = [n for n in late_2026["spillover"] if n.startswith("every window ends by")]
    assert why == ["every window ends by 2025-12-26, where usd_broad_pct stops (the next to "
                   "stop, btc_pct, eth_pct, run to 2026-01-02; the newest to 2026-07-14)"]
    for name in ("spillover_net", "spillover_network"):
        assert _squash(why[0]) in late_2026["cards"][name], name
    (line,) = [ln for ln in late_2026["lines"] if ln.startswith("Net spillover")]
    assert ". STALE: the latest spillover window is as of 2025-12-26" in line
    assert line.endswith(f"; {why[0]}.")


@pytest.fixture(scope="module")
def early_2008(workspace):
    """2008-09-15 replayed: what `demand` says of its gauge, and the dial and attribution."""
    from spillwatch.service import demand as demand_service
    from spillwatch.service._today import replay_day

    day = dt.date(2008, 9, 15)
    ws = _evening(workspace, day).workspace
    with replay_day(day):
        res = demand_service.demand(ws)
        return (demand_service.summary(ws, res)["notes"][0],
                _notes(demand_service.dial(ws, res)),
                _notes(demand_service.attribution(ws, res)))


def test_the_demand_cards_say_why_the_gauge_is_older_than_the_evening(early_2008):
    note, dial, shares = early_2008
    assert ": on 2008-09-15 only Japan private and Japan official have a reading (the gauge " \
           "needs 3): foreign official custody" in note
    assert _squash(note) in dial
    assert _squash(note) in shares


@pytest.fixture(scope="module")
def live_evening(workspace):
    """../shared/data's own evening (2026-12-05): `demand`'s note and its headline's inputs."""
    from spillwatch.service import demand as demand_service
    from spillwatch.service._today import replay_day

    with replay_day(dt.date(2026, 12, 5)):
        note = demand_service.summary(workspace, demand_service.demand(workspace))["notes"][0]
        line = demand_service.headline(workspace, today=dt.date(2026, 12, 5))
    return note, line


def test_the_live_evenings_why_is_of_that_evening(live_evening):
    """On ../shared/data's own evening (2026-12-05) the gauge's why read "on 2026-10-06 only
    auctions has a reading": the calendar without an end stops at the auctions file's last row
    (auctions/ust_auctions_notes_bonds.csv, 2026-10-06), while the headline beside it listed
    "auctions (last 2026-10-06)" past its limit (no auction in the 21 days before the evening:
    the 28-day means stop). It is said of the evening, as the monitor's facts read it."""
    note, line = live_evening
    assert "auctions" in str(line["stale_inputs"]) and "2026-10-06" in str(line["stale_inputs"])
    assert line["notes"] == [note]
    # the evening itself, a Saturday (the calendar's row of it, each input judged that day;
    # it read Friday's 2026-12-04 before the weekend row)
    assert ": on 2026-12-05 no group has a reading (the gauge needs 3): " in note
    assert "auctions (auction results last observed 2026-10-06: past its staleness limit)" \
        in note
    assert "only auctions" not in note


def test_the_headline_judges_its_reading_on_the_day_given(workspace):
    """``headline(ws, today=...)`` outside a replay: the gauge's note is of that day, not the
    clock's (h_mut14: the ``today`` it was given could be dropped unseen, every test of it ran
    inside a replay of the same day)."""
    from spillwatch.service import demand as demand_service

    line = demand_service.headline(workspace, today=dt.date(2026, 12, 5))
    (note,) = line["notes"]
    assert "today (2026-12-05)" in note
