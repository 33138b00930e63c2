"""The shared EWMA recursion: the same bits as scipy's lfilter, without importing scipy.signal."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from scipy.signal import lfilter

from spillwatch.analytics._recursive import ewma


def _lfilter(x: np.ndarray, lam: float, start: np.ndarray | float) -> np.ndarray:
    zi = (lam * np.broadcast_to(np.asarray(start, dtype=float), x.shape[1:]))[None, ...]
    return lfilter([1.0 - lam], [1.0, -lam], x, axis=0, zi=zi)[0]


@pytest.mark.parametrize("shape", [(2_000,), (1_500, 3), (400, 4, 4), (1,), (0, 2)])
@pytest.mark.parametrize("lam", [0.5, 0.94, 0.999])
def test_ewma_is_lfilter_bit_for_bit(rng, shape, lam):
    x = rng.standard_normal(shape) ** 2 * 10.0 ** rng.integers(-6, 7)
    start = rng.random(shape[1:]) if len(shape) > 1 else 0.3
    got, want = ewma(x, lam, start=start), _lfilter(x, lam, start)
    assert got.shape == want.shape
    assert np.array_equal(got, want)


def test_a_nan_stays_in_every_later_value(rng):
    x = rng.standard_normal((300, 2))
    x[100, 1] = np.nan
    got = ewma(x, 0.94)
    assert np.isnan(got[100:, 1]).all() and not np.isnan(got[:100, 1]).any()
    assert np.array_equal(got[:, 0], _lfilter(x[:, :1], 0.94, 0.0)[:, 0])


def test_the_stress_index_does_not_import_scipy_signal(tmp_path):
    """`spillwatch stress` on a store computes its EWMA correlations without scipy.signal
    (half a second of every start of `stress` and of the monitor)."""
    from spillwatch.data.source import open_source

    db = tmp_path / "demo.duckdb"
    open_source("demo", db=db).close()
    code = ("import sys\n"
            "from spillwatch.data.source import open_source\n"
            "from spillwatch.service import Workspace, stress\n"
            f"ws = Workspace(open_source(None, db={str(db)!r}, read_only=True))\n"
            "r = stress.stress(ws)\n"
            "assert r.latest()['regime'] in ('calm', 'elevated', 'crisis')\n"
            "print('scipy.signal' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
