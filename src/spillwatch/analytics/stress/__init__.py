"""The stress monitor: early-warning signals, the yield–dollar signature, a composite index.

Front door::

    import spillwatch as sw
    res = sw.stress("../shared/data")          # or a changes panel, or "demo"
    res.latest()                               # today's level, percentile, regime, signature
    res.frame                                  # one row per date (what `spillwatch stress` writes)
    res.table()                                # today's signals with traffic lights

Modules: :mod:`.signals` (the daily signals), :mod:`.signature` (sell America / dash for cash /
flight to quality), :mod:`.index` (recursive ECDF and CISS aggregation), :mod:`.regimes`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from spillwatch.analytics.stress._results import StressResult
from spillwatch.analytics.stress.index import (
    FRAME_COLUMNS,
    HEAD_COLUMNS,
    INDICATORS,
    PERCENTILE,
    REGIME,
    SIGNATURE,
    STRESS,
    SUBINDEX_COLUMNS,
    StressIndex,
    compute,
    recursive_ecdf,
)
from spillwatch.analytics.stress.regimes import Regime, classify_regimes
from spillwatch.analytics.stress.signals import (
    SIGNAL_COLUMNS,
    STRESS_ASSETS,
    USD_BROAD_CHG5_PCT,
    UST10Y_CHG5_BP,
    compute_signals,
)
from spillwatch.analytics.stress.signature import Signature, classify

__all__ = [
    "FRAME_COLUMNS",
    "HEAD_COLUMNS",
    "INDICATORS",
    "PERCENTILE",
    "REGIME",
    "SIGNAL_COLUMNS",
    "SIGNATURE",
    "STRESS",
    "STRESS_ASSETS",
    "SUBINDEX_COLUMNS",
    "USD_BROAD_CHG5_PCT",
    "UST10Y_CHG5_BP",
    "Regime",
    "Signature",
    "StressIndex",
    "StressResult",
    "classify",
    "classify_regimes",
    "compute",
    "compute_signals",
    "load_inputs",
    "recursive_ecdf",
    "stress",
]


def load_inputs(source: object, *, start: object = None, end: object = None,
                assets: Sequence[str] = STRESS_ASSETS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Load the changes and levels panels the monitor reads from a source.

    Parameters
    ----------
    source : "demo", path, Store or MarketSource
        As :func:`spillwatch.load`.
    start, end : date-like, optional
    assets : sequence of str
        Asset keys to use (those the source has); default :data:`STRESS_ASSETS`.

    Returns
    -------
    (changes, levels) : tuple of DataFrame
    """
    from spillwatch.data.panel import resolve_sources
    from spillwatch.data.source import open_source

    src = open_source(source)
    try:
        have = list(resolve_sources(src.store, list(assets), explicit=False))
        changes = src.panel(assets=have, start=start, end=end, transform="changes")
        levels = src.panel(assets=have, start=start, end=end, transform="levels")
    finally:
        src.close()
    return changes, levels.reindex(changes.index)


def stress(data: Any, *, levels: pd.DataFrame | None = None, start: object = None,
           end: object = None, **options: Any) -> StressResult:
    """Run the stress monitor on a panel of changes or on a market-data source.

    Parameters
    ----------
    data : DataFrame, "demo", path, Store or MarketSource
        A panel of daily changes (``sw.load(...)``), or a source to load the changes and levels
        of :data:`STRESS_ASSETS` from.
    levels : DataFrame, optional
        Levels panel when ``data`` is a changes panel (enables the VIX, MOVE and term-premium
        levels).
    start, end : date-like, optional
        Cut of the data loaded from a source. The index is recursive, so a later ``start``
        changes the history it ranks against.
    **options
        Parameters of :class:`StressIndex` (``horizon``, ``window``, ``burn_in``, ``lam``,
        ``thresholds``, ...).

    Returns
    -------
    StressResult

    Examples
    --------
    >>> import spillwatch as sw
    >>> res = sw.stress("demo")
    >>> sorted(res.latest())[:4]
    ['date', 'percentile', 'regime', 'signals']
    """
    if isinstance(data, pd.DataFrame):
        return compute(data, levels, **options)
    changes, lv = load_inputs(data, start=start, end=end)
    return compute(changes, lv, **options)
