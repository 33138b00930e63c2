"""Report sections, in the order they appear.

Each module exposes ``build(ctx) -> Section | None`` (``None`` when its data are absent).
"""

from __future__ import annotations

SECTION_MODULES: list[str] = [
    "spillwatch.report.sections.stress",
    "spillwatch.report.sections.market",
    "spillwatch.report.sections.spillover",
    "spillwatch.report.sections.risk",
    "spillwatch.report.sections.events",
    "spillwatch.report.sections.scenario",
    "spillwatch.report.sections.health",
]
