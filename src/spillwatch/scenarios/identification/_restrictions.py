r"""The shocks a sign-restricted SVAR identifies, and the bound on the admissible set.

A :class:`Shock` lists the sign of the impact (day-0) response of some variables to a positive
realisation of the shock; every other variable is left free. A linear SVAR is symmetric, so a
negative realisation of a shock is the mirror image of its positive one; :attr:`Shock.negative`
names that reading.

The default taxonomy (:data:`DEFAULT_SHOCKS`) sorts days by the signs of the 10-year yield, the
broad dollar and the S&P 500 on impact:

============================  ======  ========  =======  =====================================
shock (positive reading)      yields  dollar    S&P 500  negative reading
============================  ======  ========  =======  =====================================
``sell_america``              up      down      down     'buy America' (foreign inflow)
``risk_on``                   up      down      up       flight to quality
``monetary``                  up      up        down     monetary easing
============================  ======  ========  =======  =====================================

'Flight to quality' (yields down, dollar up, equities down) is exactly the mirror image of
'risk on' on these three variables, so in a linear SVAR the two are one shock with two signs; it
is identified here as the negative realisations of ``risk_on`` and reported under its own name in
the historical decomposition (:meth:`IdentificationResult.decomposition`). Restricting the
yield curve as well (long yields for ``sell_america``, the 2-year for ``monetary`` and
``risk_on``) follows Cieslak & Pang (2021), who separate monetary, growth and risk-premium news
in daily stock and Treasury data by the response of short versus long yields.

``sell_america`` also has the dollar fall against the yen (USD/JPY down) when the VAR holds
it: the largest foreign holder is Japan, and a sale that repatriates, or funds yen-buying
intervention, lifts the yen (left free, Japan's intervention preset read a weaker yen).

The fourth sign class (yields, dollar and equities all up: 'US growth') can be added with
:data:`US_GROWTH`; it is left out by default (each extra restriction narrows the admissible set
on assumptions of its own).

The bound
---------
Responses 'per +10 bp of the 10-year' divide by the 10-year's impact response, so admissible
models whose sell-America shock barely moves the 10-year give absurd ratios. Following Kilian &
Murphy (2012), who bound the admissible set by an economically motivated limit on an impact
elasticity, the admissible set is bounded by a minimum impact of the target shock on the
10-year yield, :attr:`Bound.min_10y_bp` (bp per one-standard-deviation shock). The default,
1 bp, is about a sixth of the 10-year's daily residual sd in 2018–2025 (about 6 bp): the
foreign-demand shock must account for at least about 3% of the 10-year's one-day
forecast-error variance, a floor below which "per +10 bp" stops meaning anything. It is a
choice, not an estimate: :meth:`IdentificationResult.sensitivity` shows the bands under 0, 0.5,
1, 2 and 3 bp (on 2018–2025 data the S&P 500's 5–95% band per +10 bp narrows from about
[-22%, -0.1%] with no bound to [-4.2%, -0.1%] at 1 bp and [-1.4%, -0.03%] at 3 bp).

References
----------
Cieslak, A. and Pang, H. (2021), "Common shocks in stocks and bonds", *Journal of Financial
Economics* 142(2), 880–904.
Kilian, L. and Murphy, D. P. (2012), "Why agnostic sign restrictions are not enough:
understanding the dynamics of oil market VAR models", *Journal of the European Economic
Association* 10(5), 1166–1188.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from spillwatch._validation import is_real
from spillwatch.exceptions import ScenarioError


@dataclass(frozen=True)
class Shock:
    """A structural shock identified by the signs of its impact responses.

    Parameters
    ----------
    name : str
        Short key (``"sell_america"``).
    signs : dict
        Asset key -> ``+1`` or ``-1``: the sign of the impact response to a positive shock.
    label : str
        Human-readable name of a positive realisation.
    negative : str
        Human-readable name of a negative realisation.
    optional : frozenset of str
        Variables of ``signs`` restricted only when the VAR holds them (a panel without them
        is identified without that restriction).
    """

    name: str
    signs: Mapping[str, int]
    label: str = ""
    negative: str = ""
    optional: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not self.name or not isinstance(self.name, str):
            raise ScenarioError(f"a shock needs a name; got {self.name!r}")
        signs = dict(self.signs)
        if not signs:
            raise ScenarioError(f"shock {self.name!r} restricts no variable; give e.g. "
                                "{'ust10y': +1, 'usd_broad': -1}")
        for key, s in signs.items():
            if s not in (1, -1):
                raise ScenarioError(f"shock {self.name!r}: the sign of {key!r} must be +1 or -1;"
                                    f" got {s!r}")
        object.__setattr__(self, "signs", signs)
        optional = frozenset(self.optional)
        if not optional <= set(signs):
            raise ScenarioError(f"shock {self.name!r}: optional restrictions "
                                f"{sorted(optional - set(signs))} are not among its signs")
        object.__setattr__(self, "optional", optional)
        object.__setattr__(self, "label", self.label or self.name.replace("_", " "))
        object.__setattr__(self, "negative", self.negative or f"negative {self.label}")

    def describe(self) -> str:
        """``"ust10y +, usd_broad −, spx −"``."""
        return ", ".join(f"{k} {'+' if s > 0 else '−'}"
                         + (" (when held)" if k in self.optional else "")
                         for k, s in self.signs.items())

    def required(self) -> dict[str, int]:
        """The signs every VAR must be able to impose (all but :attr:`optional`)."""
        return {k: s for k, s in self.signs.items() if k not in self.optional}


SELL_AMERICA = Shock("sell_america", {"ust10y": 1, "ust30y": 1, "usd_broad": -1, "usdjpy": -1,
                                      "spx": -1},
                     "sell America (foreign demand)", "buy America (foreign inflow)",
                     optional=frozenset({"usdjpy"}))
RISK_ON = Shock("risk_on", {"ust2y": 1, "ust10y": 1, "usd_broad": -1, "spx": 1},
                "risk on", "flight to quality")
MONETARY = Shock("monetary", {"ust2y": 1, "ust10y": 1, "usd_broad": 1, "spx": -1},
                 "monetary / inflation (hawkish)", "monetary easing")
US_GROWTH = Shock("us_growth", {"ust10y": 1, "usd_broad": 1, "spx": 1},
                  "US growth", "US slowdown")

#: The shocks identified by default (see the module docstring).
DEFAULT_SHOCKS: tuple[Shock, ...] = (SELL_AMERICA, RISK_ON, MONETARY)


@dataclass(frozen=True)
class Bound:
    """Bound on the admissible set: the target shock's minimum impact on the 10-year yield.

    Parameters
    ----------
    min_10y_bp : float
        Minimum impact response of the 10-year yield to a one-standard-deviation target shock,
        in basis points (``0`` = sign restrictions only).
    sensitivity : sequence of float
        Other minimums for which :meth:`IdentificationResult.sensitivity` shows the bands.
    """

    min_10y_bp: float = 1.0
    sensitivity: Sequence[float] = field(default=(0.0, 0.5, 1.0, 2.0, 3.0))

    def __post_init__(self) -> None:
        vals = [self.min_10y_bp, *self.sensitivity]
        for v in vals:
            if not is_real(v) or not math.isfinite(v) or v < 0:
                raise ScenarioError(f"the 10-year impact bound must be a number >= 0 bp; got "
                                    f"{v!r}")
        grid = sorted({float(v) for v in vals})
        object.__setattr__(self, "min_10y_bp", float(self.min_10y_bp))
        object.__setattr__(self, "sensitivity", tuple(grid))

    @property
    def loosest(self) -> float:
        """The smallest bound of the grid (the sampler keeps models admissible under it)."""
        return float(min(self.sensitivity))


def sign_matrix(shocks: Sequence[Shock], variables: Sequence[str]) -> np.ndarray:
    """Signs as an array ``(shocks, variables)``: +1, -1, or 0 where the variable is free.

    Raises
    ------
    ScenarioError
        A restricted variable is not in the VAR.
    """
    out = np.zeros((len(shocks), len(variables)), dtype=np.int8)
    for j, sh in enumerate(shocks):
        for key, s in sh.signs.items():
            if key in sh.optional and key not in variables:
                continue
            if key not in variables:
                raise ScenarioError(
                    f"shock {sh.name!r} restricts {key!r}, which is not in the VAR "
                    f"({', '.join(variables)}); load it or drop the restriction", asset=key)
            out[j, list(variables).index(key)] = s
    return out
