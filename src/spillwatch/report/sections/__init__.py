"""Report sections, in the order they appear.

Each module exposes ``build(ctx) -> Section | None`` and formats what the service layer
returns; no section sets up an analysis of its own. A section whose inputs the data lack raises
a :class:`~spillwatch.exceptions.DataError` naming them, which the report shows in the
section's place (``None`` only for an empty store's market and health sections).
"""

from __future__ import annotations

from collections.abc import Callable

from spillwatch.report.context import ReportContext, Section
from spillwatch.report.sections import (
    backtest,
    demand,
    events,
    health,
    market,
    risk,
    scenario,
    spillover,
    stress,
    summary,
)

Builder = Callable[[ReportContext], Section | None]

#: Section key -> builder, in page order.
#: Short names of the sections, for one that could not be computed (its builder gives the
#: full title of one that is).
NAMES: dict[str, str] = {
    "summary": "Headline", "stress": "Stress monitor", "demand": "Who is selling?",
    "backtest": "Early-warning scorecard", "market": "Markets", "spillover": "Spillover",
    "risk": "Volatility, correlation and tail risk", "events": "Event studies",
    "scenario": "Sell-off scenarios", "health": "Data health",
}

SECTIONS: dict[str, Builder] = {
    "summary": summary.build,
    "stress": stress.build,
    "demand": demand.build,
    "backtest": backtest.build,
    "market": market.build,
    "spillover": spillover.build,
    "risk": risk.build,
    "events": events.build,
    "scenario": scenario.build,
    "health": health.build,
}
