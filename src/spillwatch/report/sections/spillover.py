"""Spillover section: whether stress in Treasuries and the dollar spills into crypto."""

from __future__ import annotations

from spillwatch.plotting import spillover as figs
from spillwatch.report.context import ReportContext, Section
from spillwatch.report.format import note, table_html
from spillwatch.service import spillover as service


def build(ctx: ReportContext) -> Section | None:
    """Build the spillover section (``None`` when the data lack rates, dollar or crypto)."""
    ws = ctx.workspace
    if len(ws.have(list(service.ASSETS))) < 2:
        return None
    rep = service.spillover(ws)
    if not rep.has_headline:
        return None
    latest = rep.latest
    s = rep.summary_dict()
    sim = ctx.simulated
    figures = [figs.tci_figure(rep.rolling, simulated=sim),
               figs.headline_figure(rep.rolling, simulated=sim),
               figs.network_figure(latest, simulated=sim),
               figs.table_figure(latest, simulated=sim)]
    g = rep.blocks.groups
    text = (f"<p>{len(rep.rolling.tci)} windows of {s['window']} trading days (complete rows "
            f"only), VAR({s['lags']}) with intercept, generalized FEVD at H = {s['horizon']}; "
            f"rates + dollar = {', '.join(g['rates_dollar'])}; crypto = "
            f"{', '.join(g['crypto'])}. A table cell is the share of the row's forecast-error "
            "variance due to shocks in the column; the net spillover from rates + dollar to "
            "crypto sums, over every rates/dollar–crypto pair, what crypto receives minus what "
            "it gives (percentage points; above zero: crypto receives on net).</p>")
    html_parts = [f"<h4>Latest spillover table ({s['as_of']})</h4>",
                  table_html(latest.table(), corner="to \\ from"), text,
                  *(note(n) for n in rep.notes)]
    intro = (f"Latest total connectedness {s['tci']:.1f}% (average {s['tci_mean']:.1f}%); net "
             f"spillover from rates + dollar to crypto {s['net_rates_dollar_to_crypto']:+.2f} pp"
             f" (average {s['net_rates_dollar_to_crypto_mean']:+.2f} pp).")
    return Section("spillover", "Spillover: rates and the dollar into crypto", figures=figures,
                   html="".join(html_parts), summary=s, intro=intro)

