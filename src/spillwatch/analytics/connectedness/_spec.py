"""The front door: :func:`connectedness` and the :class:`Connectedness` spec that runs the engine.

``Connectedness(model=..., decomposition=...)`` composes a model spec (:class:`VAR` or
:class:`TVPVAR`) with a decomposition spec (:class:`GeneralizedFEVD`, :class:`CholeskyFEVD`,
:class:`FrequencyFEVD`). ``fit(data)`` is pure; so is ``fit_rolling(data, window=...)``.
Strings resolve through the registries :data:`MODELS` and :data:`DECOMPOSITIONS`.

Rolling convention
------------------
A window of ``W`` rows holds ``W`` observations, so ``W - p`` regression rows; ``T`` rows give
``T - W + 1`` windows, each labelled by its last date. The R package ConnectednessApproach counts
``window.size`` differently (it subtracts ``nlag`` before cutting windows of the data): R's
``window.size = W + p`` reproduces ``window=W`` here, window for window and date for date.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from spillwatch._changes import merge_incomplete_rows
from spillwatch._typing import Float64Array
from spillwatch._validation import (
    as_numbers,
    check_changes,
    choice,
    dependence,
    fmt_date,
    is_real,
    naive_index,
    positive_int,
)
from spillwatch.analytics.connectedness._fevd import (
    CholeskyFEVD,
    GeneralizedFEVD,
    generalized_fevd_var,
    ma_coefficients,
)
from spillwatch.analytics.connectedness._frequency import FrequencyFEVD
from spillwatch.analytics.connectedness._tvp import TVPVAR
from spillwatch.analytics.connectedness._var import (
    VAR,
    Standardizer,
    ols_var,
    rolling_var_batches,
    unscale,
)
from spillwatch.exceptions import (
    ConfigError,
    DataError,
    SingularWindowError,
    SingularWindowWarning,
)

logger = logging.getLogger(__name__)

Model = VAR | TVPVAR
Decomposition = GeneralizedFEVD | CholeskyFEVD | FrequencyFEVD

#: model names accepted by :func:`connectedness`
MODELS: dict[str, type[VAR] | type[TVPVAR]] = {"var": VAR, "tvp": TVPVAR, "tvp-var": TVPVAR}
#: decomposition names accepted by :func:`connectedness`
DECOMPOSITIONS: dict[str, type[GeneralizedFEVD] | type[CholeskyFEVD] | type[FrequencyFEVD]] = {
    "generalized": GeneralizedFEVD,
    "cholesky": CholeskyFEVD,
    "frequency": FrequencyFEVD,
}
ON_SINGULAR = ("raise", "nan")
#: what a row with a NaN does (see :func:`prepare`)
INCOMPLETE = ("merge", "drop")

#: floats of cross-products per batch of windows: the batch size is this over ``(m + k)**2``
#: (about 1.6 MB; bounds memory and keeps a batch in cache). The running sums the batches are
#: cut from restart every 4096 windows (see ``rolling_var_batches``).
CHUNK_FLOATS = 200_000

#: floats of MA terms per batch of decompositions (H k^2 per window; about 1.6 MB, in cache)
DECOMPOSE_FLOATS = 200_000


def chunk_size(k: int, lags: int) -> int:
    """Windows per batch for a VAR(p) in k variables."""
    width = 1 + k * lags + k
    return max(16, min(1024, CHUNK_FLOATS // (width * width)))


@dataclass(frozen=True)
class Connectedness:
    """Spec of a Diebold–Yilmaz connectedness analysis.

    Parameters
    ----------
    model : VAR or TVPVAR, default VAR(lags=2)
        The time-series model. A :class:`VAR` fitted on the whole sample gives one table
        (:class:`ConnectednessResult`); a :class:`TVPVAR` gives one table per date
        (:class:`RollingConnectednessResult`).
    decomposition : GeneralizedFEVD, CholeskyFEVD or FrequencyFEVD, default GeneralizedFEVD(10)
        How forecast-error variances are split.
    on_singular : {"raise", "nan"}, default "raise"
        A rolling window whose design is singular raises :class:`SingularWindowError` naming its
        dates, or (``"nan"``) gives NaN with a :class:`SingularWindowWarning` and an entry in
        ``result.failures``.
    incomplete : {"merge", "drop"}, default "merge"
        A row on which some series have no change: ``"merge"`` adds its changes to the next
        complete row (a market holiday: :func:`spillwatch._changes.merge_incomplete_rows`, as
        the command line does); ``"drop"`` leaves it out (for rows that are not daily changes,
        such as two-day blocks, whose NaN is a gap).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from spillwatch.analytics.connectedness import Connectedness, VAR, GeneralizedFEVD
    >>> rng = np.random.default_rng(0)
    >>> frame = pd.DataFrame(rng.standard_normal((300, 3)), columns=["a", "b", "c"])
    >>> res = Connectedness(model=VAR(lags=1), decomposition=GeneralizedFEVD(10)).fit(frame)
    >>> bool(0 <= res.tci <= 100)
    True
    """

    model: Model = field(default_factory=VAR)
    decomposition: Decomposition = field(default_factory=GeneralizedFEVD)
    on_singular: Literal["raise", "nan"] = "raise"
    incomplete: Literal["merge", "drop"] = "merge"

    def __post_init__(self) -> None:
        if not isinstance(self.model, (VAR, TVPVAR)):
            raise ConfigError(
                f"model must be a VAR or TVPVAR spec, got {type(self.model).__name__}; "
                "use connectedness(..., model='var') for the short form",
                parameter="model",
            )
        if not isinstance(self.decomposition, (GeneralizedFEVD, CholeskyFEVD, FrequencyFEVD)):
            raise ConfigError(
                "decomposition must be GeneralizedFEVD, CholeskyFEVD or FrequencyFEVD, "
                f"got {type(self.decomposition).__name__}",
                parameter="decomposition",
            )
        if self.on_singular not in ON_SINGULAR:
            raise ConfigError(
                f"on_singular must be one of {ON_SINGULAR}, got {self.on_singular!r}",
                parameter="on_singular",
            )
        if self.incomplete not in INCOMPLETE:
            raise ConfigError(
                f"incomplete must be one of {INCOMPLETE}, got {self.incomplete!r}",
                parameter="incomplete",
            )

    @property
    def lags(self) -> int:
        """The VAR order p."""
        return self.model.lags

    @property
    def horizon(self) -> int:
        """The forecast horizon H."""
        return self.decomposition.horizon

    # ------------------------------------------------------------------ fitting
    def fit(self, data: pd.DataFrame) -> Any:
        """Fit on the whole sample.

        Returns
        -------
        ConnectednessResult
            For a :class:`VAR` (one table).
        RollingConnectednessResult
            For a :class:`TVPVAR` (one table per date: every date with ``variant="r"``, from
            the ``p + 1``-th with ``variant="filtered"``).
        """
        frame = prepare(data, min_rows=0, lags=self.lags, incomplete=self.incomplete)
        if isinstance(self.model, TVPVAR):
            return self._fit_tvp(frame)
        return self._fit_static(frame)

    def fit_rolling(self, data: pd.DataFrame, *, window: int) -> Any:
        """Fit a VAR on every window of ``window`` rows, all windows at once (no loop per window).

        Parameters
        ----------
        data : DataFrame
            Stationary series, one column each; rows with a NaN are merged or dropped first
            (``incomplete``).
        window : int
            Rows (observations) per window; see the module docstring for the convention.

        Returns
        -------
        RollingConnectednessResult
            ``.tci`` is a Series indexed by each window's last date.
        """
        if isinstance(self.model, TVPVAR):
            raise ConfigError(
                "a TVP-VAR is already time-varying; call fit(data) instead of "
                "fit_rolling(data, window=...)",
                parameter="window",
            )
        positive_int(window, name="window", minimum=self._min_rows())
        frame = prepare(data, min_rows=window, lags=self.lags, incomplete=self.incomplete)
        return self._fit_rolling(frame, window)

    def _min_rows(self) -> int:
        # the exact requirement depends on k; check_size() gives the precise message
        return self.lags + 2

    # ------------------------------------------------------------------ engines
    def _decompose(
        self, coefs: Float64Array, sigma: Float64Array, ok: np.ndarray
    ) -> tuple[Float64Array, Float64Array | None]:
        """Tables (n, k, k) and band tables (n, b, k, k) or None; NaN where not ``ok``."""
        k = sigma.shape[-1]
        if not ok.all():
            coefs = coefs.copy()
            sigma = sigma.copy()
            coefs[~ok] = 0.0
            sigma[~ok] = np.eye(k)
        if isinstance(self.decomposition, GeneralizedFEVD):
            # straight from (A, Sigma): no MA matrices, no forecast-error variances
            theta = generalized_fevd_var(coefs, sigma, self.horizon)
            theta[~ok] = np.nan
            return theta, None
        psi = ma_coefficients(coefs, self.horizon)
        theta = self.decomposition.decompose(psi, sigma)
        bands = None
        if isinstance(self.decomposition, FrequencyFEVD):
            bands = self.decomposition.decompose_bands(psi, sigma)
            bands[~ok] = np.nan
        theta[~ok] = np.nan
        return theta, bands

    def _decompose_batches(
        self, coefs: Float64Array, sigma: Float64Array, ok: np.ndarray
    ) -> tuple[Float64Array, Float64Array | None]:
        """:meth:`_decompose` over batches whose MA terms take about 1.6 MB."""
        n, _, k, _ = coefs.shape
        chunk = max(16, DECOMPOSE_FLOATS // (self.horizon * k * k))
        if n <= chunk:
            return self._decompose(coefs, sigma, ok)
        theta = np.empty((n, k, k))
        nb = len(self.decomposition.labels) if isinstance(self.decomposition, FrequencyFEVD) else 0
        bands = np.empty((n, nb, k, k)) if nb else None
        for start in range(0, n, chunk):
            stop = min(start + chunk, n)
            th, bd = self._decompose(coefs[start:stop], sigma[start:stop], ok[start:stop])
            theta[start:stop] = th
            if bands is not None and bd is not None:
                bands[start:stop] = bd
        return theta, bands

    def _fit_static(self, frame: pd.DataFrame) -> Any:
        from spillwatch.analytics.connectedness._results import ConnectednessResult

        y = frame.to_numpy(dtype=float)
        check_size(frame, rows=len(frame), lags=self.lags, what="the sample")
        std = Standardizer.of(y)
        est = ols_var(std.apply(y), self.lags)
        if not est.ok[0]:
            raise SingularWindowError(
                f"the VAR design is singular on {_span(frame.index, 0, len(frame) - 1)}: "
                "a column is constant or a linear combination of others; "
                f"drop or transform it (columns: {', '.join(map(str, frame.columns))})",
                start=frame.index[0],
                end=frame.index[-1],
            )
        theta, bands = self._decompose(est.coefs, est.sigma, est.ok)
        return ConnectednessResult(
            spec=self,
            data=frame,
            theta=theta[0],
            band_theta=None if bands is None else bands[0],
            estimates=unscale(est, std),
        )

    def _fit_rolling(self, frame: pd.DataFrame, window: int) -> Any:
        from spillwatch.analytics.connectedness._results import RollingConnectednessResult

        check_size(frame, rows=window, lags=self.lags, what=f"window={window}")
        y = frame.to_numpy(dtype=float)
        z = Standardizer.of(y).apply(y)
        k = y.shape[1]
        chunk = chunk_size(k, self.lags)
        # phase 1: the VAR of every window (kept: n (p + 1) k^2 floats); phase 2: the
        # decompositions, batch by batch (measured faster than interleaving the two phases)
        fits = [est for _, est in rolling_var_batches(z, self.lags, window, chunk=chunk)]
        coefs = np.concatenate([f.coefs for f in fits])
        sigma = np.concatenate([f.sigma for f in fits])
        ok = np.concatenate([f.ok for f in fits])
        del fits
        theta, bands = self._decompose_batches(coefs, sigma, ok)
        dates = frame.index[window - 1 :]
        failures = self._failures(frame.index, ok, window)
        return RollingConnectednessResult(
            spec=self,
            data=frame,
            dates=dates,
            theta=theta,
            band_theta=bands,
            window=window,
            failures=failures,
        )

    def _fit_tvp(self, frame: pd.DataFrame) -> Any:
        from spillwatch.analytics.connectedness._results import RollingConnectednessResult

        model = self.model
        if not isinstance(model, TVPVAR):  # pragma: no cover - guarded by fit()
            raise ConfigError("internal: _fit_tvp needs a TVPVAR", parameter="model")
        est = model.estimate(frame.to_numpy(dtype=float))
        ok = np.asarray(
            np.isfinite(est.sigma).all(axis=(1, 2)) & np.isfinite(est.coefs).all(axis=(1, 2, 3))
        )
        theta, bands = self._decompose_batches(est.coefs, est.sigma, ok)
        return RollingConnectednessResult(
            spec=self,
            data=frame,
            dates=frame.index[model.first_date :],
            theta=theta,
            band_theta=bands,
            window=None,
            failures=self._failures(frame.index, ok, None),
        )

    def _failures(self, index: pd.Index, ok: np.ndarray, window: int | None) -> pd.DataFrame:
        """Failed windows as a frame (date, start, end, reason); raise or warn per policy."""
        bad = np.flatnonzero(~ok)
        cols = ["date", "start", "end", "reason"]
        if bad.size == 0:
            return pd.DataFrame(columns=cols)
        if window is not None:
            offset = window - 1
        else:
            offset = self.model.first_date if isinstance(self.model, TVPVAR) else self.lags
        rows = []
        for b in bad:
            end = b + offset
            start = b if window is not None else 0
            rows.append(
                {
                    "date": index[end],
                    "start": index[start],
                    "end": index[end],
                    "reason": "singular design (constant or collinear columns in the window)",
                }
            )
        failures = pd.DataFrame(rows, columns=cols)
        first = rows[0]
        msg = (
            f"{bad.size} rolling window(s) have a singular VAR design, the first from "
            f"{fmt_date(first['start'])} to {fmt_date(first['end'])}: a column is constant "
            "or collinear there"
        )
        if self.on_singular == "raise":
            raise SingularWindowError(
                msg + "; use a longer window, drop that column, or pass on_singular='nan'",
                start=first["start"],
                end=first["end"],
                count=int(bad.size),
            )
        warnings.warn(msg + "; those windows are NaN (see result.failures)",
                      SingularWindowWarning, stacklevel=4)
        return failures



def _span(index: pd.Index, i: int, j: int) -> str:
    return f"{fmt_date(index[i])} .. {fmt_date(index[j])}"


def prepare(data: pd.DataFrame, *, min_rows: int, lags: int,
            incomplete: str = "merge") -> pd.DataFrame:
    """Validate the input panel once, at the boundary; merge or drop rows with a NaN.

    With ``incomplete="merge"`` a row on which a market was closed joins the next complete row
    (:func:`~spillwatch._changes.merge_incomplete_rows`: every change of a row then spans the
    same time; a holiday's crypto move is not lost); ``"drop"`` drops every row with a NaN.

    Raises
    ------
    DataError
        Not a DataFrame, fewer than two columns, non-numeric or infinite values, or too few
        complete rows.
    """
    if not isinstance(data, pd.DataFrame):
        raise DataError(
            f"connectedness needs a DataFrame with one column per series, got "
            f"{type(data).__name__}; e.g. panel[['ust10y_bp', 'btc_pct']]",
        )
    if data.shape[1] < 2:
        raise DataError(
            f"connectedness needs at least two columns, got {data.shape[1]} "
            f"({', '.join(map(str, data.columns))})",
        )
    for c in data.columns:
        check_changes(data[c], str(c), "connectedness")
    if data.columns.duplicated().any():
        dup = data.columns[data.columns.duplicated()].tolist()
        raise DataError(f"column names must be unique, got duplicates {dup}")
    values = as_numbers(naive_index(data))
    if np.isinf(values.to_numpy()).any():
        col = values.columns[np.isinf(values.to_numpy()).any(axis=0)][0]
        raise DataError(f"column {col!r} has infinite values; remove them", column=str(col))
    # a VAR(p) needs more regression rows than coefficients per equation
    min_rows = max(min_rows, lags + 1 + data.shape[1] * lags + data.shape[1])
    complete = (merge_incomplete_rows(values) if incomplete == "merge"
                else values.dropna(how="any"))
    dropped = len(values) - len(complete)
    if dropped:
        logger.info("connectedness: %s %d of %d rows with a NaN",
                    "merged or dropped" if incomplete == "merge" else "dropped", dropped,
                    len(values))
    if len(complete) < min_rows:
        counts = values.notna().sum().sort_values(kind="stable")
        worst = counts.index[0]
        few = ", ".join(f"{c!r} has {int(n)}" for c, n in counts.iloc[:3].items())
        raise DataError(
            f"need at least {min_rows} complete rows, got {len(complete)} after "
            f"{'merging' if incomplete == 'merge' else 'dropping'} rows with a NaN; "
            f"values per column: {few}",
            column=str(worst),
        )
    why = dependence(complete.to_numpy(dtype=float), [str(c) for c in complete.columns])
    if why:     # every window failed, and the error said "see result.failures"
        raise SingularWindowError(f"{why}; the VAR's design is singular: fix the data or "
                                  "leave one out", column=why.split(" ", 1)[0].rstrip(","))
    complete.attrs = dict(data.attrs)
    complete.attrs["dropped_rows"] = dropped
    return complete


def check_size(frame: pd.DataFrame, *, rows: int, lags: int, what: str) -> None:
    """Require rows for the coefficients and a full-rank residual covariance.

    A VAR(p) in k variables fitted on ``rows`` rows has ``rows - p`` regression rows and
    ``1 + k p`` coefficients per equation; its k x k residual covariance needs at least k
    residual degrees of freedom: ``rows >= p + 1 + k p + k`` (with fewer, the covariance is
    singular and the error blamed a constant or collinear column).
    """
    k = frame.shape[1]
    need = lags + 1 + k * lags + k
    if rows < need:
        raise DataError(
            f"{what} has {rows} rows, but a VAR({lags}) in {k} variables needs at least {need} "
            f"({1 + k * lags} coefficients per equation and {k} residual degrees of freedom "
            f"for the {k}x{k} error covariance); use more rows or fewer lags",
        )


def connectedness(
    frame: pd.DataFrame,
    *,
    lags: int = 2,
    horizon: int | None = None,
    model: str = "var",
    decomposition: str = "generalized",
    window: int | None = None,
    bands: Sequence[float] | None = None,
    kappa1: float = 0.99,
    kappa2: float = 0.99,
    prior: str | None = None,
    gamma: float = 0.1,
    prior_window: int = 200,
    variant: str = "r",
    on_singular: Literal["raise", "nan"] = "raise",
    incomplete: Literal["merge", "drop"] = "merge",
) -> Any:
    """Diebold–Yilmaz connectedness of a panel of stationary series.

    Parameters
    ----------
    frame : DataFrame
        Stationary series (changes, returns, log volatilities), one column each; a row with a
        NaN (a market holiday) joins the next complete row (``incomplete``).
    lags : int, default 2
        VAR order p.
    horizon : int, optional
        Forecast horizon H (MA terms 0 .. H-1); default 10, and 100 for frequency bands (the
        points of the frequency grid, as Baruník & Křehlík 2018).
    model : {"var", "tvp"}, default "var"
        ``"var"``: OLS VAR on the whole sample (or per window with ``window``); ``"tvp"``:
        TVP-VAR (ACG 2020) with forgetting factors ``kappa1``, ``kappa2`` and ``prior``; by
        default exactly as R's ConnectednessApproach (``model = "TVP-VAR"``, ``nlag = lags``,
        ``nfore = horizon``, ``window.size = prior_window``, BayesPrior, kappa1 = kappa2 = 0.99).
    decomposition : {"generalized", "cholesky", "frequency"}, default "generalized"
        DY (2012) generalized FEVD, DY (2009) Cholesky FEVD, or BK (2018) frequency bands.
    window : int, optional
        Rolling window in rows (VAR only): returns a :class:`RollingConnectednessResult`.
    bands : sequence of float, optional
        Band edges as periods, e.g. ``(5, 20)``; implies ``decomposition="frequency"``.
    kappa1, kappa2 : float, default 0.99
        TVP-VAR forgetting factors.
    prior : str, optional
        TVP-VAR prior: ``"bayes"`` (default), ``"minnesota"`` or ``"uninformative"`` as in R;
        with ``variant="filtered"``: ``"minnesota"`` (default) or ``"flat"``. See :class:`TVPVAR`.
    gamma : float, default 0.1
        Minnesota tightness (TVP-VAR).
    prior_window : int, default 200
        Rows of the Bayes prior's training sample (R's ``window.size``; TVP-VAR).
    variant : {"r", "filtered"}, default "r"
        TVP-VAR variant: R parity, or spillwatch's filtered variant (see :class:`TVPVAR`).
    on_singular : {"raise", "nan"}, default "raise"
        What a singular rolling window does.
    incomplete : {"merge", "drop"}, default "merge"
        Rows with a NaN: added to the next complete row (as ``spillwatch spillover`` does:
        summed log or basis-point changes span the same time), or dropped.

    Returns
    -------
    ConnectednessResult or RollingConnectednessResult

    Raises
    ------
    ConfigError
        Unknown model or decomposition, or invalid parameters.
    DataError
        Too few rows, non-numeric or infinite values.
    SingularWindowError
        A singular design (whole sample, or a window under ``on_singular="raise"``).

    Examples
    --------
    >>> import numpy as np, pandas as pd, spillwatch as sw
    >>> rng = np.random.default_rng(1)
    >>> idx = pd.bdate_range("2020-01-01", periods=400, name="date")
    >>> frame = pd.DataFrame(rng.standard_normal((400, 3)), idx, ["ust10y_bp", "usd_broad_pct",
    ...                      "btc_pct"])
    >>> res = sw.connectedness(frame, lags=1, horizon=10)
    >>> res.table().loc["ust10y_bp"].drop("FROM").sum().round(6)
    np.float64(100.0)
    >>> roll = res.rolling(window=200)
    >>> len(roll.tci) == 400 - 200 + 1
    True
    """
    model_cls = choice(model, MODELS, name="model")
    if bands is not None:
        decomposition = "frequency"
    dec_cls = choice(decomposition, DECOMPOSITIONS, name="decomposition")
    mspec: Model
    if model_cls is TVPVAR:
        mspec = TVPVAR(lags=lags, kappa1=kappa1, kappa2=kappa2, prior=prior, gamma=gamma,
                       prior_window=prior_window, variant=variant)
    else:
        mspec = VAR(lags=lags)
    dspec: Decomposition
    if horizon is None:
        horizon = FrequencyFEVD.horizon if dec_cls is FrequencyFEVD else 10
    if dec_cls is FrequencyFEVD:
        # bands=() was replaced by the defaults; bands=5 raised "'int' object is not iterable"
        edges: tuple[float, ...]
        if bands is None:
            edges = (5.0, 20.0)
        elif is_real(bands):
            edges = (bands,)
        elif isinstance(bands, str | bytes) or not hasattr(bands, "__iter__"):
            # bands=True or bands="5,20" raised a raw TypeError or split into characters
            raise ConfigError(f"bands must be periods in days, e.g. bands=(5, 20); got {bands!r}")
        else:
            edges = tuple(bands)
        dspec = FrequencyFEVD(horizon=horizon, edges=edges)
    elif dec_cls is CholeskyFEVD:
        dspec = CholeskyFEVD(horizon=horizon)
    else:
        dspec = GeneralizedFEVD(horizon=horizon)
    spec = Connectedness(model=mspec, decomposition=dspec, on_singular=on_singular,
                         incomplete=incomplete)
    if window is not None:
        return spec.fit_rolling(frame, window=window)
    return spec.fit(frame)
