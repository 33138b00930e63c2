r"""Price impact of foreign official Treasury sales on US yields, calibrated to the literature.

Model
-----
A sell-off is a schedule of sales :math:`s_u \ge 0` (USD per business day). Each dollar sold moves
the 5-year yield at once by the *flow* coefficient :math:`\kappa_f` (bp per $100bn sold within a
month) and, for good, by the *stock* coefficient :math:`\kappa_s` (bp per $100bn of holdings
removed). The part of the flow effect above the stock effect lasts for a month (the horizon over
which Beltran et al. measure the short-run effect) and then decays exponentially with half-life
:math:`\tau_{1/2}`:

.. math::

    \Delta y^{5y}_t = \sum_{u \le t} \frac{s_u}{\$100\text{bn}}
        \Big[\kappa_s + (\kappa_f - \kappa_s)\, K(t-u)\Big],\qquad
    K(j) = \begin{cases} 1 & j < 21 \\ 2^{-(j-20)/\tau_{1/2}} & j \ge 21 \end{cases}

So $100bn sold within one month raises the 5-year yield by exactly :math:`\kappa_f` at the end of
that month (the peak) and the impact decays toward :math:`\kappa_s` afterwards.

Calibration (every number configurable on :class:`ImpactModel`)
---------------------------------------------------------------
* :math:`\kappa_f \sim U(40, 60)` bp: Beltran, Kretchmer, Márquez & Thomas (2013), abstract and
  section 5: a $100bn fall in foreign official holdings within a month raises 5-year yields by
  40–60 bp in the short run.
* :math:`\kappa_s \sim U(15, 25)` bp: the same paper's long-run effect, "about 20 bp" once foreign
  private investors are allowed to react to the yield change (the abstract's words); the ±5 bp
  band around it is this module's choice.
* Upper band (``band="upper"``): a modelling choice of this module, not a published estimate:
  the flow coefficient at the top of Beltran et al.'s range (:math:`\kappa_f \sim U(55, 60)`) and
  a stock coefficient :math:`\kappa_s \sim U(25, 35)`. Warnock & Warnock (2009) do not support a
  larger effect of *official* sales: their 150 bp (2005 working paper; about 100 bp in the
  published version) is a year with no foreign inflows at all, mostly private, and their abstract
  finds the effect of foreign official flows "significant but markedly smaller". The largest
  published estimate for official flows, Ahmed & Rebucci (2022), is above this band: more than
  100 bp on the 5-, 10- and 30-year per $100bn on impact (19–44 bp when flows are taken as price
  inelastic); at the other end, IMF WP/17/174 finds 1.5–1.8 bp per $100bn of reserve demand.
* Half-life of the flow effect after the first month :math:`\tau_{1/2} \sim U(20, 60)` business
  days: a modelling choice (the papers give the short- and long-run levels, not the path).

Units: the coefficients are bp per $100bn, not per share of the market. Beltran et al. estimate them
on the market before 2008 (foreign holdings of Treasuries $2.2tn in June 2007, TIC, against about
$9tn in 2025; marketable debt grew more): a sale of a given dollar size is a far smaller share of
the market now, and nothing here rescales it. The ranges are the uncertainty of one paper, not of
the literature (above). On ../shared/data the weekly change of the 10-year on the weekly change of
the Fed's custody holdings for foreign official accounts (fred/WMTSECL1, 990 weeks 2007–2026) is
+4.1 bp per $100bn (HAC SE 2.6): no rise of this size when custody falls (endogenous, so no
bound); ``scenario --explain`` measures it on the data at hand
(:mod:`spillwatch.analytics.demand.yield_impact`), with Japan's weekly flows beside it.

Curve shape
-----------
The shock is calibrated on the 5-year yield (Beltran et al.'s dependent variable) and spread over
the curve with loadings (default 2y 0.7, 5y 1.0, 10y 0.9, 30y 0.7): a hump at the belly, because
foreign official portfolios are mostly notes of 2–10 years (TIC SHL surveys), with a smaller
effect at the short end (anchored by the policy rate) and at the long end. These loadings are a
documented assumption; pass ``curve=`` to change them.

In the Monte Carlo (:mod:`spillwatch.scenarios.simulate`) only the 10-year's loading is imposed:
the identified shock is scaled to the 10-year's path, and the other tenors answer it as the SVAR
says (on ../shared/data a $100bn sale over 4 weeks lifts the simulated 5-year by about 0.7 of the
literature's figure, the 2-year by about 0.45 and the 30-year by about 0.9). ``impact_5y_bp`` of a
result is the calibration itself, not the simulated 5-year (its quantiles are under ``ust5y``).

References
----------
Beltran, D. O., Kretchmer, M., Márquez, J. and Thomas, C. P. (2013), "Foreign holdings of U.S.
Treasuries and U.S. Treasury yields", *Journal of International Money and Finance* 32, 1120–1143.
Warnock, F. E. and Warnock, V. C. (2009), "International capital flows and U.S. interest rates",
*Journal of International Money and Finance* 28(6), 903–919 (Federal Reserve IFDP 840, 2005).
Ahmed, R. and Rebucci, A. (2022), "Dollar reserves and U.S. yields: identifying the price impact of
official flows", NBER Working Paper 30476.
IMF Working Paper WP/17/174 (2017), "Uphill capital flows and the international monetary system".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from spillwatch._validation import is_real
from spillwatch.exceptions import ScenarioError

#: Business days of the short run (one month), Beltran et al. (2013).
MONTH_DAYS = 21
#: Unit of the coefficients: bp per this many USD.
PER_USD = 100e9

DEFAULT_CURVE: dict[str, float] = {"ust2y": 0.7, "ust5y": 1.0, "ust10y": 0.9, "ust30y": 0.7}

_BANDS: dict[str, tuple[tuple[float, float], tuple[float, float]]] = {
    # band -> (flow range, stock range), bp per $100bn on the 5-year yield
    "central": ((40.0, 60.0), (15.0, 25.0)),
    "upper": ((55.0, 60.0), (25.0, 35.0)),
}


def _check_range(name: str, r: tuple[float, float]) -> tuple[float, float]:
    lo, hi = float(r[0]), float(r[1])
    if not (np.isfinite(lo) and np.isfinite(hi) and 0.0 <= lo <= hi):
        raise ScenarioError(f"{name} must be a range (low, high) with 0 <= low <= high; "
                            f"got {r!r}")
    return lo, hi


@dataclass(frozen=True)
class ImpactModel:
    """Literature-calibrated yield impact of a sale of Treasuries (see the module docstring).

    Parameters
    ----------
    band : {"central", "upper"}
        ``"central"``: Beltran et al. (2013); ``"upper"``: the Warnock & Warnock (2009) upper band.
    flow_bp : (float, float), optional
        Range of the short-run (flow) coefficient, bp on the 5-year per $100bn sold within a month;
        default from ``band``. Each path draws one value uniformly from it.
    stock_bp : (float, float), optional
        Range of the long-run (stock) coefficient, bp per $100bn; default from ``band``.
    half_life_days : (float, float), default (20, 60)
        Range of the half-life, in business days, of the flow effect after the first month.
    curve : dict, default 2y 0.7, 5y 1.0, 10y 0.9, 30y 0.7
        Loading of each yield asset on the 5-year shock.
    uncertainty : bool, default True
        Draw the coefficients per path; ``False`` uses the midpoints of the ranges.
    """

    band: Literal["central", "upper"] = "central"
    flow_bp: tuple[float, float] | None = None
    stock_bp: tuple[float, float] | None = None
    half_life_days: tuple[float, float] = (20.0, 60.0)
    curve: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_CURVE))
    uncertainty: bool = True

    def __post_init__(self) -> None:
        if self.band not in _BANDS:
            raise ScenarioError(f"unknown impact band {self.band!r}; choose one of: "
                                f"{', '.join(map(repr, _BANDS))}")
        flow = _check_range("flow_bp", self.flow_bp or _BANDS[self.band][0])
        stock = _check_range("stock_bp", self.stock_bp or _BANDS[self.band][1])
        hl = _check_range("half_life_days", self.half_life_days)
        if hl[0] <= 0:
            raise ScenarioError(f"half_life_days must be positive; got {self.half_life_days!r}")
        if stock[1] > flow[0]:
            raise ScenarioError(f"the stock effect {stock} must not exceed the flow effect {flow}"
                                " (the impact decays from the flow to the stock level)")
        object.__setattr__(self, "flow_bp", flow)
        object.__setattr__(self, "stock_bp", stock)
        object.__setattr__(self, "half_life_days", hl)
        for k, v in self.curve.items():
            if not (is_real(v) and np.isfinite(v) and v >= 0):
                raise ScenarioError(f"curve loading of {k!r} must be a number >= 0; got {v!r}")

    def draw(self, u: np.ndarray) -> np.ndarray:
        """Map uniforms ``u`` of shape ``(n, 3)`` to coefficients ``(flow, stock, half_life)``.

        With ``uncertainty=False`` every path gets the midpoints.
        """
        lo = np.array([self.flow_bp[0], self.stock_bp[0], self.half_life_days[0]])  # type: ignore[index]
        hi = np.array([self.flow_bp[1], self.stock_bp[1], self.half_life_days[1]])  # type: ignore[index]
        if not self.uncertainty:
            u = np.full_like(u, 0.5)
        return lo + (hi - lo) * u

    def path(self, sales_usd: np.ndarray, coef: np.ndarray, horizon: int) -> np.ndarray:
        """Return the 5-year impact in bp on days ``1..horizon`` for each set of coefficients.

        Parameters
        ----------
        sales_usd : ndarray, shape (T,)
            USD sold on business days 1..T (``T`` may exceed ``horizon``).
        coef : ndarray, shape (n, 3)
            ``(flow, stock, half_life)`` per path (from :meth:`draw`).
        horizon : int

        Returns
        -------
        ndarray, shape (n, horizon)
            Cumulative impact on the 5-year yield, bp (see the module formula).
        """
        total, e = self.split(sales_usd, coef, horizon)
        flow, stock = coef[:, 0:1], coef[:, 1:2]
        out = flow * total[None] + (flow - stock) * e
        return out

    def split(self, sales_usd: np.ndarray, coef: np.ndarray, horizon: int
              ) -> tuple[np.ndarray, np.ndarray]:
        r"""Split the impact path into a part common to every path and a smooth remainder.

        With :math:`A_t = \sum_{u \le t} s_u` (cumulative sales, in $100bn) the path is
        :math:`I_t = \kappa_f A_t + (\kappa_f - \kappa_s) E_t`, where
        :math:`E_t = \sum_{u \le t} s_u\,(K(t-u) - 1) \le 0` is zero during the first month
        of each sale and then decays smoothly (module formula). The Monte Carlo convolves the
        step-like :math:`A` exactly and the smooth :math:`E` with a short kernel.

        Returns
        -------
        a : ndarray, shape (horizon,)
        e : ndarray, shape (n, horizon)
        """
        s = np.zeros(horizon)
        given = np.asarray(sales_usd, dtype=float)[:horizon] / PER_USD
        s[: len(given)] = given
        total = np.cumsum(s)
        recent = total - np.concatenate([np.zeros(MONTH_DAYS), total])[:horizon]   # last month
        e = np.repeat((recent - total)[None], coef.shape[0], axis=0)
        if horizon > MONTH_DAYS:
            # older sales decay geometrically: D_t = r (s_{t-21} + D_{t-1}), r = 2^(-1/half-life)
            r = np.exp2(-1.0 / coef[:, 2])
            d = np.zeros(coef.shape[0])
            for t in range(MONTH_DAYS, horizon):
                d = r * (s[t - MONTH_DAYS] + d)
                e[:, t] += d
        return total, e

    def loading(self, key: str) -> float:
        """Loading of yield asset ``key`` on the 5-year shock (0 when not on the curve)."""
        return float(self.curve.get(key, 0.0))


def week_days(weeks: float) -> int:
    """Business days in ``weeks`` weeks of five, a half day rounded up.

    Python's ``round`` rounds a half to the even number: a 2.5-week sale ran 12 days and a
    1.5-week one 8, one rounded down and one up.

    Examples
    --------
    >>> [week_days(w) for w in (0.5, 1.5, 2.5, 3.5, 4.0)]
    [3, 8, 13, 18, 20]
    """
    return int(np.floor(float(weeks) * 5.0 + 0.5))


def sales_schedule(amount_usd: float, weeks: float, horizon: int, start_day: int = 0
                   ) -> np.ndarray:
    """Spread ``amount_usd`` evenly over ``weeks`` × 5 business days starting on ``start_day``.

    Returns
    -------
    ndarray, shape (max(horizon, end),)
        USD sold on each business day.
    """
    days = max(1, week_days(weeks))
    out = np.zeros(max(horizon, start_day + days))
    out[start_day:start_day + days] = amount_usd / days
    return out
