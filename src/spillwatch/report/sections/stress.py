"""Stress section: the index with regime shading, sub-index contributions, today's signals."""

from __future__ import annotations

import html
import math

import pandas as pd

from spillwatch.plotting import stress as figs
from spillwatch.report.context import ReportContext, Section
from spillwatch.service import stress as service

INTRO = ("CISS-style composite (Holló, Kremer & Lo Duca 2012): each indicator ranked against its "
         "own past (recursive ECDF, no revisions), averaged into rates, dollar, equity/volatility "
         "and crypto sub-indices, combined with EWMA correlations. Regimes: elevated from the "
         "80th, crisis from the 95th percentile.")


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
    """Build the stress section (``None`` when the data lack the 10-year yield)."""
    ws = ctx.workspace
    if "ust10y" not in ws.have(["ust10y"]):
        return None
    res = service.stress(ws)
    if not len(res.valid):
        return None
    summ = service.summary(ws, res)
    pct = summ["percentile"]
    head = (f"<p><b>{summ['date']}</b>: stress {summ['stress']:.3f}, percentile "
            f"{'n/a' if pct is None else f'{pct:.0f}'}, regime <b>{summ['regime'] or 'n/a'}</b>, "
            f"yield–dollar signature <b>{html.escape(str(summ['signature']))}</b>.</p>")
    if "stlfsi_weekly_corr" in summ:
        head += (f"<p>Correlation of the weekly mean with the St. Louis Fed Financial Stress "
                 f"Index (STLFSI4): {summ['stlfsi_weekly_corr']:.2f} over "
                 f"{summ['stlfsi_weeks']} weeks.</p>")
    return Section("stress", "Stress monitor: index, regime and the yield–dollar signature",
                   figures=[figs.stress_index(res, simulated=ctx.simulated),
                            figs.contributions(res, simulated=ctx.simulated)],
                   html=head + _signals_html(res.table()), intro=INTRO, summary=summ)
