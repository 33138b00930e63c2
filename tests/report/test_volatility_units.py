"""The conditional-volatility chart keeps a yield's bp apart from a price's %."""

from __future__ import annotations

import numpy as np
import pandas as pd


def test_bp_and_percent_volatilities_are_on_axes_of_their_own():
    """The report's "Conditional volatility (annualised; log scale)" drew the 10-year in bp a
    year and bitcoin, ether, the S&P 500 and the dollar in % a year on one log axis titled
    "annualised conditional volatility": the 10-year's ~80 bp/yr (../shared/data, 2025) stood
    level with ether's ~70 %/yr, as if as volatile. The event study was split by unit for the
    same reason; so is this chart, each axis titled with its unit."""
    from spillwatch.plotting.risk import volatility_figure

    idx = pd.bdate_range("2025-01-01", periods=60)

    class Vol:
        cond_vol = pd.DataFrame({"ust10y_bp": np.full(60, 5.0), "usd_broad_pct": 0.3,
                                 "btc_pct": 3.0, "eth_pct": 4.2}, index=idx)

    fig = volatility_figure(Vol())
    axis_of = {tr.name: tr.yaxis or "y" for tr in fig.data}
    units = {}
    for name, ax in axis_of.items():
        units.setdefault(ax, set()).add(name.rsplit("(", 1)[1].rstrip(")"))
    assert all(len(u) == 1 for u in units.values()), units        # one unit per axis
    assert axis_of["ust10y_bp (bp)"] != axis_of["btc_pct (%)"]
    title = {ax: fig.layout[ax.replace("y", "yaxis", 1)].title.text for ax in units}
    for ax, (unit,) in units.items():
        assert unit in title[ax], (ax, title[ax])
    # still annualised (x sqrt 252) and on log axes
    btc = next(tr for tr in fig.data if tr.name == "btc_pct (%)")
    assert np.allclose(np.asarray(btc.y), 3.0 * 252 ** 0.5)
    assert {fig.layout[a.replace("y", "yaxis", 1)].type for a in units} == {"log"}
