"""Market figures: the yield curve now and before, the 10y against the dollar, crypto."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from spillwatch import universe
from spillwatch.plotting.style import COLORS, add_spans, base_layout, log_axis, note_below

#: The assets each figure draws (the stale note of a figure names those of its own).
YIELD_DOLLAR: tuple[str, ...] = ("ust10y", "usd_broad")
COINS: tuple[str, ...] = ("btc", "eth", "trump")


def _curves(levels: pd.DataFrame) -> tuple[dict[str, float], pd.DataFrame]:
    """The tenor columns held (column -> years) and the dates that are curves.

    A date is a curve when at least half of the tenors held have a value on it (a day on which
    one tenor printed, a FRED 10-year imported ahead of the Treasury curve, is no curve).
    """
    cols = {universe.ASSETS[k].level_column: t for k, t in universe.CURVE_TENORS.items()
            if universe.ASSETS[k].level_column in levels}
    curve = levels[list(cols)].dropna(how="all")
    if curve.empty:
        return cols, curve
    held = int(curve.notna().any().sum())
    full = curve.notna().sum(axis=1) >= -(-held // 2)
    return cols, curve[full] if full.any() else curve


def latest_curve_date(levels: pd.DataFrame) -> pd.Timestamp | None:
    """The date of the latest curve :func:`curve_snapshots` draws (None: no tenor held)."""
    _, curve = _curves(levels)
    return None if curve.empty else pd.Timestamp(curve.index[-1])


def curve_snapshots(levels: pd.DataFrame, lags: dict[str, int] | None = None) -> pd.DataFrame:
    """Return the par curve on the last date and ``lags`` calendar days before (as-of).

    Columns are snapshot labels, rows tenors in years. A date is a curve when at least half of
    the tenors held have a value on it (:func:`latest_curve_date`): a day on which one tenor
    printed (a FRED 10-year imported ahead of the Treasury curve) drew "the latest curve" as a
    single point.
    """
    lags = lags or {"one week ago": 7, "one month ago": 30}
    cols, curve = _curves(levels)
    if curve.empty:
        return pd.DataFrame()
    last = curve.index[-1]
    out = {f"{last.date()} (latest)": curve.loc[last]}
    for label, days in lags.items():
        when = curve.index[curve.index <= last - pd.Timedelta(days=days)]
        if len(when):
            out[f"{when[-1].date()} ({label})"] = curve.loc[when[-1]]
    frame = pd.DataFrame(out)
    frame.index = [cols[c] for c in frame.index]
    return frame.sort_index()


def yield_curve(levels: pd.DataFrame, *, simulated: bool = False,
                lags: dict[str, int] | None = None, note: str | None = None) -> Any:
    """Par yield curve today against earlier snapshots (``note``: written under the plot)."""
    import plotly.graph_objects as go

    snaps = curve_snapshots(levels, lags)
    fig = go.Figure()
    dashes = ["solid", "dot", "dash"]
    for i, col in enumerate(snaps.columns):
        s = snaps[col].dropna()
        fig.add_trace(go.Scatter(x=s.index, y=s.to_numpy(), mode="lines+markers", name=col,
                                 line={"dash": dashes[i % 3], "color": COLORS["rates"]}))
    # a label under every tenor drawn (the 1-month and 7-year points had none)
    fig.update_xaxes(title="maturity (years)", type="log",
                     tickvals=[1 / 12, 0.25, 0.5, 1, 2, 5, 7, 10, 20, 30],
                     ticktext=["1m", "3m", "6m", "1y", "2y", "5y", "7y", "10y", "20y", "30y"])
    fig.update_yaxes(title="par yield (%)")
    fig = base_layout(fig, "US Treasury par yield curve", simulated=simulated)
    if note:
        # under the legend's row too (the STALE note touched it in the report)
        fig = note_below(fig, note, width=90, under_axis_title=True, legend_rows=2)
    # the legend's row under the axis title, not at a share of the plot's height (a taller
    # card drew it on "maturity (years)")
    m = fig.layout.margin
    plot_px = fig.layout.height - m.t - m.b
    fig.update_layout(legend={"y": -62 / plot_px, "yanchor": "top"})
    return fig


def shade_periods(fig: Any, flags: pd.Series, color: str, label: str) -> Any:
    """Shade the spans where ``flags`` is true (e.g. 'sell America' days)."""
    f = flags.fillna(False).astype(bool)
    if not f.any():
        return fig
    starts = f & ~f.shift(1, fill_value=False)
    ends = f & ~f.shift(-1, fill_value=False)
    half = pd.Timedelta(hours=12)
    add_spans(fig, zip(f.index[starts] - half, f.index[ends] + half, strict=True), color,
              layer="below")
    fig.add_annotation(text=f"shaded: {label}", xref="paper", yref="paper", x=0, y=1.08,
                       showarrow=False, font={"size": 11})
    return fig


def yield_vs_dollar(levels: pd.DataFrame, *, days: int = 365, simulated: bool = False,
                    shade: pd.Series | None = None, note: str | None = None) -> Any:
    """The 10-year yield against the broad dollar over the last ``days`` calendar days.

    ``note`` (e.g. that the series are past their staleness limit) is written under the plot.
    """
    import plotly.graph_objects as go

    y = levels.get("ust10y_pct", pd.Series(dtype=float)).dropna()
    d = levels.get("usd_broad_idx", pd.Series(dtype=float)).dropna()
    # each line runs to its own last date, and the legend says where when they differ: the
    # window ended where both had data, and the dollar (H.10, out weekly) cut the yield's
    # last three to five days (the +33 bp of 2025-04-07..09 never showed)
    end = max([s.index[-1] for s in (y, d) if len(s)], default=None)
    fig = go.Figure()
    if end is not None:
        lo = end - pd.Timedelta(days=days)
        y, d = y.loc[lo:end], d.loc[lo:end]
        apart = len(y) and len(d) and y.index[-1] != d.index[-1]

        def name(label: str, s: pd.Series) -> str:
            return f"{label}, last {s.index[-1]:%Y-%m-%d}" if apart else label

        fig.add_trace(go.Scatter(x=y.index, y=y.to_numpy(), name=name("10y yield (%)", y),
                                 line={"color": COLORS["rates"]}))
        fig.add_trace(go.Scatter(x=d.index, y=d.to_numpy(),
                                 name=name("broad dollar (index)", d),
                                 yaxis="y2", line={"color": COLORS["dollar"]}))
        if shade is not None:
            shade_periods(fig, shade.loc[lo:], COLORS["sell_america"],
                          "'sell America' days (yields up, dollar down)")
    # the dollar's own ticks and its unit: synced to the yield's grid its ticks read 119.7,
    # 120.47, 121.24, 122.01 under the title "broad dollar" (H.10's DTWEXBGS is an index,
    # January 2006 = 100)
    fig.update_layout(yaxis={"title": "10y yield (%)"},
                      yaxis2={"title": "broad dollar (index, Jan 2006 = 100)", "overlaying": "y",
                              "side": "right", "tickmode": "auto", "showgrid": False})
    fig = base_layout(fig, "10-year yield against the broad dollar", simulated=simulated)
    return note_below(fig, note, width=90, under_axis_title=True, legend_rows=2) if note else fig


def crypto(levels: pd.DataFrame, *, days: int = 365, simulated: bool = False,
           note: str | None = None) -> Any:
    """BTC, ETH and TRUMP rebased to 100 at the start of the window (log scale).

    ``note`` (e.g. that the coins are past their staleness limit) is written under the plot;
    with no coin to draw, it is the reason, written in place of the chart (no axes).
    """
    import plotly.graph_objects as go

    fig = go.Figure()
    colors = {"btc_usd": COLORS["crypto"], "eth_usd": COLORS["eth"], "trump_usd": COLORS["trump"]}
    names = {"btc_usd": "BTC", "eth_usd": "ETH", "trump_usd": "TRUMP"}
    present = [c for c in colors if c in levels and levels[c].notna().any()]
    drawn: list[str] = []
    if present:
        end = max(levels[c].dropna().index[-1] for c in present)
        lo = end - pd.Timedelta(days=days)
        for c in present:
            s = levels[c].loc[lo:].dropna()
            if s.empty:
                continue
            rebased = 100 * s / s.iloc[0]
            drawn.append(names[c])
            fig.add_trace(go.Scatter(
                x=s.index, y=rebased.to_numpy(),
                name=f"{names[c]} (last {s.iloc[-1]:,.2f} USD on {s.index[-1]:%Y-%m-%d})",
                line={"color": colors[c]}, customdata=np.c_[s.to_numpy()],
                hovertemplate="%{y:.1f} (price %{customdata[0]:,.2f})"))
    # the coins drawn (a report of 2022 was titled with TRUMP, launched in 2025)
    title = ("Crypto: " + (", ".join(drawn[:-1]) + " and " + drawn[-1] if len(drawn) > 1
                           else drawn[0])) if drawn else "Crypto (no coin in the data)"
    if not drawn:
        # no frame of a market that is not there (a price axis of 0.1 to 10k over a time axis
        # of -1 to 6): the reason, where the lines would be
        import textwrap

        fig = base_layout(fig, title, simulated=simulated)
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        why = "<br>".join(textwrap.wrap(note or "no coin in the data", 70))
        return fig.add_annotation(text=why, x=0.5, y=0.5, xref="paper", yref="paper",
                                  showarrow=False, font={"size": 13, "color": "#666"})
    log_axis(fig, [y for tr in fig.data for y in tr.y], title="rebased to 100")
    fig = base_layout(fig, title, simulated=simulated)
    return note_below(fig, note, width=90, under_axis_title=True, legend_rows=2) if note else fig
