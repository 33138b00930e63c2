"""check_batch's own accounting guard: a point neither clean, quarantined nor merged raises.

A surviving mutant (h_mut2, DQ13: ``!= n_in`` -> ``> n_in``) made the guard blind to lost
points, the failure it exists for ("nothing is dropped without a quarantine row"). A check
that drops a point without its quarantine row is simulated by a quarantine writer that
loses the rows.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spillwatch.data import quality
from spillwatch.data.providers.csvfile import SeriesSpec
from spillwatch.exceptions import AccountingError

UST = SeriesSpec("fred:DGS10", "10y", "pct", "daily", "rates", "fred", "DGS10", False)


def test_a_point_dropped_without_its_quarantine_row_raises(monkeypatch):
    obs = pd.DataFrame({"series_id": UST.series_id,
                        "ts": pd.to_datetime(["2025-06-02", "2025-06-03", "2025-06-04"]),
                        "value": [4.0, np.nan, 4.1]})
    kw = dict(source="s", now=pd.Timestamp("2025-06-10"))
    clean, q = quality.check(obs, [UST], **kw)              # the guard closes: 2 + 1 = 3
    assert len(clean) == 2 and len(q) == 1
    real = quality._rows
    monkeypatch.setattr(quality, "_rows", lambda frame, reason, source: real(
        frame.iloc[:0], [], source))
    with pytest.raises(AccountingError, match="got 3 point"):
        quality.check(obs, [UST], **kw)
