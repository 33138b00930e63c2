"""Market section: the curve now vs a week and a month ago, the 10y against the dollar, crypto."""

from __future__ import annotations

from spillwatch import universe
from spillwatch.plotting import market
from spillwatch.report.context import ReportContext, Section
from spillwatch.service import health
from spillwatch.service import stress as stress_service
from spillwatch.service import summary as summary_service


def build(ctx: ReportContext) -> Section | None:
    """Build the market section."""
    ws = ctx.workspace
    keys = ws.have(list(dict.fromkeys([*universe.WATCHLIST, *universe.CURVE_TENORS])))
    if not keys:
        return None
    lv = ws.panel(keys, transform="levels")
    shade = None
    if "ust10y" in keys:
        shade = stress_service.stress(ws).sell_america_days
    figs = [
        market.yield_curve(lv, simulated=ctx.simulated, note=summary_service.curve_note(ws)),
        market.yield_vs_dollar(lv, simulated=ctx.simulated, shade=shade,
                               note=summary_service.stale_note(ws, list(market.YIELD_DOLLAR))),
        market.crypto(summary_service.coin_levels(ws), simulated=ctx.simulated,
                      note=(summary_service.stale_note(ws, list(market.COINS))
                            or summary_service.coins_note(ws))),
    ]
    # the charts end where each series ends: say which of them are past their limit today
    # (the curve's "latest" legend was 131 days old without a word)
    note = summary_service.stale_note(ws, keys)
    return Section("market", "Markets: yields, the dollar and crypto", figures=figs,
                   summary={"latest": health.latest_levels(ws), "stale": note},
                   intro="Levels as published; crypto is the Binance daily close (UTC)."
                   + ("" if note is None else f" {note}."))
