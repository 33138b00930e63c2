"""Scenario section: 'Japan sells, China follows' — the presets side by side, fans, a book's P&L."""

from __future__ import annotations

import html

import pandas as pd

from spillwatch.plotting import scenario as figs
from spillwatch.report.context import ReportContext, Section
from spillwatch.report.format import table_html
from spillwatch.service import scenarios as service

INTRO = ("Yield impact from Beltran et al. (2013) with parameter uncertainty; other assets follow "
         "the 10-year through betas and a Student-t copula on GARCH residuals.")


def build(ctx: ReportContext) -> Section | None:
    """Build the scenario section (``None`` when the data lack the 10-year yield)."""
    ws = ctx.workspace
    if "ust10y" not in ws.have(["ust10y"]):
        return None
    ps = service.presets(ws)
    res = ps.results
    both, alone = res["japan-china-coordinated"], res["japan alone"]
    side = pd.DataFrame({"Japan alone": alone.portfolio().quantiles(),
                         "Japan + China": both.portfolio().quantiles()})
    figures = [
        figs.impact_chart(both.impact_fan(), title=both.scenario.label(),
                          simulated=ctx.simulated),
        figs.side_by_side(side, title="Book P&L quantiles: Japan alone vs Japan + China (USD)",
                          unit="P&L (USD)", simulated=ctx.simulated),
        figs.fan_chart({k: both.fan(k) for k in service.FAN_ASSETS if k in both.market.assets},
                       title=both.scenario.label(),
                       units={k: "bp" if k.startswith("ust") else "%"
                              for k in service.FAN_ASSETS},
                       simulated=ctx.simulated),
    ]
    book = ", ".join(f"{k} {v:.0%}" for k, v in ps.book.items())
    text = (f"<p>{ps.paths:,} paths × {both.horizon} business days per scenario, seed {ps.seed}; "
            f"{both.market.method} with GARCH margins fitted on {both.market.info['sample'][0]} "
            f"to {both.market.info['sample'][1]}; holdings: {html.escape(ps.holdings_label)}. "
            f"Book of $1m: {html.escape(book)}.</p>")
    return Section("scenario", "Sell-off scenarios: Japan sells, China follows",
                   figures=figures, html=text + table_html(ps.table(), "{:,.3f}"),
                   summary=ps.summary_dict(), intro=INTRO)
