"""One look for every figure."""

from __future__ import annotations

from typing import Any

COLORS = {
    "rates": "#1f4e79", "dollar": "#2e8b57", "crypto": "#f7931a", "eth": "#627eea",
    "trump": "#c0392b", "gold": "#b8860b", "equity": "#555555", "stress": "#8e44ad",
    "sell_america": "rgba(192,57,43,0.18)", "dash_for_cash": "rgba(41,128,185,0.15)",
    "flight_to_quality": "rgba(39,174,96,0.15)",
}


def base_layout(fig: Any, title: str, *, simulated: bool = False, height: int = 380) -> Any:
    """Apply the house layout; a simulated source gets '(simulated)' in the title."""
    label = f"{title} — SIMULATED" if simulated else title
    fig.update_layout(
        title={"text": label, "x": 0.01, "font": {"size": 15}},
        template="plotly_white", height=height, margin={"l": 60, "r": 30, "t": 50, "b": 40},
        legend={"orientation": "h", "y": -0.15}, hovermode="x unified",
    )
    return fig


def add_spans(fig: Any, spans: Any, color: str, *, xref: str = "x", yref: str = "y domain",
              layer: str = "above") -> Any:
    """Shade the ``(x0, x1)`` spans over the full height of one subplot, in one layout update.

    Plotly's ``add_vrect`` (and ``update_layout(shapes=...)``) re-validate every existing shape
    on each call (47 episodes took 0.8 s); assigning the tuple of shapes is linear.
    """
    new = [{"type": "rect", "x0": x0, "x1": x1, "y0": 0, "y1": 1, "xref": xref, "yref": yref,
            "fillcolor": color, "line": {"width": 0}, "layer": layer} for x0, x1 in spans]
    if new:
        fig.layout.shapes = (*fig.layout.shapes, *new)
    return fig
