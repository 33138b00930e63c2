"""Scenario figures: fan charts per asset, the yield impact, the P&L distribution, side by side."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from spillwatch.plotting.style import COLORS, base_layout, note_below

_NAMES = {"ust2y": "2y yield", "ust5y": "5y yield", "ust10y": "10y yield", "ust30y": "30y yield",
          "usd_broad": "broad dollar", "usdjpy": "USD/JPY", "gold": "gold", "spx": "S&P 500",
          "btc": "BTC", "eth": "ETH", "trump": "TRUMP"}
_COLOR = {"usd_broad": COLORS["dollar"], "usdjpy": COLORS["dollar"], "gold": COLORS["gold"],
          "spx": COLORS["equity"],
          "btc": COLORS["crypto"], "eth": COLORS["eth"], "trump": COLORS["trump"]}


def _rgba(color: str, alpha: float) -> str:
    """``#rrggbb`` -> ``rgba(r,g,b,alpha)`` (plotly ignores trace opacity on fills)."""
    c = color.lstrip("#")
    if len(c) != 6:
        return color
    r, g, b = (int(c[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _band(fig: Any, x: Any, lo: Any, hi: Any, color: str, name: str, opacity: float,
          row: int | None = None, col: int | None = None, returns: Any = None) -> None:
    """A band between ``lo`` and ``hi``; its lower edge's trace is the one that hovers.

    ``returns``: that edge's % returns when ``lo`` is drawn as price relatives (a log panel);
    its hover gives them (it gave the price relative, "5" for a 1% point of -95%).
    """
    import plotly.graph_objects as go

    kw = {} if row is None else {"row": row, "col": col}
    hover = {} if returns is None else {
        "customdata": np.asarray(returns, dtype=float),
        # two decimals: BTC's 1% point of -99.96% (full-dump, 2022-10-21) read "-100.0%"
        "hovertemplate": f"{name.split('-')[0]} %{{customdata:+,.2f}}%<extra></extra>"}
    fig.add_trace(go.Scatter(x=x, y=hi, mode="lines", line={"width": 0}, showlegend=False,
                             hoverinfo="skip"), **kw)
    fig.add_trace(go.Scatter(x=x, y=lo, mode="lines", line={"width": 0}, fill="tonexty",
                             fillcolor=_rgba(color, opacity), name=name, showlegend=False,
                             **hover),
                  **kw)


#: A price's fan spanning more than this factor (its 99% price relative over its 1%) is drawn
#: on a log scale.
LOG_SPAN = 4.0
#: The lowest price relative drawn on a log scale (a return of -99.99%: a log axis has no 0).
_FLOOR = 0.01


def _relative(fan: pd.DataFrame) -> pd.DataFrame:
    """A price's quantiles of % return as price relatives rebased to 100 (floored above 0)."""
    return (100.0 + fan).clip(lower=_FLOOR)


def _span(fan: pd.DataFrame) -> float:
    """How many times the fan's highest price relative is its lowest (inf: one is 0)."""
    rel = 100.0 + fan[["q0.01", "q0.99"]].to_numpy(dtype=float)
    lo, hi = np.nanmin(rel), np.nanmax(rel)
    return float(hi / lo) if lo > 0 else float("inf")


def _return_ticks(lo: float, hi: float) -> list[float]:
    """Returns in % whose price relatives (100 + return) fall within ``lo``..``hi``.

    A factor apart at least: halves and doubles over a span of up to 100 times, decades
    beyond (ticks of -75%, -50%, 0% and +100% crowded into one tenth of BTC's axis).
    """
    rel = ([10.0, 25.0, 50.0, 100.0, 200.0, 400.0, 1_000.0] if hi / lo <= 100 else
           [10.0 ** e for e in range(-2, 7)])
    return [r - 100.0 for r in rel if lo <= r <= hi] or [0.0]


def _return_text(t: float) -> str:
    """"0%", "+900%", "-50%", "-99.9%": a return's tick label, to the digits it needs."""
    if t == 0:
        return "0%"
    return f"{t:+,.2f}".rstrip("0").rstrip(".") + "%"


def fan_chart(fans: dict[str, pd.DataFrame], *, title: str, units: dict[str, str],
              simulated: bool = False, paths: tuple[int, int] | None = None) -> Any:
    """Fan chart per asset: 1–99%, 5–95% and 25–75% bands and the median, by business day.

    A price whose 1–99% band spans more than :data:`LOG_SPAN` times is drawn on a log scale
    of its price relative, its ticks labelled as returns ("-90%", "0%", "+900%").

    ``paths``: (kept, all) paths; the fans are drawn from the kept ones and the note says so
    (the tables' quantiles are of all paths: a 1% point of -30.1 bp here, -31.4 there).
    """
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    keys = list(fans)
    cols = 2 if len(keys) > 1 else 1
    rows = int(np.ceil(len(keys) / cols))
    # a price whose band spans more than a factor of LOG_SPAN is drawn on a log scale of its
    # price relative: a linear axis to BTC's 99% of +35,000% (full-dump as of 2022-10-21) drew
    # its median and middle band as a flat line at 0 (h_dash2)
    logged = {k for k in keys if units[k] != "bp" and _span(fans[k]) > LOG_SPAN}
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[
        f"{_NAMES.get(k, k)} ({'bp' if units[k] == 'bp' else '% return'}"
        f"{', log scale' if k in logged else ''})" for k in keys],
        vertical_spacing=0.08 if rows > 2 else 0.15)
    for n, k in enumerate(keys):
        r, c = n // cols + 1, n % cols + 1
        f = fans[k]
        y = _relative(f) if k in logged else f
        color = _COLOR.get(k, COLORS["rates"])
        for lo, hi, op in (("q0.01", "q0.99", 0.15), ("q0.05", "q0.95", 0.25),
                           ("q0.25", "q0.75", 0.4)):
            _band(fig, f.index, y[lo], y[hi], color, f"{lo}-{hi}", op, r, c,
                  returns=f[lo] if k in logged else None)
        fig.add_trace(go.Scatter(x=f.index, y=y["q0.5"], mode="lines", name="median",
                                 line={"color": "#222222", "width": 1.5}, showlegend=False,
                                 customdata=f["q0.5"].to_numpy(),
                                 hovertemplate="median %{customdata:+.1f}%<extra></extra>"
                                 if k in logged else None),
                      row=r, col=c)
        if k in logged:
            ticks = _return_ticks(float(y.min().min()), float(y.max().max()))
            fig.update_yaxes(type="log", tickvals=[100.0 + t for t in ticks],
                             ticktext=[_return_text(t) for t in ticks],
                             row=r, col=c)
    # on the bottom row only: on every row the title ran into the subplot titles below it
    fig.update_xaxes(title_text="business days", row=rows)
    base_layout(fig, f"Fan charts (1–99%, 5–95%, 25–75%, median) — {title}",
                simulated=simulated, height=max(300, 260 * rows))
    # the first row's subplot titles stand in the top margin, above the plots: room for them
    # under the title (a wrapped title's second line ran into "10y yield (bp)" in the report)
    fig.update_layout(margin={"t": fig.layout.margin.t + 36}, height=fig.layout.height + 36)
    fig.update_layout(hovermode="closest")
    if paths is not None and paths[0] < paths[1]:
        note_below(fig, f"Bands from the {paths[0]:,} kept paths; the tables' quantiles are of "
                        f"all {paths[1]:,}, so their tails differ a little.", width=110,
                   under_axis_title=True)
    return fig


def impact_chart(fan: pd.DataFrame, *, title: str, simulated: bool = False,
                 target: pd.DataFrame | None = None) -> Any:
    """The 5-year yield impact (bp) by day with its parameter band; the 10-year target too."""
    import plotly.graph_objects as go

    fig = go.Figure()
    _band(fig, fan.index, fan["q0.05"], fan["q0.95"], COLORS["rates"], "5–95%", 0.3)
    # the literature's figure the scenario is sized on; the paths' own 5-year follows the
    # 10-year through the identified responses (the table's UST 5y), so it is named as input
    fig.add_trace(go.Scatter(x=fan.index, y=fan["q0.5"],
                             name="5-year impact, the literature's input (median)",
                             line={"color": COLORS["rates"]}))
    if target is not None:
        fig.add_trace(go.Scatter(x=target.index, y=target["q0.5"],
                                 name="10-year target (median)",
                                 line={"color": COLORS["rates"], "dash": "dash"}))
    fig.update_xaxes(title="business days")
    fig.update_yaxes(title="yield impact (bp)")
    return base_layout(fig, f"Yield impact of the sales — {title}", simulated=simulated)


def pnl_chart(hist: np.ndarray, lo: float, hi: float, *, var99: float, title: str,
              simulated: bool = False, scale: float | None = None) -> Any:
    """The portfolio's P&L distribution (USD) with its 99% VaR marked.

    ``scale``: the histogram's bins are equal in ``asinh(x / scale)`` (the Monte Carlo's).
    """
    import plotly.graph_objects as go

    edges = (np.linspace(lo, hi, len(hist) + 1) if scale is None else
             scale * np.sinh(np.linspace(np.arcsinh(lo / scale), np.arcsinh(hi / scale),
                                         len(hist) + 1)))
    mids = (edges[:-1] + edges[1:]) / 2
    cdf = np.cumsum(hist) / max(hist.sum(), 1)
    # show the central 99.9%: a few extreme upside paths would squash the picture
    a = int(np.searchsorted(cdf, 0.0005))
    b = int(np.searchsorted(cdf, 0.9995)) + 1
    # merge bins 8 by 8 for a readable histogram
    step = 8
    h = np.add.reduceat(hist[a:b], np.arange(0, b - a, step))
    x = mids[a:b][::step]
    width = np.add.reduceat(np.diff(edges)[a:b], np.arange(0, b - a, step))
    fig = go.Figure(go.Bar(x=x, y=h / max(hist.sum(), 1) / width, name="P&L",
                           marker={"color": COLORS["rates"]}))
    fig.add_vline(x=-var99, line={"color": COLORS["trump"], "dash": "dash"},
                  annotation_text=f"99% VaR {var99:,.0f} USD")
    fig.update_xaxes(title="P&L at the horizon (USD)")
    fig.update_yaxes(title="probability density (per USD)")
    return base_layout(fig, f"Portfolio P&L — {title}", simulated=simulated)


def side_by_side(table: pd.DataFrame, *, title: str, unit: str, simulated: bool = False) -> Any:
    """Quantiles of several scenarios side by side (rows quantiles, columns scenarios)."""
    import plotly.graph_objects as go

    fig = go.Figure()
    palette = [COLORS["rates"], COLORS["trump"], COLORS["dollar"], COLORS["crypto"]]
    for i, col in enumerate(table.columns):
        fig.add_trace(go.Bar(x=list(table.index), y=table[col].to_numpy(), name=str(col),
                             marker={"color": palette[i % len(palette)]}))
    fig.update_layout(barmode="group")
    fig.update_yaxes(title=unit)
    return base_layout(fig, title, simulated=simulated)


def response_chart(table: pd.DataFrame, *, title: str, simulated: bool = False) -> Any:
    """Median response per +10 bp of the 10-year with 16–84% and 5–95% bands, per variable.

    ``table`` has rows per variable and columns ``unit, median, q16, q84, q05, q95``
    (:meth:`IdentificationResult.responses`); yields and prices are drawn in two panels.
    """
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    groups = [("bp", "yields (bp per +10 bp of the 10y)"),
              ("%", "prices (% per +10 bp of the 10y)")]
    fig = make_subplots(rows=1, cols=2, subplot_titles=[g[1] for g in groups],
                        horizontal_spacing=0.12)
    for col, (unit, _) in enumerate(groups, start=1):
        part = table[table["unit"] == unit]
        names = [_NAMES.get(str(k), str(k)) for k in part.index]
        fig.add_trace(go.Scatter(x=part["median"], y=names, mode="markers", name="median",
                                 marker={"color": "#222222", "size": 9}, showlegend=col == 1,
                                 error_x={"type": "data", "symmetric": False,
                                          "array": part["q84"] - part["median"],
                                          "arrayminus": part["median"] - part["q16"],
                                          "thickness": 4, "color": COLORS["rates"]}),
                      row=1, col=col)
        fig.add_trace(go.Scatter(x=part["q05"], y=names, mode="markers", name="5%",
                                 marker={"symbol": "line-ns-open", "size": 12,
                                         "color": COLORS["rates"]}, showlegend=False),
                      row=1, col=col)
        fig.add_trace(go.Scatter(x=part["q95"], y=names, mode="markers", name="95%",
                                 marker={"symbol": "line-ns-open", "size": 12,
                                         "color": COLORS["rates"]}, showlegend=False),
                      row=1, col=col)
        fig.add_vline(x=0, line={"color": "#999999", "width": 1}, row=1, col=col)
    return base_layout(fig, f"{title} (median, 16–84% bar, 5–95% ticks)", simulated=simulated)


def sensitivity_chart(table: pd.DataFrame, *, simulated: bool = False) -> Any:
    """Median and 16–84% band per +10 bp of the 10-year against the bound on the 10y impact."""
    import plotly.graph_objects as go

    fig = go.Figure()
    frame = table.reset_index()
    palette = [COLORS["equity"], COLORS["gold"], COLORS["crypto"], COLORS["eth"],
               COLORS["dollar"], COLORS["rates"]]
    for i, (key, part) in enumerate(frame.groupby("variable", sort=False)):
        color = palette[i % len(palette)]
        fig.add_trace(go.Scatter(x=part["min_10y_bp"], y=part["median"], mode="lines+markers",
                                 name=_NAMES.get(str(key), str(key)), line={"color": color},
                                 error_y={"type": "data", "symmetric": False,
                                          "array": part["q84"] - part["median"],
                                          "arrayminus": part["median"] - part["q16"]}))
    fig.update_xaxes(title="bound: minimum 10y impact of the shock (bp per sd)")
    fig.update_yaxes(title="% per +10 bp of the 10y (median, 16–84%)")
    return base_layout(fig, "How the bands depend on the bound", simulated=simulated)
