"""Stress section: the index with regime shading, sub-index contributions, today's signals."""

from __future__ import annotations

import html
import math

import pandas as pd

from spillwatch.exceptions import DataError
from spillwatch.plotting import stress as figs
from spillwatch.report.context import ReportContext, Section
from spillwatch.service import stress as service

INTRO = ("CISS-style composite (Holló, Kremer & Lo Duca 2012): each indicator ranked against its "
         "own past (recursive ECDF, no revisions), averaged into rates, dollar, equity/volatility,"
         " credit and crypto sub-indices (crypto is shown, not weighted), combined with "
         "time-varying cross-segment correlations. An input past its staleness limit drops out "
         "of its segment; the index is published only on days the 10-year yield printed. The "
         "percentile ranks the index among past values of the same segments (age-weighted, "
         "half-life two years) and, for the regime, among all of them with equal weights: "
         "crisis is entered in the long-run top 5%, elevated at either rank 80 or more, and "
         "each is left only a band lower (crisis below the long-run 90, elevated with both "
         "ranks below 70), so that a dip of a day does not read calm. "
         "The yield–dollar signature is read from the day's moves.")


def _signals_html(table: pd.DataFrame) -> str:
    rows = []
    for _, r in table.iterrows():
        lt = r["light"]
        state = str(r.get("state", "available"))
        pct = ("" if not math.isfinite(r["percentile"])
               else service.whole_percentile(r["percentile"]))
        dot = f'<span class="light-{lt}">● {lt}</span>' if lt and state == "available" else ""
        last = r.get("last_observed")
        when = "" if last is None or pd.isna(last) else pd.Timestamp(last).date().isoformat()
        cls = "" if state == "available" else " class='stale'"
        rows.append(f"<tr{cls}><td>{html.escape(str(r['signal']))}</td><td>{r['value']:,.2f}</td>"
                    f"<td>{pct}</td><td>{dot}</td><td>{html.escape(state)}</td><td>{when}</td>"
                    "</tr>")
    return ('<table class="data"><thead><tr><th>signal</th><th>value</th>'
            '<th>percentile (own history)</th><th>light</th><th>state</th>'
            '<th>last input</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>")


def build(ctx: ReportContext) -> Section | None:
    """Build the stress section (a DataError names what is missing)."""
    ws = ctx.workspace
    if "ust10y" not in ws.have(["ust10y"]):
        raise DataError(f"the stress index needs the 10-year yield (ust10y); {ws.label} "
                        "lacks it")
    res = service.stress(ws)
    if not len(res.valid):
        # why, as the stress command says it ("burn-in, or no fresh inputs" on data that had
        # no dollar at all)
        why = service.summary(ws, res).get("unread_reason")
        raise DataError("the stress index has no reading: "
                        + (why or "burn-in, or no fresh inputs"))
    summ = service.summary(ws, res)
    pct = summ["percentile"]
    last = res.latest()
    if not last.get("fresh", True):
        head_note = (f"<p class='failed'>The latest reading is from {summ['date']}, "
                     f"{last.get('age_days')} days before {last.get('as_of')}; stale inputs: "
                     f"{html.escape(', '.join(last.get('stale') or []))}.</p>")
    else:
        head_note = ""
    # the all-history rank beside the recent one, as the headline and the dashboard's dial
    # give it: crisis is entered on it alone ("percentile 97, regime elevated" on 2022-05-09,
    # all history 94; "percentile 94, regime crisis" on 2022-12-06, all history 95)
    longrun = summ.get("percentile_longrun")
    head = head_note + (f"<p><b>{summ['date']}</b>: stress {summ['stress']:.3f}, percentile "
            f"{'n/a' if pct is None else service.whole_percentile(pct)}, "
            + (f"all history {service.whole_percentile(longrun)}, "
               if isinstance(longrun, (int, float)) and math.isfinite(longrun) else "")
            + f"regime <b>{summ['regime'] or 'n/a'}</b>"
            f"{' (' + html.escape(summ['regime_held']) + ')' if summ.get('regime_held') else ''}, "
            f"yield–dollar signature <b>{html.escape(str(summ['signature']))}</b>"
            f"{html.escape(service.signature_text(summ)[len(str(summ['signature'])):])}.</p>")
    # the percentiles' short history (2 years of data: "regime calm, percentile 13" with no
    # word that 'all history' was those 2 years; the stress command says it)
    # ... and the input that stopped the index, as `stress` and the headline say it
    # ... and the signals of the table below that rank against a short history of their own
    # (`report --as-of 1998-08-17`: the high-yield spread "100, red" against 1.6 years of
    # ICE's series, which `stress` notes and the section did not)
    # ... and why the reading is of a day before the evening's, as `stress` and /api/stress say
    # (`report --as-of 2025-10-06` gave "2025-10-03: stress 0.081" with no word that the
    # 10-year of 2025-10-06 was published on 2025-10-07), and a move left without a z-score
    # (the yuan off its peg, 2005-07-22)
    head += "".join(f"<p class='failed'>{html.escape(n)}.</p>" for n in summ.get("notes") or ()
                    if n.startswith((service.SHORT_HISTORY, service.UNPUBLISHED,
                                     service.SHORT_SIGNAL_HISTORY, service.PENDING_ANCHOR,
                                     service.UNSCALED, service.BURNING_IN)))
    # each sub-index within its own history, as `stress` and the headline say it: a Treasury
    # rout the composite averages away (2023-10-19: "calm, percentile 72" beside rates 0.79)
    head += f"<p>Sub-indices: {html.escape(summ['segments_text'])}.</p>"
    if summ.get("segments_flag"):
        head += (f"<p class='failed'>In its own top decile: "
                 f"{html.escape(summ['segments_flag'])}.</p>")
    if "stlfsi_weekly_corr" in summ:
        head += (f"<p>Correlation of the weekly mean with the St. Louis Fed Financial Stress "
                 f"Index (STLFSI4): {summ['stlfsi_weekly_corr']:.2f} over "
                 f"{summ['stlfsi_weeks']} weeks.</p>")
    stale = service.stale_note(ws, res)
    return Section("stress", "Stress monitor: index, regime and the yield–dollar signature",
                   # under the charts too, as on the dashboard's cards: a reading that is not
                   # today's says so where its line ends
                   figures=[figs.stress_index(res, simulated=ctx.simulated, note=stale),
                            figs.contributions(res, simulated=ctx.simulated, note=stale)],
                   html=head + _signals_html(res.table()), intro=INTRO, summary=summ)
