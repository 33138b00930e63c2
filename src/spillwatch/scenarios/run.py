"""Run the sell-off Monte Carlo: options, horizon, chunks (local or Dask), progress, result.

The default horizon covers the whole sale: the last business day of selling plus
:data:`AFTER_SALE_DAYS`. A shorter horizon is simulated only when asked for, and the result then
says how much of the sale falls inside it (:attr:`ScenarioResult.horizon_info`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

import numpy as np

from spillwatch._validation import is_int
from spillwatch.exceptions import ScenarioError
from spillwatch.scenarios._dask import run_dask
from spillwatch.scenarios._market import FittedMarket
from spillwatch.scenarios._results import ScenarioResult
from spillwatch.scenarios.impact import ImpactModel
from spillwatch.scenarios.portfolio import Portfolio, check_priceable
from spillwatch.scenarios.simulate import (
    DEFAULT_EVENTS,
    Event,
    chunk_sizes,
    make_plan,
    reduce_chunks,
    run_local,
)

#: Business days simulated after the last day of selling, by default.
AFTER_SALE_DAYS = 20
#: Longest pace of a sale, and latest start, in weeks (five years each).
MAX_WEEKS = 260.0
#: Longest horizon: the latest sale's end plus :data:`AFTER_SALE_DAYS` (about ten years).
MAX_HORIZON_DAYS = int(2 * 5 * MAX_WEEKS) + AFTER_SALE_DAYS

#: Most paths of one run: 50,000 times the default 20,000 (the command line has no cost cap, as
#: the API's; past this the chunk list alone, paths / chunk_size entries, did not fit in memory).
MAX_PATHS = 1_000_000_000
#: Most chunks of one run (``paths / chunk_size``, rounded up): MAX_PATHS at the default chunk
#: size. Each chunk has a random stream of its own, built before the first path: a million of
#: them took 0.4 GB and 5 s, and ``--paths 1000000000 --chunk-size 1`` was a MemoryError.
MAX_CHUNKS = 100_000

#: Paths per chunk by default. Each chunk has its own random stream, so the chunk size is part
#: of what makes a run's numbers: the command line and the API (which takes none) run on this
#: one, and the same seed gives the same numbers in both.
CHUNK_SIZE = 10_000

#: ``progress(done_paths, total_paths)``, called after each chunk.
Progress = Callable[[int, int], None]


class Schedule(Protocol):
    """What the engine needs of a scenario (a :class:`~.selloff.SelloffScenario` has it)."""

    @property
    def name(self) -> str: ...

    @property
    def total_usd(self) -> float: ...

    @property
    def sale_end_day(self) -> int: ...

    def sales(self, horizon: int) -> Any: ...

    def label(self) -> str: ...


def default_horizon(scenario: Schedule) -> int:
    """End of the last sale plus :data:`AFTER_SALE_DAYS` business days."""
    return int(scenario.sale_end_day) + AFTER_SALE_DAYS


def horizon_info(scenario: Schedule, horizon: int) -> dict[str, Any]:
    """How much of the sale falls within ``horizon`` business days."""
    sales = np.asarray(scenario.sales(horizon), dtype=float)
    total = float(sales.sum())
    inside = float(sales[:horizon].sum())
    return {"horizon_days": horizon, "default_horizon_days": default_horizon(scenario),
            "sale_end_day": int(scenario.sale_end_day), "sold_usd": total,
            "sold_within_horizon_usd": inside,
            "share_within_horizon": inside / total if total else 1.0,
            "covers_sale": horizon >= int(scenario.sale_end_day)}


def check_options(*, paths: Any = 1, horizon: Any = None, chunk_size: Any = 1,
                  keep_paths: Any = 0, seed: Any = 0, workers: Any = None,
                  scheduler: str | None = None) -> None:
    """Refuse a run's options that no data can make valid (:func:`simulate` checks them too).

    Called before any data are read, so that a typo is told at once: ``scenario --seed -1
    --demo`` built the demo market first (6 s) to say it.

    Raises
    ------
    ScenarioError
        An option out of its range, or ``workers`` beside a ``scheduler`` address.
    """
    for name, v, lo in (("paths", paths, 1), ("horizon", horizon, 1), ("chunk_size", chunk_size, 1),
                        ("keep_paths", keep_paths, 0), ("seed", seed, 0)):
        if (v is not None or name != "horizon") and (not is_int(v) or v < lo):
            raise ScenarioError(f"{name} must be an int >= {lo}; got {v!r}")
    if paths > MAX_PATHS:
        # --paths 99999999999999999999 was a MemoryError traceback from chunk_sizes' list
        raise ScenarioError(f"paths must be at most {MAX_PATHS:,}; got {paths}")
    chunks = -(-paths // chunk_size)
    if chunks > MAX_CHUNKS:
        # the cap on paths alone let chunk_size=1 build a billion streams (a MemoryError)
        raise ScenarioError(f"{paths:,} paths in chunks of {chunk_size:,} are {chunks:,} chunks, "
                            f"more than {MAX_CHUNKS:,}: give a chunk_size of at least "
                            f"{-(-paths // MAX_CHUNKS):,}")
    if horizon is not None and horizon > MAX_HORIZON_DAYS:
        raise ScenarioError(f"horizon must be at most {MAX_HORIZON_DAYS} business days; got "
                            f"{horizon} (a sale's pace and start are at most {MAX_WEEKS:g} "
                            "weeks each)")
    if workers is not None and (not isinstance(workers, (int, np.integer))
                                or isinstance(workers, bool) or workers < 1):
        raise ScenarioError(f"workers must be an int >= 1; got {workers!r}")
    if workers is not None and scheduler not in (None, "local"):
        # the workers were dropped without a word and the run went to the scheduler
        raise ScenarioError(f"workers ({workers}) start a local Dask cluster and scheduler "
                            f"({scheduler}) names a running one: give one of them")


def simulate(scenario: Schedule, market: FittedMarket | None = None, *, paths: int = 20_000,
             horizon: int | None = None, seed: int = 0, chunk_size: int = CHUNK_SIZE,
             impact: ImpactModel | None = None, portfolio: Any = None,
             start: str = "current", keep_paths: int = 10_000,
             events: Sequence[str] = DEFAULT_EVENTS, scheduler: str | None = None,
             workers: int | None = None, dtype: str = "float32",
             progress: Progress | None = None) -> ScenarioResult:
    """Run the sell-off Monte Carlo.

    Parameters
    ----------
    scenario : SelloffScenario
    market : FittedMarket
        From :func:`~spillwatch.scenarios.propagation.fit_market`.
    paths : int, default 20,000
    horizon : int, optional
        Business days; default: the end of the last sale plus 20 (see the module docstring).
    seed : int, default 0
    chunk_size : int, default 10,000
        Paths per chunk; bounds memory. Results depend on it (and on ``seed``), not on where
        chunks run.
    impact : ImpactModel, optional
    portfolio : Portfolio, dict or path, optional
        Positions whose P&L distribution is accumulated over all paths.
    start : {"current", "unconditional"}
        Start the GARCH variances at the as-of forecast or at their unconditional level.
    keep_paths : int, default 10,000
        Paths kept whole (fan charts, exact checks).
    events : sequence of str
        Probabilities to count, e.g. ``"btc<-20%@10d"`` (see :class:`Event`).
    scheduler : str, optional
        ``tcp://HOST:8786`` of a Dask scheduler, or ``"local"`` for a LocalCluster.
    workers : int, optional
        Workers of the LocalCluster (implies ``scheduler="local"``).
    dtype : {"float32", "float64"}
    progress : callable, optional
        ``progress(done_paths, total_paths)`` after each chunk (for a progress bar or events).

    Returns
    -------
    ScenarioResult

    Raises
    ------
    ScenarioError
        A bad option, portfolio or event.
    """
    if not isinstance(market, FittedMarket):
        raise ScenarioError("simulate needs a fitted market: fit_market(panel) or run_preset")
    check = getattr(scenario, "check_holdings", None)
    if check is not None:        # a sale on the fallback holdings is checked when it runs
        check()
    if horizon is None:
        horizon = default_horizon(scenario)
    check_options(paths=paths, horizon=horizon, chunk_size=chunk_size, keep_paths=keep_paths,
                  seed=seed, workers=workers, scheduler=scheduler)
    if start not in ("current", "unconditional"):
        raise ScenarioError(f"start must be 'current' or 'unconditional'; got {start!r}")
    if dtype not in ("float32", "float64"):
        raise ScenarioError(f"dtype must be 'float32' or 'float64'; got {dtype!r}")
    if progress is not None and not callable(progress):
        raise ScenarioError("progress must be a callable progress(done_paths, total_paths)")
    impact = impact or ImpactModel()
    port = None if portfolio is None else Portfolio.coerce(portfolio, market.assets)
    if port is not None:
        check_priceable(port.notional_usd, market.assets, ~market.is_yield, where=port.where)
    weights = None if port is None else port.vector(market.assets)
    evs = [Event.parse(e) for e in events]
    evs = [e for e in evs if e.asset in market.assets] if tuple(events) == DEFAULT_EVENTS else evs
    for e in evs:
        market.index(e.asset)
    plan = make_plan(scenario.sales(horizon), market, horizon=horizon, impact=impact,
                     chunk_size=chunk_size, keep_paths=min(keep_paths, paths), start=start,
                     weights=weights, events=evs, dtype=dtype)
    sizes = chunk_sizes(paths, chunk_size)
    seeds = np.random.SeedSequence(seed).spawn(len(sizes))
    rows = 3 * market.k + (1 if weights is not None else 0)
    if scheduler is None and workers is None:
        chunks = run_local(plan, seeds, sizes)
        backend = "local"
    else:
        chunks = run_dask(plan, seeds, sizes, scheduler=scheduler, workers=workers)
        backend = f"dask ({scheduler or f'LocalCluster, {workers} workers'})"
    if progress is not None:
        chunks = _reporting(chunks, progress, paths)
    acc = reduce_chunks(chunks, rows, len(evs))
    return ScenarioResult(scenario=scenario, market=market, impact=impact, plan=plan, acc=acc,
                          events=tuple(evs), portfolio=port, seed=seed, backend=backend,
                          horizon_info=horizon_info(scenario, horizon))


def _reporting(chunks: Any, progress: Progress, total: int) -> Any:
    done = 0
    progress(0, total)
    for c in chunks:
        done += c.n
        progress(done, total)
        yield c
