r"""The yield–dollar signature: 'sell America', 'dash for cash' or 'flight to quality'.

In ordinary risk-off episodes US Treasuries and the dollar are both havens: yields fall and the
dollar rises (*flight to quality*). In a scramble for liquidity investors sell everything,
Treasuries included, for dollars: yields rise **and** the dollar rises (*dash for cash*, March
2020). When investors lose confidence in US assets themselves they sell Treasuries **and** the
dollar: yields rise while the dollar falls (*sell America*, April 2025).

The signature of the day (:func:`classify`)
--------------------------------------------
Each leg's move over the last :math:`h \in \{1, 2, 3\}` observations ending on day :math:`t` is
scaled by the leg's volatility over the year before the window (known before it began):

.. math::

    z^{(h)}_t = \frac{\sum_{s=t-h+1}^{t} \Delta x_s}{\sqrt{h}\;\hat\sigma_{t-h}},
    \qquad \hat\sigma_{t-h} = \operatorname{sd}(\Delta x_{t-h-w+1}, \dots, \Delta x_{t-h}),
    \quad w = 250.

A window is **decisive** when both legs moved at least half a standard deviation
(:math:`|z^{(h)}| \ge a = 0.5`), one of them at least one (:math:`\max |z^{(h)}| \ge b = 1`), and
neither goes against the day's own direction (a leg whose one-day move is at least
:math:`\epsilon = 0.25` of a standard deviation has that sign on the day). The signature of the
day is the quadrant of the shortest decisive window — the day alone first, then with the one or
two days before it — so a day reads what it did, and a quiet day after a decisive one carries it
for at most two days:

====================  ======================  ======================
signature             10-year yield           broad dollar
====================  ======================  ======================
``sell_america``      up                      down
``dash_for_cash``     up                      up
``flight_to_quality`` down                    up
``none``              no decisive window, or yields and the dollar both down
``unavailable``       a leg did not report on the day (missing, stale or a holiday), or has
                      less than half a year of history
====================  ======================  ======================

The one-year scale keeps a large move inside a turbulent month large (a 60-day scale would be
inflated by the turbulence itself). The 10-year yield is the spliced Treasury series (FRED H.15,
and the Treasury's own par curve on dates FRED has not published yet, see
:data:`spillwatch.universe.ASSETS`); the dollar is the Fed's broad index (H.10, noon New York).

The five-day persistence view (:func:`classify_week`)
------------------------------------------------------
The week-long reading of the earlier monitor: 5-day changes scaled by the 60 observations before
the window, both legs beyond :math:`k = 1` standard deviation. It filters day-to-day noise but lags
the turn of an episode by days; it is kept as ``signature_5d``.

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

from spillwatch._validation import is_int, is_real
from spillwatch.analytics.stress.signals import scaled_change, scaled_changes
from spillwatch.exceptions import ConfigError, DataError

#: Change columns the signature reads.
YIELD_COLUMN = "ust10y_bp"
DOLLAR_COLUMN = "usd_broad_pct"

#: Defaults of the day's classification (see the module docstring).
DEFAULT_SCALE_WINDOW = 250
DEFAULT_LOOKBACK = 3
DEFAULT_LEG = 0.5
DEFAULT_NOTABLE = 1.0
DEFAULT_NOISE = 0.25
#: Defaults of the five-day persistence view.
DEFAULT_HORIZON = 5
DEFAULT_WINDOW = 60
DEFAULT_THRESHOLD = 1.0


class Signature(enum.StrEnum):
    """How yields and the dollar moved together."""

    SELL_AMERICA = "sell_america"
    DASH_FOR_CASH = "dash_for_cash"
    FLIGHT_TO_QUALITY = "flight_to_quality"
    NONE = "none"
    UNAVAILABLE = "unavailable"

    @property
    def yields_up(self) -> bool | None:
        """Whether the signature has yields rising (``None`` for ``NONE``/``UNAVAILABLE``)."""
        return {"sell_america": True, "dash_for_cash": True,
                "flight_to_quality": False}.get(self.value)

    @property
    def dollar_up(self) -> bool | None:
        """Whether the signature has the dollar rising (``None`` for ``NONE``/``UNAVAILABLE``)."""
        return {"sell_america": False, "dash_for_cash": True,
                "flight_to_quality": True}.get(self.value)

    @property
    def available(self) -> bool:
        """Whether both legs could be read (everything but ``UNAVAILABLE``)."""
        return self is not Signature.UNAVAILABLE

    @property
    def label(self) -> str:
        """Human-readable name ("sell America")."""
        return {"sell_america": "sell America", "dash_for_cash": "dash for cash",
                "flight_to_quality": "flight to quality", "none": "none",
                "unavailable": "unavailable"}[self.value]


_QUADRANT = {(True, False): Signature.SELL_AMERICA.value,
             (True, True): Signature.DASH_FOR_CASH.value,
             (False, True): Signature.FLIGHT_TO_QUALITY.value,
             (False, False): Signature.NONE.value}


def day_scores(yield_changes: pd.Series, dollar_changes: pd.Series,
               calendar: pd.DatetimeIndex, *, window: int = DEFAULT_SCALE_WINDOW,
               lookback: int = DEFAULT_LOOKBACK) -> pd.DataFrame:
    """Scaled moves of both legs over the last 1..``lookback`` observations, per calendar day.

    Parameters
    ----------
    yield_changes, dollar_changes : Series
        Daily changes of each leg on its own observation dates.
    calendar : DatetimeIndex
        Dates to read them on; a leg that did not report on a date is NaN there.
    window, lookback : int
        See the module docstring.

    Returns
    -------
    DataFrame
        Columns ``yield_z1 .. yield_z{lookback}`` and ``dollar_z1 ..``.
    """
    cols = {}
    hs = tuple(range(1, lookback + 1))
    for name, x in (("yield", yield_changes), ("dollar", dollar_changes)):
        for h, z in scaled_changes(x, hs, window=window).items():
            cols[f"{name}_z{h}"] = z.reindex(calendar)
    return pd.DataFrame(cols, index=calendar)


def classify_day_scores(scores: pd.DataFrame, *, lookback: int = DEFAULT_LOOKBACK,
                        leg: float = DEFAULT_LEG, notable: float = DEFAULT_NOTABLE,
                        noise: float = DEFAULT_NOISE) -> np.ndarray:
    """Apply the rule of the module docstring to :func:`day_scores`.

    Returns
    -------
    ndarray of str
        One :class:`Signature` value per row.
    """
    y1 = scores["yield_z1"].to_numpy(dtype=float)
    d1 = scores["dollar_z1"].to_numpy(dtype=float)
    out = np.full(len(scores), Signature.UNAVAILABLE.value, dtype=object)
    ok = ~np.isnan(y1) & ~np.isnan(d1)
    out[ok] = Signature.NONE.value
    with np.errstate(invalid="ignore"):
        dir_y = np.where(np.abs(y1) >= noise, np.sign(y1), 0.0)
        dir_d = np.where(np.abs(d1) >= noise, np.sign(d1), 0.0)
        todo = ok.copy()
        for h in range(1, lookback + 1):
            y = scores[f"yield_z{h}"].to_numpy(dtype=float)
            d = scores[f"dollar_z{h}"].to_numpy(dtype=float)
            dec = (todo & (np.abs(y) >= leg) & (np.abs(d) >= leg)
                   & (np.maximum(np.abs(y), np.abs(d)) >= notable)
                   & ((dir_y == 0) | (np.sign(y) == dir_y))
                   & ((dir_d == 0) | (np.sign(d) == dir_d)))
            for (yu, du), label in _QUADRANT.items():
                out[dec & ((y > 0) == yu) & ((d > 0) == du)] = label
            todo &= ~dec
    return out


def classify(changes: pd.DataFrame, *, window: int = DEFAULT_SCALE_WINDOW,
             lookback: int = DEFAULT_LOOKBACK, leg: float = DEFAULT_LEG,
             notable: float = DEFAULT_NOTABLE, noise: float = DEFAULT_NOISE) -> pd.Series:
    r"""Read the yield–dollar signature of every day (see the module docstring).

    Parameters
    ----------
    changes : DataFrame
        Panel of daily changes with columns ``ust10y_bp`` (10-year yield, bp) and
        ``usd_broad_pct`` (broad dollar, log return in percent), as :func:`spillwatch.load`
        returns it. A leg reports on the dates its change is not NaN.
    window : int, default 250
        Observations behind each leg's volatility scale.
    lookback : int, default 3
        Longest window, in observations, that may decide the day (the day and the two before).
    leg, notable, noise : float, default 0.5, 1.0, 0.25
        Thresholds :math:`a`, :math:`b`, :math:`\epsilon` of the rule, in standard deviations.

    Returns
    -------
    Series
        :class:`Signature` string values indexed like ``changes``, named ``signature``. Only
        data up to each date are used.

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
    >>> idx = pd.bdate_range("2023-01-02", periods=300, name="date")
    >>> ch = pd.DataFrame({"ust10y_bp": rng.normal(0, 5, 300),
    ...                    "usd_broad_pct": rng.normal(0, 0.3, 300)}, index=idx)
    >>> ch.iloc[-1] = [12.0, -0.6]                 # yields up, the dollar down, today
    >>> classify(ch).iloc[-1]
    'sell_america'
    """
    _check(changes, (("window", window), ("lookback", lookback)))
    for name, v in (("leg", leg), ("notable", notable), ("noise", noise)):
        if not (is_real(v) and v >= 0):
            raise ConfigError(f"{name} must be a non-negative number of standard deviations; "
                              f"got {v!r}")
    y = changes[YIELD_COLUMN].dropna()
    d = changes[DOLLAR_COLUMN].dropna()
    scores = day_scores(y, d, pd.DatetimeIndex(changes.index), window=window, lookback=lookback)
    labels = classify_day_scores(scores, lookback=lookback, leg=leg, notable=notable,
                                 noise=noise)
    return pd.Series(labels, index=changes.index, name="signature", dtype=object)


def classify_scores(yield_z: np.ndarray, dollar_z: np.ndarray, *,
                    threshold: float = DEFAULT_THRESHOLD) -> np.ndarray:
    r"""The five-day joint trigger on arrays of scaled moves (``unavailable`` where NaN).

    ``sell_america`` when :math:`z^y \ge k` and :math:`z^d \le -k`, ``dash_for_cash`` when both
    :math:`\ge k`, ``flight_to_quality`` when :math:`z^y \le -k` and :math:`z^d \ge k`.
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
    out[np.isnan(y) | np.isnan(d)] = Signature.UNAVAILABLE.value
    return out


def classify_week(changes: pd.DataFrame, *, horizon: int = DEFAULT_HORIZON,
                  window: int = DEFAULT_WINDOW, threshold: float = DEFAULT_THRESHOLD
                  ) -> pd.Series:
    """The five-day persistence view of the signature (see the module docstring).

    Parameters
    ----------
    changes : DataFrame
        As :func:`classify`.
    horizon : int, default 5
        Observations of each leg's change.
    window : int, default 60
        Observations behind the volatility scale.
    threshold : float, default 1.0
        Both scaled moves must exceed it in absolute value.

    Returns
    -------
    Series
        :class:`Signature` values read on each leg's last report (``unavailable`` before a leg
        has history), named ``signature_5d``.
    """
    _check(changes, (("horizon", horizon), ("window", window)))
    if not (is_real(threshold) and threshold > 0):
        raise ConfigError(f"threshold must be a positive number, e.g. 1.0; got {threshold!r}")
    idx = pd.DatetimeIndex(changes.index)
    y = scaled_change(changes[YIELD_COLUMN].dropna(), horizon=horizon, window=window)
    d = scaled_change(changes[DOLLAR_COLUMN].dropna(), horizon=horizon, window=window)
    labels = classify_scores(y.reindex(idx).to_numpy(), d.reindex(idx).to_numpy(),
                             threshold=threshold)
    return pd.Series(labels, index=changes.index, name="signature_5d", dtype=object)


def _check(changes: pd.DataFrame, ints: tuple[tuple[str, object], ...]) -> None:
    if not isinstance(changes, pd.DataFrame):
        raise DataError(f"changes must be a DataFrame of daily changes; got "
                        f"{type(changes).__name__}")
    missing = [c for c in (YIELD_COLUMN, DOLLAR_COLUMN) if c not in changes.columns]
    if missing:
        raise DataError(
            f"the signature needs the change columns {YIELD_COLUMN!r} and {DOLLAR_COLUMN!r}; "
            f"missing {missing}. Load them with sw.load(..., assets=['ust10y', 'usd_broad'])",
            column=missing[0])
    for name, v in ints:
        if not (is_int(v) and v >= 1):
            raise ConfigError(f"{name} must be a positive int; got {v!r}")
    window = dict(ints).get("window")
    if is_int(window) and window < 4:
        raise ConfigError(f"window must be at least 4 rows to estimate a volatility; got {window}")
