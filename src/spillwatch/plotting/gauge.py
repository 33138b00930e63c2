"""The stress gauge: today's percentile of the composite index on a calm/elevated/crisis dial.

Shared by the dashboard (its headline) and any report section that wants it. The dial reads the
**recursive percentile** (0–100) of the index, so its bands are the regime cut-offs of
:mod:`spillwatch.analytics.stress.regimes` (default 80 and 95) at which a regime is entered;
it is left a band lower (``exit_band``), which the title says when it holds the regime.
"""

from __future__ import annotations

import math
from typing import Any

from spillwatch._results import signature_text
from spillwatch.plotting.style import COLORS, base_layout, note_below

#: Band colours of the dial, calm → crisis.
BAND_COLORS = ("rgba(39,174,96,0.35)", "rgba(243,156,18,0.45)", "rgba(192,57,43,0.5)")


def stress_gauge(result: Any, *, simulated: bool = False) -> Any:
    """Gauge of the latest stress percentile with the regime bands, and the change over a week.

    The week-ago reference is the reading five business days before the headline date
    (:meth:`StressResult.week_ago`); stale inputs are listed (greyed) under the dial with the
    date they last reported.

    Parameters
    ----------
    result : StressResult
        From :func:`spillwatch.analytics.stress.compute`; its ``spec.thresholds`` (elevated,
        crisis) place the bands.
    simulated : bool
        Mark the title as simulated.
    """
    import plotly.graph_objects as go

    latest = result.latest()
    lo, hi = getattr(result.spec, "thresholds", (80.0, 95.0))
    pct = latest.get("percentile")
    # the reading five business days before the headline date, for the delta arrow
    ref = latest.get("week_ago_percentile")
    regime = latest.get("regime") or "n/a"
    # with the day it last read when that is not the reading's (the headline's words)
    signature = signature_text({**latest, "signature": latest.get("signature") or "none"}
                               ).replace("_", " ")
    # no reading: the dial without a number (it showed "0 pct", a calm reading)
    mode = "gauge" if pct is None else "gauge+number+delta" if ref is not None else "gauge+number"
    # the whole percentile rounded down, as the headline and the regime line print it (the
    # dial read "11 pct" over a headline of "percentile 10" for 10.6), and the week's change
    # as the headline rounds it (the reference placed so the dial's difference is that)
    shown_pct = float(math.floor(pct)) if pct is not None else 0.0
    ref = None if ref is None or pct is None else shown_pct - round(pct - ref)
    fig = go.Figure(go.Indicator(
        mode=mode,
        value=shown_pct,
        number={"suffix": " pct", "valueformat": ".0f"},
        delta={"reference": ref, "valueformat": ".0f", "suffix": " vs a week ago",
               "increasing": {"color": COLORS["trump"]},
               "decreasing": {"color": COLORS["dollar"]}} if ref is not None else None,
        gauge={"axis": {"range": [0, 100], "tickvals": [0, lo, hi, 100]},
               "bar": {"color": COLORS["stress"], "thickness": 0.3},
               "steps": [{"range": [0, lo], "color": BAND_COLORS[0]},
                         {"range": [lo, hi], "color": BAND_COLORS[1]},
                         {"range": [hi, 100], "color": BAND_COLORS[2]}]},
    ))
    # three decimals as the headline and the report print it (0.06 here, 0.056 there); no
    # reading is n/a, not 0.00
    level = latest.get("stress")
    shown = "n/a" if level is None else f"{level:.3f}"
    fig = base_layout(fig, f"Stress percentile {latest.get('date')}"
                           + (" n/a (too little history to rank)" if pct is None else "")
                           + f": regime <b>{regime}</b>"
                           # a regime the exit band holds above the needle's band ("elevated"
                           # over a needle of 75 in the green) says so, as the regime line does
                           + (f" ({latest['regime_held']})" if latest.get("regime_held") else "")
                           + f", index {shown}, signature {signature}",
                      simulated=simulated, height=300)
    # room above the dial for each line of the title base_layout wrapped
    top = 70 + 18 * fig.layout.title.text.count("<br>")
    stale = latest.get("stale") or []
    if stale or not latest.get("fresh", True):
        seen = ", ".join(f"{k} (last {latest['inputs'][k]['last']})" for k in stale)
        note = (f"as of {latest.get('as_of')}" + (f"; stale: {seen}" if seen else "")
                + ("" if latest.get("fresh", True) else "; the reading itself is stale"))
        fig.update_layout(margin={"l": 30, "r": 30, "t": top, "b": 30})
        return note_below(fig, note)
    fig.update_layout(margin={"l": 30, "r": 30, "t": top, "b": 30})
    return fig
