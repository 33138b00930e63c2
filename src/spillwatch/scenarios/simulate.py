r"""Chunked, vectorised Monte Carlo of a sell-off: paths × days × assets, seeded and reproducible.

Each path draws its impact coefficients (:class:`~spillwatch.scenarios.impact.ImpactModel`), the
resulting 5-year yield impact :math:`I_{p,d}` and the market noise from the fitted joint model
(:class:`~spillwatch.scenarios.propagation.FittedMarket`). The daily change of asset :math:`i` is

.. math::

    r_{p,d,i} = \sqrt{h_{p,d,i}}\;\varepsilon_{p,d,i} + \ell_i\,\Delta I_{p,d} + J_{p,d,i},\qquad
    h_{p,d+1,i} = \omega_i + \alpha_i\, (\sqrt{h_{p,d,i}}\varepsilon_{p,d,i})^2 + \beta_i h_{p,d,i}

with :math:`\ell_i` the curve loading (yields) or :math:`\beta_i` times the 10-year loading (the
rest), :math:`J` the compound Poisson jumps, and :math:`\varepsilon` standardised innovations:

* ``t-copula``: :math:`x = L z` with :math:`z \sim N(0, I)`, :math:`LL' = R`;
  :math:`t = x\sqrt{\nu/W}`
  with :math:`W \sim \chi^2_\nu` shared by the assets of a day (Demarta & McNeil 2005, eq. 2.1);
  :math:`\varepsilon_i = F_i^{-1}(T_\nu(t_i))` with :math:`F_i` the unit-variance Student-t of the
  margin. Both maps are tabulated once: :math:`\sqrt{\nu/W}` on :math:`2^{16}` equiprobable points
  of
  :math:`W` (so the draw of :math:`W` is a uniform draw and a table look-up) and
  :math:`F_i^{-1}\circ T_\nu` on :math:`2^{16}` points of :math:`[-100, 100]` (nearest point; error
  below :math:`2\cdot 10^{-3}` standard deviations in the body).
* ``fhs``: whole days of standardised residuals resampled with replacement.
* ``var``: :math:`\varepsilon = Pz`, :math:`PP' = \Sigma_u`, constant variance, and the shock enters
  through the generalised impulse responses,
  :math:`\sum_{s\le d}\Psi_{d-s,i}\,\ell_{10y}\Delta I_{p,s}`.

Chunks and seeds
----------------
Paths are cut into chunks of ``chunk_size``; chunk :math:`j` draws from
``Generator(PCG64(SeedSequence(seed).spawn(n_chunks)[j]))``, so a chunk's numbers depend only on
``seed``, ``chunk_size`` and ``j`` — not on where it runs. Chunks are reduced to fixed-size
accumulators (histograms of the terminal, worst and best cumulative change of every asset and of
the portfolio P&L, exact event counts, the first ``keep_paths`` paths for fan charts), merged in
chunk order; memory is therefore bounded by the chunk size and ``keep_paths`` whatever the path
count, and the local and Dask runs give identical numbers. The arithmetic is float32 (random draws
included); accumulators are int64 and float64.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats

from spillwatch.exceptions import ScenarioError
from spillwatch.scenarios.impact import PER_USD, ImpactModel
from spillwatch.scenarios.portfolio import DURATIONS, pnl
from spillwatch.scenarios.propagation import FittedMarket
from spillwatch.scenarios.selloff import SelloffScenario

logger = logging.getLogger(__name__)

TABLE_SIZE = 1 << 16
TABLE_RANGE = 100.0
BINS = 2048
DEFAULT_EVENTS: tuple[str, ...] = (
    "btc<-20%@10d", "eth<-25%@10d", "trump<-30%@10d", "spx<-10%@20d", "usd_broad<-3%@20d",
    "ust10y>+50bp@20d", "gold>+5%@20d",
)
_EVENT_RE = re.compile(r"^(?P<asset>[a-z0-9_]+)(?P<op>[<>])(?P<value>[+-]?[0-9.]+)"
                       r"(?P<unit>%|bp)(?:@(?P<days>[0-9]+)d)?$")


@dataclass(frozen=True)
class Event:
    """'Asset crosses a level within N days', e.g. ``btc<-20%@10d`` (price down 20% at some close).

    ``%`` is a simple return for prices (converted to the log change the model simulates), ``bp``
    a yield change. ``days`` defaults to the horizon.
    """

    text: str
    asset: str
    below: bool
    level: float
    days: int | None

    @classmethod
    def parse(cls, text: str) -> Event:
        m = _EVENT_RE.match(text.strip().lower().replace(" ", ""))
        if m is None:
            raise ScenarioError(f"cannot parse the event {text!r}; write e.g. btc<-20%@10d or "
                                "ust10y>+50bp@20d")
        value = float(m["value"])
        if m["unit"] == "%":
            if value <= -100:
                raise ScenarioError(f"{text!r}: a price cannot fall by 100% or more")
            level = 100.0 * np.log1p(value / 100.0)
        else:
            level = value
        return cls(text, m["asset"], m["op"] == "<", float(level),
                   int(m["days"]) if m["days"] else None)


@dataclass(frozen=True, eq=False)
class Plan:
    """Everything a chunk needs (pickled once to Dask workers)."""

    method: str
    k: int
    horizon: int
    dtype: str
    sales: np.ndarray
    impact: ImpactModel
    load: np.ndarray
    girf_toeplitz: np.ndarray | None
    chol: np.ndarray
    mix_table: np.ndarray | None
    margin_tables: np.ndarray | None
    pool_t: np.ndarray | None
    omega: np.ndarray
    alpha: np.ndarray
    beta: np.ndarray
    h0: np.ndarray
    jumps: tuple[tuple[int, float, float, float], ...]
    lo: np.ndarray
    hi: np.ndarray
    weights: np.ndarray | None
    log_assets: np.ndarray
    duration: np.ndarray
    events: tuple[tuple[int, bool, float, int], ...]
    keep_paths: int
    chunk_size: int


@dataclass
class ChunkSummary:
    """What one chunk returns: fixed-size accumulators (and kept paths for the first chunks)."""

    index: int
    n: int
    hist: np.ndarray
    events: np.ndarray
    sums: np.ndarray
    kept: np.ndarray | None = None
    kept_impact: np.ndarray | None = None
    kept_pnl: np.ndarray | None = None


@functools.lru_cache(maxsize=8)
def _tables(market: FittedMarket, dtype: np.dtype) -> tuple[np.ndarray, np.ndarray]:
    """The mixing and margin tables of the t copula (module docstring), cached per market."""
    nu_c = market.nu_copula
    mid = (np.arange(TABLE_SIZE) + 0.5) / TABLE_SIZE
    # sqrt(nu / W), pre-multiplied by the index scale of the margin tables
    mix = np.sqrt(nu_c / stats.chi2.ppf(mid, nu_c)) * (TABLE_SIZE - 1) / (2 * TABLE_RANGE)
    grid = np.linspace(-TABLE_RANGE, TABLE_RANGE, TABLE_SIZE)
    u = np.clip(stats.t.cdf(grid, nu_c), 1e-15, 1 - 1e-15)
    tabs = np.empty((market.k, TABLE_SIZE))
    for i, nu in enumerate(market.nu):
        tabs[i] = stats.t.ppf(u, nu) * np.sqrt((nu - 2.0) / nu)
    return mix.astype(dtype), tabs.astype(dtype)


def make_plan(scenario: SelloffScenario, market: FittedMarket, *, horizon: int,
              impact: ImpactModel, chunk_size: int, keep_paths: int, start: str,
              weights: np.ndarray | None, events: Sequence[Event], dtype: str = "float32"
              ) -> Plan:
    """Precompute the arrays every chunk shares (tables, loadings, histogram ranges)."""
    dt = np.dtype(dtype)
    k, d = market.k, horizon
    sales = scenario.sales(horizon)
    load10 = impact.loading("ust10y")
    load = np.array([impact.loading(a) if market.is_yield[i] else market.beta_10y[i] * load10
                     for i, a in enumerate(market.assets)])
    toe = None
    if market.method == "var":
        g = market.girf[:d] * load10                              # (d, k)
        lag = np.arange(d)[:, None] - np.arange(d)[None, :]
        toe = np.where(lag[None] >= 0, g.T[:, np.clip(lag, 0, None)], 0.0)   # (k, d, d)
        for i in np.flatnonzero(market.is_yield):
            toe[i] = np.eye(d) * impact.loading(market.assets[i])
        load = np.zeros(k)
    mix, tabs = _tables(market, dt) if market.method == "t-copula" else (None, None)
    chol = (market.var_chol if market.method == "var" else np.linalg.cholesky(market.corr))
    pool_t = np.ascontiguousarray(market.pool.T.astype(dt)) if market.method == "fhs" else None
    h0 = market.h_last if start == "current" else market.uncond_var
    # histogram ranges: 14 horizon-sd either side plus the largest possible impact shift
    vol_d = np.sqrt(np.maximum(h0, market.uncond_var) * d
                    + d * market.jump_lambda * (market.jump_mean**2 + market.jump_sd**2))
    imp_max = impact.flow_bp[1] * float(sales[:d].sum()) / PER_USD  # type: ignore[index]
    reach = np.abs(load) * imp_max if toe is None else np.abs(toe).sum(axis=2).max(axis=1) * imp_max
    lo_a, hi_a = -14 * vol_d - reach, 14 * vol_d + reach
    log_assets = ~market.is_yield
    duration = np.array([DURATIONS.get(a, 0.0) for a in market.assets])
    lo, hi = [lo_a] * 3, [hi_a] * 3
    if weights is not None:
        lin = np.where(log_assets, 1.0 / 100.0, duration / 1e4)
        spread = float(np.abs(weights * lin * (14 * vol_d + reach)).sum())
        lo.append(np.array([-spread])), hi.append(np.array([spread]))
    ev = []
    for e in events:
        days = min(e.days or d, d)
        ev.append((market.index(e.asset), e.below, e.level, days))
    return Plan(market.method, k, d, dtype, sales, impact, load, toe, chol.astype(dt), mix, tabs,
                pool_t, market.omega.astype(dt), market.alpha.astype(dt),
                market.beta.astype(dt), h0.astype(dt),
                tuple((i, float(market.jump_lambda[i]), float(market.jump_mean[i]),
                       float(market.jump_sd[i])) for i in range(k) if market.jump_lambda[i] > 0),
                np.concatenate(lo), np.concatenate(hi), weights, log_assets, duration,
                tuple(ev), keep_paths, chunk_size)


def simulate_chunk(plan: Plan, index: int, n: int, seed: np.random.SeedSequence
                   ) -> ChunkSummary:
    """Simulate one chunk of ``n`` paths and reduce it (see the module docstring).

    The work runs day by day on ``(assets, paths)`` slices that stay in cache; day ``d`` draws,
    in order, its normals (or resampled days) and, for the t copula, its mixing uniforms.
    """
    rng = np.random.Generator(np.random.PCG64(seed))
    dt = np.dtype(plan.dtype)
    k, d = plan.k, plan.horizon
    coef = plan.impact.draw(rng.random((n, 3)))
    imp = plan.impact.path(plan.sales, coef, d)                       # (n, d) 5y bp
    dimp = np.ascontiguousarray(np.diff(imp, axis=1, prepend=0.0).T, dtype=dt)   # (d, n)
    jumps = []
    for i, lam, mu, sig in plan.jumps:
        cnt = rng.poisson(lam, (d, n))
        jumps.append((i, (cnt * mu + np.sqrt(cnt) * sig * rng.standard_normal((d, n))
                          ).astype(dt)))
    keep = max(0, min(n, plan.keep_paths - index * plan.chunk_size))
    kept = np.empty((k, d, keep), dtype=dt) if keep else None
    cum = np.zeros((k, n), dtype=dt)                 # running cumulative change
    lo_run = np.empty((k, n), dtype=dt)              # running min and max of it
    hi_run = np.empty((k, n), dtype=dt)
    ev = np.zeros(len(plan.events), dtype=np.int64)
    z = np.empty((k, n), dtype=dt)
    x = np.empty((k, n), dtype=dt)
    eps = np.empty((k, n), dtype=dt)
    u = np.empty(n, dtype=dt)
    h = np.repeat(plan.h0[:, None], n, axis=1)
    sd = np.empty_like(h)
    tmp = np.empty_like(h)
    om, al, be = plan.omega[:, None], plan.alpha[:, None], plan.beta[:, None]
    load = plan.load.astype(dt)[:, None]
    garch = plan.method != "var"
    off = dt.type(TABLE_RANGE * (TABLE_SIZE - 1) / (2 * TABLE_RANGE) + 0.5)
    for day in range(d):
        if plan.method == "fhs":
            assert plan.pool_t is not None
            np.take(plan.pool_t, rng.integers(0, plan.pool_t.shape[1], n), axis=1, out=eps)
        else:
            rng.standard_normal(dtype=dt, out=z)
            # einsum's own loop: a BLAS call this small is slower (thread start-up per call)
            np.einsum("ij,jn->in", plan.chol, z, out=x if plan.method == "t-copula" else eps)
        if plan.method == "t-copula":
            assert plan.mix_table is not None and plan.margin_tables is not None
            rng.random(dtype=dt, out=u)
            s = plan.mix_table[(u * dt.type(TABLE_SIZE)).astype(np.int32)]     # scaled already
            np.multiply(x, s, out=z)
            z += off
            idx = z.astype(np.int32)
            for i in range(k):
                np.take(plan.margin_tables[i], idx[i], out=eps[i], mode="clip")
        if garch:
            np.sqrt(h, out=sd)
            eps *= sd
            if day < d - 1:                     # tomorrow's variance (not needed after the last)
                np.multiply(eps, eps, out=tmp)
                tmp *= al
                h *= be
                h += tmp
                h += om
            np.multiply(load, dimp[day], out=tmp)
            eps += tmp
        else:
            assert plan.girf_toeplitz is not None
            eps += np.einsum("ks,sn->kn", plan.girf_toeplitz[:, day, : day + 1].astype(dt),
                             dimp[: day + 1])
        for i, jmp in jumps:
            eps[i] += jmp[day]
        cum += eps
        if day:
            np.minimum(lo_run, cum, out=lo_run)
            np.maximum(hi_run, cum, out=hi_run)
        else:
            lo_run[...] = cum
            hi_run[...] = cum
        if kept is not None:
            kept[:, day] = cum[:, :keep]
        for j, (i, below, level, days) in enumerate(plan.events):
            if days == day + 1:
                ev[j] = int(np.count_nonzero(lo_run[i] <= level if below
                                             else hi_run[i] >= level))
    terminal = cum
    cols = [terminal, lo_run, hi_run]
    port = None
    if plan.weights is not None:
        port = pnl(terminal, plan.weights, plan.log_assets, plan.duration)
        cols.append(port[None])
    vals = np.concatenate(cols, axis=0).astype(np.float64)           # (rows, n)
    rows = vals.shape[0]
    width = (plan.hi - plan.lo) / BINS
    b = np.floor((vals - plan.lo[:, None]) / width[:, None])
    np.clip(b, 0, BINS - 1, out=b)
    b += (np.arange(rows) * BINS)[:, None]
    hist = np.bincount(b.astype(np.int64).ravel(), minlength=rows * BINS).reshape(rows, BINS)
    sums = np.concatenate([vals.sum(axis=1), (vals**2).sum(axis=1)])
    out = ChunkSummary(index, n, hist, ev, sums)
    if kept is not None:
        out.kept = kept
        out.kept_impact = imp[:keep].astype(np.float32)
        out.kept_pnl = None if port is None else port[:keep].copy()
    return out


def chunk_sizes(paths: int, chunk_size: int) -> list[int]:
    """Sizes of the chunks of ``paths`` (all ``chunk_size`` but the last)."""
    full, rest = divmod(paths, chunk_size)
    return [chunk_size] * full + ([rest] if rest else [])


def run_local(plan: Plan, seeds: Sequence[np.random.SeedSequence], sizes: Sequence[int]
              ) -> Iterator[ChunkSummary]:
    """Run the chunks one after another in this process."""
    for j, (n, s) in enumerate(zip(sizes, seeds, strict=True)):
        yield simulate_chunk(plan, j, n, s)


@dataclass
class Accumulator:
    """Merges chunk summaries in chunk order (so the float sums are reproducible)."""

    rows: int
    n_events: int
    hist: np.ndarray = field(init=False)
    events: np.ndarray = field(init=False)
    sums: dict[int, np.ndarray] = field(default_factory=dict)
    kept: dict[int, tuple[Any, Any, Any]] = field(default_factory=dict)
    n: int = 0

    def __post_init__(self) -> None:
        self.hist = np.zeros((self.rows, BINS), dtype=np.int64)
        self.events = np.zeros(self.n_events, dtype=np.int64)

    def add(self, c: ChunkSummary) -> None:
        self.hist += c.hist
        self.events += c.events
        self.sums[c.index] = c.sums
        self.n += c.n
        if c.kept is not None:
            self.kept[c.index] = (c.kept, c.kept_impact, c.kept_pnl)

    def totals(self) -> np.ndarray:
        out = np.zeros_like(next(iter(self.sums.values())))
        for j in sorted(self.sums):
            out = out + self.sums[j]
        return out

    def kept_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        order = sorted(self.kept)
        paths = np.concatenate([self.kept[j][0] for j in order], axis=2)
        imp = np.concatenate([self.kept[j][1] for j in order], axis=0)
        pn = [self.kept[j][2] for j in order]
        return paths, imp, (None if pn[0] is None else np.concatenate(pn))


def reduce_chunks(chunks: Iterable[ChunkSummary], rows: int, n_events: int) -> Accumulator:
    """Merge chunk summaries as they arrive."""
    acc = Accumulator(rows, n_events)
    for c in chunks:
        acc.add(c)
    return acc


def simulate(scenario: SelloffScenario, market: FittedMarket | None = None, *,
             paths: int = 20_000, horizon: int = 20, seed: int = 0, chunk_size: int = 10_000,
             impact: ImpactModel | None = None, portfolio: Any = None, start: str = "current",
             keep_paths: int = 10_000, events: Sequence[str] = DEFAULT_EVENTS,
             scheduler: str | None = None, workers: int | None = None,
             dtype: str = "float32") -> Any:
    """Run the sell-off Monte Carlo.

    Parameters
    ----------
    scenario : SelloffScenario
    market : FittedMarket
        From :func:`~spillwatch.scenarios.propagation.fit_market`.
    paths : int, default 20,000
    horizon : int, default 20
        Business days.
    seed : int, default 0
    chunk_size : int, default 10,000
        Paths per chunk; bounds memory. Results depend on it (and on ``seed``), not on where
        chunks run.
    impact : ImpactModel, optional
    portfolio : Portfolio, dict or path, optional
        Positions whose P&L distribution is accumulated over all paths.
    start : {"current", "unconditional"}
        Start the GARCH variances at today's forecast or at their unconditional level.
    keep_paths : int, default 10,000
        Paths kept whole (fan charts, exact checks).
    events : sequence of str
        Probabilities to count, e.g. ``"btc<-20%@10d"`` (see :class:`Event`).
    scheduler : str, optional
        ``tcp://HOST:8786`` of a Dask scheduler, or ``"local"`` for a LocalCluster.
    workers : int, optional
        Workers of the LocalCluster (implies ``scheduler="local"``).
    dtype : {"float32", "float64"}

    Returns
    -------
    ScenarioResult

    Raises
    ------
    ScenarioError
        A bad option, portfolio or event.
    """
    from spillwatch.scenarios._results import ScenarioResult
    from spillwatch.scenarios.portfolio import Portfolio

    if market is None:
        raise ScenarioError("simulate needs a fitted market: fit_market(panel) or run_preset")
    for name, v, lo in (("paths", paths, 1), ("horizon", horizon, 1), ("chunk_size", chunk_size, 1),
                        ("keep_paths", keep_paths, 0)):
        if not isinstance(v, (int, np.integer)) or isinstance(v, bool) or v < lo:
            raise ScenarioError(f"{name} must be an int >= {lo}; got {v!r}")
    if start not in ("current", "unconditional"):
        raise ScenarioError(f"start must be 'current' or 'unconditional'; got {start!r}")
    if dtype not in ("float32", "float64"):
        raise ScenarioError(f"dtype must be 'float32' or 'float64'; got {dtype!r}")
    if market.method == "var" and horizon > market.girf.shape[0]:
        raise ScenarioError(f"horizon {horizon} exceeds the VAR's impulse horizon "
                            f"{market.girf.shape[0]}; refit with a longer irf_horizon")
    impact = impact or ImpactModel()
    port = None if portfolio is None else Portfolio.coerce(portfolio, market.assets)
    weights = None if port is None else port.vector(market.assets)
    evs = [Event.parse(e) for e in events]
    evs = [e for e in evs if e.asset in market.assets] if tuple(events) == DEFAULT_EVENTS else evs
    plan = make_plan(scenario, market, horizon=horizon, impact=impact, chunk_size=chunk_size,
                     keep_paths=min(keep_paths, paths), start=start, weights=weights, events=evs)
    sizes = chunk_sizes(paths, chunk_size)
    seeds = np.random.SeedSequence(seed).spawn(len(sizes))
    rows = 3 * market.k + (1 if weights is not None else 0)
    if scheduler is None and workers is None:
        acc = reduce_chunks(run_local(plan, seeds, sizes), rows, len(evs))
        backend = "local"
    else:
        from spillwatch.scenarios._dask import run_dask

        acc = reduce_chunks(run_dask(plan, seeds, sizes, scheduler=scheduler, workers=workers),
                            rows, len(evs))
        backend = f"dask ({scheduler or f'LocalCluster, {workers} workers'})"
    return ScenarioResult(scenario=scenario, market=market, impact=impact, plan=plan, acc=acc,
                          events=tuple(evs), portfolio=port, seed=seed, backend=backend)
