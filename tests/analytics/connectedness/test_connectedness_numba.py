"""The optional-numba shim (spillwatch._compat.numba) used by the connectedness kernels.

The fallback without numba installed is tested in a fresh interpreter in test_connectedness_tvp
(``test_numba_switch_and_missing_numba_fallback``); here: the switch, the decorator forms and a
kernel calling another kernel.
"""

from __future__ import annotations

import numpy as np
import pytest

from spillwatch._compat import numba as nb


def _double_python(x):
    return 2.0 * x


double = nb.jit(_double_python)


def _twice_double_python(x):
    return double(x) + double(x)


twice_double = nb.jit(_twice_double_python)


@nb.jit(cache=False)
def _summed(a):
    total = 0.0
    for v in a:
        total += v
    return total


@pytest.mark.parametrize(("value", "off"), [("1", True), ("true", True), ("YES", True),
                                             ("0", False), ("", False), ("no", False)])
def test_disable_switch_reads_the_environment(monkeypatch, value, off):
    monkeypatch.setenv(nb.DISABLE_ENV, value)
    assert nb.disabled_by_env() is off
    assert nb.enabled() is (not off)


def test_kernels_compile_and_fall_back(monkeypatch):
    assert twice_double.py_func is _twice_double_python
    assert twice_double(1.5) == 6.0  # compiled, calling the compiled `double`
    assert twice_double.compiled() is not None
    assert _summed(np.arange(4.0)) == 6.0  # the decorator form with options
    assert _summed.options["cache"] is False and _summed.options["nogil"] is True
    monkeypatch.setenv(nb.DISABLE_ENV, "1")
    assert twice_double.compiled() is None
    assert twice_double(1.5) == 6.0  # plain Python now


def test_a_kernel_numba_cannot_cache_still_compiles_in_memory():
    # a read-only install with an unwritable HOME: numba has nowhere to cache, njit(cache=True)
    # raised "cannot cache function", and the monitor's spillover facts were "not evaluated"
    import warnings

    from spillwatch.exceptions import PerformanceWarning

    pytest.importorskip("numba")
    namespace: dict = {}
    exec(compile("def twice(x):\n    return x * 2.0\n", "<no file to cache next to>", "exec"),
         namespace)
    kernel = nb.jit(namespace["twice"])
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        out = kernel(np.arange(3.0))
    assert out.tolist() == [0.0, 2.0, 4.0]
    assert kernel.compiled() is not None           # compiled, in memory
    assert any(issubclass(w.category, PerformanceWarning) and "cannot cache" in str(w.message)
               for w in seen)
