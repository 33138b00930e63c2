r"""The yield–dollar signature: 'sell America', 'dash for cash' or 'flight to quality'.

In ordinary risk-off episodes US Treasuries and the dollar are both havens: yields fall and the
dollar rises (*flight to quality*). In a scramble for liquidity investors sell everything,
Treasuries included, for dollars: yields rise **and** the dollar rises (*dash for cash*, March
2020). When investors lose confidence in US assets themselves they sell Treasuries **and** the
dollar: yields rise while the dollar falls (*sell America*, April 2025).

The classification uses the :math:`h`-day change of the 10-year yield and of the broad dollar, each
scaled by its trailing volatility (known before the window began, so there is no look-ahead):

.. math::

    z^{(h)}_t = \frac{\sum_{s=t-h+1}^{t} \Delta x_s}{\sqrt{h}\;\hat\sigma_{t-h}},
    \qquad \hat\sigma_{t-h} = \operatorname{sd}(\Delta x_{t-h-w+1}, \dots, \Delta x_{t-h})

and a joint trigger with threshold :math:`k` (default :math:`h = 5`, :math:`w = 60`,
:math:`k = 1`):

====================  ======================  ======================
signature             10-year yield           broad dollar
====================  ======================  ======================
``sell_america``      :math:`z^y \ge k`       :math:`z^d \le -k`
``dash_for_cash``     :math:`z^y \ge k`       :math:`z^d \ge k`
``flight_to_quality`` :math:`z^y \le -k`      :math:`z^d \ge k`
``none``              anything else (or a missing input)
====================  ======================  ======================

A week-long window filters the day-to-day noise of daily data (a single day's move in the dollar
is often reversed the next day); the reading on a date describes the five business days that end
on it.

References
----------
He, Z., Nagel, S. and Song, Z. (2022), "Treasury inconvenience yields during the COVID-19 crisis",
*Journal of Financial Economics* 143(1), 57–79 (the March 2020 dash for cash).
Vayanos, D. (2004), "Flight to quality, flight to liquidity, and the pricing of risk", NBER WP
10327.
The 'sell America' pattern of April 2025 (Treasury yields and the dollar's fall together after the
US tariff announcements) was widely described at the time, e.g. in the BIS Quarterly Review of
June 2025.
"""

from __future__ import annotations

import enum

import numpy as np
import pandas as pd

from spillwatch.exceptions import ConfigError, DataError

#: Change columns the signature reads.
YIELD_COLUMN = "ust10y_bp"
DOLLAR_COLUMN = "usd_broad_pct"

#: Defaults of the classification (see the module docstring).
DEFAULT_HORIZON = 5
DEFAULT_WINDOW = 60
DEFAULT_THRESHOLD = 1.0


class Signature(enum.StrEnum):
    """How yields and the dollar moved together over the last week."""

    SELL_AMERICA = "sell_america"
    DASH_FOR_CASH = "dash_for_cash"
    FLIGHT_TO_QUALITY = "flight_to_quality"
    NONE = "none"

    @property
    def yields_up(self) -> bool | None:
        """Whether the signature has yields rising (``None`` for ``NONE``)."""
        return {"sell_america": True, "dash_for_cash": True,
                "flight_to_quality": False}.get(self.value)

    @property
    def dollar_up(self) -> bool | None:
        """Whether the signature has the dollar rising (``None`` for ``NONE``)."""
        return {"sell_america": False, "dash_for_cash": True,
                "flight_to_quality": True}.get(self.value)

    @property
    def label(self) -> str:
        """Human-readable name ("sell America")."""
        return {"sell_america": "sell America", "dash_for_cash": "dash for cash",
                "flight_to_quality": "flight to quality", "none": "none"}[self.value]


def scaled_change(changes: pd.Series, *, horizon: int = DEFAULT_HORIZON,
                  window: int = DEFAULT_WINDOW) -> pd.Series:
    r"""Return the ``horizon``-day change scaled by the trailing volatility before it.

    .. math::

        z^{(h)}_t = \frac{\sum_{s=t-h+1}^{t} \Delta x_s}{\sqrt{h}\,\hat\sigma_{t-h}}

    where :math:`\hat\sigma_{t-h}` is the sample standard deviation of the daily changes over the
    ``window`` rows ending ``horizon`` rows before :math:`t` (at least ``window // 2`` present).
    Missing daily changes count as no move inside the sum (at least ``horizon // 2 + 1`` must be
    present). Under i.i.d. changes :math:`z` has unit variance.

    Parameters
    ----------
    changes : Series
        Daily changes (bp for yields, log returns in percent for prices).
    horizon : int, default 5
    window : int, default 60

    Returns
    -------
    Series
        Same index; NaN until enough history exists.
    """
    x = changes.astype("float64")
    total = x.rolling(horizon, min_periods=horizon // 2 + 1).sum()
    sd = x.rolling(window, min_periods=max(2, window // 2)).std().shift(horizon)
    sd = sd.where(sd > 0)
    return total / (np.sqrt(horizon) * sd)


def signature_scores(changes: pd.DataFrame, *, horizon: int = DEFAULT_HORIZON,
                     window: int = DEFAULT_WINDOW) -> pd.DataFrame:
    """Return the scaled yield and dollar moves the signature is read from.

    Parameters
    ----------
    changes : DataFrame
        Panel of daily changes with ``ust10y_bp`` and ``usd_broad_pct``.
    horizon, window : int
        See :func:`scaled_change`.

    Returns
    -------
    DataFrame
        Columns ``yield_z`` and ``dollar_z`` (see :func:`scaled_change`).
    """
    _check(changes, horizon, window)
    return pd.DataFrame({
        "yield_z": scaled_change(changes[YIELD_COLUMN], horizon=horizon, window=window),
        "dollar_z": scaled_change(changes[DOLLAR_COLUMN], horizon=horizon, window=window),
    }, index=changes.index)


def classify_scores(yield_z: np.ndarray, dollar_z: np.ndarray, *,
                    threshold: float = DEFAULT_THRESHOLD) -> np.ndarray:
    """Apply the joint trigger of the module docstring to arrays of scaled moves.

    Returns
    -------
    ndarray of str
        One :class:`Signature` value per element (``"none"`` where an input is NaN).
    """
    y = np.asarray(yield_z, dtype=float)
    d = np.asarray(dollar_z, dtype=float)
    out = np.full(y.shape, Signature.NONE.value, dtype=object)
    with np.errstate(invalid="ignore"):
        up, down = y >= threshold, y <= -threshold
        usd_up, usd_down = d >= threshold, d <= -threshold
    out[up & usd_down] = Signature.SELL_AMERICA.value
    out[up & usd_up] = Signature.DASH_FOR_CASH.value
    out[down & usd_up] = Signature.FLIGHT_TO_QUALITY.value
    return out


def classify(changes: pd.DataFrame, *, horizon: int = DEFAULT_HORIZON,
             window: int = DEFAULT_WINDOW, threshold: float = DEFAULT_THRESHOLD) -> pd.Series:
    """Read the yield–dollar signature of every date.

    Parameters
    ----------
    changes : DataFrame
        Panel of daily changes with columns ``ust10y_bp`` (10-year yield, bp) and
        ``usd_broad_pct`` (broad dollar, log return in percent), as :func:`spillwatch.load`
        returns it.
    horizon : int, default 5
        Length of the window of changes, in rows (business days).
    window : int, default 60
        Rows of daily changes behind the trailing volatility.
    threshold : float, default 1.0
        Both scaled moves must exceed it in absolute value.

    Returns
    -------
    Series
        ``Signature`` string values (``"sell_america"``, ``"dash_for_cash"``,
        ``"flight_to_quality"``, ``"none"``), indexed like ``changes``, named ``signature``.
        Only data up to each date are used.

    Raises
    ------
    DataError
        A required column is missing.
    ConfigError
        A parameter is out of range.

    Examples
    --------
    >>> import pandas as pd, numpy as np
    >>> rng = np.random.default_rng(0)
    >>> idx = pd.bdate_range("2024-01-01", periods=80, name="date")
    >>> ch = pd.DataFrame({"ust10y_bp": rng.normal(0, 5, 80),
    ...                    "usd_broad_pct": rng.normal(0, 0.3, 80)}, index=idx)
    >>> ch.iloc[-5:, 0], ch.iloc[-5:, 1] = 10.0, -0.5     # a week of yields up, dollar down
    >>> classify(ch).iloc[-1]
    'sell_america'
    """
    if not (isinstance(threshold, (int, float)) and threshold > 0):
        raise ConfigError(f"threshold must be a positive number, e.g. 1.0; got {threshold!r}")
    z = signature_scores(changes, horizon=horizon, window=window)
    labels = classify_scores(z["yield_z"].to_numpy(), z["dollar_z"].to_numpy(),
                             threshold=threshold)
    return pd.Series(labels, index=changes.index, name="signature", dtype=object)


def _check(changes: pd.DataFrame, horizon: int, window: int) -> None:
    if not isinstance(changes, pd.DataFrame):
        raise DataError(f"changes must be a DataFrame of daily changes; got "
                        f"{type(changes).__name__}")
    missing = [c for c in (YIELD_COLUMN, DOLLAR_COLUMN) if c not in changes.columns]
    if missing:
        raise DataError(
            f"the signature needs the change columns {YIELD_COLUMN!r} and {DOLLAR_COLUMN!r}; "
            f"missing {missing}. Load them with sw.load(..., assets=['ust10y', 'usd_broad'])",
            column=missing[0])
    for name, v in (("horizon", horizon), ("window", window)):
        if not (isinstance(v, (int, np.integer)) and v >= 1):
            raise ConfigError(f"{name} must be a positive int; got {v!r}")
    if window < 4:
        raise ConfigError(f"window must be at least 4 rows to estimate a volatility; got {window}")
