"""The gauge's result is kept by its inputs, options and end: the same data fit once."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from spillwatch.analytics.demand import DemandGauge, DemandInputs, demand
from spillwatch.service import demand as demand_service
from spillwatch.service.workspace import Workspace


def _inputs(rng, weeks: int = 300) -> DemandInputs:
    wed = pd.date_range("2012-01-04", periods=weeks, freq="7D")
    custody = pd.Series(3e6 + np.cumsum(rng.normal(2e3, 1e4, weeks)), index=wed)
    mof = pd.DataFrame({"assets_ltdebt_net_jpy100m": rng.normal(1000, 8000, weeks)},
                       index=wed + pd.Timedelta(days=3))
    return DemandInputs(custody=custody, mof_weekly=mof)


def _copy(inp: DemandInputs, **change: object) -> DemandInputs:
    return DemandInputs(custody=inp.custody.copy(), mof_weekly=inp.mof_weekly.copy(),
                        **change)


def test_the_same_inputs_are_one_fit_and_any_change_is_another(rng):
    inp = _inputs(rng)
    first = demand(inp, burn_in=50)
    assert demand(_copy(inp), burn_in=50) is first          # equal inputs built again
    # what is kept is what a fit computes
    fresh = DemandGauge(burn_in=50).fit(inp)
    pd.testing.assert_frame_equal(first.frame, fresh.frame)
    # a revised figure, the same figures a week later, another option, end or series id:
    # each its own fit
    revised = inp.custody.copy()
    revised.iloc[-1] *= 0.9
    moved = demand(DemandInputs(custody=revised, mof_weekly=inp.mof_weekly), burn_in=50)
    assert moved is not first
    assert moved.frame["custody_chg1_usd_bn"].iloc[-1] != first.frame[
        "custody_chg1_usd_bn"].iloc[-1]
    later = DemandInputs(custody=inp.custody.set_axis(inp.custody.index + pd.Timedelta(days=7)),
                         mof_weekly=inp.mof_weekly)
    assert demand(later, burn_in=50) is not first
    assert demand(inp, burn_in=60) is not first
    end = inp.custody.index[-20] + pd.Timedelta(days=1)
    cut = demand(inp, burn_in=50, end=end)
    assert cut is not first and cut.frame.index[-1] == end
    named = demand(_copy(inp, series_ids={"custody": "fred:WMTSECL1"}), burn_in=50)
    assert named is demand(_copy(inp, series_ids={"custody": "fred:WMTSECL1"}), burn_in=50)
    # the same values in another dtype are read alike: kept apart or not, the same numbers
    floats = inp.mof_weekly.astype("float32")
    other = demand(DemandInputs(custody=inp.custody, mof_weekly=floats), burn_in=50)
    pd.testing.assert_frame_equal(other.frame, DemandGauge(burn_in=50).fit(
        DemandInputs(custody=inp.custody, mof_weekly=floats)).frame)


def test_a_kept_result_handed_out_again_is_unchanged_by_a_caller(rng):
    inp = _inputs(rng)
    first = demand(inp, burn_in=50)
    before = first.frame.copy()
    frame = first.frame
    frame.loc[:, "gauge"] = 0.0                              # the caller's copy
    again = demand(_copy(inp), burn_in=50)
    assert again is first
    pd.testing.assert_frame_equal(again.frame, before)


@pytest.mark.slow
def test_a_second_workspace_on_the_same_data_fits_the_gauge_once():
    with Workspace("demo") as one, Workspace("demo") as two:
        a, b = demand_service.demand(one), demand_service.demand(two)
    # the service's result is its own (its stored inputs ride with it); the fit is shared
    assert a is not b and a.signals is b.signals
    assert dataclasses.replace(a, stored_inputs=None).frame.equals(b.frame)


def test_inputs_holding_a_cell_pandas_cannot_hash_are_fit_and_not_kept(rng):
    """A list in an event table's cell (pandas' row hash refuses it: TypeError) leaves the
    gauge's result unkept, not the call failed: each call fits, and gives what a fit gives."""
    inp = _inputs(rng)
    sold = pd.DataFrame({"date": [inp.custody.index[-30]], "currency_pair": ["USDJPY"],
                         "direction": ["sell_usd"], "amount_jpy_bn": [5000.0],
                         "note": [["MOF", "confirmed"]]})
    odd = _copy(inp, interventions=sold)
    first = demand(odd, burn_in=50)
    again = demand(odd, burn_in=50)
    assert again is not first
    pd.testing.assert_frame_equal(first.frame, DemandGauge(burn_in=50).fit(odd).frame)
    plain = demand(inp, burn_in=50).frame["custody_chg1_usd_bn"]
    assert first.frame["custody_chg1_usd_bn"].iloc[-1] == plain.iloc[-1]
    assert np.isfinite(plain.iloc[-1]) and plain.iloc[-1] != 0.0
