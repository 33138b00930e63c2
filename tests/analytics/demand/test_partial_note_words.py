"""Why a group is read in part says whether its input is missing or not yet out, in words."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from spillwatch.analytics.demand._results import partial_notes
from spillwatch.cli import app

LAST = {"groups_partial": {"china": ["china_reserves_flow_z"]}, "inputs": {}, "signals": {}}


@pytest.mark.parametrize(("stored", "why"), [
    # on 2013-06-24 the note read "(no china_reserves input)": a field name, and wrong, as the
    # store holds SAFE's figures from 2015
    (frozenset({"china_reserves"}), "(no SAFE reserves published by then: the store's "
                                    "figures begin later)"),
    (frozenset({"custody"}), "(no SAFE reserves in the data)"),
    (None, "(no SAFE reserves in the data by then)"),        # the result alone cannot tell
])
def test_a_missing_input_is_named_in_words(stored, why):
    assert partial_notes(LAST, stored) == [
        f"read in part: China without China reserves flow vs its fit {why}"]


@pytest.mark.realdata
def test_before_safe_s_first_month_the_headline_says_it_was_not_out(real_db):
    """`run --as-of 2013-06-24`'s foreign-selling line (the headline's `partial`)."""
    import datetime as dt

    from spillwatch.alerts.backtest.vintage import vintage_workspace
    from spillwatch.data.source import open_source
    from spillwatch.service import demand as service
    from spillwatch.service._today import replay_day
    from spillwatch.service.workspace import Workspace

    day = dt.date(2013, 6, 24)
    with Workspace(open_source(real_db, read_only=True)) as ws, replay_day(day):
        line = service.headline(vintage_workspace(ws, day), today=day)
    (partial,) = line["partial"]
    # (and since session 52, when: SAFE's first month in the store)
    assert "China without China reserves flow vs its fit (no SAFE reserves published by " \
           "then: the store's figures begin 2015-06-30)" in partial
    assert "china_reserves input" not in partial


def test_a_stale_input_is_named_in_words_too():
    """The stale branch still printed the field name ("(tic last observed 2025-12-31: past its
    staleness limit)") where the others now say "TIC holdings"."""
    last = {"groups_partial": {"china": ["tic_china_mainland_flow_z"]},
            "inputs": {"tic": {"observed": "2025-12-31", "stale": True}}, "signals": {}}
    assert partial_notes(last, frozenset({"tic"})) == [
        "read in part: China without TIC China change net of valuation vs its past "
        "(TIC holdings last observed 2025-12-31: past its staleness limit)"]


@pytest.mark.realdata
def test_demand_says_a_partial_reading_once_in_one_wording(real_db):
    """On 2013-06-24 `demand` printed the note twice, in two wordings: "NOTE: read in part: China
    without China reserves flow vs its fit (no SAFE reserves published by then: the store's
    begin later)" and, in the result's own lines, "(no SAFE reserves in the data by then)": the
    service passed the stored inputs to the note, the result did not, so the two no longer
    matched and the NOTE's de-duplication let both through."""
    res = CliRunner().invoke(app, ["demand", "--db", str(real_db), "--as-of", "2013-06-24"])
    assert res.exit_code == 0, res.output
    text = " ".join(res.stdout.split())
    assert text.count("read in part: China without China reserves flow vs its fit") == 1
    assert "(no SAFE reserves published by then: the store's figures begin 2015-06-30)" in text
    assert "in the data by then" not in text


@pytest.mark.realdata
def test_the_stored_inputs_count_those_made_of_several_series(real_db):
    """TIC (one series per holder, ``tic:*``) and MOF's weekly lines (``mof:weekly_*``) were
    never among the stored inputs, so a TIC indicator missing before TIC's first release read
    "(no TIC holdings in the data)" on a store that holds them (h_mut5)."""
    from spillwatch.data.source import open_source
    from spillwatch.service.demand import stored_inputs
    from spillwatch.service.workspace import Workspace

    with Workspace(open_source(real_db, read_only=True)) as ws:
        held = stored_inputs(ws)
    assert {"tic", "mof_weekly", "mof_monthly", "china_reserves", "custody"} <= held.keys()
    last = {"groups_partial": {"china": ["tic_china_mainland_flow_z"]}, "inputs": {},
            "signals": {}}
    assert partial_notes(last, held) == [
        "read in part: China without TIC China change net of valuation vs its past "
        "(no TIC holdings published by then: the store's figures begin later)"]
