r"""The hedged yield pick-up of a Japanese investor: a currency-hedged Treasury versus a JGB.

A Japanese investor who buys a 10-year Treasury and hedges the dollar with rolling short FX
forwards earns, per year, the Treasury yield minus the hedge cost; covered interest parity puts
the hedge cost at the short-rate differential (forward premium :math:`F/S - 1 \approx
i^{USD} - i^{JPY}` per period; Borio et al. 2016, section 1, for the parity condition and the
basis that breaks it).
The pick-up over a 10-year JGB is then

.. math::

    \pi_t = y^{UST,10y}_t - y^{JGB,10y}_t - \left(i^{USD}_t - i^{JPY}_t\right)

in percentage points (``hedged_pickup_pct``). **Approximation, and an upper bound**: the
cross-currency basis (the dollar funding premium, negative for the yen since 2014: Borio et al.
2016) is not in the data and is ignored, and the hedge is priced off short rates rather than FX
forwards: the Treasury bill on the dollar side (below the interbank rates a hedge is priced
from) and, while it is fresh, an interbank rate on the yen side (above the overnight rate;
TONA, overnight, once it is stale, as from 2025-05-21 on the shared data). Each makes the
hedge cheaper than a yen investor paid, so the figure overstates the pick-up, by most when the
basis is deep (2016–18 read +0.30 to +2.07 pp, mean +1.33, on the shared data): read its
changes, and a negative level as a firm negative, not a positive one as a hedged gain. A
negative pick-up means a hedged Treasury yields less than a JGB: the pressure behind
Japanese life insurers' and banks' sales of hedged foreign bonds.

Short rates, each the first **fresh** source in this order (a source past its staleness limit is
skipped, never carried): the hedge is rolled in 3-month forwards, so 3-month rates first on both
sides (overnight SOFR understated the cost by 0.4–1.1 pp while the Fed hiked in 2022: the
pick-up read +0.90 pp on 2022-10-21 where the 3-month rates give about −0.16):

* USD: the 3-month bill (``fred:DGS3MO``, or the Treasury par curve's ``yield_3m_pct`` out
  the same evening), else SOFR (overnight, ``fred:SOFR``);
* JPY: the 3-month interbank rate (OECD monthly average, ``fred:IR3TIB01JPM156N``), else TONA
  (overnight, ``boj:tona_pct``).

Signals on the daily calendar (the as-of value of each input):

===============================  ===========================================================
``ust_jgb_10y_spread_pct``       :math:`y^{UST} - y^{JGB}` (unhedged), percentage points
``usd_short_rate_pct``           :math:`i^{USD}`, percent
``jpy_short_rate_pct``           :math:`i^{JPY}`, percent
``hedge_cost_pct``               :math:`i^{USD} - i^{JPY}`, percentage points per year
``hedged_pickup_pct``            :math:`\pi_t`, percentage points
``hedged_pickup_chg20_bp``       change of :math:`\pi` over 20 business days, basis points,
                                 priced at both ends off the short rates used today (a switch
                                 of source, e.g. the OECD 3-month yen rate going stale and
                                 TONA taking over, is a level shift of up to 0.3 pp, not a
                                 move of the market)
===============================  ===========================================================

References
----------
Borio, C., McCauley, R., McGuire, P. and Sushko, V. (2016), "Covered interest parity lost:
understanding the cross-currency basis", *BIS Quarterly Review*, September, 45–64.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

#: Columns of :func:`hedged_pickup`.
HEDGE_COLUMNS: tuple[str, ...] = ("ust_jgb_10y_spread_pct", "usd_short_rate_pct",
                                  "jpy_short_rate_pct", "hedge_cost_pct", "hedged_pickup_pct",
                                  "hedged_pickup_chg20_bp")
#: Business days of the change column.
CHANGE_DAYS = 20


def business_diff(s: pd.Series, n: int) -> pd.Series:
    """``s`` less its value ``n`` business days before each date (NaN where none).

    On the demand calendar (business days, and a weekend evening as its last row) this is
    ``s.diff(n)`` but for the weekend row, whose ``n`` days count from the Friday before: a
    row count gave Saturday's 20-day change over 19 business days.
    """
    idx = pd.DatetimeIndex(s.index)
    weekend = idx.day_of_week >= 5
    back = pd.DatetimeIndex(np.where(weekend, idx - pd.offsets.BDay(n + 1),
                                     idx - pd.offsets.BDay(n)))
    return s - s.reindex(back).to_numpy()


def first_fresh(*candidates: pd.Series | None) -> tuple[pd.Series, pd.Series]:
    """Per date, the first non-missing candidate (as-of values), and which one (0, 1, ...).

    Returns
    -------
    (Series, Series)
        The values and the 0-based index of the candidate used (NaN where none).
    """
    present = [c for c in candidates if c is not None]
    if not present:
        raise ValueError("first_fresh needs at least one candidate")
    value = pd.Series(float("nan"), index=present[0].index)
    source = pd.Series(float("nan"), index=present[0].index)
    for i, c in enumerate(candidates):
        if c is None:
            continue
        take = value.isna() & c.notna()
        value = value.where(~take, c)
        source = source.where(~take, float(i))
    return value, source


def hedged_pickup(ust10y: pd.Series, jgb10y: pd.Series, usd_short: pd.Series,
                  jpy_short: pd.Series, *,
                  usd_candidates: Sequence[pd.Series | None] = (),
                  jpy_candidates: Sequence[pd.Series | None] = (),
                  usd_source: pd.Series | None = None,
                  jpy_source: pd.Series | None = None) -> pd.DataFrame:
    """The hedged pick-up and its parts, from as-of daily inputs (module docstring).

    Parameters
    ----------
    ust10y, jgb10y, usd_short, jpy_short : Series
        As-of values on one daily calendar, percent (NaN = missing or stale).
    usd_candidates, jpy_candidates : sequence of Series, optional
        The short-rate sources in order of preference (as given to :func:`first_fresh`). With
        them and the sources below, the 20-day change is priced at both ends off the sources
        used today; without them, it is the plain difference of the pick-up.
    usd_source, jpy_source : Series, optional
        The 0-based index of the candidate used on each date (NaN where none), as
        :func:`first_fresh` returns it.

    Returns
    -------
    DataFrame
        Same index, columns :data:`HEDGE_COLUMNS`.
    """
    out = pd.DataFrame(index=ust10y.index)
    out["ust_jgb_10y_spread_pct"] = ust10y - jgb10y
    out["usd_short_rate_pct"] = usd_short
    out["jpy_short_rate_pct"] = jpy_short
    out["hedge_cost_pct"] = usd_short - jpy_short
    out["hedged_pickup_pct"] = out["ust_jgb_10y_spread_pct"] - out["hedge_cost_pct"]
    if usd_source is None or jpy_source is None or not usd_candidates or not jpy_candidates:
        out["hedged_pickup_chg20_bp"] = 100.0 * business_diff(out["hedged_pickup_pct"],
                                                              CHANGE_DAYS)
        return out[list(HEDGE_COLUMNS)]
    change = pd.Series(float("nan"), index=out.index)
    spread = out["ust_jgb_10y_spread_pct"]
    for i, u in enumerate(usd_candidates):
        for j, y in enumerate(jpy_candidates):
            if u is None or y is None:
                continue
            today = (usd_source == i) & (jpy_source == j)
            if not today.any():
                continue
            pick = spread - (u - y)                   # the pick-up priced off sources (i, j)
            change = change.where(~today, 100.0 * business_diff(pick, CHANGE_DAYS))
    out["hedged_pickup_chg20_bp"] = change
    return out[list(HEDGE_COLUMNS)]
