"""The stress monitor: early-warning signals, the yield–dollar signature, a composite index.

Front door::

    import spillwatch as sw
    res = sw.stress("../shared/data")          # or a changes panel, or "demo"
    res.latest()                               # the last published reading: level, percentile,
                                               # regime, signature, stale/missing inputs
    res.frame                                  # one row per date (what `spillwatch stress` writes)
    res.table()                                # today's signals with traffic lights
    res.fact_states()                          # available / stale / missing, for rule facts

Modules: :mod:`.inputs` (staleness of every input), :mod:`.signals` (the daily signals),
:mod:`.signature` (sell America / dash for cash / flight to quality), :mod:`.index` (recursive
ECDF and CISS aggregation, consistent-composition percentile), :mod:`.regimes`.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import pandas as pd

from spillwatch._validation import date_window, naive_index
from spillwatch.analytics.stress._columns import (
    AVAILABLE,
    FACT_STATES,
    FRAME_COLUMNS,
    FRESH,
    HEAD_COLUMNS,
    INPUT_STATES,
    MISSING,
    PERCENTILE,
    REGIME,
    SIGNAL_COLUMNS,
    SIGNATURE,
    SIGNATURE_5D,
    STALE,
    STALE_INPUTS,
    STRESS,
    SUBINDEX_COLUMNS,
    USD_BROAD_CHG5_PCT,
    UST10Y_CHG5_BP,
)
from spillwatch.analytics.stress._ecdf import recursive_ecdf, weighted_ecdf
from spillwatch.analytics.stress._results import StressResult, signature_text
from spillwatch.analytics.stress.index import INDICATORS, StressIndex, compute
from spillwatch.analytics.stress.inputs import STRESS_ASSETS, InputPanel
from spillwatch.analytics.stress.regimes import Regime, classify_regimes, hold_regimes
from spillwatch.analytics.stress.signals import compute_signals
from spillwatch.analytics.stress.signature import Signature, classify, classify_week

__all__ = [
    "AVAILABLE",
    "FACT_STATES",
    "FRAME_COLUMNS",
    "FRESH",
    "HEAD_COLUMNS",
    "INDICATORS",
    "INPUT_STATES",
    "MISSING",
    "PERCENTILE",
    "REGIME",
    "SIGNAL_COLUMNS",
    "SIGNATURE",
    "SIGNATURE_5D",
    "STALE",
    "STALE_INPUTS",
    "STRESS",
    "STRESS_ASSETS",
    "SUBINDEX_COLUMNS",
    "USD_BROAD_CHG5_PCT",
    "UST10Y_CHG5_BP",
    "InputPanel",
    "Regime",
    "Signature",
    "StressIndex",
    "StressResult",
    "classify",
    "classify_regimes",
    "classify_week",
    "compute",
    "compute_signals",
    "hold_regimes",
    "load_inputs",
    "recursive_ecdf",
    "signature_text",
    "stress",
    "weighted_ecdf",
]


def load_inputs(source: object, *, start: object = None, end: object = None,
                assets: Sequence[str] = STRESS_ASSETS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Load the changes and levels panels the monitor reads from a source.

    The yields are spliced from FRED (H.15) and the Treasury's own par curve: on a date FRED has
    not published yet, the par curve's value is used (see :data:`spillwatch.universe.ASSETS`).

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
        Levels panel when ``data`` is a changes panel (observation dates of daily inputs; the
        VIX, MOVE, spreads and term premium; the prices behind the drawdowns).
    start, end : date-like, optional
        Cut of the data (loaded from a source, or of the panels given). The index is
        recursive, so a later ``start`` changes the history it ranks against.
    **options
        Parameters of :class:`StressIndex` (``horizon``, ``window``, ``burn_in``, ``lam``,
        ``weights``, ``half_life``, ``thresholds``, ``require``, ...).

    Returns
    -------
    StressResult

    Examples
    --------
    >>> import spillwatch as sw
    >>> res = sw.stress("demo")
    >>> sorted(res.latest())[:4]
    ['age_days', 'as_of', 'date', 'fresh']
    """
    lo, hi = date_window(start, end)
    if isinstance(data, pd.DataFrame):
        data = naive_index(data).loc[lo:hi]   # a zone-aware index: its own days
        if levels is not None:
            levels = naive_index(levels).loc[lo:hi]
        if levels is None:
            # the README's own `sw.stress(panel)` read 0.0485 (percentile 7) where the monitor
            # read 0.0560 (11), and another regime on 797 of 2,233 days, without a word; the
            # levels this advised, sw.load(db, transform="levels", ...) with sw.load's
            # changes, are on the US markets' days, not the monitor's (299 holidays on which
            # MOVE, credit spreads or the yen print): another regime on 56 days since 1973
            warnings.warn(
                "stress(panel) without levels leaves out the inputs read in levels (the credit "
                "spreads, custody, the term premium, the VIX and MOVE levels, the drawdowns): "
                "pass the source (sw.stress(db) or sw.stress('demo')) for the monitor's index, "
                "or the changes and levels of spillwatch.analytics.stress.load_inputs(db) (the "
                "monitor's days: every weekday one of its inputs reports; sw.load's US-market "
                "days give another index)", UserWarning, stacklevel=2)
        return compute(data, levels, **options)
    changes, lv = load_inputs(data, start=start, end=end)
    return compute(changes, lv, **options)
