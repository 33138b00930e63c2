"""Spillover figures: rolling TCI, net rates + dollar → crypto, the latest network and table.

Shared by the HTML report and the dashboard; each takes a connectedness result and returns a
plotly figure in the house style.
"""

from __future__ import annotations

from typing import Any

from spillwatch.plotting.style import COLORS, base_layout


def tci_figure(roll: Any, *, simulated: bool = False) -> Any:
    """Total connectedness index over time (rolling windows or TVP-VAR dates)."""
    import plotly.graph_objects as go

    how = f"{roll.window}-day windows" if roll.window else "TVP-VAR"
    fig = go.Figure(go.Scatter(x=roll.tci.index, y=roll.tci.to_numpy(), mode="lines",
                               name="TCI", line={"color": COLORS["stress"]}))
    fig.update_yaxes(title="TCI (% of forecast-error variance)")
    return base_layout(fig, f"Total connectedness ({how}, VAR({roll.spec.lags}), "
                            f"H={roll.spec.horizon})", simulated=simulated)


def headline_figure(roll: Any, *, simulated: bool = False) -> Any:
    """Net spillover from the rates + dollar block to the crypto block over time."""
    import plotly.graph_objects as go

    h = roll.blocks().headline
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=h.index, y=h.clip(lower=0).to_numpy(), mode="lines",
                             line={"width": 0}, fill="tozeroy", showlegend=False,
                             fillcolor="rgba(247,147,26,0.35)", hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=h.index, y=h.clip(upper=0).to_numpy(), mode="lines",
                             line={"width": 0}, fill="tozeroy", showlegend=False,
                             fillcolor="rgba(31,78,121,0.35)", hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=h.index, y=h.to_numpy(), mode="lines",
                             name="net rates+dollar → crypto", line={"color": COLORS["crypto"]}))
    fig.add_hline(y=0, line_color="grey", line_width=1)
    fig.update_yaxes(title="pp (> 0: crypto receives on net)")
    return base_layout(fig, "Net spillover from rates + dollar to crypto", simulated=simulated)


def net_figure(report: Any, *, simulated: bool = False) -> Any:
    """The headline's figure of a spillover report.

    The two-day (synchronous) reading beside the daily one when the report has it, else the
    daily series. The report and the dashboard draw this one figure (the dashboard drew the
    daily series under the headline's name while its headline gave the two-day reading).
    """
    if getattr(report, "sync", None) is not None:
        return headline_comparison_figure(report.sync, simulated=simulated)
    return headline_figure(report.rolling, simulated=simulated)


def network_figure(result: Any, *, simulated: bool = False) -> Any:
    """Network of net pairwise spillovers of one table (arrows: transmitter → receiver)."""
    from spillwatch.plotting.connectedness import network_key

    fig = result.plot("network")
    when = "" if result.date is None else f" ({result.date.date()})"
    # its key under the title, in small type
    key = "".join(f"<br><sup>{line}</sup>" for line in network_key(result.npdc, result.net))
    return base_layout(fig, f"Net pairwise spillovers{when}{key}", simulated=simulated,
                       height=460)


def table_figure(result: Any, *, simulated: bool = False) -> Any:
    """Heatmap of the DY table of one window."""
    fig = result.plot("table")
    when = "" if result.date is None else f" ({result.date.date()})"
    fig = base_layout(fig, f"Spillover table{when}: row receives from column, TCI "
                           f"{result.tci:.1f}%", simulated=simulated, height=460)
    fig.update_layout(hovermode="closest")
    return fig


def headline_comparison_figure(result: Any, *, simulated: bool = False) -> Any:
    """The headline on synchronous data next to the daily reading (a SpilloverHeadlineResult)."""
    import plotly.graph_objects as go

    sync, daily = result.synchronous, result.daily
    label = result.sampling.replace("_", "-")
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=daily.index, y=daily.to_numpy(), mode="lines",
                             name=f"daily ({result.spec.daily_window}-day windows)",
                             line={"color": "rgba(120,120,120,0.7)", "width": 1}))
    fig.add_trace(go.Scatter(x=sync.index, y=sync.to_numpy(), mode="lines",
                             name=f"{label} ({result.spec.window}-step windows, headline)",
                             line={"color": COLORS["crypto"], "width": 2}))
    fig.add_hline(y=0, line_color="grey", line_width=1)
    fig.update_yaxes(title="pp (> 0: crypto receives on net)")
    return base_layout(fig, f"Net spillover rates + dollar → crypto: {label} (synchronous) vs "
                            "daily", simulated=simulated)
