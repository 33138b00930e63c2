"""Scenario section: 'Japan sells, China follows' — the presets side by side, fans, a book's P&L."""

from __future__ import annotations

import html

import pandas as pd

from spillwatch.exceptions import DataError
from spillwatch.plotting import scenario as figs
from spillwatch.report.context import ReportContext, Section
from spillwatch.report.format import table_html
from spillwatch.service import scenarios as service

INTRO = ("The yield impact of the sale comes from Beltran et al. (2013), with its uncertainty; "
         "every "
         "other asset answers it through a sell-America (foreign-demand) shock identified by sign "
         "restrictions in a structural VAR (long yields up, dollar down, US equities down on "
         "impact; Rubio-Ramírez, Waggoner & Zha 2010, Arias, Rubio-Ramírez & Waggoner 2018), one "
         "admissible model drawn per path, with Student-t copula noise on GARCH residuals.")


def build(ctx: ReportContext) -> Section | None:
    """Build the scenario section (a DataError names what is missing)."""
    ws = ctx.workspace
    if "ust10y" not in ws.have(["ust10y"]):
        raise DataError(f"the scenario model is driven by the 10-year yield (ust10y); "
                        f"{ws.label} lacks it")
    ps = service.presets(ws)
    res = ps.results
    both, alone = res["japan-china-coordinated"], res["japan alone"]
    side = pd.DataFrame({"Japan alone": alone.portfolio().quantiles(),
                         "Japan + China": both.portfolio().quantiles()})
    figures = [
        # with the 10-year target the paths follow: the literature's 5-year figure alone
        # (72 bp at day 70) sat over a table whose UST 5y moved +53 bp and UST 10y +65 bp
        figs.impact_chart(both.impact_fan(), title=both.scenario.label(),
                          simulated=ctx.simulated, target=both.impact_fan(tenor="ust10y")),
        figs.side_by_side(side, title="Book P&L quantiles: Japan alone vs Japan + China (USD)",
                          unit="P&L (USD)", simulated=ctx.simulated),
        figs.fan_chart({k: both.fan(k) for k in service.FAN_ASSETS if k in both.market.assets},
                       title=both.scenario.label(),
                       units={k: "bp" if k.startswith("ust") else "%"
                              for k in service.FAN_ASSETS},
                       simulated=ctx.simulated, paths=(both.kept_paths.shape[2], both.paths)),
    ]
    # each position in dollars and as its share of the book priced: "Book of $950,000:
    # ust10y 40%" (TRUMP left out) gave weights of the default $1m, summing to 95%
    book = ", ".join(f"{k} ${abs(v) * 1e6:,.0f} ({v * 1e6 / ps.book_usd:.0%})"
                     for k, v in ps.book.items())
    ident = both.market.identification
    # marked SIMULATED on the demo as every other figure is (ident.plot's title was not: a
    # chart saved from the page did not say it was the simulated market's)
    figures.append(figs.response_chart(
        ident.responses(), title=f"Response to the {ident.spec.target} shock per +10 bp of the "
                                 "10-year", simulated=ctx.simulated))
    resp = ident.responses()[["unit", "median", "q16", "q84", "q05", "q95"]]
    text = (f"<p>{ps.paths:,} paths per scenario, seed {ps.seed}, each to the end of its last "
            f"sale plus 20 business days; holdings: {html.escape(ps.holdings_label)}. Book of "
            f"${ps.book_usd:,.0f}: {html.escape(book)}"
            # the service's note, as the CLI and the API say it ("not in the data" read
            # beside a TRUMP chart of that date: it had too little history by then)
            + (f" ({html.escape(note)})" if (note := ps.book_note)
               else "") + ".")
    summary = ps.summary_dict()
    coupons = summary["bond_coupons_pct"]
    if coupons:
        text += (" Its Treasuries are par bonds at their yields on the first day, held to the "
                 "horizon with their coupon accrued: "
                 + html.escape(", ".join(f"{k} {v:.2f}%" for k, v in coupons.items())) + ".")
    text += "</p>"
    table = ps.table().rename(columns={
        "sold_usd_bn": "sold ($bn)", "horizon_bdays": "horizon (days)",
        "ust10y_bp_median": "10y at horizon (bp, median)",
        "book_var99_usd": "book VaR 99% ($)", "book_es99_usd": "book ES 99% ($)",
        "book_var99_ci95_lo_usd": "VaR's Monte Carlo 95% interval, from ($)",
        "book_var99_ci95_hi_usd": "to ($)"})
    explain = "".join(f"<p>{html.escape(par)}</p>" for par in
                      str(both.explain()).split("\n\n") if par.strip())
    # the TIC note concerns the presets sold as shares of the holdings (japan-intervention's
    # $80bn is not)
    who = {True: "The presets sized on holdings", False: "Every preset"}
    warn = "".join(f"<p><strong>{who[n.startswith('sized on TIC')]}</strong>: "
                   f"{html.escape(n)}</p>" for n in summary.get("notes") or [])
    warn += "".join(f"<p><strong>{html.escape(name)}</strong>: {html.escape(w)}</p>"
                    for name, ws in summary["warnings"].items() for w in ws)
    # a preset whose book positions are simulated beyond their history: its VaR is no risk
    # the data show, said beside the table that lists it
    warn += "".join(f"<p><strong>{html.escape(name)}</strong>: book VaR and ES "
                    f"{html.escape(c)}</p>" for name, r in res.items()
                    if (c := service.book_caveat(r)))
    seen = summary.get("observed_selling")
    if seen:
        text += f"<p><strong>Observed</strong>: {html.escape(str(seen['sentence']))}.</p>"
    body = (text + "<h3>The presets side by side</h3>" + warn
            + table_html(table[[c for c in table.columns if not c.startswith("p_")]],
                         "{:,.1f}")
            + "<h3>Tail probabilities</h3>"
            + table_html(table[[c for c in table.columns if c.startswith("p_")]], "{:.3f}")
            + f"<p><small>{html.escape(service.PROBABILITY_NOTE)}. "
              f"Each a share of the {ps.paths:,} paths: one Monte Carlo standard "
              f"error is &radic;(p(1&minus;p)/{ps.paths:,}), at most "
              f"&plusmn;{max(float(r.probabilities_se.max()) for r in res.values()):.3f} "
              "here.</small></p>"
            + f"<h3>Japan + China: every asset ({html.escape(both.scenario.label())})</h3>"
            + table_html(both.display_table())
            + f"<p><small>{html.escape(service.TABLE_NOTE)}</small></p>"
            + "".join(f"<p><small>{html.escape(x)}</small></p>"
                      for x in (summary["assumed_signs"],) if x)
            + "<h3>Response to the sell-America shock per +10 bp of the 10-year (impact; median "
              "target and 16–84%, 5–95% bands over the admissible models)</h3>"
            + table_html(resp, "{:+.2f}")
            + "<h3>How the shock is identified</h3>" + explain)
    return Section("scenario", "Sell-off scenarios: Japan sells, China follows",
                   figures=figures, html=body, summary=summary, intro=INTRO)
