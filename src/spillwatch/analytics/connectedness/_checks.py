"""Parameter checks shared by the connectedness specs (messages say what, got, fix)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, TypeVar

from spillwatch.exceptions import ConfigError

T = TypeVar("T")


def positive_int(value: Any, *, name: str, minimum: int = 1) -> int:
    """Return ``value`` as an int ``>= minimum`` or raise :class:`ConfigError`."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ConfigError(
            f"{name} must be an int >= {minimum}, got {value!r}", parameter=name, value=value
        )
    return int(value)


def unit_interval(value: Any, *, name: str) -> float:
    """Return ``value`` as a float in (0, 1] or raise :class:`ConfigError`."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = math.nan
    if not (0.0 < v <= 1.0):
        raise ConfigError(
            f"{name} must be in (0, 1], got {value!r}; 0.99 is the usual choice",
            parameter=name,
            value=value,
        )
    return v


def choice(value: str, registry: Mapping[str, T], *, name: str) -> T:
    """Resolve a short string through a registry dict; an unknown name lists the valid ones."""
    key = str(value).lower()
    if key not in registry:
        valid = ", ".join(repr(k) for k in registry)
        raise ConfigError(
            f"unknown {name} {value!r}; choose one of: {valid}", parameter=name, value=value
        )
    return registry[key]
