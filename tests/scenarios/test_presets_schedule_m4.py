"""Each preset's sale schedule (size, weeks, start) against the README's and the module's words,
computed by hand on the fallback holdings (Japan $1.13tn, China $0.76tn)."""

from __future__ import annotations

import numpy as np
import pytest

from spillwatch.scenarios.selloff import preset

JAPAN, CHINA = 1.13e12, 0.76e12


def _schedule(days: int, *runs: tuple[float, int, int]) -> np.ndarray:
    """USD per business day of sellers (amount, first day, number of days)."""
    out = np.zeros(days)
    for amount, first, n in runs:
        out[first:first + n] += amount / n
    return out


@pytest.mark.parametrize(("name", "want"), [
    # Japan sells $80bn over 3 weeks
    ("japan-intervention", _schedule(200, (80e9, 0, 15))),
    # Japan sells 10% of its holdings over 8 weeks
    ("japan-10pct", _schedule(200, (0.10 * JAPAN, 0, 40))),
    # ... and China follows two weeks later with 10% of its own over 8 weeks
    ("japan-china-coordinated", _schedule(200, (0.10 * JAPAN, 0, 40), (0.10 * CHINA, 10, 40))),
    # half of their holdings each over 26 weeks, China starting a week later
    ("full-dump", _schedule(200, (0.5 * JAPAN, 0, 130), (0.5 * CHINA, 5, 130))),
])
def test_each_preset_sells_what_its_description_says(name, want):
    """The day-by-day sales of every preset, on the fallback holdings, to the dollar."""
    got = preset(name).sales(200)[:200]
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-3)
