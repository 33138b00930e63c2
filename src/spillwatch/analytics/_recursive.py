r"""Recursive (past-only) transforms shared by the monitors: ECDF, tail probability, z-score.

Each value on date :math:`t` uses observations up to :math:`t` only, so a value never revises
when later data arrive and truncating the input at any date reproduces every earlier value.

``recursive_ecdf``
    :math:`F_t(x_t) = \#\{s \le t : x_s \le x_t\} / \#\{s \le t\}` (ties count as ``<=``), the
    order-statistics transform of Holló, Kremer & Lo Duca (2012, section 3), computed
    recursively.
``recursive_upper_tail``
    :math:`q_t(x_t) = \#\{s \le t : x_s \ge x_t\} / \#\{s \le t\}`, the empirical probability,
    among the past and present, of a value at least as large as today's: a one-sided
    empirical p-value in :math:`[1/n_t, 1]` (1 for the smallest value so far).
``past_zscore``
    :math:`z_t = (x_t - \bar x_{t-1}) / s_{t-1}` with the mean and standard deviation of the
    ``window`` observations *before* :math:`t` (today's value is not in its own yardstick).
``ewma``
    :math:`s_t = \lambda s_{t-1} + (1 - \lambda) x_t` from a given :math:`s_{-1}`, one
    first-order linear filter over the first axis (the stress index's EWMA correlations, the
    backtest's incremental replay of them, RiskMetrics variances).
``by_composition``
    The rank of a composite within a **consistent composition** (the stress index and the
    foreign-demand gauge): each date's composite of the parts present that day is ranked among
    the past values of the composite of those same parts; a composition too young to rank
    falls back to its largest sub-composition, dropping the latest-starting part first.

The first three skip NaNs (a NaN stays NaN and does not count) and take :math:`O(T \log T)` for the
ranks (pandas' expanding rank, an order-statistics skip list; Pugh 1990).

References
----------
Holló, D., Kremer, M. and Lo Duca, M. (2012), "CISS – a composite indicator of systemic stress in
the financial system", ECB Working Paper 1426, section 3.
Pugh, W. (1990), "Skip lists: a probabilistic alternative to balanced trees", *Communications of
the ACM* 33(6), 668–676.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd


def recursive_ecdf(frame: pd.DataFrame, *, min_obs: int) -> pd.DataFrame:
    r"""Map each column to its recursive empirical CDF over past and present values.

    Parameters
    ----------
    frame : DataFrame
        Values in time order (NaN = not observed).
    min_obs : int
        Burn-in: observed values needed before the first output.

    Returns
    -------
    DataFrame
        Same shape, values in (0, 1]; NaN where the input is NaN or during the burn-in.
    """
    if frame.empty:
        return frame.astype("float64")
    x = frame.astype("float64")
    rank = x.expanding(min_periods=1).rank(method="max")
    n = x.notna().cumsum()
    return (rank / n).where(x.notna() & (n >= min_obs))


def recursive_upper_tail(frame: pd.DataFrame, *, min_obs: int) -> pd.DataFrame:
    r"""The recursive one-sided empirical p-value of each value (large = unremarkable).

    .. math::

        q_t = \frac{\#\{s \le t : x_s \ge x_t,\ x_s \text{ observed}\}}
                   {\#\{s \le t : x_s \text{ observed}\}}

    Parameters
    ----------
    frame : DataFrame
        Values oriented so that larger is more extreme, in time order.
    min_obs : int
        Burn-in: observed values needed before the first output.

    Returns
    -------
    DataFrame
        Same shape, values in :math:`[1/n_t, 1]`; NaN where the input is NaN or during the
        burn-in.
    """
    if frame.empty:
        return frame.astype("float64")
    x = frame.astype("float64")
    rank = (-x).expanding(min_periods=1).rank(method="max")
    n = x.notna().cumsum()
    return (rank / n).where(x.notna() & (n >= min_obs))


def past_zscore(x: pd.Series, *, window: int, min_obs: int) -> pd.Series:
    r"""Standardise each value by the mean and standard deviation of the values before it.

    .. math::

        z_t = \frac{x_t - \operatorname{mean}(x_{t-w}, \dots, x_{t-1})}
                   {\operatorname{sd}(x_{t-w}, \dots, x_{t-1})}

    over the last ``window`` rows before :math:`t` (at least ``min_obs`` of them observed).

    Parameters
    ----------
    x : Series
        Values in time order, one row per observation (NaN = not observed).
    window : int
        Rows of the trailing yardstick.
    min_obs : int
        Observed values the yardstick needs (NaN before).

    Returns
    -------
    Series
        Same index; NaN where ``x`` is NaN, during the burn-in, or where the past is constant.
    """
    past = x.astype("float64").shift(1).rolling(window, min_periods=min_obs)
    mean, sd = past.mean(), past.std()
    z = (x - mean) / sd.where(sd > 0)
    return z.where(np.isfinite(z))


def ewma(x: np.ndarray, lam: float, *, start: np.ndarray | float = 0.0) -> np.ndarray:
    r"""Exponentially weighted moving average over the first axis of ``x``.

    .. math:: s_t = \lambda s_{t-1} + (1 - \lambda)\, x_t, \qquad s_{-1} = \text{start}

    (RiskMetrics Technical Document, 4th ed., 1996, eq. 5.3). A NaN in ``x`` stays in every
    later value of its column: callers pass observed rows only.

    Parameters
    ----------
    x : ndarray, shape (T, ...)
    lam : float
        Decay in (0, 1) (checked by the callers' specifications).
    start : float or ndarray broadcastable to ``x.shape[1:]``, default 0

    Returns
    -------
    ndarray, shape (T, ...)
    """
    # a loop over rows rather than scipy.signal.lfilter: it gives the same bits (lfilter's
    # first-order recursion is y_t = b0 x_t + z, z = lam y_t) and spares `spillwatch stress`
    # and the monitor the half second scipy.signal takes to import
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    b0 = 1.0 - lam
    carry = lam * np.broadcast_to(np.asarray(start, dtype=float), x.shape[1:])
    for t in range(x.shape[0]):
        y = b0 * x[t]
        y += carry
        out[t] = y
        carry = lam * y
    return out


def by_composition(present: np.ndarray, use: np.ndarray,
                   rank: Callable[[list[int], int], np.ndarray],
                   members_out: np.ndarray | None = None) -> np.ndarray:
    """Each used row's rank within the composition of the parts present on it.

    Parameters
    ----------
    present : ndarray of bool, shape (T, K)
        Which parts are present on each row.
    use : ndarray of bool, shape (T,)
        Rows that get a rank.
    rank : callable
        ``rank(members, end)``: the recursive rank (NaN in its burn-in) of the composite of the
        parts ``members`` over rows ``:end`` (only the rows where all of them are present
        count); it must read rows up to ``end`` only.
    members_out : ndarray of int, shape (T,), optional
        Filled with the bit mask of the parts whose composite ranked each row (bit ``i`` for
        part ``i``; -1 where no rank): a fallback ranks fewer parts than are present.

    Returns
    -------
    ndarray, shape (T,)
        NaN off the used rows and where no (sub-)composition can rank yet.
    """
    t_len, k = present.shape
    key = (present * (1 << np.arange(k))).sum(axis=1)
    starts = [int(np.argmax(present[:, i])) if present[:, i].any() else t_len for i in range(k)]
    out = np.full(t_len, np.nan)
    cache: dict[tuple[int, ...], np.ndarray] = {}
    for code in np.unique(key[use]):
        members = [i for i in range(k) if code >> i & 1]
        todo = use & (key == code)
        while members and todo.any():
            m = tuple(members)
            # the rank on t reads data up to t only: stop at the last date this set serves
            end = int(np.flatnonzero(todo)[-1]) + 1
            if m not in cache or len(cache[m]) < end:
                cache[m] = rank(list(m), end)
            got = np.zeros(t_len, dtype=bool)
            got[:len(cache[m])] = ~np.isnan(cache[m])
            got &= todo
            out[got] = cache[m][np.flatnonzero(got)]
            if members_out is not None:
                members_out[got] = sum(1 << i for i in m)
            todo &= ~got
            members.remove(max(members, key=lambda i: starts[i]))
    return out
