"""The same seed gives identical results locally and on a 2-worker Dask LocalCluster."""

from __future__ import annotations

import numpy as np
import pytest

from spillwatch.scenarios import fit_market, preset
from spillwatch.scenarios._dask import run_dask
from spillwatch.scenarios.simulate import chunk_sizes, reduce_chunks

pytestmark = [
    pytest.mark.realdata,
    # the scheduler's HTTP server listens on 8787 unless told; the clusters here take any free
    # port (":0"), but a user's cluster elsewhere may still warn
    pytest.mark.filterwarnings("ignore:Port 8787 is already in use:UserWarning"),
]


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=":0")
    c = Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.mark.slow
def test_local_and_dask_identical(panel, client):
    market = fit_market(panel)
    sc = preset("japan-china-coordinated")
    opts = {"paths": 12_000, "seed": 42, "chunk_size": 3_000, "keep_paths": 5_000,
            "portfolio": {"ust10y": 0.6, "btc": 0.4}}
    local = sc.simulate(market, **opts)
    plan = local.plan
    sizes = chunk_sizes(12_000, 3_000)
    seeds = np.random.SeedSequence(42).spawn(len(sizes))
    acc = reduce_chunks(run_dask(plan, seeds, sizes, client=client), local.acc.hist.shape[0],
                        len(local.events))
    assert acc.n == local.paths
    assert np.array_equal(acc.hist, local.acc.hist)
    assert np.array_equal(acc.events, local.acc.events)
    assert np.array_equal(acc.totals(), local.acc.totals())        # merged in chunk order
    # the per-model moments of the models' share too
    assert np.array_equal(acc.model_moments(), local.acc.model_moments())
    kept, _imp, pn = acc.kept_arrays()
    assert np.array_equal(kept, local.kept_paths)
    assert np.array_equal(pn, local._kept[2])
    assert len(client.scheduler_info()["workers"]) == 2


def test_simulate_on_a_scheduler_address(panel, client):
    """The public ``scheduler=tcp://...`` option connects to a running cluster."""
    market = fit_market(panel)
    sc = preset("japan-intervention")
    a = sc.simulate(market, paths=4_000, seed=9, chunk_size=1_000)
    b = sc.simulate(market, paths=4_000, seed=9, chunk_size=1_000,
                    scheduler=client.scheduler.address)
    assert b.backend.startswith("dask")
    assert np.array_equal(a.acc.hist, b.acc.hist)
    assert a.probabilities.equals(b.probabilities)
