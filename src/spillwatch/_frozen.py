"""Read-only metadata that pandas can carry in ``DataFrame.attrs`` without copying it.

pandas deep-copies ``attrs`` on every operation that makes a new frame or series
(``NDFrame.__finalize__``): a panel's per-column sampling table, its sources and its assets were
copied tens of thousands of times in one report (about a tenth of its time). Metadata that cannot
change need not be copied: :func:`freeze` turns dicts into :class:`FrozenMap`, lists into tuples
and arrays into read-only arrays, and a :class:`FrozenMap` deep-copies to itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np


class FrozenMap(Mapping[Any, Any]):
    """An immutable mapping whose ``copy.deepcopy`` is itself (see the module docstring).

    Examples
    --------
    >>> import copy
    >>> m = freeze({"a": [1, 2], "b": {"c": 3}})
    >>> copy.deepcopy(m) is m, m["a"], m["b"]["c"]
    (True, (1, 2), 3)
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[Any, Any]) -> None:
        self._data = {k: freeze(v) for k, v in data.items()}

    def __getitem__(self, key: Any) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def __copy__(self) -> FrozenMap:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> FrozenMap:
        return self


def freeze(value: Any) -> Any:
    """``value`` with every dict made a :class:`FrozenMap`, list a tuple, array read-only."""
    if isinstance(value, FrozenMap):
        return value
    if isinstance(value, Mapping):
        return FrozenMap(value)
    if isinstance(value, (list, tuple)):
        return tuple(freeze(v) for v in value)
    if isinstance(value, np.ndarray):
        out = value.view()
        out.flags.writeable = False
        return out
    return value
