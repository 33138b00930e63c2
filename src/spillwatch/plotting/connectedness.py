"""Plotly figures of connectedness results (plotly is imported inside each function).

Shared by the results' ``.plot()`` methods, the HTML report and the dashboard.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from spillwatch.plotting.style import house_template

_POS = "#c0392b"  # net transmitter
_NEG = "#2c7fb8"  # net receiver


def heatmap(frame: pd.DataFrame, *, title: str) -> Any:
    """Heatmap of a table (row = receiver, column = transmitter), values printed in cells."""
    import plotly.graph_objects as go

    z = frame.to_numpy(dtype=float)
    text = np.where(np.isfinite(z), np.char.mod("%.1f", np.nan_to_num(z)), "")
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[str(c) for c in frame.columns],
            y=[str(i) for i in frame.index],
            text=text,
            texttemplate="%{text}",
            colorscale="Blues",
            colorbar={"title": "%"},
            hovertemplate="from %{x} to %{y}: %{z:.2f}%<extra></extra>",
        )
    )
    fig.update_layout(title=title, xaxis_title="from (transmitter)", yaxis_title="to (receiver)",
                      yaxis_autorange="reversed", template=house_template())
    return fig


def network(npdc: pd.DataFrame, net: pd.Series, *, title: str, top: int | None = None) -> Any:
    """Network of net pairwise links: an arrow from transmitter to receiver per pair.

    Nodes sit on a circle, sized by |NET| and coloured red (net transmitter) or blue (net
    receiver); arrow width grows with the net pairwise spillover. ``top`` keeps the strongest
    links only.
    """
    import plotly.graph_objects as go

    names = [str(c) for c in npdc.columns]
    k = len(names)
    ang = [math.pi / 2 - 2 * math.pi * i / k for i in range(k)]
    xy = {n: (math.cos(a), math.sin(a)) for n, a in zip(names, ang, strict=True)}
    values = npdc.to_numpy(dtype=float)
    links = [
        (names[j], names[i], values[i, j])
        for i in range(k)
        for j in range(k)
        if i != j and np.isfinite(values[i, j]) and values[i, j] > 0
    ]
    links.sort(key=lambda t: -t[2])
    if top is not None:
        links = links[:top]
    biggest = max((v for *_, v in links), default=1.0) or 1.0
    fig = go.Figure()
    annotations = []
    for src, dst, v in links:
        (x0, y0), (x1, y1) = xy[src], xy[dst]
        annotations.append(
            {
                "x": x1 * 0.88 + x0 * 0.12, "y": y1 * 0.88 + y0 * 0.12,
                "ax": x0 * 0.88 + x1 * 0.12, "ay": y0 * 0.88 + y1 * 0.12,
                "xref": "x", "yref": "y", "axref": "x", "ayref": "y",
                "showarrow": True, "arrowhead": 2, "arrowsize": 1,
                "arrowwidth": 1 + 5 * v / biggest, "arrowcolor": "rgba(80,80,80,0.6)",
                "hovertext": f"{src} → {dst}: {v:.2f} pp", "text": "",
            }
        )
    netv = net.reindex(names).to_numpy(dtype=float)
    scale = np.nanmax(np.abs(netv)) if np.isfinite(netv).any() else 1.0
    scale = scale or 1.0
    fig.add_trace(
        go.Scatter(
            x=[xy[n][0] for n in names],
            y=[xy[n][1] for n in names],
            mode="markers+text",
            text=names,
            # each label outside the circle, where no arrow runs (arrowheads covered the
            # labels above usd_broad_pct and ust10y_bp)
            textposition=[_outward(a) for a in ang],
            marker={
                "size": [18 + 30 * abs(v) / scale if np.isfinite(v) else 18 for v in netv],
                "color": [_POS if v > 0 else _NEG for v in netv],
            },
            hovertemplate=[f"{n}: NET {v:.2f}<extra></extra>" for n, v in zip(names, netv,
                                                                               strict=True)],
        )
    )
    fig.update_layout(
        title=title, annotations=annotations, showlegend=False, template=house_template(),
        xaxis={"visible": False, "range": [-1.4, 1.4]},
        yaxis={"visible": False, "range": [-1.4, 1.4], "scaleanchor": "x"},
    )
    return fig


def _outward(angle: float) -> str:
    """The text position of a node's label at ``angle`` on the circle: away from its centre."""
    c, s = math.cos(angle), math.sin(angle)
    if abs(c) > 0.3:
        return "middle right" if c > 0 else "middle left"
    return "top center" if s > 0 else "bottom center"


def network_key(npdc: pd.DataFrame, net: pd.Series) -> list[str]:
    """What the network's colours, circle sizes and arrow widths say, with their largest values.

    The figure had no key: only the hover said "NET 5.86"; red, blue, a circle's size and an
    arrow's width were left to guess.
    """
    v = npdc.to_numpy(dtype=float)
    widest = float(np.nanmax(np.where(v > 0, v, np.nan))) if (v > 0).any() else float("nan")
    n = net.to_numpy(dtype=float)
    largest = float(np.nanmax(np.abs(n))) if np.isfinite(n).any() else float("nan")
    return [f"red: net transmitter, blue: net receiver; circle size: |NET| (largest "
            f"{largest:.2f} pp)",
            f"arrow: transmitter → receiver, width: net pairwise spillover (widest "
            f"{widest:.2f} pp)"]


def lines(frame: pd.DataFrame, *, title: str, yaxis: str, zero_line: bool = False) -> Any:
    """One line per column over the frame's index."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for col in frame.columns:
        fig.add_trace(go.Scatter(x=frame.index, y=frame[col], mode="lines", name=str(col)))
    if zero_line:
        fig.add_hline(y=0, line_color="grey", line_width=1)
    fig.update_layout(title=title, yaxis_title=yaxis, template=house_template(),
                      hovermode="x unified")
    return fig
