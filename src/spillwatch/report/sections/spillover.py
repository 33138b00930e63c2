"""Spillover section: whether stress in Treasuries and the dollar spills into crypto.

Rolling 200-day VAR(2) connectedness (Diebold & Yilmaz 2012, generalized FEVD, H = 10) of daily
changes in the 2- and 10-year yields, the broad dollar, USD/JPY, bitcoin and ether: the total
connectedness index, the net spillover from the rates + dollar block to the crypto block, and the
latest table and network.
"""

from __future__ import annotations

import html
import logging
from typing import Any

import numpy as np
import pandas as pd

from spillwatch.exceptions import SpillwatchError
from spillwatch.plotting import spillover as figs
from spillwatch.report.context import ReportContext, Section

logger = logging.getLogger(__name__)

ASSETS = ["ust2y", "ust10y", "usd_broad", "usdjpy", "btc", "eth"]
WINDOW, LAGS, HORIZON = 200, 2, 10


def _table_html(frame: pd.DataFrame) -> str:
    def cell(v: Any) -> str:
        return "" if not np.isfinite(v) else f"{v:,.2f}"

    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in ["to \\ from", *frame.columns])
    rows = "".join(
        f"<tr><td>{html.escape(str(i))}</td>"
        + "".join(f"<td>{cell(float(v))}</td>" for v in row) + "</tr>"
        for i, row in zip(frame.index, frame.to_numpy(dtype=float), strict=True)
    )
    return f'<table class="data"><tr>{head}</tr>{rows}</table>'


def compute(ctx: ReportContext) -> Any:
    """The rolling connectedness of the section's panel (memoised for the dashboard)."""
    from spillwatch.analytics.connectedness import connectedness

    def run() -> Any:
        panel = ctx.panel(ASSETS, "changes")
        if panel.empty:
            return None
        return connectedness(panel, lags=LAGS, horizon=HORIZON, window=WINDOW,
                             on_singular="nan")

    return ctx.memo("spillover_rolling", run)


def build(ctx: ReportContext) -> Section | None:
    """Build the spillover section (None when the source lacks rates, dollar or crypto)."""
    import warnings

    from spillwatch.exceptions import SingularWindowWarning

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", SingularWindowWarning)
            roll = compute(ctx)
    except SpillwatchError as exc:
        logger.info("spillover section not built: %s", exc.message)
        return None
    if roll is None:
        return None
    blocks = roll.blocks()
    if not {"rates_dollar", "crypto"} <= set(blocks.names):
        return None
    latest = roll.at()
    headline = blocks.headline.dropna()
    tci = roll.tci.dropna()
    sim = ctx.simulated
    figures = [
        figs.tci_figure(roll, simulated=sim),
        figs.headline_figure(roll, simulated=sim),
        figs.network_figure(latest, simulated=sim),
        figs.table_figure(latest, simulated=sim),
    ]
    notes = [
        f"<p>{len(roll.tci)} windows of {WINDOW} trading days (complete rows only), "
        f"VAR({LAGS}) with intercept, generalized FEVD at H = {HORIZON}; "
        f"rates + dollar = {', '.join(blocks.groups['rates_dollar'])}; "
        f"crypto = {', '.join(blocks.groups['crypto'])}. A table cell is the share of the "
        "row's forecast-error variance due to shocks in the column; the net spillover from "
        "rates + dollar to crypto sums, over every rates/dollar–crypto pair, what crypto "
        "receives minus what it gives (percentage points; above zero: crypto receives on "
        "net).</p>",
    ]
    if len(roll.failures) or caught:
        notes.append(f"<p><i>{len(roll.failures)} window(s) had a singular design and are "
                     "left blank.</i></p>")
    html_parts = [f"<h4>Latest spillover table ({latest.date.date()})</h4>",
                  _table_html(latest.table()), *notes]
    summary = {
        "as_of": latest.date.date().isoformat(),
        "window": WINDOW,
        "tci": float(tci.iloc[-1]),
        "tci_mean": float(tci.mean()),
        "net_rates_dollar_to_crypto": float(headline.iloc[-1]),
        "net_rates_dollar_to_crypto_mean": float(headline.mean()),
        "share_of_days_crypto_receives": float((headline > 0).mean()),
    }
    intro = (f"Latest total connectedness {summary['tci']:.1f}% (average "
             f"{summary['tci_mean']:.1f}%); net spillover from rates + dollar to crypto "
             f"{summary['net_rates_dollar_to_crypto']:+.2f} pp (average "
             f"{summary['net_rates_dollar_to_crypto_mean']:+.2f} pp).")
    return Section("spillover", "Spillover: rates and the dollar into crypto", figures=figures,
                   html="".join(html_parts), summary=summary, intro=intro)
