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


@pytest.mark.slow
def test_a_book_var_of_cents_gets_no_lines_note(panel):
    frame = panel.loc[:"2020-03-20"].copy()
    frame.attrs = dict(panel.attrs)
    have = frame["spx_pct"].notna()
    noise = np.random.default_rng(2).normal(0.0, 3e-6, len(frame))
    frame["csv_copy_pct"] = frame["spx_pct"] + np.where(have, noise, np.nan)
    frame.attrs["assets"] = {**(panel.attrs.get("assets") or {}),
                             "csv:COPY": universe.series_asset("csv:COPY", positive=True)}
    m = fit_market(frame, start="2017-03-20")
    res = selloff("japan:100e9:8w").simulate(m, paths=2_000, seed=1, keep_paths=2_000,
                                             portfolio={"csv:COPY": 1.0, "spx": -1.0})
    held = _format.book_beyond_history(res)
    assert set(held) == {"spx", "csv:COPY"}
    var, clipped = _format.book_var_held(res, held)
    assert 0.0 < var < _format.BOOK_VAR_FLOOR * 2e6 and var != pytest.approx(clipped, rel=0.1)
    assert _format.book_caveat(res) is None
    assert _format.book_lines_note(res) is None
