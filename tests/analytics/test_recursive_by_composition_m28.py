"""A composition's fallback ranks only its own rows (h_mut28, mutation round 28).

``by_composition`` ranks each row within the parts present on it and, while that composition
is too young, within its largest sub-composition. A mutant that let a fallback's ranks land on
every row the sub-composition covers (``got &= todo`` dropped) survived the suite: the
sub-composition's rank overwrote the rows the full composition had already ranked, and the
stress index's and the gauge's percentiles would read the wrong scale there.
"""
import numpy as np

from spillwatch.analytics._recursive import by_composition

BURN = 3


def _rank(present):
    """A rank whose value names its composition and row: 10 x bit mask + row (NaN in burn-in)."""
    def rank(members, end):
        avail = present[:end, members].all(axis=1)
        count = np.cumsum(avail)
        code = sum(1 << i for i in members)
        t = np.arange(end, dtype=float)
        return np.where(avail & (count >= BURN), 10.0 * code + t, np.nan)
    return rank


def test_a_fallback_ranks_its_own_rows_and_leaves_the_full_composition_s():
    # part 0 on every row, part 1 from row 2: rows 0-1 hold {0}, rows 2-5 hold {0, 1}
    present = np.array([[1, 0], [1, 0], [1, 1], [1, 1], [1, 1], [1, 1]], dtype=bool)
    members = np.full(6, -1, dtype=np.int64)
    got = by_composition(present, np.ones(6, dtype=bool), _rank(present), members)
    # {0} needs 3 rows: none on rows 0-1; {0, 1} ranks from its third row (row 4); rows 2-3
    # fall back to {0} (its rows 2 and 3: 10 x 1 + t), rows 4-5 keep {0, 1}'s (10 x 3 + t)
    np.testing.assert_array_equal(got, [np.nan, np.nan, 12.0, 13.0, 34.0, 35.0])
    assert members.tolist() == [-1, -1, 1, 1, 3, 3]


def test_rows_not_used_get_no_rank_from_a_fallback():
    present = np.array([[1, 0], [1, 0], [1, 0], [1, 1], [1, 1], [1, 1]], dtype=bool)
    use = np.array([True, True, False, True, True, True])
    got = by_composition(present, use, _rank(present))
    # row 2 is not used: it stays NaN though {0} ranks it; rows 3-5 fall back to {0}
    np.testing.assert_array_equal(got, [np.nan, np.nan, np.nan, 13.0, 14.0, 35.0])
