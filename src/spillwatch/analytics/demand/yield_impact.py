"""The 10-year's weekly move on the week's published foreign selling: the data's own estimate.

The scenario engine sizes a sale's yield impact from the literature (Beltran, Kretchmer, Márquez
& Thomas 2013: 40–60 bp on the 5-year per $100bn sold within a month). This module measures
what the same data say, as a reduced-form slope, so a trader can set the two side by side:

* ``japan``: the change of the 10-year yield over MOF's week (Friday to Friday, the week ends on
  a Saturday) on Japanese residents' net *sales* of foreign long-term bonds that week
  (``-assets_ltdebt_net``, all currencies and issuers, not Treasuries alone), turned into
  dollars at that Friday's USD/JPY;
* ``custody``: the change of the 10-year over the Fed's week (Wednesday to Wednesday) on the
  *fall* of its custody holdings of Treasuries for foreign official accounts.

Each is an OLS slope in bp per $100bn sold with Newey–West (1987) standard errors (Bartlett
kernel, 4 lags). Flows answer yields as much as yields answer flows (custody falls when a
central bank sells dollars to defend its currency in a rout, when yields often fall too), so
neither slope is a causal effect or a bound on one; they are what the record shows.

References
----------
Beltran, D. O., Kretchmer, M., Márquez, J. and Thomas, C. P. (2013), "Foreign holdings of U.S.
Treasuries and U.S. Treasury yields", *Journal of International Money and Finance* 32, 1120–1143.
Newey, W. K. and West, K. D. (1987), "A simple, positive semi-definite, heteroskedasticity and
autocorrelation consistent covariance matrix", *Econometrica* 55(3), 703–708.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from spillwatch.analytics.demand.inputs import MOF_BOND_NET, DemandInputs

#: Newey–West lags (weeks) of the slopes' standard errors.
HAC_LAGS = 4
#: Fewest weeks a slope is estimated on (two years).
MIN_WEEKS = 104
#: MOF's unit: 100 million yen.
_JPY_PER_UNIT = 1e8


def _level_on(level: pd.Series, days: pd.DatetimeIndex) -> np.ndarray:
    """The last value of ``level`` on or before each of ``days`` (NaN before it starts)."""
    s = level.dropna().sort_index()
    s = s[~s.index.duplicated(keep="last")]
    return s.reindex(days, method="ffill").to_numpy(dtype=float)


def _slope(dy: np.ndarray, sold: np.ndarray, days: pd.DatetimeIndex) -> dict[str, Any] | None:
    import statsmodels.api as sm

    ok = np.isfinite(dy) & np.isfinite(sold)
    # the same sale every week has no slope (its float standard deviation need not be 0: 1e-17
    # for 0.03 a week, where add_constant took the sales for the constant and added none)
    if ok.sum() < MIN_WEEKS or np.ptp(sold[ok]) == 0:
        return None
    fit = sm.OLS(dy[ok], sm.add_constant(sold[ok])).fit(cov_type="HAC",
                                                        cov_kwds={"maxlags": HAC_LAGS})
    used = days[ok]
    return {"bp_per_100bn": float(fit.params[1]), "se": float(fit.bse[1]),
            "weeks": int(ok.sum()), "start": str(used[0].date()), "end": str(used[-1].date())}


def yield_on_selling(inputs: DemandInputs) -> dict[str, dict[str, Any]]:
    """The 10-year's weekly change on the week's foreign selling, per $100bn (module docstring).

    Parameters
    ----------
    inputs : DemandInputs
        The gauge's inputs (as published by an evening, on a vintage): ``ust10y`` (percent),
        ``mof_weekly`` (indexed by its week's Saturday) with ``usdjpy``, and ``custody`` ($
        millions, as FRED prints WMTSECL1).

    Returns
    -------
    dict
        ``{"japan": {...}, "custody": {...}}``, each with ``bp_per_100bn``, its Newey–West
        standard error ``se``, ``weeks`` and the first and last week's date (``start``,
        ``end``); a source the data lack, or with fewer than :data:`MIN_WEEKS` weeks, is left
        out.
    """
    out: dict[str, dict[str, Any]] = {}
    if inputs.ust10y is None or inputs.ust10y.dropna().empty:
        return out
    y = inputs.ust10y
    mof = inputs.mof_weekly
    if mof is not None and inputs.usdjpy is not None and MOF_BOND_NET in mof.columns:
        f = mof.dropna(subset=[MOF_BOND_NET]).sort_index()
        ends = pd.DatetimeIndex(f.index).normalize()
        fri = ends - pd.Timedelta(days=1)
        dy = (_level_on(y, fri) - _level_on(y, fri - pd.Timedelta(days=7))) * 100.0
        yen = _level_on(inputs.usdjpy, fri)
        sold = -f[MOF_BOND_NET].to_numpy(dtype=float) * _JPY_PER_UNIT / yen / 100e9
        got = _slope(dy, sold, ends)
        if got is not None:
            out["japan"] = got
    if inputs.custody is not None:
        c = inputs.custody.dropna().sort_index()
        c = c[~c.index.duplicated(keep="last")]
        wed = pd.DatetimeIndex(c.index).normalize()
        weekly = np.diff(wed.to_numpy()) == np.timedelta64(7, "D")
        dy = (_level_on(y, wed[1:]) - _level_on(y, wed[:-1])) * 100.0
        sold = -np.diff(c.to_numpy(dtype=float)) / 1e5        # $ millions -> $100bn
        got = _slope(np.where(weekly, dy, np.nan), sold, wed[1:])
        if got is not None:
            out["custody"] = got
    return out
