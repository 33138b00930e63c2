"""Spillover section: whether stress in Treasuries and the dollar spills into crypto."""

from __future__ import annotations

from spillwatch.plotting import spillover as figs
from spillwatch.report.context import ReportContext, Section
from spillwatch.report.format import note, table_html
from spillwatch.service import spillover as service


def build(ctx: ReportContext) -> Section | None:
    """Build the spillover section (a DataError names the missing side)."""
    ws = ctx.workspace
    rep = service.spillover(ws)   # a missing side: its DataError says which
    latest = rep.latest
    s = rep.summary_dict()
    sim = ctx.simulated
    figures = [figs.tci_figure(rep.rolling, simulated=sim)]
    # the net and network charts with the note of the dashboard's two cards when the latest
    # window is not the evening's (the section drew them without it)
    net, network = service.noted_figures(rep, simulated=sim)
    figures += [net, network, figs.table_figure(latest, simulated=sim)]
    g = rep.blocks.groups
    text = (f"<p>{len(rep.rolling.tci)} windows of {s['window']} trading days (a day one "
            "market was shut joins the next day every market traded), "
            f"VAR({s['lags']}) with intercept, generalized FEVD at H = {s['horizon']}; "
            f"rates + dollar = {', '.join(g['rates_dollar'])}; crypto = "
            f"{', '.join(g['crypto'])}. A table cell is the share of the row's forecast-error "
            "variance due to shocks in the column; the net spillover from rates + dollar to "
            "crypto sums, over every rates/dollar–crypto pair, what crypto receives minus what "
            "it gives (percentage points; above zero: crypto receives on net). The table's "
            "corner is the total connectedness index (TCI, row TO); under it, in row Inc.Own, "
            "the corrected TCI of Chatziantoniou &amp; Gabauer (2021), TCI &times; k/(k&minus;1)."
            "</p>")
    sync_parts: list[str] = []
    if rep.sync is not None:
        t = rep.sync.table()[["sampling", "window", "latest_date", "latest_net", "mean_net",
                              "full_sample_net", "share_positive"]]
        asy = rep.sync.asynchrony
        known = {c: h for c, h in asy["hours_utc"].items() if h is not None}
        hours = ", ".join(f"{c} {h:g}:00" for c, h in known.items())
        # the two ends of the largest gap (the noon dollar rate to crypto's midnight close is 7
        # hours; the New York close to it only 3: the text named the wrong end), each with
        # every series sampled at its hour ("latest (btc_pct)" left out eth_pct, also 24:00)
        lo, hi = min(known.values()), max(known.values())
        first = ", ".join(c for c, h in known.items() if h == lo)
        last = ", ".join(c for c, h in known.items() if h == hi)
        # one hour for all (the simulated demo's 21:00) read "The latest (ust2y_bp) is 0
        # hours after the earliest (ust2y_bp)"
        gap = (f"The latest ({last}) is {asy['max_offset_hours']:g} hours after the earliest "
               f"({first}), " if hi != lo else
               "Every series is sampled at that hour: no offset, ")
        sync_parts = [
            "<h3>The headline on synchronous data, and on daily data</h3>",
            f"<p>Sampling times (UTC): {hours}. {gap}"
            f"{100 * asy['offset_share']['daily']:.0f}% of a daily change and "
            f"{100 * asy['offset_share'][rep.sync.sampling]:.0f}% of a "
            f"{rep.sync.sampling.replace('_', '-')} one: the headline is measured on "
            f"{rep.sync.sampling_label}, with the daily value beside it (pp; above zero: "
            "crypto receives on net).</p>",
            table_html(t),
        ]
    # the table and the network are of the daily window: say so where the headline is of
    # another setting (a +3.47 pp two-day headline sat over a daily table reading -14.5)
    daily = s.get("net_rates_dollar_to_crypto_daily")
    own = rep.daily_headline
    of_daily = (f", daily changes (the headline above is on {rep.sync.sampling_label}; this "
                f"table's net, rates + dollar to crypto, is {own.iloc[-1]:+.2f} pp)"
                if rep.sync is not None and len(own) else "")
    html_parts = [*sync_parts,
                  f"<h3>Latest spillover table ({s['as_of']}{of_daily})</h3>",
                  table_html(latest.table(), corner="to \\ from"), text,
                  *(note(n) for n in rep.notes)]
    intro = (f"Latest total connectedness {s['tci']:.1f}% on {s['as_of']} (average "
             f"{s['tci_mean']:.1f}%); net "
             f"spillover from rates + dollar to crypto {s['net_rates_dollar_to_crypto']:+.2f} pp"
             f" on {s['headline_date']} ({s['sampling'].replace('_', '-')} changes; average "
             f"{s['net_rates_dollar_to_crypto_mean']:+.2f} pp)"
             + (f"; on daily data {daily:+.2f} pp on "
                f"{s.get('net_rates_dollar_to_crypto_daily_date') or s['headline_date']}."
                if daily is not None else "."))
    return Section("spillover", "Spillover: rates and the dollar into crypto", figures=figures,
                   html="".join(html_parts), summary=s, intro=intro)

