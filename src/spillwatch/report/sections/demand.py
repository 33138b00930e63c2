"""Foreign-demand section: who is selling — custody, Japan's flows and interventions, auctions."""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from spillwatch._results import whole_percentile
from spillwatch.analytics.demand._results import SIGNAL_LABELS
from spillwatch.plotting.demand import lead_phrase
from spillwatch.report.context import ReportContext, Section
from spillwatch.report.format import table_html
from spillwatch.service import demand as service

INTRO = ("Public evidence of foreign selling, faster than TIC: the Fed's custody holdings for "
         "foreign official accounts (weekly), Japan's residents' weekly net purchases of foreign "
         "bonds and MOF's FX interventions (yen buying is funded by selling dollar assets), "
         "demand at Treasury note and bond auctions (indirect bidders, bid-to-cover, dealer "
         "take-down against the same tenor's recent auctions), China's reserves, and the "
         "currency-hedged pick-up of a 10-year Treasury over a 10-year JGB. Every input is dated "
         "by its publication. The gauge combines each group's tail probability against its own "
         "past (harmonic mean) and ranks the result recursively; the attribution says which "
         "group drives it.")


def build(ctx: ReportContext) -> Section | None:
    """Build the foreign-demand section (a DataError names what is missing)."""
    ws = ctx.workspace
    res = service.demand(ws)    # no input at all: its DataError says which are missing
    summ = service.summary(ws, res)
    # the attribution with the dashboard card's note when the reading is not today's
    figures = [res.plot("gauge"), service.attribution(ws, res),
               *(res.plot(k) for k in ("custody", "japan", "auctions", "hedge"))]
    pct = summ.get("percentile")
    # the groups without a reading in `demand`'s line, word for word (2019-02-15: China, its
    # TIC line past its limit; the line said "calm" and the table left China's share blank)
    last = res.latest()
    line = res.unavailable_line(last)
    absent = [line] if line else []
    head = (f"<p><b>{summ['date']}</b>: gauge percentile "
            f"{'n/a' if pct is None else whole_percentile(pct)}, "
            # a gauge without a reading has no lead, as the headline says it ("led by no
            # group" was printed of a store without any of the gauge's inputs, h_verify36)
            + (lead_phrase(pct, html.escape(str(summ["top_group_label"])), bold=True,
                           ranked=summ.get("top_group_ranked", True))
               if summ.get("top_group_label") else "no reading") + "."
            + (f" {html.escape(summ['observed']['sentence'])}." if summ["observed"].get(
                "sentence") else "")
            # the reading behind today, said where its number is shown (not only in the
            # headline)
            + "".join(f" <b>{'STALE' if n == summ.get('freshness_note') else 'Note'}</b>: "
                      f"{html.escape(n)}." for n in summ.get("notes") or [])
            + "".join(f" <b>Note</b>: {html.escape(n)}." for n in absent)
            + "</p>")
    shares = pd.DataFrame({"share of the gauge": summ.get("shares") or {}})
    parts = [head, *_pickup_and_tic(last), "<h3>Attribution</h3>",
             table_html(shares, "{:.2f}")]
    weak = res.auctions
    if weak is not None and len(weak) and "weak" in weak.columns:
        recent = weak[weak["weak"]].tail(8)
        if len(recent):
            cols = [c for c in ("date", "tenor", "term", "indirect_pct", "bid_to_cover",
                                "dealer_pct", "weakness") if c in recent.columns]
            parts += ["<h3>The last weak auctions</h3>",
                      table_html(recent[cols].set_index(cols[0]) if cols else recent)]
    verdict = summ.get("sell_america")
    if verdict and verdict.get("episodes"):
        eps = pd.DataFrame(verdict["episodes"])
        counts = ", ".join(f"{k.replace('_', ' ')} {v:,}"
                           for k, v in (verdict.get("counts") or {}).items()
                           if k in ("foreign_selling", "other_news", "unknown"))
        parts += ["<h3>'Sell America' days: were foreigners selling?</h3>",
                  f"<p>The {len(eps)} runs of days with the 'sell America' signature (yields "
                  f"up, dollar down) in the year to {verdict.get('end')} (at least the last "
                  f"five; {verdict.get('runs', len(eps)):,} runs since {verdict.get('first')}"
                  + (f"; sell-America days by verdict: {counts}" if counts else "")
                  + "), and whether the published evidence says foreigners were selling "
                  "(gauge at or above its 80th percentile) or the move came on other news.</p>",
                  table_html(eps.set_index(eps.columns[0]))]
    return Section("demand", "Who is selling? Foreign demand for Treasuries",
                   figures=figures, html="".join(parts), summary=summ, intro=INTRO)


def _pickup_and_tic(last: dict[str, Any]) -> list[str]:
    """The hedged pick-up with its 20-day change, and TIC's month with its release day.

    From the reading ``demand`` prints (:meth:`~spillwatch.analytics.demand.DemandResult.
    latest`: ``signals`` and ``inputs``), in its table's labels and digits. The section showed
    the pick-up only as a chart line and TIC's release nowhere (2025-11-05: TIC of 2025-07-31,
    out 2025-09-18 and past its limit inside the lapse in appropriations).
    """
    sig = last.get("signals") or {}
    said = [f"{SIGNAL_LABELS[k][0]}: {sig[k]:+.2f} {SIGNAL_LABELS[k][1]}"
            for k in ("hedged_pickup_pct", "hedged_pickup_chg20_bp") if sig.get(k) is not None]
    tic = (last.get("inputs") or {}).get("tic")
    if tic and tic.get("observed"):
        said.append(f"TIC holdings last observed {tic['observed']} (released "
                    f"{tic['released']})" + (": past its staleness limit" if tic.get("stale")
                                             else ""))
    return (["<h3>The hedged pick-up and TIC</h3>", f"<p>{html.escape('; '.join(said))}.</p>"]
            if said else [])
