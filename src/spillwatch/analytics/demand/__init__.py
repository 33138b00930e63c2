"""Who is selling? The foreign-demand monitor for Treasuries.

Evidence of foreign selling that is public and faster than TIC: the Fed's custody holdings for
foreign official accounts (weekly), Japan's residents' weekly flows into foreign bonds and MOF's
FX interventions, demand at Treasury auctions, China's reserves, and the hedged yield pick-up
that decides whether Japanese investors keep Treasuries. Every signal is dated by its
publication, so a replay sees only what was out.

Front door::

    from spillwatch.analytics.demand import DemandInputs, demand
    inputs = DemandInputs(custody=wmtsecl1, mof_weekly=mof, interventions=ops, auctions=auc,
                          ust10y=dgs10, jgb10y=jgb, sofr=sofr, tona=tona, ...)
    res = demand(inputs)            # DemandResult
    res.latest()                    # gauge, percentile, attribution, signals, inputs' dates
    res.frame                       # one row per business day, and a weekend ``end``'s own
    res.auctions                    # one row per auction with the weak/strong flags
    sell_america_check(stress_result.signature, res).episodes()

Modules: :mod:`.inputs` (the input container), :mod:`.custody`, :mod:`.japan`,
:mod:`.auctions`, :mod:`.hedging`, :mod:`.reserves` (the signals of each source),
:mod:`.signals` (the daily as-of calendar), :mod:`.gauge` (the gauge and attribution),
:mod:`.verdict` (sell America: foreign selling or other news), :mod:`.facts` (alert facts and
the scenario comparison).
"""

from __future__ import annotations

from typing import Any

from spillwatch.analytics.demand._columns import (
    FRAME_COLUMNS,
    GROUP_LABELS,
    GROUP_NAMES,
    GROUPS,
    HEAD_COLUMNS,
    SHARE_COLUMNS,
    TAIL_COLUMNS,
)
from spillwatch.analytics.demand._results import DemandResult
from spillwatch.analytics.demand.facts import (
    DEFAULT_RULES,
    FACTS,
    GAUGE_FACTS,
    compare_with_scenario,
    custody_share_of_sale,
    demand_fact_dates,
    demand_facts,
    missing_before,
    observed_selling,
    unpublished_facts,
    unscored_facts,
)
from spillwatch.analytics.demand.gauge import DemandGauge, compute
from spillwatch.analytics.demand.inputs import DEFAULT_SERIES_IDS, DemandInputs
from spillwatch.analytics.demand.signals import SIGNAL_COLUMNS, SignalOptions
from spillwatch.analytics.demand.verdict import SellAmericaCheck, Verdict, sell_america_check

__all__ = [
    "DEFAULT_RULES",
    "DEFAULT_SERIES_IDS",
    "FACTS",
    "FRAME_COLUMNS",
    "GAUGE_FACTS",
    "GROUPS",
    "GROUP_LABELS",
    "GROUP_NAMES",
    "HEAD_COLUMNS",
    "SHARE_COLUMNS",
    "SIGNAL_COLUMNS",
    "TAIL_COLUMNS",
    "DemandGauge",
    "DemandInputs",
    "DemandResult",
    "SellAmericaCheck",
    "SignalOptions",
    "Verdict",
    "compare_with_scenario",
    "compute",
    "custody_share_of_sale",
    "demand",
    "demand_fact_dates",
    "demand_facts",
    "missing_before",
    "observed_selling",
    "sell_america_check",
    "unpublished_facts",
    "unscored_facts",
]


def demand(inputs: DemandInputs, *, end: object = None, **options: Any) -> DemandResult:
    """Run the foreign-demand monitor on its inputs.

    Parameters
    ----------
    inputs : DemandInputs
        The sources (any subset; a missing one makes its signals unavailable, never zero).
    end : date-like, optional
        Last day of the result (default: the last release of any input); the service passes
        today (or a replay its date). A weekend ``end`` is a row of its own after Friday's,
        each input judged fresh or stale on it.
    **options
        Parameters of :class:`DemandGauge` (``weights``, ``min_groups``, ``burn_in``,
        ``signals=SignalOptions(...)``, ...).

    Returns
    -------
    DemandResult

    Examples
    --------
    >>> import pandas as pd
    >>> from spillwatch.analytics.demand import DemandInputs, demand
    >>> custody = pd.Series([3.0e6, 2.9e6], index=pd.to_datetime(["2025-04-02", "2025-04-09"]))
    >>> res = demand(DemandInputs(custody=custody))
    >>> res.frame.loc["2025-04-10", "custody_chg1_usd_bn"]
    np.float64(-100.0)
    """
    return compute(inputs, end=end, **options)
