r"""The sign-restricted SVAR spec and its fit: data window, posterior draws, admissible models.

:class:`SignRestrictedSVAR` holds the options (variables, shocks, bound, lags, draws, seed) and
:meth:`~SignRestrictedSVAR.fit` returns an
:class:`~spillwatch.scenarios.identification.IdentificationResult`. The algorithm is in
:mod:`~spillwatch.scenarios.identification._sampler`; the restrictions and the bound in
:mod:`~spillwatch.scenarios.identification._restrictions`.

Data
----
Daily changes (bp for yields, log returns in percent otherwise) of the VAR variables on the days
all of them report, from ``start`` to the last such day. Days inside that window on which some
variable is missing are dropped (listed in the result, never silently), and the VAR treats the
remaining rows as consecutive. The lag order is chosen by BIC (Schwarz 1978) among
``1..max_lags`` on a common sample, unless ``lags`` is given.

Homoskedastic Gaussian errors are assumed for the posterior, as in Uhlig (2005) and ARRW
(2018); daily returns are heteroskedastic, so bands reflect the average day of the sample.

References
----------
Schwarz, G. (1978), "Estimating the dimension of a model", *Annals of Statistics* 6(2), 461–464.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

import spillwatch.scenarios.identification._sampler as smp
from spillwatch import universe
from spillwatch._changes import merge_incomplete_rows
from spillwatch._compat.blas import one_blas_thread
from spillwatch._validation import dependence, fmt_date, is_int
from spillwatch.exceptions import DataError, ModelError, ScenarioError
from spillwatch.scenarios.identification._restrictions import (
    DEFAULT_SHOCKS,
    Bound,
    Shock,
    sign_matrix,
)
from spillwatch.scenarios.identification._results import IdentificationResult
from spillwatch.scenarios.identification._sampler import Posterior

logger = logging.getLogger(__name__)

#: Variables of the VAR by default (those the panel has are used; restricted ones are required).
#: Fewest joint days the VAR is estimated on.
MIN_JOINT_DAYS = 250
#: A default variable whose first change comes later than this after the window's first day
#: stays out of the VAR (see :meth:`SignRestrictedSVAR._long_enough`).
ENTRY_SLACK_DAYS = 31
DEFAULT_VARIABLES: tuple[str, ...] = ("ust2y", "ust5y", "ust10y", "ust30y", "usd_broad",
                                      "usdjpy", "spx", "gold", "btc", "eth")


@dataclass(frozen=True)
class SignRestrictedSVAR:
    """Sign-restricted structural VAR on daily changes (see the package docstring).

    Parameters
    ----------
    variables : sequence of str, optional
        Asset keys of the VAR; default :data:`DEFAULT_VARIABLES` that the panel has.
    shocks : sequence of Shock, default :data:`DEFAULT_SHOCKS`
    target : str, default "sell_america"
        The shock the scenario scales and the bound applies to.
    bound : Bound, default min 1 bp on the 10-year
    lags : int or "bic", default "bic"
    max_lags : int, default 5
    draws : int, default 2000
        Admissible models wanted under ``bound.min_10y_bp``.
    rotations : int, default 1
        Rotations drawn per reduced-form draw.
    batch : int, default 2000
        Candidate models per vectorised batch.
    max_candidates : int, default 400,000
        Stop after this many candidates (the result says how many were admissible).
    irf_horizon : int, default 20
        Business days of impulse responses kept.
    decomposition_models : int, default 200
        Models (drawn with their weights) behind the bands of the historical decomposition.
    start : date-like, default "2018-01-01"
        First date of the sample (crypto trades on Binance from then).
    end : date-like, optional
        Last date; default the last day every variable reports.
    seed : int, default 0
    """

    variables: Sequence[str] | None = None
    shocks: Sequence[Shock] = DEFAULT_SHOCKS
    target: str = "sell_america"
    bound: Bound = field(default_factory=Bound)
    lags: int | str = "bic"
    max_lags: int = 5
    draws: int = 2000
    rotations: int = 1
    batch: int = 2000
    max_candidates: int = 400_000
    irf_horizon: int = 20
    decomposition_models: int = 200
    start: object = "2018-01-01"
    end: object = None
    seed: int = 0

    def __post_init__(self) -> None:
        shocks = tuple(self.shocks)
        if not shocks or any(not isinstance(s, Shock) for s in shocks):
            raise ScenarioError("shocks must be a non-empty sequence of Shock")
        names = [s.name for s in shocks]
        if len(set(names)) != len(names):
            raise ScenarioError(f"shock names must be unique; got {names}")
        if self.target not in names:
            raise ScenarioError(f"target {self.target!r} is not one of the shocks: "
                                f"{', '.join(names)}")
        object.__setattr__(self, "shocks", shocks)
        if self.variables is not None:
            object.__setattr__(self, "variables", tuple(self.variables))
        if not isinstance(self.bound, Bound):
            raise ScenarioError(f"bound must be a Bound, e.g. Bound(min_10y_bp=1.0); got "
                                f"{self.bound!r}")
        if self.lags != "bic" and (not is_int(self.lags) or self.lags < 1):
            raise ScenarioError(f"lags must be an int >= 1 or 'bic'; got {self.lags!r}")
        for name in ("max_lags", "draws", "rotations", "batch", "max_candidates",
                     "irf_horizon", "decomposition_models"):
            v = getattr(self, name)
            if not is_int(v) or v < 1:
                raise ScenarioError(f"{name} must be an int >= 1; got {v!r}")

    @property
    def shock_names(self) -> tuple[str, ...]:
        """Names of the identified shocks, in column order."""
        return tuple(s.name for s in self.shocks)  # type: ignore[union-attr]

    def _window(self, panel: pd.DataFrame) -> tuple[list[str], pd.DataFrame, dict[str, Any]]:
        if not isinstance(panel, pd.DataFrame):
            raise DataError(f"the SVAR needs a DataFrame of daily changes; got "
                            f"{type(panel).__name__}")
        restricted = {k for s in self.shocks for k in s.required()}  # type: ignore[union-attr]
        if self.variables is None:
            keys = [a for a in DEFAULT_VARIABLES if universe.column(a) in panel.columns
                    and (a in restricted or self._long_enough(panel, universe.column(a)))]
            keys += [k for k in sorted(restricted) if k not in keys]
        else:
            keys = list(self.variables)  # type: ignore[arg-type]
        for k in [*keys, "ust10y"]:
            if k not in universe.ASSETS:
                raise ScenarioError(f"unknown asset {k!r} in the VAR", asset=k)
            if universe.column(k) not in panel.columns:
                why = "a restricted variable" if k in restricted or k == "ust10y" else "asked for"
                # it said "load asset 'usd_broad'" with the dollar loaded, whose data begin in
                # 2006, on a scenario as of 2005
                raise DataError(f"the SVAR needs {universe.column(k)!r} ({why}) and the data "
                                f"hold none of its changes (none published by the evening "
                                f"asked for, or {k!r} not loaded): import it, or give a later "
                                "--as-of", asset=k)
        if "ust10y" not in keys:
            keys.insert(0, "ust10y")
        cols = [universe.column(k) for k in keys]
        data = panel[cols]
        if self.start is not None:
            data = data.loc[pd.Timestamp(self.start):]  # type: ignore[misc]
        last = {k: data[c].last_valid_index() for k, c in zip(keys, cols, strict=True)}
        if any(v is None for v in last.values()):
            gone = [k for k, v in last.items() if v is None]
            raise DataError(f"no data after {fmt_date(pd.Timestamp(self.start))} for "  # type: ignore[arg-type]
                            f"{', '.join(gone)}")
        end = min(last.values())
        if self.end is not None:
            end = min(end, pd.Timestamp(self.end))  # type: ignore[arg-type]
        window = data.loc[:end]
        first = max(window[c].first_valid_index() for c in cols)
        window = window.loc[first:]
        # a day one market missed (a US holiday on which gold and crypto still print) joins
        # the next complete day, so every variable's change spans the same time on each row
        # (dropping it paired the next day's two-day yield change with a one-day crypto one);
        # merged on the history before the sample's start too, then cut, so that its first row
        # spans the same time as well (a start of 2016-07-05 read gold's move from its July 4
        # print beside the yields' from Friday 07-01)
        joint = merge_incomplete_rows(window if self.start is None
                                      else panel[cols].loc[:end]).loc[first:]
        dropped = {}
        for k, c in zip(keys, cols, strict=True):
            miss = window.index[window[c].isna()]
            if len(miss):
                dropped[k] = [fmt_date(d) for d in miss]
        info = {"start": fmt_date(joint.index[0]) if len(joint) else None,
                "end": fmt_date(joint.index[-1]) if len(joint) else None,
                "days": len(joint), "calendar_days_in_window": len(window),
                "dropped_days": len(window) - len(joint), "dropped_by_variable": dropped,
                "last_date": {k: fmt_date(v) for k, v in last.items()},
                "ends_at": min(last, key=lambda k: last[k])}  # type: ignore[arg-type,return-value]
        return keys, joint, info

    def _long_enough(self, panel: pd.DataFrame, col: str) -> bool:
        """Whether a default variable covers the sample window from (about) its start.

        One that starts later (bitcoin before 2021: Binance's record begins in January 2018,
        the fit of a scenario as of 2019 in 2016) stays out of the VAR and answers the
        identified shocks through its own regression, as TRUMP does: with it in, the joint
        sample began on its first day (420 days instead of three years), and a scenario as of
        2018 stopped on "the SVAR needs at least 250 days".
        """
        data = panel
        if self.start is not None:
            data = data.loc[pd.Timestamp(self.start):]  # type: ignore[misc]
        if self.end is not None:
            data = data.loc[:pd.Timestamp(self.end)]  # type: ignore[misc]
        first, own = data.first_valid_index(), data[col].first_valid_index()
        if first is None or own is None:
            return False
        return (own - first).days <= ENTRY_SLACK_DAYS

    def _choose_lags(self, y: np.ndarray) -> tuple[int, dict[int, float]]:
        if self.lags != "bic":
            return int(self.lags), {}
        bic: dict[int, float] = {}
        top = self.max_lags
        for p in range(1, top + 1):
            x, yt = smp.design(y[top - p:], p)
            b = np.linalg.solve(x.T @ x, x.T @ yt)
            u = yt - x @ b
            nobs = yt.shape[0]
            bic[p] = float(np.linalg.slogdet(u.T @ u / nobs)[1]
                           + np.log(nobs) * x.shape[1] * yt.shape[1] / nobs)
        return min(bic, key=lambda p: bic[p]), bic

    def fit(self, panel: pd.DataFrame) -> IdentificationResult:
        """Estimate the reduced form, draw admissible models, return the identification.

        Parameters
        ----------
        panel : DataFrame
            Daily changes as :func:`spillwatch.load` returns them.

        Returns
        -------
        IdentificationResult

        Raises
        ------
        DataError
            A restricted variable is missing, or too few joint days.
        ModelError
            No admissible model was found within ``max_candidates``.
        """
        with one_blas_thread():      # reproducible bit for bit
            return self._fit(panel)

    def _fit(self, panel: pd.DataFrame) -> IdentificationResult:
        t0 = time.perf_counter()
        keys, joint, info = self._window(panel)
        if len(joint) < MIN_JOINT_DAYS:
            raise DataError(f"the SVAR needs at least {MIN_JOINT_DAYS} days on which all of "
                            f"{', '.join(keys)} report; got {len(joint)} ({info['start']} to "
                            f"{info['end']})")
        y = joint.to_numpy(dtype=float)
        _check_identifiable(y, keys, info)
        lags, bic = self._choose_lags(y)
        rf = smp.fit_reduced_form(y, lags)
        signs_all = sign_matrix(self.shocks, keys)  # type: ignore[arg-type]
        rows = np.flatnonzero(np.abs(signs_all).sum(axis=0))
        signs = signs_all[:, rows]
        row10 = int(np.flatnonzero(rows == keys.index("ust10y"))[0])
        target = self.shock_names.index(self.target)
        n = len(keys)
        tuples = smp.assignments(n, len(self.shock_names))
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(self.seed)))
        kept_b, kept_l = [], []
        tried = nonstat = admissible = 0
        loose = self.bound.loosest
        while admissible < self.draws and tried < self.max_candidates:
            nrf = max(1, self.batch // self.rotations)
            b, p = smp.draw_reduced_form(rf, rng, nrf)
            ok_rf = smp.stationary(b, lags)
            q = smp.haar(rng, nrf * self.rotations, n).reshape(nrf, self.rotations, n, n)
            l_full = (p[:, None] @ q).reshape(-1, n, n)
            rep = np.repeat(np.arange(nrf), self.rotations)
            tried += len(rep)
            nonstat += int((~ok_rf[rep]).sum())
            lr = l_full[:, rows, :]
            ok, _ = smp.column_matches(lr, signs, target, row10, loose)
            # keep what is admissible under the loosest bound; assignments are drawn below
            keep = (smp.assign(ok, None, tuples)[1] > 0) & ok_rf[rep]
            if keep.any():
                kept_b.append(b[rep[keep]])
                kept_l.append(l_full[keep])
                ok_main, _ = smp.column_matches(lr[keep], signs, target, row10,
                                                self.bound.min_10y_bp)
                admissible += int((smp.assign(ok_main, None, tuples)[1] > 0).sum())
        if not kept_l:
            raise ModelError(f"no admissible model in {tried:,} candidates: the sign "
                             "restrictions contradict the data; loosen them or the bound")
        cand_b = np.concatenate(kept_b)
        cand_l = np.concatenate(kept_l)
        posts: dict[float, Posterior] = {}
        arng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([self.seed, 1])))
        for bnd in self.bound.sensitivity:  # type: ignore[union-attr]
            ok, sg = smp.column_matches(cand_l[:, rows, :], signs, target, row10, bnd)
            chosen, count = smp.assign(ok, arng, tuples)
            good = count > 0
            w = count[good].astype(float)
            posts[bnd] = Posterior(cand_b[good], smp.order_columns(cand_l[good], chosen[good],
                                                                   sg[good]),
                                   w / w.sum() if w.size else w, bnd)
        main = posts[self.bound.min_10y_bp]
        if main.size == 0:
            raise ModelError(f"no admissible model moves the 10-year by at least "
                             f"{self.bound.min_10y_bp:g} bp on impact ({tried:,} candidates); "
                             "lower Bound.min_10y_bp")
        info.update({"lags": lags, "bic": bic, "candidates": tried,
                     "non_stationary": nonstat, "admissible": main.size,
                     "acceptance": main.size / tried, "ess": main.ess,
                     "seconds": time.perf_counter() - t0})
        logger.info("SVAR: %d admissible of %d candidates in %.2fs", main.size, tried,
                    info["seconds"])
        res = IdentificationResult(self, tuple(keys), joint, rf, posts, info)
        info["seconds"] = time.perf_counter() - t0
        return res


def _check_identifiable(y: np.ndarray, keys: list[str], info: dict[str, Any]) -> None:
    """Refuse a sample the VAR cannot be estimated on, naming the series at fault.

    A variable that never moves over the sample (a pegged or frozen series) or two that move
    as one (a series loaded twice, or once in other units) make the regressors' moment matrix
    singular: the lag choice stopped on numpy's "Singular matrix" with a traceback.

    Raises
    ------
    ScenarioError
    """
    why = dependence(y, keys)
    if why:
        raise ScenarioError(f"over the SVAR's sample ({info['start']} to {info['end']}) {why}; "
                            "the SVAR cannot be estimated: fix the data or leave it out",
                            asset=why.split(" ", 1)[0].rstrip(","))
