"""check_batch's own accounting guard: a point neither clean, quarantined nor merged raises.

A surviving mutant (h_mut2, DQ13: ``!= n_in`` -> ``> n_in``) made the guard blind to lost
points, the failure it exists for ("nothing is dropped without a quarantine row"). No real
batch loses a point (that is the defect the guard is for), so the guard is checked on its own
(``quality._account``) with the real outcome of a real batch, one of its parts cut short.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spillwatch.data import quality
from spillwatch.data.providers.csvfile import SeriesSpec
from spillwatch.exceptions import AccountingError

UST = SeriesSpec("fred:DGS10", "10y", "pct", "daily", "rates", "fred", "DGS10", False)


def test_a_point_dropped_without_its_quarantine_row_raises():
    obs = pd.DataFrame({"series_id": UST.series_id,
                        "ts": pd.to_datetime(["2025-06-02", "2025-06-03", "2025-06-04"]),
                        "value": [4.0, np.nan, 4.1]})
    got = quality.check_batch(obs, [UST], source="s", now=pd.Timestamp("2025-06-10"))
    assert (len(got.clean), len(got.quarantine), got.merged) == (2, 1, 0)   # 2 + 1 = 3
    quality._account("s", 3, got.clean, got.quarantine, got.merged)          # closes
    with pytest.raises(AccountingError, match=r"got 3 point\(s\) but accounted for 2 "
                                              r"\(2 clean, 0 quarantined"):
        quality._account("s", 3, got.clean, got.quarantine.iloc[:0], got.merged)   # one lost
    with pytest.raises(AccountingError, match="accounted for 3"):
        quality._account("s", 2, got.clean, got.quarantine, got.merged)     # one counted twice
