"""Early-warning scorecard figures: the alert timeline over the index, lead times, scores.

The functions draw the plain data of :meth:`BacktestResult.figure_data
<spillwatch.alerts.backtest.BacktestResult.figure_data>` (this layer sits below the alerts
layer): ``record`` (the index the monitor read each day), ``on`` (each signal's on/off/NaN per
day), ``labels``, ``kinds``, ``headline``, ``comparators``, ``episodes``, ``lead_table`` and
``summary``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from spillwatch.plotting.style import COLORS, add_spans, base_layout

#: Colours of the comparators (and of spillwatch's own index).
SIGNAL_COLORS = {"spillwatch": COLORS["stress"], "spillwatch_1y": "#b57edc",
                 "stlfsi4": "#1f4e79", "ofr_fsi": "#2e8b57", "ecb_ciss": "#b8860b"}
_KIND_COLORS = {"rates": "rgba(31,78,121,0.10)", "dollar": "rgba(46,139,87,0.10)",
                "equity": "rgba(85,85,85,0.10)", "credit": "rgba(127,85,57,0.12)",
                "crypto": "rgba(247,147,26,0.12)", "sell_america": "rgba(192,57,43,0.14)"}


#: Pixels of each signal's lane on the alert timeline, and of the percentile panel above.
LANE_PX = 20
INDEX_PX = 300


def _spans(on: pd.Series) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Runs of days on which a signal is on: (first day, last day)."""
    v = (on.to_numpy(dtype=float) == 1.0).astype(int)
    if not v.any():
        return []
    edges = np.diff(np.concatenate(([0], v, [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1
    idx = on.index
    return [(idx[s], idx[e]) for s, e in zip(starts, ends, strict=True)]


def timeline(data: dict[str, Any], *, simulated: bool = False) -> Any:
    """The index's percentile as the monitor read it, and the alerts of each signal.

    Episodes are shaded; one lane per signal (spillwatch, each rule, each official index) is
    drawn where the signal was on.
    """
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    rec = data["record"]
    on: dict[str, pd.Series] = data["on"]
    labels, kinds = data["labels"], data["kinds"]
    order = ([data["headline"]] + [k for k in on if kinds[k] == "index" and k != data["headline"]]
             + [k for k in on if kinds[k] == "rule"] + list(data["comparators"]))
    # each lane LANE_PX high under a percentile panel of INDEX_PX (20 lanes in 45% of the
    # figure had 13 px each: the 12 px labels touched)
    lanes_px = LANE_PX * (len(order) + 0.4)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[INDEX_PX, lanes_px],
                        vertical_spacing=0.04)
    pct = rec["percentile"]
    # the hover's whole percentile rounded down, as the headline prints it and the >= 90
    # signal reads it (89.63 read "percentile 90" under the 90 line, no alert)
    fig.add_trace(go.Scatter(x=rec.index, y=pct.to_numpy(dtype=float), name="index percentile",
                             line={"color": COLORS["stress"], "width": 1},
                             customdata=np.floor(pct.to_numpy(dtype=float)),
                             hovertemplate="%{x|%Y-%m-%d}: percentile %{customdata:.0f}"
                                           "<extra></extra>"),
                  row=1, col=1)
    fig.add_hline(y=90, line={"color": "#c0392b", "width": 1, "dash": "dot"}, row=1, col=1)
    eps = data["episodes"]
    if len(rec):
        eps = eps[(eps["peak"] >= rec.index[0]) & (eps["trigger"] <= rec.index[-1])]
    for kind, group in eps.groupby("kind", sort=False, dropna=False):
        add_spans(fig, zip(group["trigger"], group["peak"] + pd.Timedelta(days=1), strict=True),
                  _KIND_COLORS.get(kind, "rgba(0,0,0,0.08)"))     # row 1: axes x and y
    # an episode still open on the last day is shaded to it, with no peak (not known then)
    peaks = eps[~eps["open"].astype(bool)] if "open" in eps.columns else eps
    if len(peaks):
        fig.add_trace(go.Scatter(x=peaks["peak"], y=np.full(len(peaks), 102.0), mode="markers",
                                 marker={"symbol": "triangle-down", "size": 7, "color": "#333"},
                                 name="episode peak", text=peaks["name"],
                                 hovertemplate="%{text} peak %{x|%Y-%m-%d}<extra></extra>"),
                      row=1, col=1)
    for lane, key in enumerate(order):
        xs: list[Any] = []
        ys: list[Any] = []
        for s, e in _spans(on[key]):
            xs += [s, e + pd.Timedelta(hours=20), None]
            ys += [lane, lane, None]
        color = SIGNAL_COLORS.get(key, COLORS["rates"] if kinds[key] != "rule" else "#c0392b")
        # a tick at each run's ends too: on a 36-year axis a one-day run (20 hours) is 0.08 px
        # long and a week 0.4 px, so btc_daily_drop's 38 runs, yields_up_dollar_down's 8 and
        # japan_intervention's 20 drew an empty lane
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines+markers", name=labels[key],
                                 line={"color": color, "width": 6}, showlegend=False,
                                 marker={"symbol": "line-ns", "size": 9, "color": color,
                                         "line": {"width": 2, "color": color}},
                                 hovertemplate=f"{labels[key]}: on %{{x|%Y-%m-%d}}"
                                               "<extra></extra>"), row=2, col=1)
    fig.update_yaxes(title="percentile", range=[0, 105], row=1, col=1)
    fig.update_yaxes(tickvals=list(range(len(order))), ticktext=[labels[k] for k in order],
                     range=[len(order) - 0.3, -0.7], tickfont={"size": 11}, row=2, col=1)
    fig = base_layout(fig, "Alert timeline over the index (shaded: episodes, trigger to peak)",
                      simulated=simulated,
                      height=round((INDEX_PX + lanes_px) / (1 - 0.04)) + 90)
    fig.update_layout(hovermode="closest", margin={"l": 220})
    return fig


def leads(data: dict[str, Any], *, simulated: bool = False) -> Any:
    """Lead time to each episode's peak: spillwatch and each official index (business days)."""
    import plotly.graph_objects as go

    lt: pd.DataFrame = data["lead_table"]
    labels = data["labels"]
    fig = go.Figure()
    for key in [data["headline"], *data["comparators"]]:
        col = f"{key}_lead"
        if col not in lt:
            continue
        fig.add_trace(go.Bar(x=list(lt.index), y=lt[col].to_numpy(dtype=float),
                             name=labels[key], marker_color=SIGNAL_COLORS.get(key),
                             hovertemplate="%{x}: %{y:.0f} business days<extra>"
                                           + labels[key] + "</extra>"))
    fig.update_layout(barmode="group")
    fig.update_yaxes(title="business days before the peak")
    fig.update_xaxes(tickangle=-60)
    fig = base_layout(fig, "Lead time to the peak, by episode (missing bar: no alert in the "
                      "window or no data)", simulated=simulated, height=460)
    fig.update_layout(margin={"b": 150})
    return fig


def scores(data: dict[str, Any], *, simulated: bool = False) -> Any:
    """AUROC (peak within 5 and 20 business days) and false alarms per year of each index."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    summ: pd.DataFrame = data["summary"]
    keys = [k for k in summ.index if summ.loc[k, "kind"] != "rule"]
    names = [data["labels"][k] for k in keys]
    fig = make_subplots(rows=1, cols=2, subplot_titles=("AUROC", "false alarms per year"))
    for col, color in (("auroc_5", "#9bb7d4"), ("auroc_20", "#1f4e79"),
                       ("auroc_common_20", "#8e44ad")):
        label = {"auroc_5": "N = 5", "auroc_20": "N = 20",
                 "auroc_common_20": "N = 20, common days"}[col]
        fig.add_trace(go.Bar(x=names, y=summ.loc[keys, col].to_numpy(dtype=float), name=label,
                             marker_color=color), row=1, col=1)
    fig.add_trace(go.Bar(x=names, y=summ.loc[keys, "false_alarms_per_year"].to_numpy(
        dtype=float), name="false alarms / year", marker_color="#c0392b"), row=1, col=2)
    fig.add_hline(y=0.5, line={"color": "#999", "dash": "dot"}, row=1, col=1)
    fig.update_yaxes(range=[0, 1], row=1, col=1)
    fig.update_xaxes(tickangle=-30)
    fig.update_layout(barmode="group")
    fig = base_layout(fig, "Scores of each index", simulated=simulated, height=460)
    fig.update_layout(legend={"orientation": "h", "y": -0.45}, margin={"b": 130})
    return fig
