"""How far a reading is behind today: the one freshness note every interface shows."""

from __future__ import annotations

import datetime as dt

import pandas as pd


def behind_today(as_of: object, *, simulated: bool, limit_days: int, what: str,
                 today: dt.date | None = None) -> str | None:
    """A note when ``as_of`` is more than ``limit_days`` before today (None otherwise).

    The simulated demo market does not move with the clock: never a note there.
    """
    if as_of is None or simulated:
        return None
    today = today or dt.datetime.now(dt.UTC).date()
    days = (today - pd.Timestamp(as_of).date()).days  # type: ignore[arg-type]
    if days <= limit_days:
        return None
    return (f"{what} is as of {pd.Timestamp(as_of).date()}, {days} days before today "  # type: ignore[arg-type]
            f"({today}): not today's reading; import or fetch newer data")
