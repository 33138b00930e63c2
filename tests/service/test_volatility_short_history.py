"""`volatility`'s default assets: a series too young for the window says how to get it fitted."""

from __future__ import annotations

import pytest

from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.service import risk

pytestmark = pytest.mark.realdata


@pytest.mark.slow
def test_a_default_asset_younger_than_the_model_is_not_told_to_start_earlier(real):
    """`spillwatch volatility --as-of 2025-04-09` printed "trump_pct: not estimated ('trump_pct'
    has 55 observations from 2025-01-22 to 2025-04-09; volatility estimation needs at least 200.
    Load a longer history (an earlier start) or shorten the window.)": TRUMP launched in
    January 2025, so no earlier start lengthens it, and there is no window to shorten. A named
    asset was already told "Its history begins there" (require_history); the default set now
    says the same, and the other series are still fitted."""
    import datetime as dt

    then = vintage_workspace(real, dt.date(2025, 4, 9))
    res = risk.volatility(then, end="2025-04-09")
    why = res.failures["trump_pct"]
    assert "earlier start" not in why and "shorten the window" not in why
    assert why.startswith("55 observations from 2025-01-22 to 2025-04-09; a volatility model "
                          "needs at least 200")
    assert "Its history begins there" in why
    assert f"trump_pct: not estimated ({why})" in str(res)
    assert {"ust10y_bp", "usd_broad_pct", "spx_pct", "btc_pct", "eth_pct"} <= set(res.fits)
