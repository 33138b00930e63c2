"""A book's short-history note names a late position, not a holiday at the window's start."""

from __future__ import annotations

import numpy as np
import pandas as pd

from spillwatch.service.risk import short_book_note


def _held(first_b: int, n: int = 300) -> tuple[pd.DataFrame, pd.Series]:
    days = pd.bdate_range("2023-01-16", periods=n)
    rng = np.random.default_rng(0)
    held = pd.DataFrame({"gold_pct": rng.normal(size=n), "spx_pct": rng.normal(size=n)},
                        index=days)
    held.iloc[:first_b, 1] = np.nan
    pnl = held.dropna().sum(axis=1)
    return held, pnl


def test_a_holiday_print_at_the_window_s_start_blames_no_position():
    """`risk --portfolio` of spx and gold with --start 2023-01-16 (MLK day: gold printed,
    the S&P 500 did not) read "spx_pct begins on 2023-01-17; the other positions have 356
    days together": the book was short because of --start, and the one day was gold's."""
    held, pnl = _held(first_b=1)
    assert short_book_note(held, pnl, window=500) == []


def test_a_position_that_starts_weeks_later_is_still_named():
    held, pnl = _held(first_b=60)
    notes = short_book_note(held, pnl, window=500)
    assert len(notes) == 1 and "spx_pct begins on" in notes[0]
    assert f"{len(pnl):,} days" in notes[0] and "300 days together" in notes[0]
