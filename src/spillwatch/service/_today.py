"""How far a reading is behind today: the one freshness note every interface shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

import pandas as pd

from spillwatch import universe
from spillwatch._changes import still_run

#: The day a replay of the whole job (``run --as-of``) takes as today, while it runs.
_REPLAY_DAY: ContextVar[dt.date | None] = ContextVar("spillwatch_replay_day", default=None)
#: Whether the replay reads the data as published by its day (a vintage: nothing newer exists).
_REPLAY_PUBLISHED: ContextVar[bool] = ContextVar("spillwatch_replay_published", default=False)


def today_utc() -> dt.date:
    """Today: the clock's UTC date, or the day of a replay under :func:`replay_day`."""
    return _REPLAY_DAY.get() or dt.datetime.now(dt.UTC).date()


@contextmanager
def replay_day(day: dt.date, *, published: bool = False) -> Iterator[None]:
    """Take ``day`` as today inside the block.

    ``run --as-of``: every freshness note, the headline's staleness and the readings' dates
    are judged on that evening, not on the clock's (which called every input of a 2020 replay
    2,449 days stale). ``published``: the data read are as published by ``day`` (a vintage),
    so a reading behind it is the last the data allow by then, not one to import or fetch
    (a replay's notes asked for newer data that cannot exist on that evening).
    """
    token = _REPLAY_DAY.set(day)
    kind = _REPLAY_PUBLISHED.set(published)
    try:
        yield
    finally:
        _REPLAY_PUBLISHED.reset(kind)
        _REPLAY_DAY.reset(token)


def asked_for(today: dt.date, ref: dt.date) -> bool:
    """Whether ``ref`` is an evening asked for rather than today's, which newer data could mend.

    It is when it is before today (an ``--end``/``--as-of``), or when it is the day of a replay
    of the data as published by then (:func:`replay_day` with ``published``).
    """
    return ref != today or (_REPLAY_PUBLISHED.get() and _REPLAY_DAY.get() == today)


def reference_day(today: dt.date | None, end: object) -> tuple[dt.date, dt.date]:
    """Today and the day a reading is judged against.

    Today is :func:`today_utc` unless given; the reference is today, or ``end`` when
    that is earlier.
    """
    today = today or today_utc()
    if end is not None and pd.Timestamp(end).date() < today:  # type: ignore[arg-type]
        return today, pd.Timestamp(end).date()  # type: ignore[arg-type]
    return today, today


def behind_today(as_of: object, *, simulated: bool, limit_days: int, what: str,
                 today: dt.date | None = None, end: object = None,
                 end_name: str | None = None,
                 advice: str = "import or fetch newer data") -> str | None:
    """A note when ``as_of`` is more than ``limit_days`` before today (None otherwise).

    With ``end`` (a ``--end`` the user asked for) the reference is that date, or today if it
    is later: a reading weeks older than the date asked for says so too (``risk --end
    2026-11-30`` gave January's VaR without a word). ``end_name`` names that date as the
    caller's interface does (``"--as-of"``); by default "the date asked for" (the API and
    ``--as-of`` were told "before --end"). ``advice`` ends today's note: what would give a
    newer reading (a frozen series of the user's holds spillover's windows back whatever data
    come). The simulated demo market does not move with the clock: never a note there.
    """
    if as_of is None or simulated:
        return None
    today, ref = reference_day(today, end)
    seen = pd.Timestamp(as_of).date()  # type: ignore[arg-type]
    days = (ref - seen).days
    if days <= limit_days:
        return None
    if asked_for(today, ref):
        asked = f"{end_name} {ref}" if end_name else f"{ref}, the date asked for"
        return (f"{what} is as of {seen}, {days} days before {asked}: the last reading the "
                "data allow by then")
    return (f"{what} is as of {seen}, {days} days before today ({today}): not today's "
            f"reading; {advice}")


def stale_series(last_dates: Mapping[str, object], *, simulated: bool, what: str,
                 today: dt.date | None = None, end: object = None,
                 end_name: str | None = None,
                 extra: Mapping[str, universe.Asset] | None = None) -> str | None:
    """One note naming every series whose last date is past its own staleness limit.

    ``last_dates`` maps a change column (``btc_pct``, ``ust10y_bp`` …) to the last date its
    figures read. Each is judged against its asset's limit (``timing.stale_after_days``: 3
    days for crypto, a week for a daily market series) from today, or from ``end`` when that
    is earlier (see :func:`behind_today`), on its market's calendar as every staleness flag
    is (:meth:`~spillwatch.timing.Timing.stale`: a series whose market has been shut since is
    not stale); a column of the user's own data (``extra``: a panel's ``attrs["assets"]``) by
    its asset's limit too (a fund last priced 432 days before read as fresh in `risk` while
    the scenario marked it stale). Returns None when every series is fresh (and always on the
    simulated demo).
    """
    if simulated:
        return None
    today, ref = reference_day(today, end)
    asked = asked_for(today, ref)
    label = (f"today's ({today})" if not asked else f"of {end_name} {ref}" if end_name
             else f"of {ref}, the date asked for")
    old = []
    for col, last in last_dates.items():
        asset = universe.watchlist_asset_of_column(str(col))
        if asset is None and extra:
            asset = next((a for a in extra.values() if a.change_column == str(col)), None)
        if last is None or asset is None:
            continue
        stamp = pd.Timestamp(last)  # type: ignore[arg-type]
        if pd.isna(stamp):          # no figures: no last date (NaT however spelt: numpy's, NaN)
            continue
        limit = asset.timing.stale_after_days
        seen = stamp.date()
        days = (ref - seen).days
        # by the calendar days alone a user's 10-year JGB of 2019-04-25 read "8 days before,
        # limit 6" on 2019-05-03, inside Golden Week, with no print missed
        if asset.timing.is_stale(seen, ref):
            old.append(f"{col} (as of {seen}, {days} days before, limit {limit})")
    if not old:
        return None
    return (f"{what} from a last date past the series' staleness limit, not {label}: "
            + ", ".join(old)
            + ("; import or fetch newer data" if not asked
               else ": the last readings the data allow by then"))


#: Trailing unchanged days after which a series reads as a frozen feed: longer than any still
#: run of the shared data's real series (a price: USD/JPY's 10 days at the 1972 peg, the S&P
#: 500's 3; a rate quoted to 1 bp: the 1-month bill's 17 days at zero in 2015, the IG spread's
#: 14 in 2014, the 10-year's 10 in 1963).
FROZEN_PRICE_DAYS, FROZEN_RATE_DAYS = 12, 25


def frozen_note(changes: pd.DataFrame, what: str) -> str | None:
    """A note naming the series whose last changes are all exactly zero (a frozen feed).

    A feed that repeats its last value keeps its dates fresh, so no staleness rule sees it;
    its recent volatility collapses: the filtered and Student-t VaR of bitcoin read 0.0068%
    (the historical 10.46%) and the stress index read calm on a store whose every series had
    been unchanged for 120 days. Percent changes count from :data:`FROZEN_PRICE_DAYS`, basis
    points from :data:`FROZEN_RATE_DAYS` (bills at zero and spreads quoted to 1 bp sit still for
    two weeks); a managed currency's repeats are values.
    """
    from spillwatch.data.rules import REPEATS_ARE_VALUES

    out = []
    for c in changes.columns:
        a = universe.watchlist_asset_of_column(str(c))
        if a is not None and any(s in REPEATS_ARE_VALUES for s in a.sources):
            continue
        need = FROZEN_RATE_DAYS if str(c).endswith("_bp") else FROZEN_PRICE_DAYS
        n, moved = still_run(changes[c])
        if n < need:
            continue
        since = f" since {moved:%Y-%m-%d}" if moved is not None else ""
        out.append(f"{c} ({n} days{since})")
    if not out:
        return None
    return (f"not moving: {'; '.join(out)}: a frozen feed? {what} read its last days as no "
            "moves at all")


def end_option(source: object, end: object) -> str:
    """The option that gave ``end``: ``--as-of`` on the vintage of that evening, else ``--end``.

    Advice to "give a later --end" after ``--as-of D`` named an option the command refuses
    beside it ("give --as-of or --end, not both"), and spillover's refusal said "up to --end D"
    of the data as published by ``--as-of D``.
    """
    known_by = getattr(source, "known_by", None)
    return ("--as-of" if known_by is not None and end is not None
            and pd.Timestamp(str(end)).normalize() == pd.Timestamp(known_by).normalize()
            else "--end")
