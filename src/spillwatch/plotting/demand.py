"""Foreign-demand figures: the gauge, its attribution, custody, Japan's flows, auctions, hedging.

Each function takes a :class:`~spillwatch.analytics.demand.DemandResult` (duck-typed: this
module sits below analytics and imports nothing from it) and returns a plotly figure; plotly is
imported inside the functions.
"""

from __future__ import annotations

import math
import textwrap
from typing import Any

import numpy as np
import pandas as pd

from spillwatch.plotting.style import COLORS, base_layout, missing_at_end, note_below

#: Line colours of the attribution groups.
GROUP_COLORS = {"custody": COLORS["rates"], "japan_private": "#c0392b",
                "japan_official": "#e67e22", "auctions": COLORS["stress"],
                "china": COLORS["gold"]}
GROUP_LABELS = {"custody": "foreign official custody", "japan_private": "Japan private",
                "japan_official": "Japan official", "auctions": "auctions", "china": "China"}
#: Percentile cut-offs drawn on the gauge (elevated, top decile).
BANDS = (80.0, 90.0)


def _simulated(result: Any) -> bool:
    return bool(getattr(result, "simulated", False))


def _last(frame: pd.DataFrame, days: int | None) -> pd.DataFrame:
    if frame.empty or days is None:
        return frame
    return frame.loc[frame.index[-1] - pd.Timedelta(days=days):]


def _say_when_empty(fig: Any, result: Any, what: str, *sources: str, because: str = "") -> Any:
    """On a chart that draws nothing, say what it lacks, where its lines would be.

    An empty axis under a title that claims data read as no selling: the report's gauge, Japan,
    auctions and hedge charts of a store without those inputs were blank, without a word.

    Parameters
    ----------
    fig : plotly Figure
        The chart, returned as it is when it holds a trace.
    result : DemandResult
        Its ``stored_inputs`` (the inputs the store holds at all; None: not known) and the
        last day of its frame.
    what : str
        What the chart would draw, in words ("Fed custody holdings").
    *sources : str
        The gauge inputs behind it (``"custody"``, ``"mof_weekly"``...): when the store holds
        none of them the note says "in the data"; otherwise "by" the result's last day (a
        store whose figures begin later, or an evening before them).
    because : str, optional
        What the chart needs, said after it ("it needs 3 groups with a current reading").
    """
    if fig.data:
        return fig
    stored = getattr(result, "stored_inputs", None)
    frame = getattr(result, "frame", None)
    day = frame.index[-1] if frame is not None and len(frame) else None
    if (sources and stored is not None and not any(s in stored for s in sources)) \
            or day is None:
        why = f"nothing to draw: no {what} in the data"
    else:
        why = f"nothing to draw: no {what} by {day:%Y-%m-%d}"
    why += f" ({because})" if because else ""
    # no frame of a series that is not there (a time axis of -1 to 6 under a zero line): the
    # reason where the lines would be, as the crypto chart without coins
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.layout.shapes = ()
    return fig.add_annotation(text="<br>".join(textwrap.wrap(why, 70)), x=0.5, y=0.5,
                              xref="paper", yref="paper", showarrow=False,
                              font={"size": 13, "color": "#666"})


def gauge_history(result: Any, *, days: int | None = 3650) -> Any:
    """The gauge's recursive percentile over the last ``days`` days, with the 80/90 lines."""
    import plotly.graph_objects as go

    f = _last(result.valid, days)
    fig = go.Figure()
    if not f.empty:
        fig.add_trace(go.Scatter(
            x=f.index, y=f["percentile"].to_numpy(), name="percentile",
            line={"color": COLORS["stress"], "width": 1.5},
            # the hover's whole percentile rounded down, as the headline and the dial print it
            # (79.74 on 2026-01-06 read "percentile 80" under a headline "percentile 79, calm")
            customdata=np.column_stack([f["gauge"].to_numpy(dtype=float),
                                        np.floor(f["percentile"].to_numpy(dtype=float))]),
            hovertemplate="percentile %{customdata[1]:.0f} (gauge %{customdata[0]:.3f})"))
        for b in BANDS:
            fig.add_hline(y=b, line={"dash": "dot", "width": 1, "color": "#888"})
    fig.update_yaxes(title="percentile (recursive)", range=[0, 100])
    fig = base_layout(fig, "Foreign-demand gauge: evidence that foreigners are selling",
                      simulated=_simulated(result))
    spec = getattr(result, "spec", None)
    need = getattr(spec, "min_groups", None)
    return _say_when_empty(fig, result, "reading of the gauge", because=(
        f"it needs {need} groups with a current reading" if need else ""))


def attribution(result: Any, *, days: int | None = 730, note: str | None = None) -> Any:
    """The percentile split by each group's attribution share (stacked).

    ``note`` (that the reading is not today's) is written under the plot, above the note on
    the groups without data.
    """
    import plotly.graph_objects as go

    f = _last(result.valid, days)
    fig = go.Figure()
    drawn: dict[str, pd.Series] = {}
    for g, label in GROUP_LABELS.items():
        col = f"share_{g}"
        if col in f.columns and f[col].notna().any():
            share = f[col]
            drawn[label] = share
            y = (share.fillna(0.0) * f["percentile"].fillna(0.0)).to_numpy()
            # a group without fresh data is no part of the gauge that day: a zero band,
            # said so on hover and under the plot (it is not a calm reading)
            state = np.where(share.isna().to_numpy(), "no data", "")
            fig.add_trace(go.Scatter(x=f.index, y=y, name=label, stackgroup="one",
                                     customdata=state,
                                     hovertemplate="%{y:.1f} %{customdata}",
                                     line={"width": 0.5, "color": GROUP_COLORS[g]}))
    fig.update_yaxes(title="percentile × attribution share", range=[0, 100])
    fig = base_layout(fig, "Who is selling? Attribution of the gauge",
                      simulated=_simulated(result))
    if not drawn:
        # an empty frame (a time axis of -1 to 6) without a word on a past evening of a store
        # without the demand files (`/api/figures/demand_attribution?as_of=`)
        need = getattr(getattr(result, "spec", None), "min_groups", None)
        fig = _say_when_empty(fig, result, "group's share of the gauge", because=(
            f"the gauge needs {need} groups with a current reading" if need else ""))
        return note_below(fig, note, width=90) if note else fig
    text = "\n".join(n for n in (note, missing_at_end(drawn)) if n)
    # under the date ticks (the note sat on "Jul 2024 / Jan 2025"), and the legend under it
    return note_below(fig, text, width=90, under_axis_title=True, legend_rows=1) if text else fig


def custody(result: Any, *, days: int | None = 1825) -> Any:
    """Weekly 4-week change of custody holdings (bars) and the level (line)."""
    import plotly.graph_objects as go

    nat = result.signals.natives.get("custody")
    fig = go.Figure()
    if nat is not None:
        v = _last(nat.values, days)
        fig.add_trace(go.Bar(x=v.index, y=v["custody_chg4_usd_bn"].to_numpy(),
                             name="4-week change ($bn)", marker={"color": COLORS["rates"]}))
        fig.add_trace(go.Scatter(x=v.index, y=v["custody_usd_bn"].to_numpy(), name="level ($bn)",
                                 yaxis="y2", line={"color": "#555", "width": 1}))
        fig.update_layout(yaxis2={"overlaying": "y", "side": "right", "title": "level ($bn)"})
    # the left axis only: update_yaxes titled the level's axis "4-week change" too
    fig.update_layout(yaxis={"title": "4-week change ($bn)"})
    fig = base_layout(fig, "Treasuries held at the NY Fed for foreign official accounts",
                      simulated=_simulated(result))
    return _say_when_empty(fig, result, "Fed custody holdings", "custody")


def japan_flows(result: Any, *, days: int | None = 1825) -> Any:
    """Japan's weekly net foreign-bond purchases (bars) and interventions (markers)."""
    import plotly.graph_objects as go

    nat = result.signals.natives.get("japan_weekly")
    fig = go.Figure()
    start = None
    if nat is not None and len(nat.values):
        v = _last(nat.values, days)
        start = v.index[0]
        fig.add_trace(go.Bar(x=v.index, y=v["japan_bond_net1_jpy_bn"].to_numpy(),
                             name="weekly net purchases (¥bn)", marker={"color": "#c0392b"},
                             customdata=v[["japan_bond_net1_z"]].to_numpy(),
                             hovertemplate="%{y:,.0f} ¥bn (z %{customdata[0]:.1f})"))
    ops = result.interventions
    if not ops.empty:
        sold = ops[ops["usd_sold_jpy_bn"] > 0]
        if start is not None:
            sold = sold[sold["date"] >= start]
        # an operation sits on its day once MOF's quarterly detail dated it; before that the
        # month's report gave its total only, shown on the report's day (a replay of
        # 2024-06-28 drew 04-29 and 05-01, which MOF dated in August)
        end = result.frame.index[-1] if len(result.frame) else None
        dated = sold if end is None or "detail" not in sold else sold[sold["detail"] <= end]
        if len(dated):
            fig.add_trace(go.Scatter(x=dated["date"], y=-dated["usd_sold_jpy_bn"].to_numpy(),
                                     mode="markers", name="intervention: dollars sold (¥bn, "
                                     "shown negative)", marker={"color": "#e67e22", "size": 9,
                                                                "symbol": "diamond"}))
        total = sold.drop(dated.index).groupby("report")["usd_sold_jpy_bn"].sum()
        if len(total):
            fig.add_trace(go.Scatter(
                x=total.index, y=-total.to_numpy(), mode="markers",
                name="intervention: the month's reported total (days not yet published)",
                marker={"color": "#e67e22", "size": 11, "symbol": "diamond-open"}))
    fig.update_yaxes(title="¥bn")
    fig = base_layout(fig, "Japan: weekly net purchases of foreign bonds, and interventions",
                      simulated=_simulated(result))
    return _say_when_empty(fig, result, "MOF weekly flows nor dollars sold in interventions",
                           "mof_weekly", "interventions")


def auction_demand(result: Any, *, days: int | None = 1825) -> Any:
    """Weakness score of every auction by tenor class; weak ones marked."""
    import plotly.graph_objects as go

    t = result.auctions
    fig = go.Figure()
    if not t.empty:
        t = t[t["weakness"].notna()]
        if days is not None and len(t):
            t = t[t["date"] >= t["date"].max() - pd.Timedelta(days=days)]
        for c, g in t.groupby("class_years"):
            fig.add_trace(go.Scatter(
                x=g["date"], y=g["weakness"].to_numpy(), mode="markers", name=f"{int(c)}y",
                marker={"size": 6, "line": {"width": g["weak"].astype(int).to_numpy() * 2,
                                            "color": "#c0392b"}},
                customdata=g[["indirect_pct", "indirect_dev_pp", "bid_to_cover",
                              "dealer_pct"]].to_numpy(),
                hovertemplate=("weakness %{y:.2f}<br>indirect %{customdata[0]:.1f}% "
                               "(%{customdata[1]:+.1f} pp)<br>bid-to-cover %{customdata[2]:.2f}"
                               "<br>dealers %{customdata[3]:.1f}%")))
        fig.add_hline(y=1.0, line={"dash": "dot", "width": 1, "color": "#c0392b"})
    fig.update_yaxes(title="weakness score (≥ 1 = weak)")
    fig = base_layout(fig, "Treasury auctions: demand against the same tenor's recent auctions",
                      simulated=_simulated(result))
    return _say_when_empty(fig, result, "scored auction results", "auctions")


def hedged_pickup(result: Any, *, days: int | None = 3650) -> Any:
    """Hedged and unhedged 10y UST minus 10y JGB for a Japanese investor."""
    import plotly.graph_objects as go

    f = _last(result.frame, days)
    fig = go.Figure()
    for col, name, color in (("hedged_pickup_pct", "hedged pick-up (before the basis)",
                              "#c0392b"),
                             ("ust_jgb_10y_spread_pct", "unhedged spread", COLORS["rates"])):
        s = f[col].dropna()
        if len(s):
            fig.add_trace(go.Scatter(x=s.index, y=s.to_numpy(), name=name,
                                     line={"color": color, "width": 1.3}))
    fig.add_hline(y=0.0, line={"width": 1, "color": "#888"})
    fig.update_yaxes(title="percentage points")
    fig = base_layout(fig, "10y Treasury vs 10y JGB for a Japanese investor, FX-hedged and not",
                      simulated=_simulated(result))
    return _say_when_empty(fig, result, "hedged pick-up nor UST–JGB spread")


def lead_phrase(percentile: float | None, label: str, share: float | None = None, *,
                bold: bool = False, ranked: bool = True) -> str:
    """Which group the gauge's reading rests on, as every interface words it.

    ``led by X`` when the gauge is at or above its lower band (80): below it nobody is selling
    and the largest share of a small sum is no lead (a percentile of 35 read "led by auctions").
    The share is of the gauge's evidence (the harmonic sum), not of any amount sold: "99% of the
    selling" was printed for Japan official in a month without an intervention.

    ``ranked``: whether the percentile ranks the gauge with that group
    (:func:`top_ranked`). A group in its first year is left out of the percentile, so a
    percentile under the band is then the other groups' and says nothing of the group that
    carries most of the evidence: no "calm" is said of it (three years of data read
    "percentile 26, calm (largest part of the evidence: Japan official)", Japan official 76% of
    a gauge whose full history ranked the evening at 96).
    """
    name = f"<b>{label}</b>" if bold else label
    share_txt = f" ({100 * share:.0f}% of the gauge's evidence)" if share is not None else ""
    if percentile is not None and percentile < BANDS[0]:
        if not ranked:
            return f"not ranked with its largest part, {name}{share_txt}: not a calm reading"
        return f"calm (largest part of the evidence: {name}{share_txt})"
    return f"led by {name}{share_txt}"


def top_ranked(top_group: str | None, percentile_groups: list[str] | None) -> bool:
    """Whether the percentile ranks the gauge with its largest group (:func:`lead_phrase`).

    True without a top group or without a list of the ranked groups (nothing left out).
    """
    return not top_group or not percentile_groups or top_group in percentile_groups


def demand_dial(result: Any, *, note: str | None = None) -> Any:
    """Dashboard card: today's gauge percentile on a dial, with the top attribution group.

    ``note`` is written under the dial (the dashboard's notes,
    :func:`spillwatch.service.demand.dial`); without one, the groups without a reading in
    ``demand``'s words (:meth:`~spillwatch.analytics.demand.DemandResult.unavailable_line`).
    """
    import plotly.graph_objects as go

    last = result.latest()
    pct = last.get("percentile")
    top = GROUP_LABELS.get(last.get("top_group") or "", "n/a")
    shares = last.get("shares") or {}
    share = shares.get(last.get("top_group") or "")
    missing = last.get("groups_unavailable") or []
    lo, hi = BANDS
    # no reading is no needle (a dial at 0 read as "no foreign selling")
    fig = go.Figure(go.Indicator(
        mode="gauge+number" if pct is not None else "gauge",
        # the whole percentile rounded down, as the bands and every line print it (79.6 read
        # "80 pct" over "calm")
        value=float(math.floor(pct)) if pct is not None else 0.0,
        number={"suffix": " pct", "valueformat": ".0f"},
        gauge={"axis": {"range": [0, 100], "tickvals": [0, lo, hi, 100]},
               "bar": {"color": COLORS["stress"], "thickness": 0.3},
               "steps": [{"range": [0, lo], "color": "rgba(39,174,96,0.35)"},
                         {"range": [lo, hi], "color": "rgba(243,156,18,0.45)"},
                         {"range": [hi, 100], "color": "rgba(192,57,43,0.5)"}]}))
    title = (f"Foreign selling {last.get('date')}: no reading" if pct is None else
             f"Foreign selling {last.get('date')}: "
             + lead_phrase(pct, top, share, bold=True,
                           ranked=top_ranked(last.get("top_group"),
                                             last.get("percentile_groups"))))
    if missing:
        title += f"<br><sup>{len(shares) - len(missing)} of {len(shares)} groups read</sup>"
    fig = base_layout(fig, title, height=300, simulated=_simulated(result))
    fig.update_layout(margin={"l": 30, "r": 30, "t": 70, "b": 10})
    text = note if note is not None else result.unavailable_line(last)
    return note_below(fig, text, width=80) if text else fig
