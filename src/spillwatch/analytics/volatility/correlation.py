r"""Dynamic correlation over the watch list: EWMA (RiskMetrics) and DCC(1,1) (Engle 2002).

DCC is estimated by Engle's two-step quasi-maximum likelihood:

1. each series gets its own GARCH model (:class:`~spillwatch.analytics.volatility.garch.Volatility`,
   GARCH(1,1) with normal QML errors by default); ``z_t = (r_t - mu) / sigma_t``;
2. with correlation targeting :math:`\bar Q = T^{-1}\sum_t z_t z_t'`, the pseudo-correlation
   recursion (Engle 2002, eq. 26)

   .. math:: Q_t = (1 - a - b)\,\bar Q + a\, z_{t-1} z_{t-1}' + b\, Q_{t-1}, \qquad
             R_t = \operatorname{diag}(Q_t)^{-1/2} Q_t \operatorname{diag}(Q_t)^{-1/2}

   is a linear filter in every element of :math:`Q`, so it runs as one
   :func:`scipy.signal.lfilter` call over a (T, N, N) stack, and the correlation part of the
   log-likelihood (Engle 2002, eq. 25)

   .. math:: L_C(a, b) = -\tfrac12 \sum_t \left(\ln|R_t| + z_t' R_t^{-1} z_t - z_t' z_t\right)

   is evaluated with batched ``slogdet`` and ``solve``. It is maximised over
   :math:`a, b \ge 0,\ a + b < 1`.

The tests compare this with a loop-based reference likelihood and optimiser.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.signal import lfilter

from spillwatch._changes import merge_incomplete_rows
from spillwatch._compat.blas import one_blas_thread
from spillwatch._results import ResultBase, jsonable
from spillwatch._typing import Float64Array
from spillwatch._validation import (
    as_date,
    as_frame,
    choice,
    clean_frame,
    positive_int,
    span,
)
from spillwatch.analytics.volatility.ewma import (
    RISKMETRICS_LAMBDA,
    check_lambda,
    cov_to_corr,
    ewma_covariance,
)
from spillwatch.analytics.volatility.garch import Volatility
from spillwatch.exceptions import ConfigError, ConvergenceError

METHODS = ("dcc", "ewma")


def dcc_q(z: Float64Array, a: float, b: float, qbar: Float64Array | None = None
          ) -> Float64Array:
    """The DCC(1,1) pseudo-correlation path :math:`Q_t`, t = 0..T (``Q_0 = Q̄``; ``Q_T`` forecasts).

    Parameters
    ----------
    z : ndarray, shape (T, N)
        Standardised residuals.
    a, b : float
        DCC news and decay parameters.
    qbar : ndarray, shape (N, N), optional
        Unconditional target; default the sample second moment of ``z``.

    Returns
    -------
    ndarray, shape (T + 1, N, N)
    """
    z = np.asarray(z, dtype=float)
    if qbar is None:
        qbar = z.T @ z / len(z)
    x = (1.0 - a - b) * qbar[None] + a * (z[:, :, None] * z[:, None, :])
    body, _ = lfilter([1.0], [1.0, -b], x, axis=0, zi=(b * qbar)[None])
    return np.concatenate([qbar[None], body], axis=0)


def dcc_loglik(params: Float64Array, z: Float64Array, qbar: Float64Array) -> float:
    """Correlation part of the DCC log-likelihood (Engle 2002, eq. 25), vectorised over t."""
    a, b = float(params[0]), float(params[1])
    if a < 0.0 or b < 0.0 or a + b >= 1.0:
        return -np.inf  # outside the stationary region (Engle 2002, after eq. 26)
    q = dcc_q(z, a, b, qbar)[:-1]
    r = cov_to_corr(q)
    sign, logdet = np.linalg.slogdet(r)
    if np.any(sign <= 0) or not np.all(np.isfinite(logdet)):
        return -np.inf
    quad = np.einsum("ti,ti->t", z, np.linalg.solve(r, z[:, :, None])[:, :, 0])
    return float(-0.5 * np.sum(logdet + quad - np.einsum("ti,ti->t", z, z)))


def fit_dcc(z: Float64Array, *, tol: float = 1e-10) -> tuple[float, float, float, Any]:
    """Maximise :func:`dcc_loglik` over ``a, b >= 0, a + b < 1`` (SLSQP from a small grid).

    Returns
    -------
    a, b, loglik, scipy OptimizeResult
    """
    z = np.asarray(z, dtype=float)
    qbar = z.T @ z / len(z)

    def nll(p: Float64Array) -> float:
        v = dcc_loglik(p, z, qbar)
        return -v if np.isfinite(v) else 1e12

    grid = [(a, b) for a in (0.01, 0.03, 0.06) for b in (0.85, 0.93, 0.97) if a + b < 0.999]
    start = min(grid, key=lambda p: nll(np.array(p)))
    with one_blas_thread():      # bit for bit whatever OPENBLAS_NUM_THREADS says
        res = minimize(nll, np.array(start), method="SLSQP",
                       bounds=[(0.0, 0.5), (0.0, 0.9999)],
                       constraints=[{"type": "ineq", "fun": lambda p: 0.9999 - p[0] - p[1]}],
                       options={"ftol": tol, "maxiter": 500})
    if not res.success:
        raise ConvergenceError(f"DCC step 2 did not converge: {res.message}")
    if not np.isfinite(dcc_loglik(res.x, z, qbar)):
        # every candidate scored -inf (two series that move as one make Q singular): the
        # optimiser "converged" on the penalty at its start point (a=0.01, b=0.85, loglik -1e12)
        raise ConvergenceError("DCC step 2 found no parameters with a finite likelihood: the "
                               "standardised residuals' correlation is singular (two series "
                               "that move as one?)")
    a, b = (float(v) for v in np.clip(res.x, 0.0, None))
    return a, b, -float(res.fun), res


@dataclass(frozen=True)
class DynamicCorrelation:
    """Specification of a dynamic correlation model.

    Parameters
    ----------
    method : {"dcc", "ewma"}, default "dcc"
    lam : float, default 0.94
        EWMA decay (RiskMetrics 1996).
    univariate : Volatility
        Step-1 model of DCC (default GARCH(1,1), normal QML).
    min_obs : int, default 250
    incomplete : {"merge", "drop"}, default "merge"
        A date on which some column has no change (a holiday of that market: the Treasury
        market on Good Friday, the H.10 dollar on Columbus Day): ``"merge"`` adds its changes to
        the next date every column has (:func:`spillwatch._changes.merge_incomplete_rows`, from
        the first such date on), so each change spans the same days, as the ``risk`` command
        does; ``"drop"`` leaves it out (its moves of the other markets are lost, and the missed
        one's next change spans two days beside one-day ones).
    start : date-like, optional
        First day of the sample. With ``"merge"`` the data before it are merged too, then cut,
        so that its first row's changes span the same time: cut first, a start the day after
        the bond market's Veterans Day (2024-11-12) paired bitcoin's change from Monday with
        the 10-year's from Friday (h_verify29). Default: the data's first day.
    """

    method: str = "dcc"
    lam: float = RISKMETRICS_LAMBDA
    univariate: Volatility = field(
        default_factory=lambda: Volatility(model="garch", dist="normal", horizon=1))
    min_obs: int = 250
    incomplete: str = "merge"
    start: Any = None

    def __post_init__(self) -> None:
        choice(self.method, METHODS, name="correlation method")
        choice(self.incomplete, ("merge", "drop"), name="incomplete-row policy")
        check_lambda(self.lam)
        positive_int(self.min_obs, name="min_obs")

    def fit(self, data: Any) -> CorrelationResult:
        """Estimate on the dates where every column has a change (``incomplete``)."""
        frame = clean_frame(data, min_obs=self.min_obs, purpose="dynamic correlation")
        if self.incomplete == "merge":      # checked first: its errors name the short column
            raw = as_frame(data)
            merged = merge_incomplete_rows(raw.loc[frame.index[0]:])
            if self.start is not None:
                merged = merged.loc[pd.Timestamp(self.start):]
            frame = clean_frame(merged, min_obs=self.min_obs, purpose="dynamic correlation")
        elif self.start is not None:
            frame = clean_frame(frame.loc[pd.Timestamp(self.start):], min_obs=self.min_obs,
                                purpose="dynamic correlation")
        if frame.shape[1] < 2:
            raise ConfigError("dynamic correlation needs at least two series; got "
                              f"{list(frame.columns)}")
        if self.method == "ewma":
            cov = ewma_covariance(frame.to_numpy(), lam=self.lam)
            return CorrelationResult(spec=self, data=frame, corr=cov_to_corr(cov),
                                     params={"lam": self.lam})
        vol = replace(self.univariate, min_obs=self.min_obs).fit(frame)
        if vol.failures:
            name, why = next(iter(vol.failures.items()))
            raise ConvergenceError(f"DCC step 1 failed for {name!r}: {why}", series_id=name)
        z = vol.std_resid.loc[frame.index].to_numpy()
        a, b, ll, _ = fit_dcc(z)
        q = dcc_q(z, a, b)
        return CorrelationResult(spec=self, data=frame, corr=cov_to_corr(q),
                                 params={"a": a, "b": b, "loglik": ll},
                                 std_resid=pd.DataFrame(z, index=frame.index,
                                                        columns=frame.columns))


class CorrelationResult(ResultBase):
    """Correlation matrices of every date (and the next day's forecast).

    Attributes
    ----------
    spec : DynamicCorrelation
    data : DataFrame
        The rows used (every column present).
    corr : ndarray, shape (T + 1, N, N)
        ``corr[t]`` is the correlation of day ``t`` given the days before; ``corr[T]`` forecasts
        the next day.
    params : dict
        ``a``, ``b``, ``loglik`` (DCC) or ``lam`` (EWMA).
    std_resid : DataFrame or None
        DCC step-1 standardised residuals.
    """

    title = "Dynamic correlation"

    def __init__(self, spec: DynamicCorrelation, data: pd.DataFrame, corr: Float64Array,
                 params: dict[str, float], std_resid: pd.DataFrame | None = None) -> None:
        self.spec = spec
        self.data = data
        self.corr = corr
        self.params = params
        self.std_resid = std_resid

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.data.columns]

    def pair(self, a: str, b: str) -> pd.Series:
        """Correlation path of one pair, indexed by date."""
        cols = self.columns
        for c in (a, b):
            if c not in cols:
                raise ConfigError(f"unknown series {c!r}; choose one of: {', '.join(cols)}")
        i, j = cols.index(a), cols.index(b)
        return pd.Series(self.corr[:-1, i, j], index=self.data.index, name=f"{a}~{b}")

    @cached_property
    def pairs(self) -> pd.DataFrame:
        """Every pair's path (columns ``"a~b"``)."""
        cols = self.columns
        return pd.DataFrame({f"{cols[i]}~{cols[j]}": self.corr[:-1, i, j]
                             for i in range(len(cols)) for j in range(i + 1, len(cols))},
                            index=self.data.index)

    def at(self, date: Any = None) -> pd.DataFrame:
        """Correlation matrix on ``date`` (default: the forecast for the next day)."""
        if date is None:
            m = self.corr[-1]
        else:
            pos = self.data.index.get_indexer([as_date(date)])[0]
            if pos < 0:
                raise ConfigError(f"{date} is not a date of the sample "
                                  f"({self.data.index[0]} to {self.data.index[-1]})")
            m = self.corr[pos]
        return pd.DataFrame(m, index=self.columns, columns=self.columns)

    def stress_table(self, stress: pd.Series) -> pd.DataFrame:
        r"""Correlation of each pair on stress days vs other days: forecast and realised.

        ``stress`` and ``calm`` are the model's mean correlation *forecast* for those days
        (``corr[t]``, made the evening before: with DCC's small ``a`` it barely reacts to the
        day itself); ``realised_stress`` and ``realised_calm`` are the sample correlations of
        the days' own moves (DCC: the step-1 standardised residuals; EWMA: the changes) over
        each set of days, what the pair did on them, with Fisher's 95% interval
        (``realised_stress_lo`` ... ``realised_calm_hi``: :math:`\tanh(\operatorname{atanh}
        r \pm 1.96/\sqrt{n-3})`; as of 2025-04-09, on 116 sell-off days, bitcoin and the
        10-year's -0.16 spans -0.33 to +0.02). A set selected on one series' tail narrows that
        series' range, which biases the realised figure (Forbes & Rigobon 2002); read it beside
        the forecast, not alone.

        Parameters
        ----------
        stress : Series of bool
            True on stress days (e.g. the 10-year yield change above its 95th percentile).
        """
        mask = stress.reindex(self.data.index).fillna(False).astype(bool).to_numpy()
        p = self.pairs
        moves = self.std_resid if self.std_resid is not None else self.data
        cols = self.columns

        def realised(rows: np.ndarray) -> list[float]:
            c = moves[rows].corr()
            return [float(c.iloc[i, j]) if rows.sum() > 2 else float("nan")
                    for i in range(len(cols)) for j in range(i + 1, len(cols))]

        def fisher(r: list[float], n: int) -> tuple[np.ndarray, np.ndarray]:
            z, half = np.arctanh(np.clip(r, -1 + 1e-15, 1 - 1e-15)), 1.96 / np.sqrt(max(n - 3, 1))
            ok = n > 3
            return (np.where(ok, np.tanh(z - half), np.nan),
                    np.where(ok, np.tanh(z + half), np.nan))

        r_s, r_c = realised(mask), realised(~mask)
        (s_lo, s_hi), (c_lo, c_hi) = fisher(r_s, int(mask.sum())), fisher(r_c, int((~mask).sum()))
        return pd.DataFrame({"stress": p[mask].mean(), "calm": p[~mask].mean(),
                             "realised_stress": r_s, "realised_calm": r_c,
                             "realised_stress_lo": s_lo, "realised_stress_hi": s_hi,
                             "realised_calm_lo": c_lo, "realised_calm_hi": c_hi,
                             "n_stress": int(mask.sum())}, index=p.columns).rename_axis("pair")

    def table(self) -> pd.DataFrame:
        """The next-day correlation matrix."""
        return self.at().rename_axis("series")

    def to_frame(self) -> pd.DataFrame:
        """Tidy frame: date, pair, corr."""
        return self.pairs.rename_axis("date").reset_index().melt(
            id_vars="date", var_name="pair", value_name="corr")

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "method": self.spec.method, "params": self.params,
                "start": jsonable(self.data.index[0]), "end": jsonable(self.data.index[-1]),
                "table": jsonable(self.table())}

    def _summary_lines(self) -> list[str]:
        p = ", ".join(f"{k}={v:.4g}" for k, v in self.params.items())
        return [f"{self.title} ({self.spec.method}: {p}; {len(self.data)} days "
                f"{span(self.data.index)})",
                "next-day correlation:", self.table().round(3).to_string()]

    def plot(self, kind: str | None = None) -> Any:
        """Paths of every pair (plotly; imported lazily)."""
        import plotly.graph_objects as go

        fig = go.Figure()
        for c in self.pairs.columns:
            fig.add_trace(go.Scatter(x=self.data.index, y=self.pairs[c].to_numpy(), name=c,
                                     mode="lines"))
        fig.update_layout(title=f"{self.title} ({self.spec.method})", yaxis_title="correlation",
                          yaxis_range=[-1, 1])
        return fig


def correlation(data: Any, *, method: str = "dcc", lam: float = RISKMETRICS_LAMBDA,
                univariate: Volatility | None = None, min_obs: int = 250,
                incomplete: str = "merge", start: Any = None) -> CorrelationResult:
    """Dynamic correlation of the columns of ``data`` (EWMA or DCC(1,1)).

    Parameters
    ----------
    data : DataFrame
        Daily changes, two or more columns; a date where a column has none is merged into
        the next complete date (``incomplete``).
    method : {"dcc", "ewma"}, default "dcc"
        DCC(1,1) by two-step QML (Engle 2002) or RiskMetrics EWMA (1996).
    lam : float, default 0.94
    univariate : Volatility, optional
        Step-1 model for DCC.
    min_obs : int, default 250
    incomplete : {"merge", "drop"}, default "merge"
        See :class:`DynamicCorrelation`.
    start : date-like, optional
        First day of the sample (:class:`DynamicCorrelation`).

    Returns
    -------
    CorrelationResult

    References
    ----------
    Engle, R. (2002). Dynamic conditional correlation. *JBES* 20(3), 339-350.
    """
    kw: dict[str, Any] = {"method": method, "lam": lam, "min_obs": min_obs,
                          "incomplete": incomplete, "start": start}
    if univariate is not None:
        kw["univariate"] = univariate
    return DynamicCorrelation(**kw).fit(data)
