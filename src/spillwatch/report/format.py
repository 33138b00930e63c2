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
    head = "".join(f"<th>{html.escape(str(c or ''))}</th>" for c in [*names, *frame.columns])
    rows = []
    for idx, vals in zip(frame.index, frame.itertuples(index=False), strict=True):
        keys = idx if isinstance(idx, tuple) else (idx,)
        rows.append("<tr>" + "".join(f"<td>{cell(k, fmt)}</td>" for k in keys)
                    + "".join(f"<td>{cell(v, fmt)}</td>" for v in vals) + "</tr>")
    return f'<table class="data"><tr>{head}</tr>{"".join(rows)}</table>'


def note(text: str) -> str:
    """An escaped, italic note paragraph."""
    return f"<p><i>{html.escape(text)}</i></p>"
