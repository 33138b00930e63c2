"""Scenario section: 'Japan sells, China follows' — the presets side by side, fans, a book's P&L."""

from __future__ import annotations

import html
import logging
from typing import Any

import pandas as pd

from spillwatch.exceptions import SpillwatchError
from spillwatch.plotting import scenario as figs
from spillwatch.report.context import ReportContext, Section

logger = logging.getLogger(__name__)

#: The illustrative book the report prices (weights of $1m; assets the data lack are dropped).
REPORT_BOOK: dict[str, float] = {"ust10y": 0.4, "spx": 0.3, "gold": 0.1, "btc": 0.1, "eth": 0.05,
                                 "trump": 0.05}
PATHS = 20_000
SEED = 7
FAN_ASSETS = ("ust10y", "usd_broad", "spx", "btc", "eth", "trump")


def _run(ctx: ReportContext) -> dict[str, Any] | None:
    from spillwatch.scenarios import (
        DEFAULT_ASSETS,
        PRESETS,
        fit_market,
        holdings_from_source,
        preset,
    )

    panel = ctx.panel(list(DEFAULT_ASSETS))
    if panel.empty or "ust10y_bp" not in panel:
        return None
    market = fit_market(panel)
    market.info["simulated"] = ctx.simulated
    held, label = holdings_from_source(ctx.source)
    book = {k: v for k, v in REPORT_BOOK.items() if k in market.assets}
    results = {}
    for name in PRESETS:
        sc = preset(name, held, label)
        results[name] = sc.simulate(market, paths=PATHS, seed=SEED, portfolio=book)
    coordinated = preset("japan-china-coordinated", held, label)
    results["japan alone"] = coordinated.only("japan").simulate(market, paths=PATHS, seed=SEED,
                                                                portfolio=book)
    return {"results": results, "book": book, "holdings": label}


def build(ctx: ReportContext) -> Section | None:
    """Build the scenario section (``None`` when the data lack the 10-year yield)."""
    try:
        run = ctx.memo("scenario:presets", lambda: _run(ctx))
    except SpillwatchError as exc:
        logger.warning("scenario section skipped: %s", exc.message)
        return None
    if run is None:
        return None
    res = run["results"]
    both, alone = res["japan-china-coordinated"], res["japan alone"]
    side = pd.DataFrame({"Japan alone": alone.portfolio().quantiles(),
                         "Japan + China": both.portfolio().quantiles()})
    figures = [
        figs.impact_chart(both.impact_fan(), title=both.scenario.label(), simulated=ctx.simulated),
        figs.side_by_side(side, title="Book P&L quantiles: Japan alone vs Japan + China (USD)",
                          unit="P&L (USD)", simulated=ctx.simulated),
        figs.fan_chart({k: both.fan(k) for k in FAN_ASSETS if k in both.market.assets},
                       title=both.scenario.label(),
                       units={k: "bp" if k.startswith("ust") else "%" for k in FAN_ASSETS},
                       simulated=ctx.simulated),
    ]
    rows = []
    for name, r in res.items():
        row = {"scenario": name, "sold ($bn)": r.scenario.total_usd / 1e9,
               "5y impact day 20 (bp, median)": float(r.impact_fan().iloc[-1]["q0.5"]),
               "book VaR 99% (USD)": r.portfolio().var(0.99),
               "book ES 99% (USD)": r.portfolio().es(0.99)}
        row.update({f"P({e})": float(p) for e, p in r.probabilities.items()})
        rows.append(row)
    table = pd.DataFrame(rows).set_index("scenario")
    note = (f"<p>{PATHS:,} paths × {both.horizon} business days per scenario, seed {SEED}; "
            f"{both.market.method} with GARCH margins fitted on {both.market.info['sample'][0]} to "
            f"{both.market.info['sample'][1]}; holdings: {html.escape(run['holdings'])}. "
            f"Book: {html.escape(str(run['book']))} of $1m.</p>")
    return Section(
        "scenario", "Sell-off scenarios: Japan sells, China follows",
        figures=figures, html=note + table.round(4).to_html(classes="table"),
        summary={"scenarios": {k: v for k, v in table.round(4).to_dict(orient="index").items()}},
        intro="Yield impact from Beltran et al. (2013) with parameter uncertainty; other assets "
              "follow the 10-year through betas and a Student-t copula on GARCH residuals.")
