"""Results kept in the process by their inputs.

A thread-safe, bounded map (the least recently asked dropped first). The pure fits whose
inputs a key can name in full (a series' dates and values, a panel's, the spec) keep their
results here, so that a workspace opened again on the same data (the server's views after a
revision of another series, a notebook's second load) computes nothing it has computed
before. A kept value is handed to every caller: read it, do not change it.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Generic, TypeVar

import pandas as pd

T = TypeVar("T")


class Kept(Generic[T]):
    """The last ``size`` values computed by :meth:`get`, by key.

    Examples
    --------
    >>> kept = Kept(2)
    >>> kept.get("a", lambda: 1), kept.get("a", lambda: 2), len(kept)
    (1, 1, 1)
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, T] = OrderedDict()
        self._guard = threading.Lock()

    def __len__(self) -> int:
        return len(self._values)

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value kept under ``key``, else ``compute()``, kept.

        Two threads asking a new key at once may both compute it (the same value; the later
        one is kept).
        """
        with self._guard:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = compute()
        with self._guard:
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value


def fingerprint(*values: object) -> bytes:
    """A key naming ``values`` in full, for :class:`Kept`.

    A series or frame by its rows' hashes in order (values and dates) with its type, length,
    columns or name, dtypes, index dtype and attrs; a mapping by its items in key order;
    anything else by its ``repr``.

    Raises
    ------
    TypeError
        When a cell cannot be hashed (a list in an object column).
    """
    h = hashlib.blake2b(digest_size=20)

    def add(value: object) -> None:
        if isinstance(value, pd.Series | pd.DataFrame):
            h.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
            frame = isinstance(value, pd.DataFrame)
            h.update(repr((type(value).__name__, len(value),
                           list(value.columns) if frame else value.name,
                           value.dtypes.to_dict() if frame else value.dtype,
                           value.index.dtype, sorted(value.attrs.items(), key=str))).encode())
        elif isinstance(value, Mapping):
            for k in sorted(value, key=str):
                h.update(repr(k).encode())
                add(value[k])
        else:
            h.update(repr(value).encode())
        h.update(b"|")

    for value in values:
        add(value)
    return h.digest()
