"""The run's option bounds at their edges (``scenarios.run.check_options``).

The longest horizon is the latest sale's end plus 20 days: a 260-week sale starting after 260
weeks ends on day 2,600 (1,300 + 1,300), so 2,620; the most paths a billion; the most chunks
100,000, counted rounding up (a last partial chunk is a chunk). h_mut26: half that horizon,
``>=`` at the path cap and chunks counted rounding down each passed every test.
"""

from __future__ import annotations

import pytest

from spillwatch.exceptions import ScenarioError
from spillwatch.scenarios import Seller, SelloffScenario
from spillwatch.scenarios.run import (
    MAX_CHUNKS,
    MAX_HORIZON_DAYS,
    MAX_PATHS,
    check_options,
    default_horizon,
)


def test_the_longest_sale_s_default_horizon_is_the_longest_allowed():
    latest = SelloffScenario((Seller("japan", 100e9, weeks=260.0, start_weeks=260.0),))
    assert default_horizon(latest) == 2 * 1_300 + 20 == MAX_HORIZON_DAYS
    check_options(horizon=MAX_HORIZON_DAYS)
    with pytest.raises(ScenarioError, match="horizon must be at most 2620 business days"):
        check_options(horizon=MAX_HORIZON_DAYS + 1)


def test_a_billion_paths_run_and_one_more_does_not():
    assert (MAX_PATHS, MAX_CHUNKS) == (1_000_000_000, 100_000)
    check_options(paths=MAX_PATHS, chunk_size=10_000)          # exactly 100,000 chunks
    with pytest.raises(ScenarioError, match="paths must be at most 1,000,000,000"):
        check_options(paths=MAX_PATHS + 1, chunk_size=10_000)


def test_a_last_partial_chunk_counts_as_a_chunk():
    check_options(paths=200_000, chunk_size=2)                 # 100,000 chunks
    with pytest.raises(ScenarioError, match="are 100,001 chunks, more than 100,000: give a "
                                            "chunk_size of at least 3"):
        check_options(paths=200_001, chunk_size=2)


def test_the_no_sale_baseline_has_nothing_outside_its_horizon():
    from spillwatch.scenarios.run import horizon_info

    info = horizon_info(SelloffScenario.baseline(), 20)
    assert info["sold_usd"] == 0.0 and info["share_within_horizon"] == 1.0
    assert info["covers_sale"] and info["default_horizon_days"] == 20
