r"""The identified SVAR: responses with bands, the median target, decompositions, sensitivity.

Bands are pointwise weighted quantiles over the admissible models (16–84% and 5–95%); the
**median target** is the single admissible model whose cumulative impulse responses of every
variable to every identified shock over ``0..H`` days are closest to the pointwise medians, each
standardised by its spread across models (Fry & Pagan 2011, section 4.1): unlike the pointwise
medians, it is one model, so its responses are mutually consistent.

Responses 'per +10 bp of the 10-year' are :math:`10\,\Theta^{c}_{h}[i, s] / \Theta^{c}_h[10y, s]`
with :math:`\Theta^c_h` the cumulative response after ``h`` days to the target shock :math:`s`.

Historical decomposition (Burbidge & Harrison 1985; Kilian & Lütkepohl 2017, section 4.3): the
change of variable :math:`i` on day :math:`t` is
:math:`\sum_j\sum_{h=0}^{H}\Theta_h[i,j]\,e_{j,t-h}` plus the constant and the initial
conditions, with :math:`e_t = L^{-1}u_t` the structural shocks of a model. Identified shocks are
split by the sign of :math:`e` into their two readings (``risk_on`` / ``flight_to_quality``),
the unrestricted shocks are summed into "other shocks", and the rest ("constant and older
shocks") is what remains of the actual change. Bands come from ``decomposition_models`` models
resampled with their weights.

References
----------
Burbidge, J. and Harrison, A. (1985), "A historical decomposition of the Great Depression to
determine the role of money", *Journal of Monetary Economics* 16(1), 45–54.
Fry, R. and Pagan, A. (2011), "Sign restrictions in structural vector autoregressions: a critical
review", *Journal of Economic Literature* 49(4), 938–960.
Kilian, L. and Lütkepohl, H. (2017), *Structural Vector Autoregressive Analysis*, Cambridge
University Press.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

import spillwatch.scenarios.identification._sampler as smp
from spillwatch import universe
from spillwatch._results import ResultBase, Summary, jsonable
from spillwatch._validation import fmt_date
from spillwatch.exceptions import DataError, ScenarioError
from spillwatch.scenarios.identification._sampler import Posterior

BANDS: tuple[float, ...] = (0.05, 0.16, 0.5, 0.84, 0.95)


def weighted_quantiles(values: np.ndarray, weights: np.ndarray, qs: Sequence[float]
                       ) -> np.ndarray:
    """Quantiles along axis 0 of ``values`` with importance ``weights`` (midpoint rule).

    Returns
    -------
    ndarray, shape (len(qs), *values.shape[1:])
    """
    v = np.asarray(values, dtype=float)
    order = np.argsort(v, axis=0)
    sv = np.take_along_axis(v, order, axis=0)
    w = np.asarray(weights, dtype=float)[order.reshape(v.shape[0], -1)].reshape(v.shape)
    cw = np.cumsum(w, axis=0) - w / 2.0
    cw /= w.sum(axis=0)
    flat_v = sv.reshape(v.shape[0], -1)
    flat_c = cw.reshape(v.shape[0], -1)
    out = np.empty((len(qs), flat_v.shape[1]))
    for k in range(flat_v.shape[1]):
        out[:, k] = np.interp(qs, flat_c[:, k], flat_v[:, k])
    return out.reshape((len(qs), *v.shape[1:]))


def _lag_matrices(b: np.ndarray, lags: int) -> np.ndarray:
    """``A_l`` of every model, shape ``(M, lags, n, n)`` (``y_t = c + Σ A_l y_{t-l} + u_t``)."""
    n = b.shape[2]
    return np.stack([np.swapaxes(b[:, 1 + lag * n: 1 + (lag + 1) * n], 1, 2)
                     for lag in range(lags)], axis=1)


def impulse_responses(b: np.ndarray, impact: np.ndarray, lags: int, horizon: int
                      ) -> np.ndarray:
    """Daily-change responses ``Θ_h = Ψ_h L``, shape ``(M, horizon + 1, n, k)``.

    ``impact`` is ``(M, n, k)``: the columns whose responses are wanted.
    """
    a = _lag_matrices(b, lags)
    out = np.empty((impact.shape[0], horizon + 1, *impact.shape[1:]))
    out[:, 0] = impact
    for h in range(1, horizon + 1):
        acc = np.zeros_like(impact)
        for lag in range(1, min(h, lags) + 1):
            acc += a[:, lag - 1] @ out[:, h - lag]
        out[:, h] = acc
    return out


def inverse_series(x: np.ndarray, length: int) -> np.ndarray:
    r"""Power-series inverse :math:`\phi` of ``x`` (last axis): :math:`x * \phi = \delta`."""
    phi = np.zeros((*x.shape[:-1], length))
    phi[..., 0] = 1.0 / x[..., 0]
    for h in range(1, length):
        m = min(h, x.shape[-1] - 1)
        acc = np.zeros(x.shape[:-1])
        for lag in range(1, m + 1):
            acc += x[..., lag] * phi[..., h - lag]
        phi[..., h] = -acc / x[..., 0]
    return phi


#: Fewest days a series outside the VAR must share with it (:meth:`auxiliary`): about half a
#: year. The regression has a constant and one coefficient per structural shock; on 44 days
#: (as of 2025-03-24) TRUMP's response per +10 bp of the 10-year read -11.0 % with a band of
#: -29.8 % to +7.3 %, and a book short TRUMP showed a 99 % VaR of four times its size.
AUXILIARY_MIN_DAYS = 120

class IdentificationResult(ResultBase):
    """Admissible models of a sign-restricted SVAR and what they imply (module docstring).

    Attributes
    ----------
    spec : SignRestrictedSVAR
        The spec that was fitted (``shocks``, ``target``, ``bound``, ``seed``...).
    variables : tuple of str
        Asset keys of the VAR, in column order.
    data : DataFrame
        The joint sample the VAR was fitted on.
    posterior : Posterior
        Admissible models under the stated bound.
    posteriors : dict
        Bound (bp) -> Posterior, for :meth:`sensitivity`.
    info : dict
        Sample window, last date of each variable, dropped days, lags (and BIC), candidates,
        acceptance rate, effective sample size, seconds.
    """

    title = "identified shocks (sign-restricted SVAR)"

    def __init__(self, spec: Any, variables: tuple[str, ...], data: pd.DataFrame,
                 rf: smp.ReducedForm, posteriors: dict[float, Posterior],
                 info: dict[str, Any]) -> None:
        self.spec = spec
        self.variables = variables
        self.data = data
        self.rf = rf
        self.posteriors = posteriors
        self.posterior = posteriors[spec.bound.min_10y_bp]
        self.info = info

    # -- basics ------------------------------------------------------------------------------
    @property
    def shocks(self) -> tuple[str, ...]:
        """Identified shock names, in column order."""
        return self.spec.shock_names

    @property
    def target(self) -> int:
        """Column of the target shock."""
        return self.shocks.index(self.spec.target)

    @property
    def lags(self) -> int:
        """Lag order of the VAR."""
        return self.rf.lags

    def index(self, key: str) -> int:
        """Position of variable ``key`` in the VAR."""
        if key not in self.variables:
            raise ScenarioError(f"{key!r} is not in the VAR; choose one of: "
                                f"{', '.join(self.variables)}", asset=key)
        return self.variables.index(key)

    def unit(self, key: str) -> str:
        """``"bp"`` for yields, ``"%"`` (log change) otherwise."""
        a = universe.ASSETS.get(key)
        return "bp" if a is not None and a.kind == "yield" else "%"

    def _irf(self, post: Posterior) -> np.ndarray:
        nj = len(self.shocks)
        return impulse_responses(post.b, post.impact[:, :, :nj], self.lags,
                                 self.spec.irf_horizon)

    @cached_property
    def irf(self) -> np.ndarray:
        """Daily-change responses to 1-sd identified shocks, ``(M, H + 1, n, J)``."""
        return self._irf(self.posterior)

    @cached_property
    def cumulative_irf(self) -> np.ndarray:
        """Cumulative responses (level of yields, log price), ``(M, H + 1, n, J)``."""
        return np.cumsum(self.irf, axis=1)

    def impact_signs_hold(self) -> bool:
        """Whether every admissible model's impact responses have the restricted signs."""
        imp = self.posterior.impact
        for j, sh in enumerate(self.spec.shocks):
            for key, s in sh.signs.items():
                if key in sh.optional and key not in self.variables:
                    continue
                if not np.all(s * imp[:, self.index(key), j] > 0):
                    return False
        t10 = imp[:, self.index("ust10y"), self.target]
        return bool(np.all(t10 >= self.spec.bound.min_10y_bp))

    # -- responses ---------------------------------------------------------------------------
    def per_bp(self, horizon: int = 0, per: float = 10.0, post: Posterior | None = None
               ) -> np.ndarray:
        """Cumulative response of every variable per ``per`` bp of the 10-year, ``(M, n)``."""
        c = (self.cumulative_irf if post is None
             else np.cumsum(self._irf(post), axis=1))[:, horizon, :, self.target]
        return per * c / c[:, [self.index("ust10y")]]

    @cached_property
    def median_target(self) -> int:
        """Index of the Fry & Pagan (2011) median-target model."""
        c = self.cumulative_irf.reshape(self.posterior.size, -1)
        w = self.posterior.weights
        med = weighted_quantiles(c, w, (0.5,))[0]
        sd = np.sqrt(np.maximum(np.average((c - med) ** 2, axis=0, weights=w), 1e-300))
        return int(np.argmin((((c - med) / sd) ** 2).sum(axis=1)))

    def responses(self, horizon: int = 0, per: float = 10.0) -> pd.DataFrame:
        """Response of each variable per ``per`` bp of the 10-year to the target shock.

        Columns: unit, median, 16–84% and 5–95% bands (weighted over admissible models) and
        the median-target model's value.
        """
        r = self.per_bp(horizon, per)
        q = weighted_quantiles(r, self.posterior.weights, BANDS)
        rows = [{"variable": k, "unit": self.unit(k), "median": q[2, i], "q16": q[1, i],
                 "q84": q[3, i], "q05": q[0, i], "q95": q[4, i],
                 "median_target": r[self.median_target, i]}
                for i, k in enumerate(self.variables)]
        return pd.DataFrame(rows).set_index("variable")

    def impact_bands(self) -> pd.DataFrame:
        """Impact response (one-sd shock) of every variable to every identified shock."""
        imp = self.posterior.impact[:, :, : len(self.shocks)]
        q = weighted_quantiles(imp, self.posterior.weights, BANDS)
        rows = []
        for j, s in enumerate(self.shocks):
            for i, k in enumerate(self.variables):
                rows.append({"shock": s, "variable": k, "unit": self.unit(k),
                             "median": q[2, i, j], "q16": q[1, i, j], "q84": q[3, i, j],
                             "q05": q[0, i, j], "q95": q[4, i, j]})
        return pd.DataFrame(rows).set_index(["shock", "variable"])

    def sensitivity(self, variables: Sequence[str] = ("spx", "gold", "btc", "eth", "usdjpy",
                                                      "usd_broad"),
                    per: float = 10.0) -> pd.DataFrame:
        """Median and bands per ``per`` bp of the 10-year under each bound of the grid."""
        rows = []
        for bnd, post in sorted(self.posteriors.items()):
            if post.size == 0:
                continue
            r = self.per_bp(0, per, post)
            q = weighted_quantiles(r, post.weights, BANDS)
            for key in variables:
                if key not in self.variables:
                    continue
                i = self.index(key)
                rows.append({"min_10y_bp": bnd, "variable": key, "models": post.size,
                             "ess": post.ess, "median": q[2, i], "q16": q[1, i],
                             "q84": q[3, i], "q05": q[0, i], "q95": q[4, i],
                             "chosen": bnd == self.spec.bound.min_10y_bp})
        return pd.DataFrame(rows).set_index(["min_10y_bp", "variable"])

    # -- scenario kernels --------------------------------------------------------------------
    @cached_property
    def _phi(self) -> np.ndarray:
        theta10 = self.irf[:, :, self.index("ust10y"), self.target]          # (M, H+1)
        return inverse_series(theta10, theta10.shape[1])

    def kernels(self) -> np.ndarray:
        r"""Transfer kernels ``g`` of the target shock scaled to the 10-year, ``(M, H+1, n)``.

        The scenario sets the daily 10-year move :math:`\Delta T_t`; the shock sequence that
        produces it is :math:`\varepsilon = \phi * \Delta T` with :math:`\phi` the power-series
        inverse of the 10-year's response :math:`\theta_{10}`, so variable :math:`i` moves by
        :math:`(g_i * \Delta T)_t` with :math:`g_i = \theta_i * \phi` (:math:`g_{10y}=\delta`).
        """
        theta = self.irf[:, :, :, self.target]                                # (M, H+1, n)
        phi = self._phi
        g = np.zeros_like(theta)
        for h in range(theta.shape[1]):
            g[:, h] = np.einsum("ml,mln->mn", phi[:, h::-1], theta[:, : h + 1])
        return g

    def inverse_10y(self) -> np.ndarray:
        r""":math:`\phi`, the shock (sd units) per bp of daily 10-year move, ``(M, H + 1)``."""
        return self._phi

    # -- structural shocks, auxiliary regressions, decomposition -----------------------------
    @cached_property
    def _resid_index(self) -> pd.DatetimeIndex:
        return pd.DatetimeIndex(self.data.index[self.lags:])

    def structural_shocks(self, models: np.ndarray, post: Posterior | None = None,
                          rows: np.ndarray | None = None) -> np.ndarray:
        """Structural shocks ``e_t = L^{-1} u_t`` of ``models``, ``(len(models), T, n)``.

        ``rows`` selects residual rows (default all).
        """
        post = post or self.posterior
        x, yt = smp.design(self.data.to_numpy(dtype=float), self.lags)
        if rows is not None:
            x, yt = x[rows], yt[rows]
        u = yt[None] - x[None] @ post.b[models]
        return u @ np.swapaxes(np.linalg.inv(post.impact[models]), 1, 2)

    def auxiliary(self, x: pd.Series, rng: np.random.Generator) -> dict[str, Any]:
        r"""Impact of the target shock on a series outside the VAR, per admissible model.

        Regresses ``x`` on a constant and all structural shocks of each model over the days
        both exist, and draws the target shock's coefficient from its sampling distribution
        :math:`N(\hat\beta, s^2 (Z'Z)^{-1})` (one draw per model), so the series' response
        carries its estimation uncertainty. Used for series too short for the VAR (TRUMP).

        Returns
        -------
        dict
            ``impact`` (M,) response to a 1-sd shock; ``nobs``; ``start``/``end``; ``r2``
            (median); ``beta_median``.

        Raises
        ------
        DataError
            Fewer than :data:`AUXILIARY_MIN_DAYS` overlapping days.
        """
        s = x.dropna()
        common = self._resid_index.intersection(s.index)
        if len(common) < AUXILIARY_MIN_DAYS:
            raise DataError(f"{x.name!r} overlaps the SVAR sample on {len(common)} days; the "
                            f"auxiliary regression needs at least {AUXILIARY_MIN_DAYS}",
                            series_id=str(x.name))
        pos = self._resid_index.get_indexer(common)
        m_all = np.arange(self.posterior.size)
        out = np.empty(self.posterior.size)
        r2 = np.empty(self.posterior.size)
        xv = s.loc[common].to_numpy(dtype=float)
        for lo in range(0, self.posterior.size, 500):
            ms = m_all[lo:lo + 500]
            e = self.structural_shocks(ms, rows=pos)                       # (m, T, n)
            z = np.concatenate([np.ones((*e.shape[:2], 1)), e], axis=2)
            ztz_inv = np.linalg.inv(np.swapaxes(z, 1, 2) @ z)
            beta = (ztz_inv @ (np.swapaxes(z, 1, 2) @ xv)[..., None])[..., 0]
            res = xv[None] - np.einsum("mtk,mk->mt", z, beta)
            dof = len(common) - z.shape[2]
            s2 = (res**2).sum(axis=1) / dof
            j = 1 + self.target
            se = np.sqrt(s2 * ztz_inv[:, j, j])
            out[lo:lo + 500] = beta[:, j] + se * rng.standard_normal(len(ms))
            r2[lo:lo + 500] = 1.0 - (res**2).sum(axis=1) / ((xv - xv.mean()) ** 2).sum()
        return {"impact": out, "nobs": len(common), "start": fmt_date(common[0]),
                "end": fmt_date(common[-1]), "r2": float(np.median(r2)),
                "beta_median": float(np.median(out))}

    @cached_property
    def _decomp_models(self) -> np.ndarray:
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([self.spec.seed, 2])))
        size = min(self.spec.decomposition_models, self.posterior.size)
        return np.sort(rng.choice(self.posterior.size, size=size, p=self.posterior.weights))

    @cached_property
    def _decomp_parts(self) -> tuple[np.ndarray, np.ndarray]:
        ms = self._decomp_models
        post = self.posterior
        theta = impulse_responses(post.b[ms], post.impact[ms], self.lags, self.spec.irf_horizon)
        return self.structural_shocks(ms), theta                        # (S,T,n), (S,H+1,n,n)

    def readings(self) -> list[str]:
        """Row labels of the decomposition: each shock's two readings, others, remainder."""
        out = []
        for sh in self.spec.shocks:
            out += [sh.name, _slug(sh.negative)]
        return [*out, "other_shocks", "constant_and_older"]

    def _contrib(self, rows: np.ndarray, var_idx: list[int]) -> np.ndarray:
        """Contributions on residual rows ``rows``: ``(S, len(rows), len(var_idx), R)``."""
        e, theta = self._decomp_parts
        nj = len(self.shocks)
        s_count = e.shape[0]
        nr = 2 * nj + 1
        out = np.zeros((s_count, len(rows), len(var_idx), nr))
        for h in range(theta.shape[1]):
            src = rows - h
            ok = src >= 0
            if not ok.any():
                continue
            eh = np.zeros((s_count, len(rows), e.shape[2]))
            eh[:, ok] = e[:, src[ok]]
            th = theta[:, h][:, var_idx]                                  # (S, v, n)
            pos, neg = np.maximum(eh[..., :nj], 0), np.minimum(eh[..., :nj], 0)
            out[..., 0:2 * nj:2] += np.einsum("svj,stj->stvj", th[..., :nj], pos)
            out[..., 1:2 * nj:2] += np.einsum("svj,stj->stvj", th[..., :nj], neg)
            out[..., 2 * nj] += np.einsum("svj,stj->stv", th[..., nj:], eh[..., nj:])
        return out

    def decomposition(self, start: object, end: object,
                      variables: Sequence[str] = ("ust10y", "usd_broad", "spx")
                      ) -> pd.DataFrame:
        """Each shock's contribution to the cumulative move over ``[start, end]``.

        Rows ``(variable, reading)``; columns: the actual move (bp or % log change), the median
        contribution with its 16–84% band over the decomposition models, and the share of the
        actual move (median contribution / actual move).

        Raises
        ------
        DataError
            The window holds no day of the SVAR sample.
        """
        idx = self._resid_index
        mask = (idx >= pd.Timestamp(start)) & (idx <= pd.Timestamp(end))  # type: ignore[arg-type]
        if not mask.any():
            raise DataError(f"no day of the SVAR sample ({fmt_date(idx[0])} to "
                            f"{fmt_date(idx[-1])}) lies in {start} .. {end}")
        rows = np.flatnonzero(mask)
        vi = [self.index(v) for v in variables]
        c = self._contrib(rows, vi).sum(axis=1)                          # (S, v, R-1)
        actual = self.data.iloc[self.lags:].to_numpy()[rows][:, vi].sum(axis=0)  # (v,)
        rest = actual[None, :, None] - c.sum(axis=2, keepdims=True)
        c = np.concatenate([c, rest], axis=2)
        q = np.quantile(c, (0.16, 0.5, 0.84), axis=0)
        out = []
        for a, key in enumerate(variables):
            for r, name in enumerate(self.readings()):
                out.append({"variable": key, "reading": name, "unit": self.unit(key),
                            "actual": actual[a], "median": q[1, a, r], "q16": q[0, a, r],
                            "q84": q[2, a, r],
                            "share": q[1, a, r] / actual[a] if actual[a] else np.nan})
        frame = pd.DataFrame(out).set_index(["variable", "reading"])
        frame.attrs["window"] = (fmt_date(idx[rows[0]]), fmt_date(idx[rows[-1]]))
        frame.attrs["days"] = len(rows)
        return frame

    def daily_decomposition(self, variables: Sequence[str] = ("ust10y", "usd_broad", "spx"),
                            start: object = None, end: object = None) -> pd.DataFrame:
        """Median contribution of each reading to each day's move (tidy: date, variable, ...)."""
        idx = self._resid_index
        mask = np.ones(len(idx), dtype=bool)
        if start is not None:
            mask &= idx >= pd.Timestamp(start)  # type: ignore[arg-type]
        if end is not None:
            mask &= idx <= pd.Timestamp(end)  # type: ignore[arg-type]
        rows = np.flatnonzero(mask)
        vi = [self.index(v) for v in variables]
        c = self._contrib(rows, vi)
        actual = self.data.iloc[self.lags:].to_numpy()[rows][:, vi]
        c = np.concatenate([c, actual[None, :, :, None] - c.sum(axis=3, keepdims=True)],
                           axis=3)
        med = np.median(c, axis=0)                                       # (T, v, R)
        names = self.readings()
        t_i, v_i, r_i = np.meshgrid(np.arange(len(rows)), np.arange(len(vi)),
                                    np.arange(len(names)), indexing="ij")
        return pd.DataFrame({"date": idx[rows][t_i.ravel()],
                             "variable": np.array(variables)[v_i.ravel()],
                             "reading": np.array(names)[r_i.ravel()],
                             "contribution": med.ravel(),
                             "actual": actual[t_i.ravel(), v_i.ravel()]})

    # -- verbs -------------------------------------------------------------------------------
    def table(self) -> pd.DataFrame:
        """Responses per +10 bp of the 10-year to the target shock (impact)."""
        return self.responses()

    def to_frame(self) -> pd.DataFrame:
        return self.impact_bands().reset_index()

    def explain(self, per: float = 10.0) -> Summary:
        """Plain-text statement of the identification, the sample, the bound and the bands."""
        i = self.info
        dropped = ", ".join(f"{k} {len(v)}" for k, v in i["dropped_by_variable"].items())
        paras = [
            f"Identification: a structural VAR({self.lags}) (lag order by BIC) on daily changes "
            f"of {', '.join(self.variables)}, {i['start']} to {i['end']} ({i['days']:,} days; "
            f"the sample ends at {i['ends_at']}'s last date; {i['dropped_days']} days where a "
            f"series was missing joined the next complete day: {dropped or 'none'}).",
            "Shocks identified by the signs of their impact responses (Rubio-Ramírez, Waggoner "
            "& Zha 2010; uniform-normal-inverse-Wishart posterior with importance weights, Arias, "
            "Rubio-Ramírez & Waggoner 2018); gold and crypto are left free, and in a "
            "sell-America shock the dollar falls against the yen too (when the VAR holds "
            "USD/JPY: the largest foreign holder is Japan, and a sale that repatriates or funds "
            "yen-buying intervention lifts the yen"
            # the example only where the sample has lived it (a replay as of 2019 cited 2025)
            + ("; April 2025's 'sell America' took USD/JPY from 150 to 142"
               if str(i["end"]) >= "2025-04-30" else "") + "):",
        ]
        lines: list[str] = []
        for p in paras:
            lines += textwrap.wrap(p, 100, subsequent_indent="  ")
        for sh in self.spec.shocks:
            lines += textwrap.wrap(f"{sh.name:<13} {sh.describe()}   (negative: "
                                   f"{sh.negative})", 100, initial_indent="  ",
                                   subsequent_indent="    ")
        for p in (f"Bound: the {self.spec.target} shock moves the 10-year by at least "
                  f"{self.spec.bound.min_10y_bp:g} bp on impact per one-sd shock (a bound on the "
                  f"admissible set in the spirit of Kilian & Murphy 2012; bands under other "
                  f"bounds: sensitivity()).",
                  f"Admissible models: {i['admissible']:,} of {i['candidates']:,} candidates "
                  f"(effective sample {i['ess']:,.0f}); median target model as in Fry & Pagan "
                  f"(2011)."):
            lines += textwrap.wrap(p, 100, subsequent_indent="  ")
        lines.append(f"Response per +{per:g} bp of the 10-year on impact "
                     "(median [16–84%] [5–95%]):")
        for key, row in self.responses(per=per).iterrows():
            lines.append(f"  {key:<10} {row['median']:+7.2f} {row['unit']:<2} "
                         f"[{row['q16']:+.2f}, {row['q84']:+.2f}] "
                         f"[{row['q05']:+.2f}, {row['q95']:+.2f}]")
        return Summary("\n".join(lines))

    def _summary_lines(self) -> list[str]:
        return str(self.explain()).splitlines()

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "variables": list(self.variables),
                "shocks": [{"name": s.name, "label": s.label, "negative": s.negative,
                            "signs": dict(s.signs)} for s in self.spec.shocks],
                "target": self.spec.target, "bound_min_10y_bp": self.spec.bound.min_10y_bp,
                "info": jsonable(self.info),
                "responses_per_10bp": jsonable(self.responses()),
                "sensitivity": jsonable(self.sensitivity().reset_index())}

    def plot(self, kind: str | None = "responses") -> Any:
        """``"responses"`` (per +10 bp with bands) or ``"sensitivity"`` (plotly, lazy)."""
        from spillwatch.plotting import scenario as figs

        if kind in (None, "responses"):
            return figs.response_chart(self.responses(), title=f"Response to the "
                                       f"{self.spec.target} shock per +10 bp of the 10-year")
        if kind == "sensitivity":
            return figs.sensitivity_chart(self.sensitivity())
        raise ScenarioError(f"unknown plot kind {kind!r}; choose one of: 'responses', "
                            "'sensitivity'")


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text.split(" (")[0].lower()).strip("_")
