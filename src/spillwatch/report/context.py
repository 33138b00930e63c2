"""What report sections (and the dashboard) read: the source, its panels, and a shared cache."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd

from spillwatch import universe
from spillwatch.data.source import MarketSource


@dataclass
class Section:
    """One section of the report.

    Attributes
    ----------
    key : str
        Anchor id (``"market"``).
    title : str
    figures : list
        plotly figures, drawn in order.
    html : str
        Extra HTML (tables, notes) placed after the figures.
    summary : dict
        JSON-safe headline numbers (shown by ``spillwatch run`` and ``--json``).
    """

    key: str
    title: str
    figures: list[Any] = field(default_factory=list)
    html: str = ""
    summary: dict[str, Any] = field(default_factory=dict)
    intro: str = ""


@dataclass
class ReportContext:
    """Inputs shared by the sections: the open source, its panels and a compute-once cache."""

    source: MarketSource
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def simulated(self) -> bool:
        """Whether the data are the simulated demo market."""
        return self.source.simulated

    @property
    def label(self) -> str:
        """Where the data come from."""
        return self.source.label

    @cached_property
    def levels(self) -> pd.DataFrame:
        """Levels of the watch list plus the curve tenors (those the source has)."""
        keys = list(dict.fromkeys([*universe.WATCHLIST, *universe.CURVE_TENORS]))
        return self._optional(keys, "levels")

    @cached_property
    def changes(self) -> pd.DataFrame:
        """Changes of the watch list (units in the column names)."""
        return self.source.panel(transform="changes")

    def _optional(self, keys: list[str], transform: str) -> pd.DataFrame:
        from spillwatch.data.panel import resolve_sources

        have = list(resolve_sources(self.source.store, keys, explicit=False))
        if not have:
            return pd.DataFrame()
        return self.source.panel(assets=have, transform=transform)

    def panel(self, assets: list[str], transform: str = "changes") -> pd.DataFrame:
        """Panel of the given assets (those the source has)."""
        return self._optional(assets, transform)

    @cached_property
    def health(self) -> pd.DataFrame:
        """Per-series data health from the store."""
        return self.source.store.health()

    @property
    def as_of(self) -> pd.Timestamp | None:
        """Last date on which at least half of the panel's series have a value."""
        lv = self.levels
        if lv.empty:
            return None
        filled = lv.notna().sum(axis=1) >= max(1, lv.notna().any().sum() // 2)
        return lv.index[filled][-1] if filled.any() else lv.dropna(how="all").index[-1]

    def memo(self, key: str, fn: Callable[[], Any]) -> Any:
        """Compute ``fn()`` once per report and share it between sections."""
        if key not in self.cache:
            self.cache[key] = fn()
        return self.cache[key]
