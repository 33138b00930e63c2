"""``demand.stale_inputs`` on a store whose only foreign-demand input is the auction record.

``inputs_reported`` counts the auction record from its first auction (h_mut24: with its test
days all after MOF's first report on ../shared/data, dropping the auctions' branch, or reading
the first auction's own day as before it, survived the tests): a store of the auction file
alone has no count before 2015-01-12, the record's first auction, and 0 from that day on.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from _cut_store import cut_files
from spillwatch.data.source import open_source
from spillwatch.service import demand as demand_service
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata


def _demand_of(shared_data, tmp_path, rel):
    """The demand result of a store holding one file of ../shared/data, whole."""
    with Workspace(open_source(cut_files(shared_data, tmp_path, [rel]),
                               db=tmp_path / "s.duckdb")) as ws:
        return demand_service.demand(ws)


def test_the_auction_record_alone_counts_from_its_first_auction(shared_data, tmp_path):
    from spillwatch.analytics.demand.facts import (
        demand_fact_frame,
        demand_facts,
        inputs_reported,
    )

    res = _demand_of(shared_data, tmp_path, "auctions/ust_auctions_notes_bonds.csv")
    days = pd.DatetimeIndex(["2015-01-09", "2015-01-12", "2015-01-13"])
    assert inputs_reported(res, days).tolist() == [False, True, True]
    frame = demand_fact_frame(res, days)["demand.stale_inputs"]
    assert math.isnan(frame.iloc[0]) and frame.iloc[1:].tolist() == [0.0, 0.0]
    # the live reading of the first auction's day (the gauge's first) counts as the replay
    assert demand_facts(res, at=days[1])["demand.stale_inputs"] == 0.0


def test_a_gauge_read_on_tic_alone_has_no_stale_count(shared_data, tmp_path):
    """TIC is a gauge input :func:`stale_inputs` does not judge: a store of TIC alone has a
    gauge on every evening from 2000 and no input to count, so the replay's count is unknown
    there too (only the live reading's was tested; the replay's own guard could go, h_mut24)."""
    from spillwatch.analytics.demand.facts import (
        demand_fact_frame,
        demand_facts,
        inputs_reported,
    )

    res = _demand_of(shared_data, tmp_path, "tic/major_foreign_holders.csv")
    days = pd.DatetimeIndex(["2000-06-30", "2024-01-02"])
    assert res.day(days[0]) <= days[0]             # a row of the calendar by then (TIC's)
    assert inputs_reported(res, days).tolist() == [False, False]
    assert demand_fact_frame(res, days)["demand.stale_inputs"].isna().all()
    assert demand_facts(res, at=days[1])["demand.stale_inputs"] is None


def test_mof_weekly_flows_alone_count_from_their_first_week(shared_data, tmp_path):
    """MOF's weekly flows are the first input :func:`inputs_reported` reads: alone in a store,
    they count from their first week's publication (2005-01-02..08, on 2005-01-12) and not the
    day before (reading none but the other inputs survived the real store's tests, h_mut24)."""
    from spillwatch.analytics.demand.facts import inputs_reported

    res = _demand_of(shared_data, tmp_path, "holdings/mof_weekly_intl_securities.csv")
    days = pd.DatetimeIndex(["2005-01-11", "2005-01-12", "2024-01-02"])
    assert inputs_reported(res, days).tolist() == [False, True, True]
