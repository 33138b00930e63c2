"""How far a reading is behind today: the one freshness note every interface shows."""

from __future__ import annotations

import datetime as dt

import pandas as pd


def behind_today(as_of: object, *, simulated: bool, limit_days: int, what: str,
                 today: dt.date | None = None, end: object = None,
                 end_name: str = "--end") -> str | None:
    """A note when ``as_of`` is more than ``limit_days`` before today (None otherwise).

    With ``end`` (a ``--end`` the user asked for) the reference is that date, or today if it
    is later: a reading weeks older than the date asked for says so too (``risk --end
    2026-11-30`` gave January's VaR without a word). The simulated demo market does not move
    with the clock: never a note there.
    """
    if as_of is None or simulated:
        return None
    today = today or dt.datetime.now(dt.UTC).date()
    ref, label = today, "today"
    if end is not None:
        asked = pd.Timestamp(end).date()  # type: ignore[arg-type]
        if asked < today:
            ref, label = asked, end_name
    seen = pd.Timestamp(as_of).date()  # type: ignore[arg-type]
    days = (ref - seen).days
    if days <= limit_days:
        return None
    if label != "today":
        return (f"{what} is as of {seen}, {days} days before {label} {ref}: the last reading "
                "the data allow by then")
    return (f"{what} is as of {seen}, {days} days before today ({today}): not today's "
            "reading; import or fetch newer data")
