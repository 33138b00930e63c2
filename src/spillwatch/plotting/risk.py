"""Risk figures: conditional volatility, dynamic correlation, VaR backtest, ΔCoVaR, event CARs.

Shared by the HTML report, the dashboard and the results' ``.plot()`` methods. plotly is imported
inside each function.
"""

from __future__ import annotations

from typing import Any

from spillwatch.plotting.style import COLORS, base_layout, log_axis

_SERIES_COLORS = {
    "btc_pct": COLORS["crypto"], "eth_pct": COLORS["eth"], "trump_pct": COLORS["trump"],
    "ust10y_bp": COLORS["rates"], "usd_broad_pct": COLORS["dollar"],
    "spx_pct": COLORS["equity"], "gold_pct": COLORS["gold"],
}


def _color(name: str) -> str | None:
    for key, c in _SERIES_COLORS.items():
        if key in name:
            return c
    return None


def volatility_figure(vol: Any, *, simulated: bool = False, last_days: int = 750) -> Any:
    """Conditional daily volatility of each series, annualised (√252), over the last days.

    A panel per unit: a yield's in bp a year, a price's in % a year. On one log axis the
    10-year's 80 bp/yr sat level with ether's 70 %/yr, under a title naming no unit.
    """
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    cv = vol.cond_vol
    units = {col: "bp" if col.endswith("_bp") else "%" for col in cv.columns}
    order = [u for u in ("bp", "%") if u in units.values()] or ["%"]
    fig = make_subplots(rows=len(order), cols=1, shared_xaxes=True, vertical_spacing=0.08)
    for col in cv.columns:
        s = cv[col].dropna().iloc[-last_days:] * 252**0.5
        fig.add_trace(go.Scatter(x=s.index, y=s.to_numpy(), mode="lines",
                                 name=f"{col} ({units[col]})", line={"color": _color(col)}),
                      row=order.index(units[col]) + 1, col=1)
    for i, u in enumerate(order, start=1):
        rows = [tr for tr in fig.data if (tr.yaxis or "y") == ("y" if i == 1 else f"y{i}")]
        log_axis(fig, [y for tr in rows for y in tr.y],
                 title=f"{'bp' if u == 'bp' else '%'} a year", row=i)
    base_layout(fig, "Conditional volatility (annualised; log scale)", simulated=simulated,
                height=380 + 170 * (len(order) - 1))
    return fig


def correlation_figure(corr: Any, *, pairs: list[str] | None = None, simulated: bool = False,
                       last_days: int = 1500) -> Any:
    """Dynamic correlation paths of selected pairs (default: every pair with a crypto asset)."""
    import plotly.graph_objects as go

    p = corr.pairs
    cols = pairs or [c for c in p.columns if "btc" in c] or list(p.columns)
    fig = go.Figure()
    for c in cols:
        s = p[c].iloc[-last_days:]
        fig.add_trace(go.Scatter(x=s.index, y=s.to_numpy(), mode="lines", name=c))
    fig.update_yaxes(title="correlation", range=[-1, 1])
    fig.add_hline(y=0, line={"color": "#999", "width": 1})
    return base_layout(fig, f"Dynamic correlation ({corr.spec.method.upper()})",
                       simulated=simulated)


def backtest_figure(bt: Any, series: str | None = None, method: str | None = None, *,
                    simulated: bool = False) -> Any:
    """Daily returns against minus the one-day VaR, with violations marked."""
    fig = bt.plot(series, method)
    return base_layout(fig, fig.layout.title.text, simulated=simulated)


def covar_figure(res: Any, *, simulated: bool = False) -> Any:
    """ΔCoVaR per target and stress percentile (negative: a Treasury sell-off worsens the tail)."""
    fig = res.plot()
    fig.update_layout(hovermode="closest")
    return base_layout(fig, "ΔCoVaR given a Treasury sell-off", simulated=simulated)


def event_figure(res: Any, event_id: str, *, simulated: bool = False) -> Any:
    """Cumulative abnormal return of each series through the event window of one event."""
    fig = res.plot(event_id)
    for tr in fig.data:
        tr.line.color = _color(str(tr.name))
    # a panel per unit (bp, %): each a readable height
    panels = len({tr.yaxis or "y" for tr in fig.data}) or 1
    base_layout(fig, fig.layout.title.text, simulated=simulated, height=380 + 170 * (panels - 1))
    fig.update_layout(hovermode="closest")
    return fig


def var_figure(res: Any, *, simulated: bool = False) -> Any:
    """Next-day VaR and ES of each series by method (bars; a holder's loss in the series' unit).

    ``res`` is a :class:`~spillwatch.analytics.volatility.risk.VaRResult`: a ``*_pct`` series'
    bars are log changes x 100, a ``*_bp`` series' basis points (its loss is a rise).
    """
    import plotly.graph_objects as go

    t = res.table().reset_index()
    fig = go.Figure()
    shades = {"historical": 1.0, "fhs": 0.75, "t": 0.5}
    for m in dict.fromkeys(t["method"]):
        rows = t[t["method"] == m]
        x = [f"{n} ({'bp' if n.endswith('_bp') else '%'})" for n in rows["series"]]
        op = shades.get(m, 0.6)
        fig.add_trace(go.Bar(x=x, y=rows["var"].to_numpy(), name=f"VaR ({m})",
                             marker={"color": COLORS["rates"], "opacity": op}))
        fig.add_trace(go.Bar(x=x, y=rows["es"].to_numpy(), name=f"ES ({m})",
                             marker={"color": COLORS["trump"], "opacity": op}))
    fig.update_layout(barmode="group")
    fig.update_yaxes(title="next-day loss (series unit)")
    level = f"{res.spec.level * 100:.4g}%"
    return base_layout(fig, f"VaR and ES {level}, next business day", simulated=simulated)
