"""Stress figures: the composite index with regime shading, and sub-index contributions.

Only published dates are drawn (the index is not published where an input it requires is stale
or missing, see :mod:`spillwatch.analytics.stress.index`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from spillwatch.plotting.style import COLORS, base_layout, missing_at_end, note_below

#: Shading of the regimes on the index chart.
REGIME_COLORS = {"elevated": "rgba(243,156,18,0.18)", "crisis": "rgba(192,57,43,0.22)"}
#: Crisis is also hatched: amber and red shades at this opacity look alike to a reader with
#: red-green colour blindness (deuteranopia), a pattern does not.
REGIME_PATTERNS = {"crisis": {"shape": "/", "fgcolor": "rgba(192,57,43,0.55)", "size": 6,
                              "solidity": 0.25}}
#: Line colours of the sub-indices.
SUBINDEX_COLORS = {"rates": COLORS["rates"], "dollar": COLORS["dollar"],
                   "equity_vol": COLORS["equity"], "credit": "#7f5539",
                   "crypto": COLORS["crypto"]}
_LABELS = {"rates": "rates", "dollar": "dollar / FX", "equity_vol": "equity / volatility",
           "credit": "credit", "crypto": "crypto"}


def _window(frame: pd.DataFrame, days: int | None) -> pd.DataFrame:
    valid = frame[frame["stress"].notna()]
    if valid.empty or days is None:
        return valid
    return valid.loc[valid.index[-1] - pd.Timedelta(days=days):]


def stress_index(result: Any, *, days: int | None = 3650, simulated: bool = False,
                 note: str | None = None) -> Any:
    """The composite index (0–1) with elevated/crisis regimes shaded, last ``days`` days.

    ``note`` (that the reading is not today's) is written under the date ticks and legend.
    """
    import plotly.graph_objects as go

    frame = _window(result.frame, days)
    fig = go.Figure()
    if not frame.empty:
        fig.add_trace(go.Scatter(
            x=frame.index, y=frame["stress"].to_numpy(), name="stress index",
            line={"color": COLORS["stress"], "width": 1.5},
            # whole percentiles rounded down, as the headline and the regime cut-offs read
            # them (79.96 showed "80" on a calm day)
            customdata=np.floor(frame[["percentile"]].to_numpy(dtype=float)),
            hovertemplate="%{y:.3f} (percentile %{customdata[0]:.0f})"))
        # one filled step trace per regime on a hidden 0-1 axis (thousands of vrects are slow)
        for regime, color in REGIME_COLORS.items():
            on = (frame["regime"] == regime).to_numpy()
            fig.add_trace(go.Scatter(
                x=frame.index, y=on.astype(float), name=regime, yaxis="y2", mode="lines",
                line={"width": 0, "shape": "hv"}, fill="tozeroy", fillcolor=color,
                fillpattern=REGIME_PATTERNS.get(regime), hoverinfo="skip",
                showlegend=bool(on.any())))
        fig.update_layout(yaxis2={"overlaying": "y", "range": [0, 1], "visible": False})
        fig.add_annotation(text="shaded: elevated (amber), crisis (red, hatched)", xref="paper",
                           yref="paper", x=0, y=1.08, showarrow=False, font={"size": 11})
    fig.update_yaxes(title="stress (0–1)", rangemode="tozero")
    fig = base_layout(fig, "Composite stress index (CISS-style) and regimes",
                      simulated=simulated)
    return note_below(fig, note, width=90, under_axis_title=True, legend_rows=1) if note else fig


def contributions(result: Any, *, days: int | None = 730, simulated: bool = False,
                  note: str | None = None) -> Any:
    """Stacked contributions of the sub-indices to the index, last ``days`` days.

    ``note`` (that the reading is not today's) is written under the plot, above the note on
    the sub-indices without data.
    """
    import plotly.graph_objects as go

    contrib = result.contributions()
    valid = contrib[result.frame["stress"].notna()]
    if days is not None and len(valid):
        valid = valid.loc[valid.index[-1] - pd.Timedelta(days=days):]
    fig = go.Figure()
    drawn = {}
    for col in valid.columns:
        s = valid[col]
        if s.notna().any() and (s.fillna(0.0) > 0).any():
            drawn[_LABELS.get(col, col)] = s
            # a sub-index without fresh inputs is left out of the index that day: a zero
            # band, said so on hover and under the plot (not a calm reading)
            state = np.where(s.isna().to_numpy(), "no data", "")
            fig.add_trace(go.Scatter(x=s.index, y=s.fillna(0.0).to_numpy(),
                                     name=_LABELS.get(col, col), stackgroup="one",
                                     customdata=state,
                                     hovertemplate="%{y:.3f} %{customdata}",
                                     line={"width": 0.5, "color": SUBINDEX_COLORS.get(col)}))
    fig.update_yaxes(title="contribution to the index", rangemode="tozero")
    fig = base_layout(fig, "Sub-index contributions", simulated=simulated)
    text = "\n".join(n for n in (note, missing_at_end(drawn, drawn_as="no contribution")) if n)
    # under the date ticks (the note sat on "Jul 2024 / Jan 2025"), and the legend under it
    return note_below(fig, text, width=90, under_axis_title=True, legend_rows=1) if text else fig
