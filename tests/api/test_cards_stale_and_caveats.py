"""The dashboard's history cards say when their series is not today's, and the demand dial gives
the headline's caveats, in the words the CLI and the headline print for the same evening."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.slow


def _notes(fig) -> str:
    return " ".join(a.text for a in fig.layout.annotations if a.text).replace("<br>", " ")


def test_the_stress_and_attribution_cards_say_their_series_is_stale(real_db):
    """On ../shared/data's latest evening (2026-12-05) the stress reading is of 2026-01-06 and
    the foreign-demand gauge's of 2026-07-10. The gauge and the dial said "not today's
    reading"; the "Stress index and regimes", "What drives the stress index" and "Foreign
    selling by group" cards beside them drew series 333 and 148 days old with no word. They
    now carry `stress`'s and `demand`'s own notes; on an evening both are current
    (2022-10-21, replayed) they carry none."""
    from spillwatch.api.views import FIGURES, ViewContext
    from spillwatch.data.source import open_source
    from spillwatch.service._today import replay_day
    from spillwatch.service.workspace import Workspace

    stress_note = ("the stress reading is as of 2026-01-06, 333 days before today "
                   "(2026-12-05): not today's reading; import or fetch newer data")
    demand_note = ("the foreign-demand gauge is as of 2026-07-10, 148 days before today "
                   "(2026-12-05): not today's reading; import or fetch newer data")
    w = Workspace(open_source(real_db, read_only=True))
    try:
        ctx = ViewContext(w, "test")
        with replay_day(dt.date(2026, 12, 5)):
            for name, note in (("stress_history", stress_note),
                               ("stress_contributions", stress_note),
                               ("demand_attribution", demand_note)):
                text = _notes(FIGURES[name].draw(ctx))
                assert note in text, (name, text)
            # the contributions keep their own note on the sub-index without data, on its line
            contrib = _notes(FIGURES["stress_contributions"].draw(ctx))
            assert "no data, drawn as no contribution (not as calm): credit since 2026-01-06" \
                in contrib
    finally:
        w.close()


def test_a_past_evening_with_current_series_has_no_stale_note(real_db):
    """The note is the staleness limit's, judged on the evening: 2022-10-21's cards have none."""
    from spillwatch.alerts.backtest.vintage import vintage_workspace
    from spillwatch.api.views import FIGURES, ViewContext
    from spillwatch.data.source import open_source
    from spillwatch.service._today import replay_day
    from spillwatch.service.workspace import Workspace

    w = Workspace(open_source(real_db, read_only=True))
    try:
        day = dt.date(2022, 10, 21)
        ctx = ViewContext(vintage_workspace(w, day), "test", as_of=day)
        with replay_day(day):
            for name in ("stress_history", "stress_contributions", "demand_attribution"):
                assert "not today's reading" not in _notes(FIGURES[name].draw(ctx)), name
    finally:
        w.close()


def test_the_demand_dial_gives_the_headlines_caveats(real_db):
    """On 2020-03-18 the headline said "read in part: China without China reserves flow vs its
    fit (too few readings yet to rank it)" and "the percentile ranks this gauge against 3.9
    years of its readings (1,018 days since 2016-04-25): a selling wave that history has not
    seen can read as calm"; the dial beside it showed only "91 pct, led by foreign official
    custody". It now prints both, word for word."""
    from spillwatch.alerts.backtest.vintage import vintage_workspace
    from spillwatch.data.source import open_source
    from spillwatch.service import demand as demand_service
    from spillwatch.service._today import replay_day
    from spillwatch.service.workspace import Workspace

    w = Workspace(open_source(real_db, read_only=True))
    try:
        day = dt.date(2020, 3, 18)
        then = vintage_workspace(w, day)
        with replay_day(day):
            head = demand_service.headline(then)
            text = _notes(demand_service.dial(then))
        assert head is not None and head["partial"] and head["short_history"]
        assert head["partial"][0].startswith("read in part: China without China reserves")
        assert "3.9 years of its readings" in head["short_history"]
        for caveat in (head["partial"][0], head["short_history"]):
            assert " ".join(caveat.split()) in " ".join(text.split()), (caveat, text)
    finally:
        w.close()


def test_the_demand_dial_names_a_group_without_a_reading_as_demand_does(real_db):
    """On 2019-02-15 China's TIC line was past its limit: `demand --as-of 2019-02-15` said
    "unavailable (unknown, not calm): China (last observed 2018-12-31: past its staleness
    limit)" and the dial beside it only "4 of 5 groups read; unavailable: China", by a rule of
    its own (the shares without a value). It now writes `demand`'s line under the dial, word
    for word, from the result `demand` reads."""
    from _evening import evening
    from spillwatch.service import demand as demand_service

    day = dt.date(2019, 2, 15)
    with evening(real_db, day) as then:
        res = demand_service.demand(then)
        fig = demand_service.dial(then, res)
    line = next(x for x in str(res.summary()).splitlines()
                if x.startswith("unavailable (unknown, not calm): "))
    assert line.startswith("unavailable (unknown, not calm): China (last observed 2018-12-31: "
                           "past its staleness limit); the percentile ranks the gauge of "
                           "foreign official custody, Japan private, Japan official and "
                           "auctions among past values"), line
    assert " ".join(line.split()) in " ".join(_notes(fig).split())
    assert fig.layout.title.text.endswith("<sup>4 of 5 groups read</sup>")
    # on an evening with every group read (2020-03-16) the dial names none
    with evening(real_db, dt.date(2020, 3, 16)) as then:
        res = demand_service.demand(then)
        assert res.latest()["groups_unavailable"] == []
        assert "unavailable" not in _notes(demand_service.dial(then, res))
