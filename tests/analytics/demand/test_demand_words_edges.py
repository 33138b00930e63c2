"""The foreign-demand result's words at the edges no test pinned (h_mut6's surviving mutants):
"calm" only under the gauge's lower band (mutants said it at the band, or up to
the upper band), and every
input of a group read in part named in words (mutants dropping "Fed custody holdings", "MOF
weekly flows", "MOF intervention reports" from the table printed the field names)."""

from __future__ import annotations

import pytest

from spillwatch.analytics.demand._results import partial_notes
from spillwatch.plotting.demand import BANDS
from spillwatch.service import demand as service
from spillwatch.service.workspace import Workspace


@pytest.fixture(scope="module")
def demo():
    ws = Workspace("demo")
    yield ws
    ws.close()


@pytest.mark.parametrize(("end", "pct", "reads"), [
    # between the bands: foreigners count as selling (sell_america_check's default), so no
    # "calm", though it is not the top decile either
    ("2026-10-29", 83, "(percentile 83); attribution"),
    # at the band itself (the demo's 2023-10-31 ranks exactly 80.0): selling, as the dial's
    # amber step and lead_phrase ("led by", not "calm") read it
    ("2023-10-31", 80, "(percentile 80); attribution"),
    ("2026-10-30", 69, "(percentile 69, calm); attribution"),
])
def test_calm_is_said_under_the_lower_band_only(demo, end, pct, reads):
    res = service.demand(demo, end=end)
    last = res.latest()
    assert last["date"] == end and int(last["percentile"]) == pct
    if pct == 80:
        assert last["percentile"] == BANDS[0]
    first = res.summary().splitlines()[0]
    assert reads in first, first


@pytest.mark.parametrize(("group", "indicator", "words"), [
    ("custody", "custody_chg4_z", "Fed custody holdings"),
    ("japan_private", "japan_bond_net1_z", "MOF weekly flows"),
    ("japan_official", "intervention_usd_sold_2m_jpy_bn", "MOF intervention reports"),
    ("auctions", "auction_weakness_28d", "auction results"),
    ("china", "china_reserves_flow_z", "SAFE reserves"),
    ("china", "tic_china_mainland_flow_z", "TIC holdings"),
])
def test_each_input_is_named_in_words(group, indicator, words):
    last = {"groups_partial": {group: [indicator]}, "inputs": {}, "signals": {}}
    (absent,) = partial_notes(last, frozenset())
    assert absent.endswith(f" (no {words} in the data)"), absent
    (later,) = partial_notes(last, frozenset({"custody", "mof_weekly", "interventions",
                                              "auctions", "china_reserves", "tic"}))
    assert later.endswith(f" (no {words} published by then: the store's figures begin "
                          "later)"), later
    stale = dict(last, inputs={k: {"observed": "2025-12-31", "stale": True} for k in
                               ("custody", "mof_weekly", "interventions", "auctions",
                                "china_reserves", "tic")})
    (old,) = partial_notes(stale, frozenset())
    assert old.endswith(f" ({words} last observed 2025-12-31: past its staleness limit)"), old


@pytest.mark.slow
def test_a_gauge_in_its_burn_in_leaves_no_group_out(demo):
    """A gauge read before its percentile has the history to rank it (the demo's first weeks)
    has a largest group and no ranked groups: a percentile that is not there leaves nothing out,
    and the reading is worded as any other (h_mut30: a ``top_ranked`` reading "no ranked groups"
    as "the largest one left out" raised TypeError on such an evening and passed every test)."""
    from spillwatch.plotting.demand import top_ranked

    frame = service.demand(demo).frame
    day = frame.index[frame["gauge"].notna() & frame["percentile"].isna()][-1]
    res = service.demand(demo, end=f"{day:%Y-%m-%d}")
    last = res.latest()
    assert last["percentile"] is None and last["percentile_groups"] is None
    assert last["top_group"] == "japan_private"
    assert service.summary(demo, res)["top_group_ranked"] is True
    head = service.headline(demo, today=day.date())
    assert head is not None and head["top_group_ranked"] is True
    first = res.summary().splitlines()[0]
    assert "(percentile n/a); attribution: Japan private 48%, auctions 31%" in first, first
    # nothing to leave out: no largest group (a gauge without a reading), no ranked groups
    assert top_ranked("", None) and top_ranked("", ["china"]) and top_ranked("china", [])
    assert not top_ranked("custody", ["japan_private", "china"])
