"""Optional numba: ``jit`` compiles a kernel when numba is there and falls back to Python if not.

The pattern is arch's (``arch.compat.numba``): a kernel is written once as plain Python/numpy
(``kernel_python``) and bound as ``kernel = jit(kernel_python)``. Calling ``kernel`` compiles it
with ``numba.njit`` on first use (numba is imported then, not when spillwatch is imported, so
``import spillwatch`` stays fast); ``kernel.py_func`` is always the plain version, which the tests
run against the compiled one.

* ``SPILLWATCH_DISABLE_NUMBA=1`` (read at the first call of each kernel) turns compilation off on
  purpose: the plain version runs and no warning is given.
* When numba is not installed, the plain version runs and a :class:`PerformanceWarning` says so,
  once per process, with the install line.

:func:`enabled` tells a caller which path it will get, for code that has a better fallback than
running a kernel in plain Python (the rolling DY path falls back to batched numpy, not to a
Python loop over windows).
"""

from __future__ import annotations

import importlib
import os
import types
import warnings
from collections.abc import Callable
from typing import Any

from spillwatch.exceptions import PerformanceWarning

#: environment variable that turns numba off when set to 1/true/yes
DISABLE_ENV = "SPILLWATCH_DISABLE_NUMBA"

_STATE: dict[str, Any] = {"module": None, "checked": False, "warned": False}


def disabled_by_env() -> bool:
    """Whether :data:`DISABLE_ENV` asks for the plain Python kernels."""
    return os.environ.get(DISABLE_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def _numba() -> Any:
    """The numba module, or None when it is not installed (imported once)."""
    if not _STATE["checked"]:
        _STATE["checked"] = True
        try:
            _STATE["module"] = importlib.import_module("numba")
        except ImportError:
            _STATE["module"] = None
    return _STATE["module"]


def enabled(what: str = "this computation") -> bool:
    """Whether compiled kernels are used now; warn once when numba is missing (not disabled).

    Parameters
    ----------
    what : str
        Named in the :class:`PerformanceWarning`.
    """
    if disabled_by_env():
        return False
    if _numba() is None:
        if not _STATE["warned"]:
            _STATE["warned"] = True
            warnings.warn(
                f"numba is not installed, so {what} runs on plain numpy (several times slower); "
                "`pip install numba` to speed it up, or set SPILLWATCH_DISABLE_NUMBA=1 to "
                "silence this",
                PerformanceWarning,
                stacklevel=3,
            )
        return False
    return True


class Kernel:
    """A kernel compiled on first call (see the module docstring).

    Attributes
    ----------
    py_func : callable
        The plain Python/numpy version.
    """

    def __init__(self, py_func: Callable[..., Any], options: dict[str, Any]) -> None:
        self.py_func = py_func
        self.options = options
        self._compiled: Callable[..., Any] | None = None
        self.__name__ = getattr(py_func, "__name__", "kernel")
        self.__doc__ = py_func.__doc__

    def compiled(self) -> Callable[..., Any] | None:
        """The numba dispatcher (compiling on first use), or None when numba is off/missing."""
        if not enabled(f"{self.__name__}"):
            return None
        if self._compiled is None:
            func = self._with_compiled_callees()
            try:
                self._compiled = _numba().njit(**self.options)(func)
            except RuntimeError as exc:
                if not self.options.get("cache") or "cannot cache" not in str(exc):
                    raise
                # no writable place for numba's cache (a read-only install and HOME): compile
                # in memory each run rather than lose the analysis ("spillover not evaluated")
                warnings.warn(f"numba cannot cache {self.__name__} ({exc}); compiling it "
                              "in memory (set NUMBA_CACHE_DIR to a writable folder to keep "
                              "the compiled code)", PerformanceWarning, stacklevel=2)
                self._compiled = _numba().njit(**{**self.options, "cache": False})(func)
        return self._compiled

    def _with_compiled_callees(self) -> Callable[..., Any]:
        """``py_func`` whose calls to other kernels go to their compiled versions."""
        func = self.py_func
        names = func.__code__.co_names
        glb = func.__globals__
        if not any(isinstance(glb.get(n), Kernel) for n in names):
            return func
        patched = dict(glb)
        for name in names:
            value = glb.get(name)
            if isinstance(value, Kernel):
                patched[name] = value.compiled()
        clone = types.FunctionType(func.__code__, patched, func.__name__, func.__defaults__,
                                   func.__closure__)
        clone.__module__ = func.__module__
        clone.__qualname__ = func.__qualname__
        clone.__doc__ = func.__doc__
        return clone

    def __call__(self, *args: Any) -> Any:
        fast = self.compiled()
        return (fast or self.py_func)(*args)


def jit(func: Callable[..., Any] | None = None, **options: Any) -> Any:
    """Bind a kernel: ``jit(f)`` or ``@jit(cache=True)``; defaults ``cache=True, nogil=True``.

    Returns
    -------
    Kernel
        Calls the compiled version when numba is usable, else ``func`` itself.
    """
    opts = {"cache": True, "nogil": True, **options}

    def wrap(f: Callable[..., Any]) -> Kernel:
        return Kernel(f, opts)

    return wrap(func) if func is not None else wrap
