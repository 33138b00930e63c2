"""Risk section: volatility forecasts, dynamic correlation in calm and stress, VaR/ES, CoVaR.

Each part is computed on its own; a part that the data cannot support is reported in the section
with the reason (the message of the error), and the others still show.
"""

from __future__ import annotations

import html
import logging
from typing import Any

import numpy as np
import pandas as pd

from spillwatch.exceptions import SpillwatchError
from spillwatch.plotting import risk as figs
from spillwatch.report.context import ReportContext, Section

logger = logging.getLogger(__name__)

ASSETS = ["ust10y", "usd_broad", "spx", "btc", "eth", "trump"]
START = "2015-01-01"


def _table_html(frame: pd.DataFrame, fmt: str = "{:,.2f}") -> str:
    def cell(v: Any) -> str:
        if isinstance(v, (float, np.floating)):
            return "" if not np.isfinite(v) else fmt.format(v)
        if isinstance(v, pd.Timestamp):
            return v.date().isoformat()
        return html.escape(str(v))

    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in
                   [*(frame.index.names if frame.index.name or frame.index.nlevels > 1 else [""]),
                    *frame.columns])
    rows = []
    for idx, vals in zip(frame.index, frame.itertuples(index=False), strict=True):
        keys = idx if isinstance(idx, tuple) else (idx,)
        rows.append("<tr>" + "".join(f"<td>{cell(k)}</td>" for k in keys)
                    + "".join(f"<td>{cell(v)}</td>" for v in vals) + "</tr>")
    return f'<table class="data"><tr>{head}</tr>{"".join(rows)}</table>'


def _try(notes: list[str], what: str, fn: Any) -> Any:
    try:
        return fn()
    except SpillwatchError as exc:
        logger.info("risk section: %s not computed: %s", what, exc.message)
        notes.append(f"<p><i>{html.escape(what)} not computed: {html.escape(exc.message)}</i></p>")
        return None


def build(ctx: ReportContext) -> Section | None:
    """Build the risk section."""
    from spillwatch.analytics.volatility import correlation, covar, var_es, volatility

    panel = ctx.panel(ASSETS, "changes")
    if panel.empty or not {"btc_pct", "ust10y_bp"} <= set(panel.columns):
        return None
    panel = panel.loc[START:]
    sim = ctx.simulated
    notes: list[str] = []
    parts: list[str] = []
    figures: list[Any] = []
    summary: dict[str, Any] = {}

    vol = _try(notes, "volatility", lambda: volatility(panel, model="auto", horizon=10,
                                                           min_obs=200))
    if vol is not None:
        t = vol.table()[["model", "nobs", "nu", "vol_last", "vol_1d", "vol_10d", "vol_cum_10d",
                         "vol_annual"]]
        parts.append("<h4>Volatility forecasts (GARCH family chosen by BIC; daily units: "
                     "% for *_pct, bp for *_bp)</h4>" + _table_html(t))
        figures.append(figs.volatility_figure(vol, simulated=sim))
        summary["vol_1d"] = {k: float(v) for k, v in t["vol_1d"].items()}
        for name, why in vol.failures.items():
            notes.append(f"<p><i>volatility of {html.escape(name)} not computed: "
                         f"{html.escape(why)}</i></p>")

    core = [c for c in ("ust10y_bp", "usd_broad_pct", "spx_pct", "btc_pct", "eth_pct")
            if c in panel.columns]
    dcc = _try(notes, "DCC correlation", lambda: correlation(panel[core], method="dcc"))
    if dcc is not None:
        x = panel["ust10y_bp"]
        stress = x >= x.quantile(0.95)
        st = dcc.stress_table(stress)
        crypto_pairs = [p for p in st.index if "btc" in p or "eth" in p]
        parts.append("<h4>DCC(1,1) correlation: calm days vs Treasury sell-off days (10y change "
                     f"at or above its 95th percentile, {int(st['n_stress'].iloc[0])} days); "
                     f"a = {dcc.params['a']:.4f}, b = {dcc.params['b']:.4f}</h4>"
                     + _table_html(st.loc[crypto_pairs, ["calm", "stress"]], "{:+.3f}"))
        figures.append(figs.correlation_figure(dcc, simulated=sim))
        summary["dcc"] = {"a": dcc.params["a"], "b": dcc.params["b"]}

    crypto = [c for c in ("btc_pct", "eth_pct", "trump_pct") if c in panel.columns]
    res = _try(notes, "VaR/ES", lambda: var_es(panel[crypto], level=0.99))
    if res is not None:
        parts.append("<h4>One-day 99% VaR and ES (positive = loss, % per day)</h4>"
                     + _table_html(res.table()[["var", "es", "nobs"]]))
        summary["var99"] = {f"{s}/{m}": float(v) for (s, m), v in res.table()["var"].items()}
        long_enough = [c for c in crypto if len(res.series[c])
                       >= res.spec.warmup + res.spec.min_test]
        if long_enough:
            bt = _try(notes, "VaR backtest",
                      lambda: var_es(panel[long_enough], level=0.99).backtest())
            if bt is not None:
                tb = bt.table()[["start", "end", "days", "violations", "expected", "kupiec_p",
                                 "christoffersen_p", "passed"]]
                parts.append("<h4>Backtest (Kupiec POF and Christoffersen independence, "
                             "5% level)</h4>" + _table_html(tb, "{:,.3f}"))
                figures.append(figs.backtest_figure(bt, "btc_pct", "fhs", simulated=sim))
                summary["backtest_passed"] = {f"{s}/{m}": bool(v)
                                              for (s, m), v in tb["passed"].items()}
    cv = _try(notes, "CoVaR", lambda: covar(panel, q=0.05, targets=tuple(crypto)))
    if cv is not None:
        tc = cv.table()[["x_stress", "var_q", "covar_median", "covar", "delta_covar",
                         "delta_covar_t", "nobs"]]
        parts.append("<h4>CoVaR given a Treasury sell-off (Adrian &amp; Brunnermeier 2016; "
                     "5% quantile of the daily return, %; stress = 10y change at its 95th/99th "
                     "percentile, bp)</h4>" + _table_html(tc))
        figures.append(figs.covar_figure(cv, simulated=sim))
        summary["delta_covar"] = {f"{s}@{p:.2f}": float(v)
                                  for (s, p), v in tc["delta_covar"].items()}
    if not parts:
        return Section("risk", "Volatility, correlation and tail risk", html="".join(notes),
                       summary={"notes": len(notes)})
    intro = ("Volatility: GARCH, GJR-GARCH and EGARCH with Student-t errors (arch), the lowest "
             "BIC per series, 1–10 day forecasts. Correlation: DCC(1,1) by two-step QML "
             "(Engle 2002). VaR/ES: historical, filtered historical simulation (Barone-Adesi et "
             "al. 1999) and GARCH-t; backtests by Kupiec (1995) and Christoffersen (1998). "
             f"Data from {START}.")
    return Section("risk", "Volatility, correlation and tail risk", figures=figures,
                   html="".join(parts) + "".join(notes), summary=summary, intro=intro)
