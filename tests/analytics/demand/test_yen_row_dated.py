"""The demand table's yen row says which day's H.10 rate it is (h_ep6)."""

from __future__ import annotations

import pandas as pd
import pytest

from spillwatch.analytics.demand import DemandInputs, demand

pytestmark = pytest.mark.realdata


def _col(path, column=None) -> pd.Series:
    f = pd.read_csv(path, parse_dates=["date"], index_col="date")
    s = f[column] if column else f.iloc[:, 0]
    return s["2022-10-01":"2022-12-31"]


def test_yen_row_names_the_h10_day_it_is_of(shared_data):
    """On the evening of the BoJ's 2022-12-20 turn (the 10-year band widened to ±0.5%) the
    table read "yen per dollar 136.55" with nothing to say it was the noon rate of Friday
    12-16 (the H.10 of that week is out Monday 12-19; 12-20's own 131.08 only on 12-27),
    beside the 10-year JGB of the day (0.432): a desk read a 4% older yen as the evening's."""
    jpy = _col(shared_data / "fred" / "DEXJPUS.csv")
    inputs = DemandInputs(
        usdjpy=jpy, ust10y=_col(shared_data / "fred" / "DGS10.csv"),
        jgb10y=_col(shared_data / "japan" / "jgb_yields_mof.csv", "jgb_10y"))
    result = demand(inputs)
    row = result.signals_table("2022-12-20").loc["usdjpy"]
    assert row["value"] == pytest.approx(jpy["2022-12-16"])        # 136.55, not 12-20's 131.08
    assert row["signal"] == "yen per dollar (2022-12-16)"
    # the Monday after the BoJ week, that week's rates are out: the row moves on with them
    later = result.signals_table("2022-12-27").loc["usdjpy"]
    assert later["signal"] == "yen per dollar (2022-12-23)"
    assert later["value"] == pytest.approx(jpy["2022-12-23"])      # 132.78
