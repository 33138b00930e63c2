"""Two-day blocks (h_mut17): a block whose last row one asset missed (its holiday) while
another asset is in a long gap joins the next block; the joined block's change of the asset on
holiday is its whole move to the next common close, and the block is labelled and dated by
the later block. Reference: the change of the levels between the closes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spillwatch.analytics.connectedness import synchronous_changes


def test_a_holiday_at_a_block_end_during_another_asset_s_long_gap_joins_the_next_block():
    # two-day pairs of January 2024 (fixed since Monday 1970-01-05): ... (Mon 8, Tue 9),
    # (Wed 10, Thu 11), (Fri 12, Mon 15), (Tue 16, Wed 17) ...
    dates = pd.bdate_range("2024-01-02", "2024-01-31", name="date")
    rng = np.random.default_rng(3)
    level_b = pd.Series(400.0 + np.cumsum(rng.normal(0, 5, len(dates))), dates)
    level_b[pd.Timestamp("2024-01-11")] = np.nan                 # b's holiday: Thursday 11
    ch_b = level_b.dropna().diff().reindex(dates)                 # the panel's changes
    ch_a = pd.Series(rng.normal(0, 1, len(dates)), dates)
    ch_a[pd.Timestamp("2024-01-10"):pd.Timestamp("2024-01-12")] = np.nan   # 3 rows > 2
    changes = pd.DataFrame({"btc_pct": ch_a, "ust10y_bp": ch_b})
    out = synchronous_changes(changes, sampling="two_day", max_missing_run=2)
    assert pd.Timestamp("2024-01-11") not in out.index
    row = out.loc[pd.Timestamp("2024-01-15")]
    # b: from Tuesday 9's close to Monday 15's, its next close after Thursday 11 in the block
    want = level_b[pd.Timestamp("2024-01-15")] - level_b[pd.Timestamp("2024-01-09")]
    assert row["ust10y_bp"] == pytest.approx(want, abs=1e-9)
    assert np.isnan(row["btc_pct"])                               # its long gap
    at = list(out.index).index(pd.Timestamp("2024-01-15"))
    ends = pd.DatetimeIndex(out.attrs["synchronous"]["block_end"])
    starts = pd.DatetimeIndex(out.attrs["synchronous"]["block_start"])
    assert ends[at] == pd.Timestamp("2024-01-15")
    assert starts[at] == pd.Timestamp("2024-01-10")


def test_a_holiday_just_before_the_last_common_close_still_ends_its_block_on_its_close():
    # b's holiday on Thursday 11 ends the pair (Wed 10, Thu 11) on Wednesday's common close
    # (module docstring); Thursday's row goes with Friday 12, the data's last common close,
    # whose pair (Fri 12, Mon 15) is not complete
    dates = pd.bdate_range("2024-01-02", "2024-01-12", name="date")
    rng = np.random.default_rng(5)
    ch = pd.DataFrame({"btc_pct": rng.normal(0, 1, len(dates)),
                       "ust10y_bp": rng.normal(0, 5, len(dates))}, index=dates)
    ch.loc[pd.Timestamp("2024-01-11"), "ust10y_bp"] = np.nan
    out = synchronous_changes(ch, sampling="two_day", max_missing_run=2)
    assert list(out.index) == list(pd.DatetimeIndex(["2024-01-03", "2024-01-05",
                                                     "2024-01-09", "2024-01-10"]))
    np.testing.assert_allclose(out.loc[pd.Timestamp("2024-01-10")].to_numpy(),
                               ch.loc[pd.Timestamp("2024-01-10")].to_numpy(), atol=1e-12)
