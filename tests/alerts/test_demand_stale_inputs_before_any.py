"""``demand.stale_inputs`` before any foreign-demand input has reported (h_mut23, h_data2).

The live facts counted "no input is stale" as 0 on evenings before MOF's first intervention
report (1991-05-31, the first foreign-demand input of ../shared/data) and on a store without any
foreign-demand input, where the replay of the same evening said unknown: the replay-equals-
truncated-runs property broke on 1990-91 and a store of FRED files alone read "nothing stale".
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

pytestmark = [pytest.mark.realdata, pytest.mark.slow]


def test_no_count_before_the_first_input_and_zero_after(real_db):
    from spillwatch.alerts.facts import compute_facts
    from spillwatch.data.source import open_source

    with open_source(real_db, read_only=True) as src:
        before = compute_facts(src.store, as_of=dt.date(1991, 3, 15), stress=False,
                               spillover=False)
        after = compute_facts(src.store, as_of=dt.date(1991, 6, 3), stress=False,
                              spillover=False)
    none = before.get("demand.stale_inputs")
    assert none.value is None
    assert none.reason == ("no value on 1991-03-15: none of the inputs it counts has reported "
                           "by then: MOF weekly flows, China's reserves, MOF's FX interventions "
                           "(monthly report), auctions (custody and TIC are the stale_data "
                           "rule's)")
    assert before.get("demand.stale_inputs_list").reason == none.reason
    # MOF's report of 1991-05-31 is the first input: from then on a count, 0 here
    assert after.get("demand.stale_inputs").value == 0.0
    assert after.get("demand.stale_inputs_list").reason.startswith(
        "none on 1991-06-03: no foreign-demand input is past its staleness limit")


def test_the_replay_s_fast_path_reads_the_same(real_db):
    import pandas as pd

    from spillwatch.analytics.demand.facts import (
        demand_fact_frame,
        demand_facts,
        inputs_reported,
    )
    from spillwatch.data.source import open_source
    from spillwatch.service import demand as demand_service
    from spillwatch.service.workspace import Workspace

    with Workspace(open_source(real_db, read_only=True)) as ws:
        res = demand_service.demand(ws)
    days = pd.DatetimeIndex(["1991-05-30", "1991-05-31", "2024-01-02"])
    assert inputs_reported(res, days).tolist() == [False, True, True]
    frame = demand_fact_frame(res, days)["demand.stale_inputs"]
    assert math.isnan(frame.iloc[0]) and frame.iloc[1:].tolist() == [0.0, 0.0]
    # a live reading of a day with a gauge counts as the fast path does
    assert demand_facts(res, at=days[2])["demand.stale_inputs"] == 0.0
