"""Market section: the curve now vs a week and a month ago, the 10y against the dollar, crypto."""

from __future__ import annotations

from spillwatch.plotting import market
from spillwatch.report.context import ReportContext, Section


def _latest(ctx: ReportContext) -> dict[str, float]:
    out: dict[str, float] = {}
    for col in ("ust2y_pct", "ust10y_pct", "ust30y_pct", "usd_broad_idx", "usdjpy_jpy",
                "btc_usd", "eth_usd", "trump_usd", "vix_idx"):
        if col in ctx.levels:
            s = ctx.levels[col].dropna()
            if len(s):
                out[col] = float(s.iloc[-1])
    return out


def build(ctx: ReportContext) -> Section | None:
    """Build the market section."""
    lv = ctx.levels
    if lv.empty:
        return None
    shade = ctx.cache.get("sell_america_days")
    figs = [
        market.yield_curve(lv, simulated=ctx.simulated),
        market.yield_vs_dollar(lv, simulated=ctx.simulated, shade=shade),
        market.crypto(lv, simulated=ctx.simulated),
    ]
    return Section("market", "Markets: yields, the dollar and crypto", figures=figs,
                   summary={"latest": _latest(ctx)},
                   intro="Levels as published; crypto is the Binance daily close (UTC).")
