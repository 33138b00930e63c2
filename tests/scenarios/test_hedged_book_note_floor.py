"""A hedged book whose VaR is cents says nothing of how clipping moves it.

$1m of a near-copy of the S&P 500 (own noise 3e-6 % a day) against $1m short the S&P 500, as
of 2020-03-20: both pass 1.5x their history, the book's 99% VaR on the kept paths is $0.68
(below :data:`BOOK_VAR_FLOOR` of the $2m gross, $2) and $0.54 with the moves held. A ratio of
cents is no measure: without the floor the lines note read "moves the 99% VaR by -21% (within
10%)".
"""

from __future__ import annotations

import numpy as np
import pytest

from spillwatch import universe
from spillwatch.scenarios import _format, fit_market, selloff

pytestmark = pytest.mark.realdata


def _copy_market(panel, noise_sd):
    """The market fitted as of 2020-03-20 with ``csv:COPY``, the S&P 500 plus ``noise_sd`` % a
    day of its own noise (rng(2)), from 2017-03-20."""
    frame = panel.loc[:"2020-03-20"].copy()
    frame.attrs = dict(panel.attrs)
    have = frame["spx_pct"].notna()
    noise = np.random.default_rng(2).normal(0.0, noise_sd, len(frame))
    frame["csv_copy_pct"] = frame["spx_pct"] + np.where(have, noise, np.nan)
    frame.attrs["assets"] = {**(panel.attrs.get("assets") or {}),
                             "csv:COPY": universe.series_asset("csv:COPY", positive=True)}
    return fit_market(frame, start="2017-03-20")


def _runs(m, seeds):
    """The hedged book's runs of ``m`` by seed, with its VaR and the VaR with the moves held.

    The VaR of a book hedged to cents is its paths' last bits, which the machine's BLAS kernel
    sets: the seeds are found by the condition each test needs, not fixed (a seed of one
    machine's is another's VaR of 0.62 against 0.58 held, within 10%)."""
    for seed in seeds:
        res = selloff("japan:100e9:8w").simulate(m, paths=2_000, seed=seed, keep_paths=2_000,
                                                 portfolio={"csv:COPY": 1.0, "spx": -1.0})
        held = _format.book_beyond_history(res)
        yield seed, res, held, *_format.book_var_held(res, held)


@pytest.mark.slow
def test_a_book_var_of_cents_gets_no_lines_note(panel):
    m = _copy_market(panel, 3e-6)
    floor = _format.BOOK_VAR_FLOOR * 2e6
    # a seed whose held VaR is more than 10% from the VaR: the lines note would speak of it
    seed, res, held, _, _ = next(
        (r for r in _runs(m, range(1, 41)) if 0.0 < r[3] < floor
         and r[3] != pytest.approx(r[4], rel=0.1)), (None,) * 5)
    assert seed is not None, "no seed of 40 moves the VaR of cents by 10% with the moves held"
    assert set(held) == {"spx", "csv:COPY"}
    assert _format.book_caveat(res) is None
    assert _format.book_lines_note(res) is None


@pytest.mark.slow
def test_a_hedged_book_s_caveat_quotes_amounts_that_differ(panel):
    """At the floor's edge the caveat read "its 99% VaR would be about 2 instead of 2" (h_mut27):
    the same book with own noise 9.5e-6 % a day, seed 2, VaR $1.87 under the $2 floor and $1.64
    held; seed 8, $2.02 just over it and $1.71 held (-16%). Its amounts are to the cents their
    gap needs (to the dollar when it is $10 or more)."""
    import re

    m = _copy_market(panel, 9.5e-6)
    floor = _format.BOOK_VAR_FLOOR * 2e6
    found: dict[bool, tuple] = {}
    for seed, res, _, var, clipped in _runs(m, range(1, 41)):
        # a VaR under the floor, and one over it by less than half (cents apart), each moved
        # with the moves held by more than 10% of the larger of it and the floor
        if var - clipped > _format.BOOK_SENSITIVITY * max(var, floor) and var < 1.5 * floor:
            found.setdefault(var < floor, (seed, res, var, clipped))
        if len(found) == 2:
            break
    assert set(found) == {True, False}, found.keys()
    for under, (seed, res, var, clipped) in found.items():
        said = re.search(r"would be about ([\d.,]+) instead of ([\d.,]+)( \(([+-]\d+)%\))?: ",
                         _format.book_caveat(res) or "")
        assert said is not None, seed
        held = clipped if under else res.var(0.99) * clipped / var
        assert said.group(1, 2) == (f"{held:.2f}", f"{res.var(0.99):.2f}")
        assert said[1] != said[2]
        assert said.group(4) == (None if under else f"{100 * (clipped / var - 1):+.0f}")
