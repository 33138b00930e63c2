"""One look for every figure."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

COLORS = {
    "rates": "#1f4e79", "dollar": "#2e8b57", "crypto": "#f7931a", "eth": "#627eea",
    "trump": "#c0392b", "gold": "#b8860b", "equity": "#555555", "stress": "#8e44ad",
    "sell_america": "rgba(192,57,43,0.18)", "dash_for_cash": "rgba(41,128,185,0.15)",
    "flight_to_quality": "rgba(39,174,96,0.15)",
}


#: plotly.js's options for every figure drawn in a page (the report, the dashboard's copy in
#: ``api/static/dashboard.js``): no plotly logo, and no "share" button, which plotly.js 3 shows
#: by default and which sends the chart's data to Plotly's cloud (a desk's book and P&L from a
#: report meant to stay offline).
PLOT_CONFIG: dict[str, Any] = {"displaylogo": False, "responsive": True,
                               "showSendToCloud": False}


#: The trace types the figures draw: the house template is plotly_white's layout with its
#: defaults for these only.
TRACE_TYPES = ("scatter", "bar", "heatmap", "indicator")


@lru_cache(maxsize=1)
def house_template() -> Any:
    """plotly_white's look, built once per process.

    Naming ``template="plotly_white"`` makes plotly copy and validate the whole template (the
    defaults of all 24 trace types) on every figure, about 20 ms each; a report draws ~40
    figures. The same look restricted to the trace types drawn here validates in a third of it.
    """
    import plotly.graph_objects as go
    import plotly.io as pio

    white = pio.templates["plotly_white"]
    data = {t: getattr(white.data, t) for t in TRACE_TYPES if getattr(white.data, t, None)}
    return go.layout.Template(layout=white.layout, data=data)


#: Characters of a title line that fit an A4 page's width at the title's 15 px (plotly does
#: not wrap a title: an event's 134-character title ran off the printed page).
TITLE_LINE_CHARS = 95
#: Pixels of a title line on the printed page: the chart is 662 px wide and its title starts
#: 7 px in. 95 characters of text with digits and capitals ran past it ("FOMC cuts 50 bp and
#: the BoJ hikes to 0.25% as USD/JPY breaks 140 (2024-09-18 14:00 New York;", 92 characters,
#: 676 px in Chromium's print of the report): a line is measured by its letters' widths.
TITLE_LINE_PX = 650.0
#: Advance widths of Arial / Liberation Sans (the face Chromium prints plotly's titles in),
#: in thousandths of the font size; a character not listed counts as 600.
_ADVANCE = {
    **dict.fromkeys("ijl'|", 222), **dict.fromkeys(" ftI.,:;!/[]\\", 278),
    **dict.fromkeys("r()-`\"°", 333), **dict.fromkeys("ckszvxyJ*", 500),
    **dict.fromkeys("0123456789abdeghnopqu$_?–#L", 556), **dict.fromkeys("+=<>~≥≤±", 584),
    **dict.fromkeys("FTZ", 611), **dict.fromkeys("ABEKPSVXY&", 667),
    **dict.fromkeys("CDHNRUw", 722), **dict.fromkeys("GOQ", 778), **dict.fromkeys("mM", 833),
    "%": 889, "W": 944, "—": 1000, "@": 1015,
}


def wrap_title(title: str, width: int = TITLE_LINE_CHARS) -> list[str]:
    """The title's lines, each short enough to print.

    Each ``<br>``-separated line whose visible text (markup such as ``<b>`` not counted) is
    longer than ``width`` is broken between words, after the last clause (``—``, ``;``, ``:``)
    that fits when one ends past a third of the line.

    >>> wrap_title("Fan charts (1–99%, median) — japan-10pct: japan $119bn / 8w", 40)
    ['Fan charts (1–99%, median) —', 'japan-10pct: japan $119bn / 8w']
    """

    def visible(text: str) -> float:
        # its characters, or as many characters of an average width as its letters take on
        # the printed page (digits and capitals are wider than the 95 a line holds on average)
        shown = re.sub(r"<[^>]*>", "", text)
        px = sum(_ADVANCE.get(c, 600) for c in shown) * 15 / 1000
        return max(len(shown), px * TITLE_LINE_CHARS / TITLE_LINE_PX)

    out: list[str] = []
    for line in title.split("<br>"):
        words = line.split(" ")
        while visible(" ".join(words)) > width and len(words) > 1:
            fit = 1
            while fit < len(words) and visible(" ".join(words[:fit + 1])) <= width:
                fit += 1
            clause = [i + 1 for i in range(fit) if words[i].endswith(("—", ";", ":"))
                      and visible(" ".join(words[:i + 1])) > width // 3]
            cut = clause[-1] if clause else fit
            out.append(" ".join(words[:cut]))
            words = words[cut:]
        out.append(" ".join(words))
    return out


def base_layout(fig: Any, title: str, *, simulated: bool = False, height: int = 380) -> Any:
    """Apply the house layout; a simulated source gets '(simulated)' in the title.

    A title longer than a printed page's width is wrapped (:func:`wrap_title`), the top margin
    grown by a line for each extra line.
    """
    lines = wrap_title(f"{title} — SIMULATED" if simulated else title)
    if _dated_x(fig):
        # the day in the hover, whatever the span: over ten years plotly's own label is the
        # month ("Oct 2020: stress index 0.115 (percentile 57)": which day's reading?)
        fig.update_xaxes(hoverformat="%Y-%m-%d")
    fig.update_layout(
        title={"text": "<br>".join(lines), "x": 0.01, "font": {"size": 15}},
        template=house_template(), height=height + 18 * (len(lines) - 1),
        margin={"l": 60, "r": 30, "t": 50 + 18 * (len(lines) - 1), "b": 40},
        legend={"orientation": "h", "y": -0.15}, hovermode="x unified",
    )
    return fig


def _dated_x(fig: Any) -> bool:
    """Whether the figure's traces are drawn against dates (their first x value is one)."""
    import datetime as dt

    import numpy as np
    import pandas as pd

    for tr in fig.data:
        x = getattr(tr, "x", None)
        if x is None or len(x) == 0:
            continue
        first = x[0]
        return isinstance(first, (np.datetime64, pd.Timestamp, dt.date))
    return False


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


def log_axis(fig: Any, values: Any, *, title: str, row: int | None = None) -> Any:
    """A log y axis labelled 1-2-5 in plain numbers over the range of ``values``.

    Plotly's own log ticks over less than two decades label the minor ticks with their
    leading digit only ("100, 9, 8, ... 2" for 90 ... 20): TRUMP's −86 % read as −98 %.
    """
    import math

    import numpy as np

    where = {} if row is None else {"row": row, "col": 1}   # one subplot's axis (a row)
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v) & (v > 0)]
    if not len(v):
        return fig.update_yaxes(title=title, type="log", **where)
    lo, hi = float(v.min()), float(v.max())
    ticks = [m * 10.0 ** e for e in range(math.floor(math.log10(lo)) - 1,
                                          math.ceil(math.log10(hi)) + 1) for m in (1, 2, 5)]
    ticks = [t for t in ticks if lo / 1.5 <= t <= hi * 1.5]
    if not [t for t in ticks if t <= lo * 1.2]:
        # a tick at the lines' low end: BTC and ETH rebased to 100 ending near 31 (2022-10-21)
        # read against ticks of 50 and 100 only (20 below the axis's reach)
        # (lo rounded up to one digit: inside the data's range, so on the axis)
        step = 10.0 ** math.floor(math.log10(lo))
        ticks = sorted({math.ceil(lo / step) * step, *ticks})
    return fig.update_yaxes(title=title, type="log", tickvals=ticks,
                            ticktext=[f"{t:,.4g}" for t in ticks], **where)


def note_below(fig: Any, note: str, *, width: int = 64, under_axis_title: bool = False,
               legend_rows: int = 0) -> Any:
    """A grey note under the plot, wrapped to ``width`` characters, with room made for it.

    One long line was cut off at both ends in a dashboard card (the stress gauge's "as of ...;
    stale: ..." showed only its middle). Each paragraph (lines apart in ``note``) starts a line (a
    card's STALE note above its missing-data note: two notes at one place overprinted).
    """
    import textwrap

    lines = [ln for para in note.split("\n") for ln in (textwrap.wrap(para, width) or [para])]
    # under the x axis's ticks and title when it has one (the note sat on the tick labels)
    # (and under a legend below the plot: its rows, which wrap at a page's width, overprinted
    # the crypto chart's note in the PDF)
    shift = (55 if under_axis_title else 8) + 20 * legend_rows
    fig.add_annotation(text="<br>".join(lines), xref="paper", yref="paper", x=0.5, y=0,
                       yanchor="top", yshift=-shift, showarrow=False, align="center",
                       font={"size": 11, "color": "#888888"})
    bottom = (fig.layout.margin.b or 30) + 15 * len(lines) + 10 + (shift - 8)
    fig.update_layout(margin={"b": bottom}, height=(fig.layout.height or 380) + 15 * len(lines))
    return fig


def missing_at_end(columns: dict[str, Any], *, drawn_as: str = "no share") -> str | None:
    """Which stacked series have no value at the end of the window, and since when.

    Parameters
    ----------
    columns : dict of str to Series
        Label -> the series as computed (NaN where it had no fresh input), on the window shown.
    drawn_as : str, default "no share"
        How the chart draws a missing value (a zero band of a stack).

    Returns
    -------
    str or None
        e.g. ``"no data, drawn as no share (not as calm): Japan private since 2026-03-24;
        custody since 2026-07-13"``, or None when every series has its last value.
    """
    parts = []
    for label, s in columns.items():
        if len(s) == 0 or not pd.isna(s.iloc[-1]) or s.notna().sum() == 0:
            continue
        have = s.notna().to_numpy()
        last = int(np.flatnonzero(have)[-1])
        parts.append(f"{label} since {s.index[last + 1]:%Y-%m-%d}")
    if not parts:
        return None
    return f"no data, drawn as {drawn_as} (not as calm): " + "; ".join(parts)
