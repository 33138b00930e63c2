"""Event-study section: abnormal moves around the shipped events, early April 2025 in front."""

from __future__ import annotations

import html
from typing import Any

import pandas as pd
from scipy import stats

from spillwatch.exceptions import DataError, SpillwatchError
from spillwatch.plotting import risk as figs
from spillwatch.report.context import ReportContext, Section
from spillwatch.report.format import simulated_dates_note
from spillwatch.service import events as service

INTRO = ("What an announcement did: abnormal moves of each asset net of what the S&P 500 and the "
         "dollar explain (MacKinlay 1997), beside the raw moves. Events come from the shipped "
         "events.toml; run `spillwatch events --file my.toml` for your own.")


def _car_html(res: Any) -> str:
    t = res.car
    cols = list(dict.fromkeys(t["series"]))
    est = res.spec.estimation
    head = "<tr><th>event</th><th>date</th>" + "".join(
        f"<th>{html.escape(c)}</th>" for c in cols) + "<th>note</th></tr>"
    rows = []
    for eid, grp in t.groupby("event", sort=False):
        g = grp.set_index("series")
        cells = []
        for c in cols:
            if c in g.index:
                car, tv = g.loc[c, "car"], g.loc[c, "t"]
                cm, tm = g.loc[c, "car_mean_model"], g.loc[c, "t_mean_model"]
                # bold only a significant CAR the constant-mean model does not contradict:
                # COVID's 10-year read +53.5 (t 3.2) in bold beside a raw -19.0 and a
                # constant-mean -17.8 (the factors' part, not the yield's)
                opposite = (cm > 0) != (car > 0)
                # the constant-mean model's own test (one parameter: n - 1 degrees of freedom)
                p_mean = 2 * stats.t.sf(abs(tm), max(int(g.loc[c, "n_est"]) - 1, 1))
                against = bool(opposite and p_mean < 0.05)
                # the CLI's star: p < 0.05 of the t with the estimation's degrees of freedom
                # (bold was |t| >= 1.96, the normal's, beside a starred |t| >= 1.98)
                bold = g.loc[c, "p"] < 0.05 and not opposite
                txt = f"{car:+.2f} ({tv:+.1f})" + (" &dagger;" if opposite else "")
                raw = (f"<br><small>raw {g.loc[c, 'raw_sum']:+.2f}; constant mean "
                       f"{cm:+.2f} ({tm:+.1f}){' &Dagger;' if against else ''}</small>")
                cells.append(f"<td>{'<b>' + txt + '</b>' if bold else txt}{raw}</td>")
            else:
                cells.append("<td>&ndash;</td>")
        d = pd.Timestamp(grp["event_date"].iloc[0]).date().isoformat()
        # what the CLI says beside the numbers: another event inside the window (its move is
        # in this CAR too), and a model estimated on fewer days than asked
        notes = []
        held = sorted({o.strip() for v in grp.get("overlaps", pd.Series(dtype=object))
                       if isinstance(v, str) and v for o in v.split(",")})
        if held:
            notes.append(f"window also holds {', '.join(held)}")
        short = [f"{r['series']} {service.short_estimation(r, res.spec)}" for _, r in grp.iterrows()
                 if int(r["n_est"]) < est]
        if short:
            notes.append("; ".join(short))
        skipped = sorted({o.strip() for v in grp.get("est_excludes", pd.Series(dtype=object))
                          if isinstance(v, str) and v for o in v.split(",")})
        if skipped:
            notes.append(f"estimation leaves out the windows of {', '.join(skipped)}")
        rows.append(f"<tr><td title=\"{html.escape(res.names.get(str(eid), ''))}\">"
                    f"{html.escape(str(eid))}</td><td>{d}</td>{''.join(cells)}"
                    f"<td>{html.escape('; '.join(notes))}</td></tr>")
    return f'<table class="data"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def build(ctx: ReportContext) -> Section | None:
    """Build the event-study section."""
    ws = ctx.workspace
    if not ws.have(list(service.ASSETS)):
        raise DataError(f"the event studies measure {', '.join(service.ASSETS)}; {ws.label} "
                        "holds none of them")
    try:
        res = service.events(ws)
    except SpillwatchError as exc:
        return Section("events", "Event studies", html=f"<p><i>Not computed: "
                       f"{html.escape(exc.message)}</i></p>", summary={"error": exc.message})
    w = res.spec.window
    figures = [figs.event_figure(res, e, simulated=ctx.simulated) for e in service.FEATURED
               if e in set(res.ar["event"])]
    mean = set(res.car["factors"]) == {"mean"} if len(res.car) else False
    model = ("against a constant-mean model (<b>the store holds neither the S&amp;P 500 nor the "
             "broad dollar</b>: the abnormal move is the raw move less its mean), estimated "
             if mean else
             "against a market model on the S&amp;P 500 and the broad dollar estimated ")
    text = (f"<p>CAR over days [{w[0]}, {w[1]}] around day 0 (the first trading day on or after "
            "the news; for news given with its time, each series' first close after it: news "
            f"after the New York close is the next day for US markets, the same day for "
            f"crypto), {model}"
            f"over up to {res.spec.estimation} days ending {res.spec.gap} days before the "
            "window, leaving out the other events' windows; t-statistic in brackets; under it "
            "the raw move over the window and the constant-mean CAR (the raw move less the "
            "series' own mean, MacKinlay 1997, sec. 4.1) with its t. The S&amp;P 500 and "
            "the dollar themselves are measured against their own mean. Around a macro event "
            "the factors move with the news and the market model nets their part out, so a "
            "CAR can differ in sign from the raw move: &dagger; marks a market-model CAR of the "
            "opposite sign to the constant-mean one (the factors' part, not the series' own "
            "move), never bold; bold is p &lt; 0.05 (the t with the estimation window's degrees "
            "of freedom, as the CLI's star, on that window's volatility: a fat-tailed series "
            "whose volatility moves, such as bitcoin, reads it more often than one time in 20 "
            "on dates with no news) with both of one sign; &Dagger; marks a "
            "constant-mean CAR significant against it. Units: *_pct are summed daily log "
            "returns &times; 100 (a CAR of &minus;55.6 means the price ended 1 &minus; "
            "e<sup>&minus;0.556</sup> = 43 % below what the model expected, not that it fell "
            "43 %), *_bp basis points. The note column names another event whose day 0 falls "
            "inside a window (its move is in this CAR too); windows can also overlap without "
            "holding each other's day 0: compare the dates.</p>")
    fails = ""
    if len(res.failures):
        reasons = [str(r) for r in pd.DataFrame(res.failures)["reason"]]
        kinds = [("start before the series' first date", " starts before the first date "),
                 ("run past its last date", " runs past the last date "),
                 ("have missing dates around the event", " has missing dates around ")]
        counts = [(what, sum(key in r for r in reasons)) for what, key in kinds]
        other = len(reasons) - sum(n for _, n in counts)
        parts = [f"{n} {what}" for what, n in counts if n]
        parts += [f"{other} too short an estimation window or another reason"] if other else []
        fails = (f"<p><i>{len(reasons)} (event, series) pairs are not measured: "
                 f"{'; '.join(parts)} (each reason: <code>spillwatch events --json</code>, "
                 "<code>failures</code>).</i></p>")
    later = res.later_note()
    if later:
        fails += f"<p><i>{html.escape(later[0].upper() + later[1:])}.</i></p>"
    # the default list's assets the data hold none of, as the CLI and the API name them (the
    # report of 2015-06-01 showed the crypto events without bitcoin, ether or TRUMP unsaid)
    for col, why in res.absent.items():
        fails += f"<p><i>{html.escape(f'{col} left out: {why}')}.</i></p>"
    title = ("Event studies: tariffs, the pause, Japan, and stress episodes" if not later else
             f"Event studies: the episodes known on {res.as_of.date()}")
    if ctx.simulated:
        text = simulated_dates_note("the events") + text
    return Section("events", title,
                   figures=figures, html=text + _car_html(res) + fails,
                   summary=service.summary(res), intro=INTRO)
