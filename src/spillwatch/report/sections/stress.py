"""Stress section: the index with regime shading, sub-index contributions, today's signals.

The section memoises the :class:`~spillwatch.analytics.stress.StressResult` under
``ctx.memo("stress", ...)`` and stores the per-date boolean series of 'sell America' days in
``ctx.cache["sell_america_days"]`` (the market section shades its 10y-vs-dollar chart with it).
"""

from __future__ import annotations

import html
import math
from typing import Any

import pandas as pd

from spillwatch.plotting import stress as figs
from spillwatch.report.context import ReportContext, Section


def stress_result(ctx: ReportContext) -> Any | None:
    """Return the report's stress result, computed once (``None`` without a 10-year yield)."""

    def run() -> Any | None:
        from spillwatch.analytics.stress import STRESS_ASSETS, compute

        changes = ctx.panel(list(STRESS_ASSETS), "changes")
        if changes.empty or "ust10y_bp" not in changes:
            return None
        levels = ctx.panel(list(STRESS_ASSETS), "levels")
        changes.attrs["simulated"] = ctx.simulated
        return compute(changes, levels)

    return ctx.memo("stress", run)


def sell_america_days(ctx: ReportContext) -> pd.Series | None:
    """Boolean series of 'sell America' days (also left in ``ctx.cache``)."""
    res = stress_result(ctx)
    if res is None:
        return None
    days = res.sell_america_days
    ctx.cache["sell_america_days"] = days
    return days


def _signals_html(table: pd.DataFrame) -> str:
    rows = []
    for _, r in table.iterrows():
        lt = r["light"]
        pct = "" if not math.isfinite(r["percentile"]) else f"{r['percentile']:.0f}"
        dot = f'<span class="light-{lt}">● {lt}</span>' if lt else ""
        rows.append(f"<tr><td>{html.escape(str(r['signal']))}</td><td>{r['value']:,.2f}</td>"
                    f"<td>{pct}</td><td>{dot}</td></tr>")
    return ('<table class="data"><tr><th>signal</th><th>value</th>'
            '<th>percentile (own history)</th><th>light</th></tr>' + "".join(rows) + "</table>")


def build(ctx: ReportContext) -> Section | None:
    """Build the stress section."""
    res = stress_result(ctx)
    if res is None or not len(res.valid):
        return None
    sell_america_days(ctx)
    last = res.latest()
    figures = [figs.stress_index(res, simulated=ctx.simulated),
               figs.contributions(res, simulated=ctx.simulated)]
    pct = last["percentile"]
    head = (f"<p><b>{last['date']}</b>: stress {last['stress']:.3f}, "
            f"percentile {'n/a' if pct is None else f'{pct:.0f}'}, regime "
            f"<b>{last['regime'] or 'n/a'}</b>, yield–dollar signature "
            f"<b>{html.escape(last['signature'])}</b>.</p>")
    intro = ("CISS-style composite (Holló, Kremer & Lo Duca 2012): each indicator ranked "
             "against its own past (recursive ECDF, no revisions), averaged into rates, dollar, "
             "equity/volatility and crypto sub-indices, combined with EWMA correlations. "
             "Regimes: elevated from the 80th, crisis from the 95th percentile.")
    extra: dict[str, Any] = {}
    ref = ctx.panel(["stlfsi"], "levels")
    if "stlfsi_idx" in ref and ref["stlfsi_idx"].notna().any():
        weekly = ref["stlfsi_idx"]
        rho, weeks = res.weekly_correlation(weekly[weekly.index.day_of_week == 4])
        if math.isfinite(rho):
            extra["stlfsi_weekly_corr"] = rho
            head += (f"<p>Correlation of the weekly mean with the St. Louis Fed Financial Stress "
                     f"Index (STLFSI4): {rho:.2f} over {weeks} weeks.</p>")
    n_sa = int(res.sell_america_days.loc[res.valid.index[-1] - pd.Timedelta(days=365):].sum())
    return Section(
        "stress", "Stress monitor: index, regime and the yield–dollar signature",
        figures=figures, html=head + _signals_html(res.table()), intro=intro,
        summary={"headline": res.headline, **{k: last[k] for k in (
            "date", "stress", "percentile", "regime", "signature")},
            "subindices": last["subindices"], "sell_america_days_last_year": n_sa, **extra})
