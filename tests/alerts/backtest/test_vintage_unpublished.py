"""``VintageSource.unpublished`` on the real 10-year (h_mut9).

While the par curve ran (to 2025-07-11) the 10-year of a day is out that evening: nothing is
pending (also on a Saturday). Afterwards H.15 gives it the next business day: on 2025-12-30
the day's own is pending until 12-31; on 2025-12-31 until 2026-01-02 (New Year's Day); on
Saturday 2026-01-03 Friday's until Monday 01-05.
"""

from __future__ import annotations

import pandas as pd
import pytest

from spillwatch.alerts.backtest.vintage import VintageSource
from spillwatch.data.source import open_source

pytestmark = pytest.mark.realdata

T = pd.Timestamp


def test_the_10_year_pending_on_an_evening(real_db):
    with open_source(real_db, read_only=True) as src:
        got = {d: VintageSource.of(src, d).unpublished("ust10y")
               for d in ("2025-04-09", "2025-04-12", "2025-12-30", "2025-12-31", "2026-01-03")}
    assert got == {"2025-04-09": None, "2025-04-12": None,
                   "2025-12-30": (T("2025-12-30"), T("2025-12-31")),
                   "2025-12-31": (T("2025-12-31"), T("2026-01-02")),
                   "2026-01-03": (T("2026-01-02"), T("2026-01-05"))}
