"""Risk section: volatility forecasts, dynamic correlation in calm and stress, VaR/ES, CoVaR.

Each part is computed by the service layer on its own; a part that the data cannot support is
reported in the section with the reason, and the others still show.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from typing import Any

from spillwatch._results import p_value
from spillwatch.exceptions import DataError, SpillwatchError
from spillwatch.plotting import risk as figs
from spillwatch.report.context import ReportContext, Section
from spillwatch.report.format import note, table_html
from spillwatch.service import risk as service

INTRO = ("Volatility: GARCH, GJR-GARCH and EGARCH with Student-t errors (arch), the lowest BIC per "
         "series, 1–10 day forecasts. Correlation: DCC(1,1) by two-step QML (Engle 2002). "
         "VaR/ES: historical, filtered historical simulation (Barone-Adesi et al. 1999) and "
         "GARCH-t; backtests by Kupiec (1995) and Christoffersen (1998). Data from "
         f"{service.START}.")


def _try(notes: list[str], what: str, fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except SpillwatchError as exc:
        notes.append(note(f"{what} not computed: {exc.message}"))
        return None


def build(ctx: ReportContext) -> Section | None:
    """Build the risk section."""
    ws = ctx.workspace
    empty = service.nothing_to_measure(ws)
    if empty:           # the reason `risk` and /api/risk give
        raise DataError(empty)
    sim = ctx.simulated
    notes: list[str] = []
    parts: list[str] = []
    figures: list[Any] = []
    summary: dict[str, Any] = {}
    vol = _try(notes, "volatility", lambda: service.volatility(ws))
    if vol is not None:
        h = vol.spec.horizon
        real = f"realised_{service.REALISED_DAYS}d"
        # the forecast path, as the CLI's "(median path: ...)" and the summary's "forecast":
        # EGARCH-t rows' vol_{h}d and vol_cum_{h}d are the median path's, which the table
        # did not say
        t = vol.table()[["last_date", "model", "nobs", "nu", "vol_last", "vol_1d", f"vol_{h}d",
                         f"vol_cum_{h}d", "vol_annual", real, "forecast"]].rename(
                             columns={"last_date": "as_of"})
        parts.append(f"<h3>Volatility forecasts from each series' last date (GARCH family "
                     f"chosen by BIC; % for *_pct, bp for *_bp: vol_last, vol_1d and vol_{h}d "
                     f"per day, vol_cum_{h}d over the {h} days, vol_annual per year; {real} "
                     f"the sample sd of the last {service.REALISED_DAYS} changes, per day; "
                     "forecast: the mean path, or the median path where Student-t shocks leave "
                     "EGARCH no finite mean)</h3>"
                     + table_html(t))
        notes += [note(n) for n in vol.notes]    # forecasts from an old last date say so
        figures.append(figs.volatility_figure(vol, simulated=sim))
        summary["volatility"] = service.volatility_summary(vol)
        notes += [note(f"volatility of {k} not computed: {why}")
                  for k, why in vol.failures.items()]
    corr = _try(notes, "DCC correlation", lambda: service.correlation(ws))
    if corr is not None:
        st = service.selloff_correlations(corr)
        params = corr.result.params
        # the days counted on the rows, as the JSON's selloff_days (the crypto pairs' table
        # is empty before crypto: "0 days" stood beside the JSON's 57)
        summary["correlation"] = service.correlation_summary(corr)
        n = summary["correlation"]["selloff_days"]
        shown = service.selloff_shown(st)
        why = "; ".join(f"{k}: {v}" for k, v in corr.left_out.items()
                        if any(c in str(k) for c in service.CRYPTO))
        ten = corr.left_out.get("ust10y_bp")
        if len(st):
            none = ""
        elif "ust10y_bp" not in corr.result.data.columns:
            # no sell-off days without the 10-year: say why, not "no crypto pair"
            none = ("<p><i>No calm vs sell-off table: the 10-year is not in the correlation ("
                    + html.escape(f"ust10y_bp: {ten}" if ten else "not in the data")
                    + "); the sell-off days are its largest rises.</i></p>")
        else:
            none = ("<p><i>No crypto pair in the correlation ("
                    + (html.escape(why) if why else "BTC and ETH not in the data") +
                    "): the table compares crypto's pairs.</i></p>")
        parts.append("<h3>DCC(1,1) correlation: calm days vs Treasury sell-off days (10y change "
                     f"at or above its 95th percentile, {n} days); "
                     f"a = {params['a']:.4f}, b = {params['b']:.4f}</h3>" + none +
                     "<p><i>DCC</i>: the model's mean forecast for those days, made the "
                     "evening before (with a this small it barely moves on the day itself); "
                     "<i>realised</i>: the correlation of the days' own standardised moves, "
                     "what the pair did on them (days picked on the 10-year's tail narrow its "
                     "range, which biases this figure: Forbes &amp; Rigobon 2002), with "
                     "Fisher's 95% interval.</p>"
                     + table_html(shown, "{:+.3f}"))
        figures.append(figs.correlation_figure(corr.result, simulated=sim))
        notes += [note(f"{k} left out of the correlation: {why}")
                  for k, why in corr.left_out.items()]
        notes += [note(n) for n in corr.notes]
    tail = _try(notes, "VaR/ES", lambda: service.tail_risk(ws))
    if tail is not None:
        parts.append("<h3>One-day 99% VaR and ES (positive = a holder's loss; _pct rows in "
                     "log change x100, with the price fall they mean; yield _bp rows: a rise "
                     "in bp)</h3>"
                     # the window: BTC's 7.59 is of the last 500 days, 12.97 over all 2,020
                     "<p><i>window</i>: the latest days whose tail the historical VaR reads "
                     "(FHS: of GARCH-standardised returns; t: none, a fitted Student-t); "
                     "<i>nobs</i>: the series' days.</p>"
                     + table_html(tail.var_es.table()[["as_of", "loss_when", "var", "es",
                                                       "var_price_fall_pct",
                                                       "es_price_fall_pct", "window",
                                                       "nobs"]]))
        if tail.backtest is not None:
            # the changes spanning two days or more (a weekend) beside the pooled test: ETH
            # "passed" while 6 of its 223 weekend changes broke the 99% VaR (Kupiec p 0.036)
            tb = tail.backtest.table()[["start", "end", "days", "violations", "expected",
                                        "kupiec_p", "christoffersen_p", "passed",
                                        "days_spanning", "violations_spanning",
                                        "kupiec_p_spanning"]]
            failing = [f"{n} {m} ({int(r['violations_spanning'])} of "
                       f"{int(r['days_spanning'])}, Kupiec p {p_value(r['kupiec_p_spanning'])})"
                       for (n, m), r in tb.iterrows() if r["kupiec_p_spanning"] < 0.05]
            parts.append("<h3>Backtest (Kupiec POF and Christoffersen independence, 5% "
                         "level)</h3><p><i>passed</i> is the pooled test over every day; the "
                         "last three columns test the changes spanning two calendar days or "
                         "more alone (after a weekend or a holiday), the kind the VaR of a "
                         "Friday covers for crypto."
                         + (" <b>Failing on those changes</b>: " + html.escape(
                             "; ".join(failing)) + "." if failing else "") + "</p>"
                         + table_html(tb.assign(**{  # p-values on their side of 5%
                             c: tb[c].map(lambda p: p_value(p) if math.isfinite(p) else "")
                             for c in ("kupiec_p", "christoffersen_p", "kupiec_p_spanning")}),
                             "{:,.3f}"))
            figures.append(figs.backtest_figure(tail.backtest, "btc_pct", "fhs", simulated=sim))
        if tail.covar is not None:
            tc = tail.covar.table()[["x_stress", "var_q", "covar_median", "covar",
                                     "delta_covar", "delta_covar_t", "nobs"]]
            parts.append("<h3>CoVaR given a Treasury sell-off (Adrian &amp; Brunnermeier 2016; "
                         "5% quantile of the daily return, %; stress = 10y change at its "
                         "95th/99th percentile, bp)</h3>"
                         "<p>ΔCoVaR = CoVaR under the stress minus CoVaR at the median 10y "
                         "move, in % of daily return. <b>Negative</b>: a Treasury sell-off "
                         "deepens the asset's 5% tail (more risk); <b>positive</b>: the tail "
                         "is shallower on those days (no added risk); |t| &lt; 1.96 is no "
                         "measurable effect either way.</p>" + table_html(tc))
            figures.append(figs.covar_figure(tail.covar, simulated=sim))
        notes += [note(n) for n in tail.notes]
        summary["tail_risk"] = tail.summary_dict()
    return Section("risk", "Volatility, correlation and tail risk", figures=figures,
                   html="".join(parts) + "".join(notes), summary=summary,
                   intro=INTRO if parts else "")
