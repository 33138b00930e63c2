"""The business calendar every risk number is on, and the scenario's market after its joint sample.

One copy: :func:`spillwatch.service.risk.risk_panel` reads its rows, and
:func:`spillwatch.service.scenarios.on_business_days` the scenario's market's last rows, from
here (a US holiday on which gold prints is no row of it; crypto's closes of that day join the
next business day's change).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from spillwatch.service.workspace import Workspace

#: The assets of the risk panel (one panel, one calendar, for every risk number).
ASSETS: tuple[str, ...] = ("ust10y", "usd_broad", "spx", "btc", "eth", "trump")


def business_calendar(ws: Workspace) -> pd.DatetimeIndex | None:
    """The days every risk number is on: the rows of the panel of the :data:`ASSETS` held.

    The 10-year, the dollar and the S&P 500 make them (crypto's weekend and US-holiday closes
    join the next of them), as in :func:`spillwatch.service.risk.risk_panel`; None when the
    data hold none of the :data:`ASSETS`.
    """
    std = tuple(ws.have(list(ASSETS)))
    return ws.panel(std, transform="changes").index if std else None


def on_calendar(own: pd.DataFrame, calendar: pd.DatetimeIndex) -> pd.DataFrame:
    """A series' changes summed onto ``calendar`` (its holiday moves roll forward).

    The series must not add dates to the standard calendar: a fund (or gold) priced on a US
    holiday would otherwise split every other asset's change across that date. Log returns and bp
    changes add, so a change on a date outside the calendar moves to the next calendar date.
    """
    out = pd.DataFrame(np.nan, index=calendar, columns=own.columns)
    for c in own.columns:
        s = own[c].dropna()
        pos = calendar.searchsorted(s.index, side="left")
        keep = pos < len(calendar)
        if keep.any():
            agg = pd.Series(s.to_numpy()[keep]).groupby(pos[keep]).sum()
            out.iloc[agg.index.to_numpy(), out.columns.get_loc(c)] = agg.to_numpy()
    return out
