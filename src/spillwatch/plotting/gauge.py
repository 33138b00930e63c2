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


def stress_gauge(result: Any, *, simulated: bool = False, note: str | None = None) -> Any:
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
    note : str, optional
        The service's note of a reading that is not the evening's, and why
        (:func:`spillwatch.service.stress.stale_note`), written above the stale inputs.
    """
    import plotly.graph_objects as go

    latest = result.latest()
    lo, hi = getattr(result.spec, "thresholds", (80.0, 95.0))
    pct = latest.get("percentile")
    # the reading five business days before the headline date, for the delta arrow
    ref = latest.get("week_ago_percentile")
    regime = latest.get("regime") or "n/a"
    # with the day it last read when that is not the reading's (the headline's words); the
    # signature's names in words, the series it waits for by their ids (the card read "usd
    # broad reported to 2019-02-08" beside the regime line's and the headline's "usd_broad")
    signature = signature_text({
        **latest, "signature": str(latest.get("signature") or "none").replace("_", " "),
        "signature_last": (None if latest.get("signature_last") is None
                           else str(latest["signature_last"]).replace("_", " "))})
    # no reading: the dial without a number (it showed "0 pct", a calm reading)
    mode = "gauge" if pct is None else "gauge+number+delta" if ref is not None else "gauge+number"
    # the whole percentile rounded down, as the headline and the regime line print it (the
    # dial read "11 pct" over a headline of "percentile 10" for 10.6), and the week's change
    # as the headline rounds it (the reference placed so the dial's difference is that)
    shown_pct = float(math.floor(pct)) if pct is not None else 0.0
    ref = None if ref is None or pct is None else shown_pct - round(pct - ref)
    # no change: plotly draws a delta of 0 as a lone "-" in the rising colour (red), without
    # its "vs a week ago" (2020-03-18: 100 then and a week before); said in words instead
    flat = ref is not None and ref == shown_pct
    if flat:
        mode = "gauge+number"
    # the needle reads the recent percentile, but crisis is entered on the all-history one
    # (and elevated on either): a needle of 97 in the red band read "elevated" (2022-05-09:
    # all history 94) and one of 94 in the amber band "crisis" (2022-12-06: all history 95)
    # without a word; the title says why and a mark on the dial shows the all-history rank
    why = None if pct is None or latest.get("regime_held") else band_vs_regime(
        regime, shown_pct, latest.get("percentile_longrun"), (lo, hi))
    longrun = latest.get("percentile_longrun")
    threshold = ({"value": float(math.floor(longrun)), "thickness": 0.9,
                  "line": {"color": "#222222", "width": 3}} if why is not None else None)
    fig = go.Figure(go.Indicator(
        mode=mode,
        value=shown_pct,
        number={"suffix": " pct", "valueformat": ".0f"},
        delta={"reference": ref, "valueformat": ".0f", "suffix": " vs a week ago",
               "increasing": {"color": COLORS["trump"]},
               "decreasing": {"color": COLORS["dollar"]}} if ref is not None and not flat
        else None,
        gauge={"axis": {"range": [0, 100], "tickvals": [0, lo, hi, 100]},
               "bar": {"color": COLORS["stress"], "thickness": 0.3},
               "steps": [{"range": [0, lo], "color": BAND_COLORS[0]},
                         {"range": [lo, hi], "color": BAND_COLORS[1]},
                         {"range": [hi, 100], "color": BAND_COLORS[2]}],
               **({"threshold": threshold} if threshold else {})},
    ))
    # three decimals as the headline and the report print it (0.06 here, 0.056 there); no
    # reading is n/a, not 0.00
    level = latest.get("stress")
    shown = "n/a" if level is None else f"{level:.3f}"
    # no reading at all (a store without the equity/volatility block) is not a reading too
    # young to rank: the card said "n/a (too little history to rank)" and "the reading itself
    # is stale" of the data's last day, where `stress` says "no reading" (h_verify36)
    valid = getattr(result, "valid", None)
    read = valid is None or len(valid) > 0
    unranked = (" n/a (too little history to rank)" if read else
                " n/a (no reading: the data's last day)")
    fig = base_layout(fig, f"Stress percentile {latest.get('date')}"
                           + (" (unchanged vs a week ago)" if flat else "")
                           + (unranked if pct is None else "")
                           + f": regime <b>{regime}</b>"
                           # a regime the exit band holds above the needle's band ("elevated"
                           # over a needle of 75 in the green) says so, as the regime line does
                           + (f" ({latest['regime_held']})" if latest.get("regime_held") else "")
                           + (f" ({why})" if why else "")
                           + f", index {shown}, signature {signature}",
                      simulated=simulated, height=300)
    # room above the dial for each line of the title base_layout wrapped
    top = 70 + 18 * fig.layout.title.text.count("<br>")
    stale = latest.get("stale") or []
    if stale or not latest.get("fresh", True) or note:
        seen = ", ".join(f"{k} (last {latest['inputs'][k]['last']})" for k in stale)
        inputs = (f"as of {latest.get('as_of')}" + (f"; stale: {seen}" if seen else "")
                  + ("" if latest.get("fresh", True) or not read
                     else "; the reading itself is stale")
                  ) if stale or not latest.get("fresh", True) else None
        fig.update_layout(margin={"l": 30, "r": 30, "t": top, "b": 30})
        return note_below(fig, "\n".join(n for n in (note, inputs) if n))
    fig.update_layout(margin={"l": 30, "r": 30, "t": top, "b": 30})
    return fig


def _band_of(value: float, lo: float, hi: float) -> str:
    return "crisis" if value >= hi else "elevated" if value >= lo else "calm"


def band_vs_regime(regime: str | None, shown: float, longrun: float | None,
                   thresholds: tuple[float, float]) -> str | None:
    """Why the regime is not the band the needle (the recent percentile) points at, if it is not.

    The regime enters crisis on the all-history percentile alone and elevated on either
    (:func:`spillwatch.analytics.stress.regimes.classify_regimes`); the dial's needle is the
    recent one. ``None`` when they agree, or without an all-history percentile.

    >>> band_vs_regime("elevated", 97.0, 94.39, (80.0, 95.0))
    "the all-history percentile (black mark), 94, is under crisis's 95"
    >>> band_vs_regime("crisis", 94.0, 95.77, (80.0, 95.0))
    "the all-history percentile (black mark), 95, reaches crisis's 95"
    >>> band_vs_regime("elevated", 75.0, 82.4, (80.0, 95.0))
    "the all-history percentile (black mark), 82, reaches elevated's 80"
    >>> band_vs_regime("calm", 10.0, 16.3, (80.0, 95.0)) is None
    True
    """
    lo, hi = thresholds
    if regime not in ("calm", "elevated", "crisis") or longrun is None or math.isnan(longrun):
        return None
    needle = _band_of(shown, lo, hi)
    if needle == regime:
        return None
    q = math.floor(longrun)
    order = ("calm", "elevated", "crisis")
    if order.index(needle) > order.index(regime):
        cut = hi if needle == "crisis" else lo
        return f"the all-history percentile (black mark), {q}, is under {needle}'s {cut:g}"
    cut = hi if regime == "crisis" else lo
    return f"the all-history percentile (black mark), {q}, reaches {regime}'s {cut:g}"
