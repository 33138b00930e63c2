"""Early-warning scorecard section: the monitor replayed over history against the episodes."""

from __future__ import annotations

import html
import math
from typing import Any

import pandas as pd

from spillwatch.alerts.backtest import INTERVALS_LINE, METHOD, backtest
from spillwatch.alerts.backtest.scores import signed_days
from spillwatch.exceptions import DataError
from spillwatch.plotting import backtest as figs
from spillwatch.report.context import ReportContext, Section
from spillwatch.report.format import note, simulated_dates_note, table_html


def _lead(covered: Any, lead: Any, first: Any, still_open: bool = False) -> str:
    if not covered:
        # an episode whose window runs past the replay is not scored yet: it said "no data"
        # on the evening of 2025-04-08 with spillwatch's alert of 04-03 in it
        # (STLFSI4 in 1994 has data, but no signal before its first half-year: "no data")
        # (not its dates: the window's end gives the peak away on an --as-of evening)
        return ("not scored yet (its window is open)" if still_open
                else "n/a (no reading in the window)")
    if lead is None or (isinstance(lead, float) and math.isnan(lead)):
        return "missed"
    return f"{lead:+.0f} ({pd.Timestamp(first).date()})"


def lead_table(res: Any) -> pd.DataFrame:
    """Per episode: spillwatch's and each official index's lead, spillwatch's lead over each."""
    lt = res.lead_table()
    keys = [res.headline, *res.comparator_keys]
    out = pd.DataFrame(index=lt.index)
    out["kind"] = lt["kind"]
    out["trigger"] = lt["trigger"]
    # an episode still open on the replay's last day has no known peak then
    still = res.open_episodes().reindex(lt.index, fill_value=False).to_numpy(dtype=bool)
    out["peak"] = ["open" if o else p for o, p in zip(still, lt["peak"], strict=True)]
    for k in keys:
        out[res.labels[k]] = [_lead(c, v, f, bool(o)) for c, v, f, o in zip(
            lt[f"{k}_covered"], lt[f"{k}_lead"], lt[f"{k}_first"], still, strict=True)]
    for c in res.comparator_keys:
        out[f"spillwatch vs {res.labels[c]}"] = lt[f"vs_{c}"]
    return out


def build(ctx: ReportContext) -> Section | None:
    """Build the scorecard section (a DataError names what is missing)."""
    ws = ctx.workspace
    if "ust10y" not in ws.have(["ust10y"]):
        raise DataError(f"the scorecard replays the stress monitor, which needs the 10-year "
                        f"yield (ust10y); {ws.label} lacks it")
    res = backtest(ws)
    data = res.figure_data()
    sim = ctx.simulated
    h = res.headline_figures
    summ = res.card.summary
    cols = ["label", "covered", "hits", "hit_rate", "hit_rate_chance", "on_share",
            "calm_on_share", "median_lead_bdays",
            "hits_before_trigger", "median_lead_trigger_bdays", "hits_already_on",
            "false_alarms_per_year", "auroc_5", "auroc_20", "auroc_common_20"]
    scores = summ[cols].copy()
    # 95% intervals beside the point values (scores' module docstring, *Uncertainty*)
    scores.insert(cols.index("hit_rate") + 1, "hit_rate_ci95", [
        f"{lo:.2f}–{hi:.2f}" if pd.notna(lo) else "n/a"
        for lo, hi in zip(summ["hit_rate_lo"], summ["hit_rate_hi"], strict=True)])
    scores["auroc_common_20_ci95"] = [
        f"{lo:.2f}–{hi:.2f}" if pd.notna(lo) else "n/a"
        for lo, hi in zip(summ["auroc_common_20_lo"], summ["auroc_common_20_hi"], strict=True)]
    scores["auroc_common_20_gap"] = [
        (f"{g:+.3f} [{lo:+.3f}, {hi:+.3f}]" if pd.notna(lo) else f"{g:+.3f}") if pd.notna(g)
        else "–"
        for g, lo, hi in zip(summ["auroc_common_20_gap"], summ["auroc_common_20_gap_lo"],
                             summ["auroc_common_20_gap_hi"], strict=True)]
    scores = scores.rename(columns={
        "label": "signal", "covered": "episodes covered", "hit_rate": "hit rate",
        "hit_rate_chance": "hit rate by chance (same days on)", "on_share": "share of days on",
        "calm_on_share": "share of calm days on",
        "median_lead_bdays": "median lead to the peak (bdays)",
        "hits_before_trigger": "hits before the trigger",
        "median_lead_trigger_bdays": "median lead to the trigger (bdays)",
        "hits_already_on": "hits already on at the window's start", "false_alarms_per_year":
        "false alarms / year", "auroc_5": "AUROC, N=5", "auroc_20": "AUROC, N=20",
        "auroc_common_20": "AUROC, N=20, common days",
        "hit_rate_ci95": "hit rate, 95% interval",
        "auroc_common_20_ci95": "AUROC, N=20, common days, 95% interval",
        "auroc_common_20_gap": "spillwatch's AUROC minus its, 95% interval"}).set_index("signal")
    parts = []
    for c in res.comparator_keys:
        m = h.get(f"median_lead_vs_{c}_bdays")
        if m is not None:
            o = h.get(f"median_lead_vs_{c}_observed_bdays")
            b = h.get(f"median_lead_vs_{c}_both_hit_bdays")
            ci = h.get(f"median_lead_vs_{c}_ci95_bdays")
            p = h.get(f"sign_test_p_vs_{c}")
            parts.append(f"{signed_days(m)} business days vs {html.escape(res.labels[c])} "
                         f"({h[f'episodes_vs_{c}']} episodes where both signalled, late alerts "
                         "included"
                         + ("" if ci is None else
                            f"; 95% interval {signed_days(ci[0])} to {signed_days(ci[1])}")
                         + ("" if p is None else
                            f"; earlier in {h[f'earlier_than_{c}']}, later in "
                            f"{h[f'later_than_{c}']}: sign test p {p:.2f}")
                         + ("" if b is None else
                            f"; {signed_days(b)} over the {h[f'episodes_both_hit_vs_{c}']} "
                            "both alerted by the peak")
                         + ("" if o is None else
                            f"; {signed_days(o)} with its alerts dated by observation, the "
                            "rest being its publication lag") + ")")
    if parts:
        leads = "; ".join(parts)
    elif res.comparator_keys:
        # an index the data hold that no scored episode has yet (STLFSI4 in the report of
        # 1995-06-30) read "no official index in the data"
        leads = ("none yet: no episode scored in which both it and "
                 + " or ".join(html.escape(res.labels[c]) for c in res.comparator_keys)
                 + " signalled")
    else:
        leads = "no official index in the data"
    head = ("<p><b>Median lead of spillwatch</b> (its first alert before the official "
            "index's): " + leads + ".</p>")
    if res.comparators_missing:
        head += note("Official indices with nothing published by the replay's last day (or "
                     "not in the data): " + ", ".join(res.comparators_missing))
    if sim:
        head = simulated_dates_note("the episodes scored") + head
    body = ["<h3>Lead time to each episode's peak (business days; first alert)</h3>",
            table_html(lead_table(res), "{:+.0f}"),
            "<h3>Scores of each signal</h3>", table_html(scores, "{:,.2f}"),
            note(INTERVALS_LINE[0].upper() + INTERVALS_LINE[1:] + "."),
            f"<h3>Method and limits</h3><p>{html.escape(METHOD)}</p>"]
    if res.not_scored:
        body.append(note("Not scored: " + "; ".join(f"{k}: {v}" for k, v in
                                                     res.not_scored.items())))
    for n in [*res.replay.notes, *res.notes, *res.inhibition_lines()]:
        body.append(note(n))
    d = res.replay.dates
    intro = (f"The monitor replayed on {len(d)} business days, {d[0].date()} to "
             f"{d[-1].date()}, each day seeing only what was published by then; "
             f"{len(res.episodes)} labelled episodes ({res.episodes.path}).")
    return Section("backtest", "Early-warning scorecard: the monitor replayed over history",
                   figures=[figs.timeline(data, simulated=sim), figs.leads(data, simulated=sim),
                            figs.scores(data, simulated=sim)],
                   html=head + "".join(body), intro=intro, summary=h)
