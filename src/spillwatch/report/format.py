"""HTML formatting shared by the report's sections (numbers, dates, tables)."""

from __future__ import annotations

import html
import math
from typing import Any

import numpy as np
import pandas as pd


def cell(value: Any, fmt: str = "{:,.2f}") -> str:
    """One escaped table cell: numbers with ``fmt`` (blank when not finite), dates as ISO."""
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, int | np.integer):        # a count: 2,889, not 2,889.00
        return f"{int(value):,d}"
    if isinstance(value, float | np.floating | int | np.integer):
        v = float(value)
        return "" if not math.isfinite(v) else fmt.format(v)
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if value is None:
        return ""
    return html.escape(str(value))


def table_html(frame: pd.DataFrame, fmt: str = "{:,.2f}", *, corner: str = "") -> str:
    """A compact ``table.data`` of a DataFrame (index shown first, header escaped)."""
    names = [corner] if corner else [
        *(frame.index.names if frame.index.name or frame.index.nlevels > 1 else [""])]
    head = "".join(f"<th scope='col'>{html.escape(str(c or ''))}</th>"
                   for c in [*names, *frame.columns])
    # counts held as floats (a column with a gap, a sum) print as whole numbers, and so does a
    # row of counts (the DY table's NPT printed "4.00")
    whole = [_is_count(c, frame[c]) for c in frame.columns]
    whole_rows = [frame.index.nlevels == 1 and _is_count(i, frame.iloc[r])
                  for r, i in enumerate(frame.index)]
    rows = []
    for idx, vals, row in zip(frame.index, frame.itertuples(index=False), whole_rows,
                              strict=True):
        vals = tuple(int(v) if (w or row) and isinstance(v, float | np.floating)
                     and math.isfinite(v) else v for v, w in zip(vals, whole, strict=True))
        keys = idx if isinstance(idx, tuple) else (idx,)
        rows.append("<tr>" + "".join(f"<td>{cell(k, fmt)}</td>" for k in keys)
                    + "".join(f"<td>{cell(v, fmt)}</td>" for v in vals) + "</tr>")
    # a thead: a screen reader takes it as the column headers, and a table that runs over a
    # printed page repeats it on the next
    return (f'<table class="data"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


#: Column (or row) names, or their last word, that hold counts.
COUNT_WORDS: frozenset[str] = frozenset({"nobs", "days", "violations", "n", "n_est", "episodes",
                                         "count", "hits", "misses", "alarms", "obs", "weeks",
                                         "covered", "n_stress", "bdays", "window", "npt"})


def _is_count(name: object, col: pd.Series) -> bool:
    """Whether a float column (or row) holds counts (a count-like name and whole values only)."""
    words = str(name).lower().replace("(", " ").replace(")", " ").split()
    if not words or not (words[-1] in COUNT_WORDS or str(name).lower() in COUNT_WORDS
                         or words[0] in {"days", "episodes", "horizon"}):
        return False
    if not pd.api.types.is_float_dtype(col):
        return False
    v = col.dropna().to_numpy(dtype=float)
    return bool(len(v)) and bool(np.all(np.isfinite(v))) and bool(np.all(v == np.round(v)))


def note(text: str) -> str:
    """An escaped, italic note paragraph."""
    return f"<p><i>{html.escape(text)}</i></p>"


def simulated_dates_note(what: str) -> str:
    """A bold line for a section that sets real dates against the simulated demo market.

    The demo's scorecard gave real episodes (svb_2023, liberation_day_2025) a hit rate of 0.09
    and its event table real events' moves ("covid_oil_crash ... spx +0.74") with only the
    page's banner saying the market was simulated.
    """
    return (f"<p><b>SIMULATED market:</b> {html.escape(what)} are real dates; the market "
            "moves around them are the demo's simulation, so nothing here measures the real "
            "history.</p>")


#: The abbreviations the report's sections use, each spelt out once in its "Terms" list.
GLOSSARY: dict[str, str] = {
    "bp": "basis point, 0.01 percentage point",
    "pp": "percentage point",
    "TCI": "total connectedness index: the share of forecast-error variance that comes from "
           "the other assets (Diebold & Yilmaz 2012)",
    "NPT": "net pairwise transmission: how many other assets an asset drives more than they "
           "drive it",
    "VaR": "value at risk: the loss exceeded on the given share of days",
    "ES": "expected shortfall: the mean loss beyond the VaR",
    "CoVaR": "the VaR of one asset when another is at its own VaR (Adrian & Brunnermeier "
             "2016); ΔCoVaR, its change from the other's median state",
    "CAR": "cumulative abnormal return of an event study",
    "AUROC": "area under the ROC curve: the chance that a day before a stress peak scores "
             "above a calm day (0.5 is no skill)",
    "OAS": "option-adjusted spread of corporate bonds over Treasuries",
    "TIC": "Treasury International Capital, the US Treasury's monthly data on foreign "
           "holdings",
    "MOF": "Japan's Ministry of Finance",
    "JGB": "Japanese government bond",
    "ACM": "the Adrian, Crump & Moench term premium (New York Fed)",
    "SOFR": "the Secured Overnight Financing Rate",
    "TONA": "the Tokyo Overnight Average rate",
    "MOVE": "the ICE BofA index of Treasury option-implied volatility",
    "VIX": "the Cboe index of S&P 500 option-implied volatility",
    "DCC": "dynamic conditional correlation (Engle 2002)",
    "GARCH": "generalised autoregressive conditional heteroskedasticity: a volatility model",
    "FHS": "filtered historical simulation",
    "SVAR": "structural vector autoregression",
    "STLFSI4": "the St. Louis Fed Financial Stress Index",
    "CISS": "the ECB's Composite Indicator of Systemic Stress (Holló, Kremer & Lo Duca 2012)",
}


def glossary_html(text: str) -> str:
    """The "Terms" list of the abbreviations of :data:`GLOSSARY` that ``text`` uses."""
    import re

    used = [k for k in GLOSSARY if re.search(rf"(?<![A-Za-z0-9_]){re.escape(k)}(?![A-Za-z0-9_])",
                                             text)]
    if not used:
        return ""
    items = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(GLOSSARY[k])}</dd>"
                    for k in used)
    return f"<section id='terms'><h2>Terms</h2><dl class='terms'>{items}</dl></section>"
