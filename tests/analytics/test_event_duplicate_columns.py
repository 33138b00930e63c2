"""An event study of a panel with a column name twice is refused by name.

The uniqueness check ran only when a column name was not text (0 and '0'), so two
'btc_pct' columns (``pd.concat`` of two panels) ended in numpy's "matmul: Input operand 1 has
a mismatch in its core dimension 0" (the factor once) or "Singular matrix" (the factor twice),
where ``connectedness`` says "column names must be unique".
"""
import pandas as pd
import pytest

from _event_market import synthetic_market
from spillwatch.analytics.events import Event, EventStudy
from spillwatch.exceptions import DataError


@pytest.mark.parametrize("twice", ["btc_pct", "spx_pct"])
def test_a_column_given_twice_is_a_data_error(twice):
    market = synthetic_market()
    panel = pd.concat([market, market[[twice]]], axis=1)
    study = EventStudy(window=(-1, 2), estimation=60, gap=5, factors=("spx_pct",))
    with pytest.raises(DataError, match=r"column names must be unique as text, got "
                                        rf"\['spx_pct', 'btc_pct', '{twice}'\]"):
        study.fit(panel, [Event("x", market.index[150], "test")], series=["btc_pct"])


def test_unique_columns_still_fit():
    market = synthetic_market()
    res = EventStudy(window=(-1, 2), estimation=60, gap=5, factors=("spx_pct",)).fit(
        market, [Event("x", market.index[150], "test")], series=["btc_pct"])
    assert len(res.car) == 1 and res.car.iloc[0]["series"] == "btc_pct"
