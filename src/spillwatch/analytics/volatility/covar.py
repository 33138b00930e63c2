r"""CoVaR and ΔCoVaR of crypto conditional on a Treasury sell-off (Adrian & Brunnermeier 2016).

For each target series *j* (``btc_pct``, ``eth_pct``, ``trump_pct``) and the conditioning series
*x* (the 10-year yield change ``ust10y_bp``, in basis points), a linear quantile regression at
the tail level *q* (Koenker & Bassett 1978; ``statsmodels.QuantReg``)

.. math:: r_{j,t} = \alpha_q + \beta_q\, x_t + \varepsilon_t, \qquad
          Q_q(\varepsilon_t \mid x_t) = 0

gives (Adrian & Brunnermeier 2016, eqs. 6-7, with the stress state of the conditioning market in
place of an institution's VaR)

.. math::
    \mathrm{CoVaR}^{j|s}_q = \hat\alpha_q + \hat\beta_q\, x_{(s)}, \qquad
    \Delta\mathrm{CoVaR}^{j}_q = \hat\beta_q\,(x_{(s)} - x_{(50)})

where :math:`x_{(s)}` is the *s*-th percentile of the yield change. **Yields up is the stress
state**: a Treasury sell-off is the 95th or 99th percentile of the daily change, and the median
state the 50th.

Sample: the days on which both the target and the 10-year have a change; a day one of them
missed (a bond-market holiday on which crypto trades) is added to the next common day
(:func:`spillwatch._changes.merge_incomplete_rows`), so both changes always span the same time.

Conventions: as in Adrian & Brunnermeier, CoVaR is a quantile of the target's return (percent
per day), so it is negative in the loss tail; a negative ΔCoVaR means a Treasury sell-off makes
the target's tail worse.

Standard errors come from the xy-pairs bootstrap (Koenker 2005, section 3.9; Adrian & Brunnermeier
judge significance by bootstrap too) of :data:`BOOT_DRAWS` resamples with a fixed seed,
:math:`\mathrm{se}(\Delta\mathrm{CoVaR}) = |x_{(s)} - x_{(50)}|\,\mathrm{se}(\hat\beta)`.
statsmodels' robust sandwich (Hendricks-Koenker) hangs on the bandwidth of its sparsity estimate
with the few days in a 5% tail: ether's slope as of 2025-04-09 had a standard error of 0.073 (Hall-
Sheather, statsmodels' default), 0.024 (Bofinger) or 0.061 (Chamberlain) against 0.107 by this
bootstrap (0.114 by one of 1,000 resamples), and its t of 2.05 read as a measured effect where the
bootstrap's is 1.40; bitcoin's, 0.049 against 0.047, kept its t of 0.95. The sandwich's is kept in
the fit (``fits[target]["beta_se_sandwich"]``), and when it is undefined (too few tail days for any
density estimate) there is no t. Each resample's line is solved exactly
(:func:`quantile_line_draws`).

References
----------
Adrian, T. and Brunnermeier, M. K. (2016), "CoVaR", *American Economic Review* 106(7),
1705-1741.
Koenker, R. (2005), *Quantile Regression*, Cambridge University Press.
Koenker, R. and Bassett, G. (1978), "Regression quantiles", *Econometrica* 46(1), 33-50.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from spillwatch._changes import merge_incomplete_rows
from spillwatch._compat.warns import catch_warnings
from spillwatch._results import ResultBase, jsonable
from spillwatch._validation import (
    as_frame,
    clean_frame,
    decade_unit,
    is_real,
    positive_int,
    span,
)
from spillwatch.exceptions import ConfigError, ConvergenceError

DEFAULT_TARGETS: tuple[str, ...] = ("btc_pct", "eth_pct", "trump_pct")
#: Resamples of the pairs bootstrap of the slope's standard error (fixed seed: the same data
#: give the same t).
BOOT_DRAWS = 250
BOOT_SEED = 0


def _slope_range(y: np.ndarray, x: np.ndarray) -> tuple[float, float]:
    """The lowest and highest slope between two points of different ``x``.

    Each is between neighbouring values of ``x`` (a slope across a middle value is a weighted
    mean of the slopes to and from any point there): O(n log n), not the n² pairs.
    """
    ux, group = np.unique(x, return_inverse=True)
    if len(ux) < 2:
        return float("nan"), float("nan")
    top = np.full(len(ux), -np.inf)
    low = np.full(len(ux), np.inf)
    np.maximum.at(top, group, y)
    np.minimum.at(low, group, y)
    dx = np.diff(ux)
    return float(((low[1:] - top[:-1]) / dx).min()), float(((top[1:] - low[:-1]) / dx).max())


def quantile_line_draws(y: np.ndarray, x: np.ndarray, q: float, *, draws: int = BOOT_DRAWS,
                        seed: int = BOOT_SEED, near: tuple[float, float] | None = None
                        ) -> np.ndarray:
    r"""The ``q``-quantile regression line of ``y`` on ``x`` in each pairs bootstrap resample.

    Returns intercept and slope, shape ``(draws, 2)``, of every xy-pairs resample (Koenker
    2005, section 3.9) at once: for a slope :math:`b` the best intercept is a ``q``-quantile
    of :math:`y - bx` (the :math:`\lceil nq \rceil`-th smallest), and the profile
    :math:`\sum \rho_q(y - a(b) - bx)` is convex in :math:`b`, so a golden-section search
    finds the slope; it lies among the sample's pairwise slopes (a simple quantile
    regression's line passes through two of its points: :func:`_slope_range`), which bracket
    it. ``near`` (a slope and a width, e.g. the sample's estimate and twelve standard errors)
    searches that window first and the whole bracket again only for a resample whose slope
    ends at its edge. Its loss is never above statsmodels' ``QuantReg`` solution's on the
    same resample (a test); 250 of them take about 0.3 s of CPU on 2,000 days.
    """
    n = len(y)
    pick = np.random.default_rng(seed).integers(0, n, size=(draws, n))
    ys, xs = y[pick], x[pick]
    least, most = _slope_range(y, x)
    if not np.isfinite(least):
        return np.full((draws, 2), np.nan)
    tol = 1e-8 * float(np.std(y)) / max(float(np.std(x)), 1e-300)
    lo, hi = least, most
    if near is not None and np.isfinite(near[0]) and np.isfinite(near[1]) and near[1] > 0:
        lo, hi = max(least, near[0] - near[1]), min(most, near[0] + near[1])
    b = _golden_slopes(ys, xs, q, np.full(draws, lo), np.full(draws, hi), tol)
    # a slope at the window's edge may lie beyond it: those resamples over the whole bracket
    edge = ((b - lo < 10 * tol) & (lo > least)) | ((hi - b < 10 * tol) & (hi < most))
    if edge.any():
        rows = np.flatnonzero(edge)
        b[rows] = _golden_slopes(ys[rows], xs[rows], q, np.full(len(rows), least),
                                 np.full(len(rows), most), tol)
    k = max(math.ceil(n * q) - 1, 0)
    a = np.partition(ys - b[:, None] * xs, k, axis=1)[:, k]
    return np.column_stack([a, b])


def _golden_slopes(ys: np.ndarray, xs: np.ndarray, q: float, lo: np.ndarray, hi: np.ndarray,
                   tol: float) -> np.ndarray:
    """Each row's quantile-regression slope within ``[lo, hi]`` by golden-section search."""
    n = ys.shape[1]
    k = max(math.ceil(n * q) - 1, 0)
    sum_y, sum_x = ys.sum(axis=1), xs.sum(axis=1)

    def loss(b: np.ndarray) -> np.ndarray:
        # sum of rho_q(r - a) = q (sum r - n a) - sum over r < a of (r - a); after the
        # partition the k values before a are the ones below it (ties add nothing)
        part = np.partition(ys - b[:, None] * xs, k, axis=1)
        a = part[:, k]
        return q * (sum_y - b * sum_x - n * a) - (part[:, :k].sum(axis=1) - k * a)

    g = (math.sqrt(5.0) - 1.0) / 2.0
    c, d = hi - g * (hi - lo), lo + g * (hi - lo)
    fc, fd = loss(c), loss(d)
    for _ in range(300):
        if (hi - lo).max() <= tol:
            break
        left = fc <= fd                       # the minimum lies in [lo, d]
        hi, lo = np.where(left, d, hi), np.where(left, lo, c)
        new = np.where(left, hi - g * (hi - lo), lo + g * (hi - lo))
        fnew = loss(new)
        c, d, fc, fd = (np.where(left, new, d), np.where(left, c, new),
                        np.where(left, fnew, fd), np.where(left, fc, fnew))
    return np.where(fc <= fd, c, d)


@dataclass(frozen=True)
class CoVaR:
    """Specification of CoVaR / ΔCoVaR.

    Parameters
    ----------
    q : float, default 0.05
        Tail level of the target's return (0.05: the 5 % quantile).
    stress : tuple of float, default (0.95, 0.99)
        Percentiles of the conditioning change that define the stress states.
    median : float, default 0.5
        Percentile of the benchmark (normal) state.
    condition : str, default "ust10y_bp"
        Column of the conditioning series.
    min_obs : int, default 200
    start : date-like, optional
        First day of the sample. The pair is merged on the data before it too, then cut, so
        that its first row's changes span the same time: cut first, a start the day after the
        bond market's Veterans Day (2024-11-12) paired bitcoin's change from Monday with the
        10-year's from Friday (h_verify29). Default: the data's first day.
    """

    q: float = 0.05
    stress: tuple[float, ...] = (0.95, 0.99)
    median: float = 0.5
    condition: str = "ust10y_bp"
    min_obs: int = 200
    start: Any = None

    def __post_init__(self) -> None:
        # q=None or q="0.05" raised a raw TypeError at the comparison
        if not is_real(self.q) or not 0.0 < self.q < 0.5:
            raise ConfigError(f"q must be a lower-tail probability in (0, 0.5), e.g. 0.05; "
                              f"got {self.q!r}")
        if not self.stress:
            raise ConfigError("stress is empty; give percentiles such as (0.95, 0.99)")
        for s in (*self.stress, self.median):
            if not is_real(s) or not 0.0 < s < 1.0:
                raise ConfigError(f"percentiles must lie in (0, 1); got {s!r}")
        positive_int(self.min_obs, name="min_obs")
        object.__setattr__(self, "q", float(self.q))
        object.__setattr__(self, "stress", tuple(float(s) for s in self.stress))

    def fit(self, data: Any, targets: tuple[str, ...] | None = None) -> CoVaRResult:
        """Estimate for every target column present (default BTC, ETH, TRUMP)."""
        frame = as_frame(data)
        if self.condition not in frame.columns:
            raise ConfigError(f"the conditioning column {self.condition!r} is not in the data "
                              f"(columns: {', '.join(map(str, frame.columns))}); load the "
                              "10-year yield (asset 'ust10y') or pass condition=...")
        if targets is not None:         # targets="btc_pct" was read letter by letter
            targets = (targets,) if isinstance(targets, str) else tuple(targets)
        if targets is None:
            targets = tuple(c for c in DEFAULT_TARGETS if c in frame.columns) or tuple(
                str(c) for c in frame.columns if c != self.condition)
        missing = [t for t in targets if t not in frame.columns]
        if missing or not targets:
            raise ConfigError(f"target column(s) {missing or list(targets)} not in the data "
                              f"(columns: {', '.join(map(str, frame.columns))})")
        fits = {t: self._fit_one(frame[[t, self.condition]], t) for t in targets}
        return CoVaRResult(spec=self, fits=fits)

    def _fit_one(self, pair: pd.DataFrame, target: str) -> dict[str, Any]:
        from statsmodels.regression.quantile_regression import QuantReg

        # a day one market missed (the bond market's Columbus or Veterans Day, when crypto and
        # stocks trade) joins the next day both have: dropping it would lose the target's move
        # and pair a one-day target change with a two-day yield change
        both = pair.dropna().index
        merged = merge_incomplete_rows(pair.loc[both[0]:] if len(both) else pair)
        if self.start is not None:
            merged = merged.loc[pd.Timestamp(self.start):]
        df = clean_frame(merged, min_obs=self.min_obs, purpose="CoVaR quantile regression")
        y = df[target].to_numpy()
        x = df[self.condition].to_numpy()
        xmat = np.column_stack([np.ones_like(x), x])
        # QuantReg's IRLS stops when no coefficient moves by 1e-6 and floors residuals at 1e-6,
        # both absolute: a target in 1e12 units never converged, one in 1e-12 units stopped
        # after a step (its slope 3% off); it runs on the target in units of its own scale
        # (a quantile regression is scale-equivariant, Koenker & Bassett 1978; every
        # watch-list series but the ECB CISS has a variance in the band: unit 1)
        unit = decade_unit(float(np.var(y)), 1e-2, 1e4)
        with catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                res = QuantReg(y / unit, xmat).fit(q=self.q, vcov="robust", max_iter=5000)
            except np.linalg.LinAlgError as exc:
                # q=1e-309 (a subnormal, inside (0, 0.5)): the IRLS weights overflow and the
                # SVD of its first step fails; it was a raw traceback out of `risk --q`
                raise ConvergenceError(
                    f"quantile regression of {target!r} on {self.condition!r} at q={self.q:g} "
                    f"({len(df)} days {span(df.index)}) did not converge: {exc}; use a higher "
                    "quantile (q), e.g. 0.05", series_id=target) from None
        trouble = [str(w.message) for w in caught or () if "iteration" in str(w.message).lower()
                   or "converge" in str(w.message).lower()]
        if trouble:
            raise ConvergenceError(f"quantile regression of {target!r} on {self.condition!r} "
                                   f"({len(df)} days {span(df.index)}) did not converge: "
                                   + "; ".join(trouble), series_id=target)
        alpha, beta = (float(v) * unit for v in res.params)
        sandwich = np.asarray(res.cov_params()) * unit**2
        # the pairs bootstrap's covariance (module docstring); none where the sandwich's
        # density estimate has too few tail days to exist
        cov = (np.full((2, 2), np.nan) if not np.isfinite(sandwich[1, 1]) or sandwich[1, 1] <= 0
               else np.cov(quantile_line_draws(
                   y, x, self.q, near=(beta, 12.0 * math.sqrt(sandwich[1, 1]))), rowvar=False))
        x50 = float(np.quantile(x, self.median))
        states = {}
        for s in self.stress:
            xs = float(np.quantile(x, s))
            z = np.array([1.0, xs])
            covar = alpha + beta * xs
            se_covar = float(np.sqrt(z @ cov @ z))
            d = beta * (xs - x50)
            se_d = abs(xs - x50) * float(np.sqrt(cov[1, 1]))
            tail = y[x >= xs]
            states[s] = {"x_stress": xs, "covar": covar, "covar_se": se_covar,
                         "delta_covar": d, "delta_covar_se": se_d,
                         "delta_covar_t": d / se_d if se_d > 0 else float("nan"),
                         "n_stress_days": int(tail.size),
                         "mean_on_stress_days": float(tail.mean()) if tail.size else np.nan}
        return {"alpha": alpha, "beta": beta, "beta_se": float(np.sqrt(cov[1, 1])),
                "beta_se_sandwich": float(np.sqrt(sandwich[1, 1])),
                "x_median": x50, "covar_median": alpha + beta * x50,
                "var_q": float(np.quantile(y, self.q)), "nobs": len(df),
                "start": df.index[0], "end": df.index[-1], "states": states}


class CoVaRResult(ResultBase):
    """CoVaR and ΔCoVaR per target and stress percentile.

    Attributes
    ----------
    spec : CoVaR
    fits : dict
        Per target: quantile-regression coefficients, the median state and every stress state.
    """

    title = "CoVaR conditional on a Treasury sell-off"

    def __init__(self, spec: CoVaR, fits: dict[str, dict[str, Any]]) -> None:
        self.spec = spec
        self.fits = fits

    @cached_property
    def frame(self) -> pd.DataFrame:
        rows = []
        for t, f in self.fits.items():
            for s, st in f["states"].items():
                rows.append({"series": t, "stress_pctile": s, "x_stress": st["x_stress"],
                             "x_median": f["x_median"], "var_q": f["var_q"],
                             "covar_median": f["covar_median"], "covar": st["covar"],
                             "delta_covar": st["delta_covar"],
                             "delta_covar_t": st["delta_covar_t"],
                             "beta": f["beta"], "beta_se": f["beta_se"], "nobs": f["nobs"],
                             "n_stress_days": st["n_stress_days"],
                             "start": f["start"], "end": f["end"]})
        return pd.DataFrame(rows).set_index(["series", "stress_pctile"])

    def table(self) -> pd.DataFrame:
        return self.frame

    def delta_covar(self, series: str, stress: float | None = None) -> float:
        """ΔCoVaR of ``series`` at ``stress`` (default: the first stress percentile)."""
        s = self.spec.stress[0] if stress is None else stress
        return float(self.fits[series]["states"][s]["delta_covar"])

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "q": self.spec.q, "condition": self.spec.condition,
                "table": jsonable(self.table().reset_index()), "notes": self.notes()}

    def _summary_lines(self) -> list[str]:
        lines = [f"{self.title} ({self.spec.condition} up = stress; the "
                 f"{self.spec.q * 100:.4g}% quantile of each target's daily change, in its "
                 "units: % for prices, bp for yields; CoVaR < 0 is the loss tail of a price, "
                 "and ΔCoVaR < 0 means the sell-off makes that tail worse)"]
        for (t, s), r in self.frame.iterrows():
            tv = r["delta_covar_t"]
            lines.append(f"  {t:<10} at {s * 100:.4g}% ({r['x_stress']:+.1f}): CoVaR "
                         f"{r['covar']:7.2f} "
                         f"vs median state {r['covar_median']:7.2f}; ΔCoVaR "
                         f"{r['delta_covar']:+.2f} "
                         f"({'t n/a' if np.isnan(tv) else f't={tv:.2f}'}, n={r['nobs']}; "
                         f"{r['n_stress_days']} days at or above the level)")
        lines.append("  t is the quantile regression's slope's, its standard error by a pairs "
                     "bootstrap, the same at each stress level (ΔCoVaR is the slope times the "
                     "stress's distance from the median); it leaves out the error of the stress "
                     "quantile itself")
        return lines

    def notes(self) -> list[str]:
        """Why a ΔCoVaR has no t-statistic, or says nothing measurable."""
        out = []
        for t, f in self.fits.items():
            tv = [st["delta_covar_t"] for st in f["states"].values()]
            if tv and not any(np.isnan(v) for v in tv) and abs(tv[0]) < 1.96:
                days = ", ".join(f"{st['n_stress_days']} at {s * 100:.4g}%"
                                 for s, st in f["states"].items())
                out.append(f"{t}: ΔCoVaR is no measurable effect either way (t={tv[0]:.2f}, "
                           f"|t| < 1.96, on {f['nobs']:,} days; sell-off days: {days}): read "
                           "its sign as noise")
            if not any(np.isnan(v) for v in tv):
                continue
            expected = f["nobs"] * self.spec.q
            out.append(f"{t}: ΔCoVaR has no t-statistic: the quantile regression's robust "
                       f"standard error is undefined with about {expected:.1f} of its "
                       f"{f['nobs']} days expected below the {self.spec.q * 100:.4g}% quantile "
                       "(too few for the density estimate it needs); read it as a point "
                       "estimate, or use a higher quantile (q) or a longer history")
        return out

    def plot(self, kind: str | None = None) -> Any:
        """Bar chart of ΔCoVaR per target and stress level (plotly; imported lazily)."""
        import plotly.graph_objects as go

        t = self.table().reset_index()
        fig = go.Figure()
        for s, grp in t.groupby("stress_pctile"):
            fig.add_trace(go.Bar(x=grp["series"], y=grp["delta_covar"],
                                 name=f"{self.spec.condition} at its {float(s) * 100:.4g} "
                                      "percentile",
                                 text=[f"t={v:.1f}" for v in grp["delta_covar_t"]],
                                 textposition="outside"))
        fig.update_layout(title="ΔCoVaR given a Treasury sell-off", barmode="group",
                          yaxis_title=f"ΔCoVaR ({self.spec.q * 100:.4g}% quantile, per day)")
        return fig


def covar(data: Any, *, q: float = 0.05, stress: tuple[float, ...] = (0.95, 0.99),
          condition: str = "ust10y_bp", targets: tuple[str, ...] | None = None,
          min_obs: int = 200, start: Any = None) -> CoVaRResult:
    """CoVaR and ΔCoVaR of each target conditional on a sell-off in ``condition``.

    Parameters
    ----------
    data : DataFrame
        Daily changes with the conditioning column and the targets.
    q : float, default 0.05
    stress : tuple of float, default (0.95, 0.99)
    condition : str, default "ust10y_bp"
    targets : tuple of str, optional
        Default: whichever of ``btc_pct``, ``eth_pct``, ``trump_pct`` are present.
    min_obs : int, default 200
    start : date-like, optional
        First day of the sample; ``data`` before it only lend its first row their moves
        (:class:`CoVaR`).

    Returns
    -------
    CoVaRResult

    References
    ----------
    Adrian, T. & Brunnermeier, M. (2016). CoVaR. *American Economic Review* 106(7), 1705-1741.
    Koenker, R. & Bassett, G. (1978). Regression quantiles. *Econometrica* 46(1), 33-50.
    """
    if is_real(stress):                 # stress=0.95: one
        stress = (stress,)
    elif isinstance(stress, str | bytes) or not hasattr(stress, "__iter__"):
        raise ConfigError(f"stress must be percentiles in (0, 1), e.g. (0.95, 0.99); got "
                          f"{stress!r}")
    spec = CoVaR(q=q, stress=tuple(stress), condition=condition, min_obs=min_obs, start=start)
    return spec.fit(data, targets=targets)
