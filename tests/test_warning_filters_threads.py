"""Fits run side by side in threads leave the process's warning filters as they found them.

``warnings.catch_warnings`` saves the process's one filter list on entry and puts it back on
exit; two blocks in two threads that do not close in the reverse order of their opening leave
the filters of the one that closed first in place for good. The server runs scenarios beside
its view builds: after one burst of requests (scenario runs and dated risk views side by side,
on ../shared/data) the process kept ``('ignore', None, Warning)`` at the head of its filters,
so every warning of every library was dropped for the rest of its life.
"""

from __future__ import annotations

import threading
import warnings

import numpy as np
from arch.univariate.base import ARCHModel

from spillwatch.scenarios._vtgarch import fit_margin


def _garch(seed: int, n: int = 1500) -> np.ndarray:
    rng = np.random.default_rng(seed)
    e = rng.standard_t(6, n) * np.sqrt(4 / 6)
    y, h = np.empty(n), 1.0
    for t in range(n):
        y[t] = np.sqrt(h) * e[t]
        h = 0.05 + 0.08 * y[t] ** 2 + 0.9 * h
    return y


def test_fits_in_two_threads_leave_the_warning_filters_alone(monkeypatch):
    """The first thread's fit opens its block, the second's opens another, the first closes
    and leaves, then the second closes: the second put back the list it found, the first's
    ``ignore`` included. A fit now waits for the other's block to close (up to a second here:
    the first waits that long for the second to enter, which it no longer can)."""
    first_in, second_in, first_done = threading.Event(), threading.Event(), threading.Event()
    fit = ARCHModel.fit
    called: set[str] = set()

    def paced(self, *args, **kwargs):
        name = threading.current_thread().name
        if name not in called:           # the first fit of each thread is paced
            called.add(name)
            if name == "first":
                first_in.set()
                second_in.wait(1)
            else:
                second_in.set()
                first_done.wait(10)
        return fit(self, *args, **kwargs)

    monkeypatch.setattr(ARCHModel, "fit", paced)
    before = list(warnings.filters)
    errors: list[BaseException] = []

    def run(name: str) -> None:
        try:
            if name == "second":
                first_in.wait(10)
            fit_margin(_garch(1 if name == "first" else 2))
        except BaseException as exc:    # pragma: no cover - reported below
            errors.append(exc)
        finally:
            if name == "first":
                first_done.set()

    threads = [threading.Thread(target=run, args=(n,), name=n) for n in ("first", "second")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    assert called == {"first", "second"}
    # before: ('ignore', None, Warning, None, 0) stayed at the head of the list
    assert warnings.filters == before


def test_a_block_inside_another_of_the_same_thread_records():
    """A block inside another in one thread (a demand fit inside a view's) does not wait for
    itself, and a recording block gets its own warnings."""
    from spillwatch._compat.warns import catch_warnings

    with catch_warnings(), catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.warn("inner", UserWarning, stacklevel=1)
    assert [str(w.message) for w in caught or []] == ["inner"]
