"""Dask distributed backend of the Monte Carlo (dask is imported lazily, only here).

The plan is scattered once to every worker; chunks are mapped with their own
``SeedSequence`` children and merged as they complete. Because a chunk's random numbers depend
only on the seed, the chunk size and the chunk's index, the result equals the local run's.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from spillwatch._validation import is_int
from spillwatch.exceptions import ConfigError, ScenarioError
from spillwatch.scenarios.simulate import ChunkSummary, Plan, simulate_chunk


def _client(scheduler: str | None, workers: int | None) -> tuple[Any, Any]:
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - dask is a dependency, but fail politely
        raise ConfigError("the Dask backend needs dask[distributed]: "
                          "pip install 'dask[distributed]'") from None
    if scheduler is not None and scheduler != "local":
        if not scheduler.startswith(("tcp://", "tls://", "inproc://", "ucx://")):
            raise ScenarioError(f"scheduler must be an address like tcp://HOST:8786 or 'local'; "
                                f"got {scheduler!r}")
        return Client(scheduler, timeout="10s"), None
    n = workers or 2
    if not is_int(n) or n < 1:
        raise ScenarioError(f"workers must be a positive int; got {workers!r}")
    # the scheduler's HTTP server listens even without a dashboard, on 8787 unless told: a
    # second cluster (another process, a test worker) then failed over and left its socket
    # unclosed (a ResourceWarning that failed a test); any free port instead
    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                           dashboard_address=":0")
    return Client(cluster), cluster


def run_dask(plan: Plan, seeds: Sequence[np.random.SeedSequence], sizes: Sequence[int], *,
             scheduler: str | None = None, workers: int | None = None,
             client: Any = None) -> Iterator[ChunkSummary]:
    """Run the chunks on Dask and yield their summaries as they complete.

    Parameters
    ----------
    plan : Plan
    seeds, sizes : sequences
        One seed and one path count per chunk.
    scheduler : str, optional
        ``tcp://HOST:8786``, or ``None``/``"local"`` for a LocalCluster of ``workers`` processes.
    workers : int, optional
    client : distributed.Client, optional
        An existing client (then neither is created nor closed here).
    """
    from distributed import as_completed

    own = client is None
    cluster = None
    if own:
        client, cluster = _client(scheduler, workers)
    try:
        # hash=False: a unique key per run, so releasing an earlier run cannot drop this one
        [plan_f] = client.scatter([plan], broadcast=True, hash=False)
        futures = client.map(simulate_chunk, [plan_f] * len(sizes), list(range(len(sizes))),
                             list(sizes), list(seeds), pure=False)
        for fut in as_completed(futures):
            yield fut.result()
            fut.release()
    finally:
        if own:
            client.close()
            if cluster is not None:
                cluster.close()
