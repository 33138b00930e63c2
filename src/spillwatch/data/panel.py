"""The aligned daily panel: every asset on one calendar, in levels or in changes with units.

Alignment rules
---------------
* **Calendar.** ``calendar="business"`` (the default) uses the days on which at least one
  business-day market on the panel (rates, FX, equities, gold) printed, Monday to Friday; US
  holidays on which nothing printed are absent. ``calendar="every_day"`` keeps every calendar day.
  :func:`spillwatch.load` (``calendar_of=CALENDAR_ASSETS``) instead takes the days of the US
  markets (:data:`CALENDAR_ASSETS`: the 10-year, the dollar, the S&P 500) whatever the assets
  asked for, as every command's standard panel does: a series' changes then do not depend on
  the other assets loaded (with gold, which prints on US holidays, bitcoin's moves across them
  were split and its VaR read 6.86% instead of 7.59%; with gold alone bitcoin stopped at
  gold's last print). Another series' moves on days off that calendar roll into the next day
  of it; its days before or after the calendar's span are added.
* **Crypto** trades every day. Its value on a business day *d* is the Binance daily close of UTC
  day *d* (the kline that closes at 24:00 UTC, three to four hours after the 16:00 New York close
  of the US markets on the same date). Weekend moves therefore land in Monday's change: the
  change on Monday is from Friday's close to Monday's close.
* **Sources** of one asset are spliced: the first source in
  :data:`spillwatch.universe.ASSETS` wins on a date both have; later ones fill its gaps.
* **Weekly and monthly** series (stress indices, custody and TIC holdings) appear in levels as of
  their observation date, carried forward until the next observation (at most 10 calendar days
  for weekly, 35 for monthly); their changes are taken between consecutive observations and
  placed on the first panel date on or after the observation date (a print dated a holiday
  sits on the next day; ``attrs["observed_on"]`` maps such a column's panel date to the print's
  own date). Publication lags are not modelled: a weekly index dated Friday is usually published
  the next week.
* **Sampling times** are in ``attrs["sampling"]``: a value of date *d* is the New York close
  (21:00 UTC) for yields and equities, the noon New York rate (17:00 UTC) for the H.10 dollar
  series, the 24:00 UTC Binance close for crypto. Daily changes of assets sampled at different
  hours are not synchronous (see ``spillwatch.analytics.connectedness.synchronous_changes``).
* **Gaps.** Nothing is forward-filled in daily series. A change is taken from the previous
  available value when it lies at most ``max_gap_days`` calendar days earlier (a holiday in one
  market does not erase the move across it); across a longer gap the change is NaN.

Transforms
----------
``transform="levels"`` gives columns such as ``ust10y_pct`` or ``btc_usd``;
``transform="changes"`` gives first differences in basis points for yields and spreads
(``ust10y_bp``), log returns in percent for prices, FX and positive indices (``btc_pct``), and
first differences for stress indices and holdings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from spillwatch import universe
from spillwatch._frozen import freeze
from spillwatch._validation import date_window
from spillwatch.exceptions import DataError
from spillwatch.store import Store
from spillwatch.timing import timing_for

_FFILL_DAYS = {"weekly": 10, "monthly": 35}


def resolve_sources(store: Store, keys: Sequence[str], *, explicit: bool,
                    extra: Mapping[str, universe.Asset] | None = None) -> dict[str, list[str]]:
    """Return, for each asset key, the store series that carry it (best first).

    A demo store (series ``demo:<key>``) only ever yields its simulated series (and the user's
    own series in ``extra``): ``demo:<key>``, or else the asset's own ids where the demo wrote
    them (its foreign-demand inputs carry the real ids, e.g. custody's ``fred:WMTSECL1``,
    catalogued with provider ``demo``). Assets with no series are left out, or raise
    :class:`DataError` when ``explicit``.
    """
    with store.session():       # one connection for both reads (each starts a DuckDB instance)
        present = set(store.query("SELECT DISTINCT series_id FROM observations")["series_id"])
        demo = any(s.startswith("demo:") for s in present)
        simulated: set[str] = set()
        if demo:
            cat = store.series()
            simulated = set(cat.loc[cat["provider"] == "demo", "series_id"])
    out: dict[str, list[str]] = {}
    for key in keys:
        if extra and key in extra:
            a = extra[key]
            cands = list(a.sources)
        else:
            a = universe.asset(key)
            cands = list(a.sources)
            if demo:
                own = universe.demo_series_id(key)
                written = [c for c in cands if c in simulated]
                cands = written if written and own not in present else [own]
        have = [c for c in cands if c in present]
        if have:
            out[key] = have
        elif explicit:
            raise DataError(
                f"no data for asset {key!r}: the store has none of {', '.join(cands)}. "
                "Import a file that carries it (spillwatch import PATH) or drop it from assets.",
                asset=key,
            )
    return out


def _combine(wide: pd.DataFrame, ids: list[str]) -> pd.Series:
    out = wide[ids[0]]
    for sid in ids[1:]:
        out = out.combine_first(wide[sid])
    return out.dropna()


#: Calendar days a daily series may skip before its next change is not a daily change.
MAX_GAP_DAYS = 5
#: The US markets whose days make the business calendar of :func:`spillwatch.load` (as of the
#: risk and events commands' standard panels): Treasuries, the dollar, equities.
CALENDAR_ASSETS: tuple[str, ...] = ("ust10y", "usd_broad", "spx")
#: Decimals a basis-point change keeps. Yields are quoted to a few decimals of a percent, so
#: their changes are exact far below 1e-9 bp; rounding removes the binary round-off of the
#: difference (4.25 - 4.16 gives 8.999999999999986 bp, an error near 1e-14), which put some
#: 9 bp days below a 9 bp threshold and split equal moves in every quantile and rank.
BP_DECIMALS = 9


def level_changes(levels: pd.Series, asset: universe.Asset,
                  max_gap_days: int = MAX_GAP_DAYS) -> pd.Series:
    """Daily changes of ``levels`` in the asset's change unit (log % x100, bp, or points).

    A daily series' change over a gap longer than ``max_gap_days`` calendar days is NaN.
    Basis-point changes are rounded to :data:`BP_DECIMALS` decimals.
    """
    s = levels.dropna()
    if s.empty:
        return s
    if asset.log_change:
        ch = 100.0 * np.log(s).diff()
    elif asset.change_column.endswith("_bp"):
        ch = (100.0 * s.diff()).round(BP_DECIMALS)
    else:
        ch = s.diff()
    if asset.frequency == "daily":
        gap = s.index.to_series().diff().dt.days
        ch[gap > max_gap_days] = np.nan
    return ch


@dataclass(frozen=True)
class RawSeries:
    """The spliced level series of some assets, read from a store in one session.

    Attributes
    ----------
    series : dict of str to Series
        Asset key -> spliced levels (sources combined best first), dates normalised.
    sources : dict of str to list of str
        Asset key -> the store series ids that carry it, best first.
    """

    series: dict[str, pd.Series]
    sources: dict[str, list[str]]
    assets: dict[str, universe.Asset] = field(default_factory=dict)

    def asset(self, key: str) -> universe.Asset:
        """The asset behind ``key`` (a watch-list asset or a series of the user's)."""
        return self.assets.get(key) or universe.asset(key)

    @property
    def simulated(self) -> bool:
        """Whether the series are the simulated demo market."""
        return any(sid.startswith("demo:") for v in self.sources.values() for sid in v)

    def last_dates(self) -> dict[str, pd.Timestamp | None]:
        """Asset key -> the date of its last stored value."""
        return {k: (s.index[-1] if len(s) else None) for k, s in self.series.items()}


def read_series(store: Store, assets: Sequence[str] | None = None, *,
                explicit: bool | None = None,
                extra: Mapping[str, universe.Asset] | None = None) -> RawSeries:
    """Read and splice the level series of ``assets`` (default the watch list) in one session.

    ``explicit`` (default: whether ``assets`` is given) makes a missing asset an error.

    Raises
    ------
    DataError
        The store holds none of them, or (when explicit) one of them is absent.
    """
    explicit = assets is not None if explicit is None else explicit
    keys = list(assets) if assets is not None else list(universe.WATCHLIST)
    with store.session():
        sources = resolve_sources(store, keys, explicit=explicit, extra=extra)
        if not sources:
            raise DataError("the store holds none of the watch-list series; run `spillwatch "
                            "import PATH`, pass --data PATH, or use --demo")
        ids = sorted({sid for v in sources.values() for sid in v})
        wide = store.wide(ids)
    wide.index = pd.DatetimeIndex(wide.index).normalize()
    return RawSeries({k: _combine(wide, v) for k, v in sources.items()}, sources,
                     {k: a for k, a in (extra or {}).items() if k in sources})


def catalog_asset(catalog: pd.DataFrame, series_id: str, label: str = "the store"
                  ) -> universe.Asset:
    """A series of the user's (by its store id) as an asset, from the store's ``catalog``.

    Raises
    ------
    ConfigError
        ``series_id`` is neither a watch-list key nor a series id.
    DataError
        The catalog has no series of that id.
    """
    if ":" not in series_id:
        universe.asset(series_id)  # raises, listing the asset keys
    row = catalog[catalog["series_id"] == series_id]
    if row.empty:
        raise DataError(f"no series {series_id!r} in {label}; import it first "
                        "(spillwatch import FILE --map COLUMN=" + series_id + ")",
                        series_id=series_id)
    r = row.iloc[0]
    freq = str(r.get("frequency") or "daily")
    return universe.series_asset(series_id, name=str(r.get("name") or series_id),
                                 unit=str(r.get("unit") or ""),
                                 positive=bool(r.get("positive")),
                                 frequency=freq if freq in ("daily", "weekly", "monthly")
                                 else "daily")  # type: ignore[arg-type]


def build_panel(store: Store, *, assets: Sequence[str] | None = None, start: object = None,
                end: object = None, transform: Literal["levels", "changes"] = "changes",
                calendar: Literal["business", "every_day"] = "business",
                max_gap_days: int = MAX_GAP_DAYS,
                calendar_of: Sequence[str] | None = None) -> pd.DataFrame:
    """Build the aligned panel from a store (see the module docstring for the rules).

    Parameters
    ----------
    store : Store
    assets : sequence of str, optional
        Asset keys (:data:`spillwatch.universe.ASSETS`); default the watch list, keeping those
        the store has.
    start, end : date-like, optional
        Cut of the returned panel (changes use the point before ``start``).
    transform : {"changes", "levels"}
    calendar : {"business", "every_day"}
    max_gap_days : int, default 5
        Longest gap, in calendar days, a daily change may span.
    calendar_of : sequence of str, optional
        Assets whose days make the business calendar whatever ``assets`` holds (module
        docstring; :data:`CALENDAR_ASSETS` in :func:`spillwatch.load`); those the store lacks
        are left out, and with none of them the panel's own business series make it.

    Returns
    -------
    DataFrame
        Indexed by ``date``; ``attrs`` holds ``simulated``, ``sources``, ``transform`` and
        ``sampling``: per column, the asset, the series that leads it, ``sampled_utc`` (the hour,
        UTC, of date *d* that a daily value describes; see :mod:`spillwatch.timing`),
        ``calendar`` and ``frequency``.
    """
    _check_options(transform, calendar)
    # a series of the user's by its id (csv:MYFUND), as every command reads it ("unknown
    # asset" in sw.load)
    own = [k for k in assets or () if k not in universe.ASSETS]
    extra = None
    if own:
        with store.session():
            catalog = store.series()
        extra = {k: catalog_asset(catalog, k) for k in own}
    raw = read_series(store, assets, extra=extra)
    days = None
    if calendar == "business" and calendar_of:
        try:
            core = read_series(store, calendar_of, explicit=False)
        except DataError:       # the store holds none of them: the panel's own calendar
            core = None
        if core is not None:
            days = business_days(core, list(core.series))
    return assemble_panel(raw, start=start, end=end, transform=transform, calendar=calendar,
                          max_gap_days=max_gap_days, calendar_days=days)


def business_days(raw: RawSeries, keys: Sequence[str]) -> pd.DatetimeIndex:
    """Weekdays on which at least one of the daily business-day series ``keys`` printed."""
    # one sort of all dates (Index.union per series re-infers a frequency each time)
    stamps = [pd.DatetimeIndex(raw.series[k].index).to_numpy() for k in keys]
    stamps = [a for a in stamps if len(a)]
    idx = pd.DatetimeIndex(_sorted_unique(np.concatenate(stamps)) if stamps else [])
    return idx[idx.day_of_week < 5]


def _sorted_unique(stamps: np.ndarray) -> np.ndarray:
    """``np.unique(stamps)`` of datetime64 values.

    Midnights (a panel's dates) by marking their days in a table rather than sorting every
    stamp of every series; anything else (a time of day, NaT) by ``np.unique`` itself.
    """
    unit, count = np.datetime_data(stamps.dtype)
    per_day = {"D": 1, "h": 24, "m": 1_440, "s": 86_400, "ms": 86_400_000,
               "us": 86_400_000_000, "ns": 86_400_000_000_000}.get(unit)
    if per_day is None or count != 1 or not len(stamps) or np.isnat(stamps).any():
        return np.unique(stamps)
    ticks = stamps.view("i8")
    day, rest = np.divmod(ticks, per_day)
    lo, hi = int(day.min()), int(day.max())
    if rest.any() or hi - lo > 4 * len(stamps) + 100_000:
        return np.unique(stamps)
    seen = np.zeros(hi - lo + 1, dtype=bool)
    seen[day - lo] = True
    return ((np.flatnonzero(seen) + lo) * per_day).view(stamps.dtype)


def _check_options(transform: str, calendar: str) -> None:
    if transform not in ("levels", "changes"):
        raise DataError(f"transform must be 'levels' or 'changes', got {transform!r}")
    if calendar not in ("business", "every_day"):
        raise DataError(f"calendar must be 'business' or 'every_day', got {calendar!r}")


def assemble_panel(raw: RawSeries, *, start: object = None, end: object = None,
                   transform: Literal["levels", "changes"] = "changes",
                   calendar: Literal["business", "every_day"] = "business",
                   max_gap_days: int = MAX_GAP_DAYS,
                   calendar_days: pd.DatetimeIndex | None = None) -> pd.DataFrame:
    """Align already-read series into the panel (:func:`build_panel` without the store read).

    ``calendar_days``: the business calendar to use (``build_panel``'s ``calendar_of``), cut to
    the span of the series, with the panel's business series' days outside its span added.
    """
    _check_options(transform, calendar)
    series = raw.series
    sources = raw.sources
    metas = {k: raw.asset(k) for k in sources}

    daily_business = [k for k in series if metas[k].frequency == "daily"
                      and metas[k].calendar == "business"]
    held = [s for s in series.values() if len(s)]
    if calendar == "business" and calendar_days is not None and len(calendar_days) and held:
        own = business_days(raw, daily_business)
        # a coin's weekdays outside the span too: a Treasury file that stopped in July cut
        # bitcoin's August-December closes, and its VaR was read from July (7.62 against 6.86)
        coins = [k for k in series if metas[k].frequency == "daily"
                 and metas[k].calendar != "business"]
        if coins:
            own = own.union(business_days(raw, coins))
        outside = own[(own < calendar_days[0]) | (own > calendar_days[-1])]
        dates = calendar_days.union(outside)
        lo, hi = min(s.index.min() for s in held), max(s.index.max() for s in held)
        dates = dates[(dates >= lo) & (dates <= hi)]
    elif calendar == "every_day" or not daily_business:
        lo = min(s.index.min() for s in series.values() if len(s))
        hi = max(s.index.max() for s in series.values() if len(s))
        dates = pd.date_range(lo, hi, freq="D" if calendar == "every_day" else "B")
    else:
        dates = business_days(raw, daily_business)
    dates = pd.DatetimeIndex(dates, name="date")

    cols: dict[str, pd.Series] = {}
    moved: dict[str, dict[pd.Timestamp, pd.Timestamp]] = {}
    for k, s in series.items():
        a = metas[k]
        if transform == "levels":
            if a.frequency == "daily":
                cols[a.level_column] = s.reindex(dates)
            else:
                lim = pd.Timedelta(days=_FFILL_DAYS[a.frequency])
                pos = s.index.searchsorted(dates, side="right") - 1
                vals = np.where(pos >= 0, s.to_numpy()[np.clip(pos, 0, None)], np.nan)
                age = dates - s.index[np.clip(pos, 0, None)]
                vals[(pos < 0) | (age > lim)] = np.nan
                cols[a.level_column] = pd.Series(vals, index=dates)
        else:
            if a.frequency == "daily":
                # sample on the panel calendar first, so that crypto's weekend moves land on Monday
                cols[a.change_column] = level_changes(s.reindex(dates), a,
                                                      max_gap_days).reindex(dates)
            else:
                ch = level_changes(s, a, max_gap_days).dropna()
                pos = dates.searchsorted(ch.index, side="left")
                keep = pos < len(dates)
                placed = pd.Series(np.nan, index=dates)
                placed.iloc[pos[keep]] = ch.to_numpy()[keep]
                cols[a.change_column] = placed
                own, on = ch.index[keep], dates[pos[keep]]
                if (own != on).any():
                    moved[a.change_column] = dict(zip(on[own != on], own[own != on],
                                                      strict=True))
    panel = pd.DataFrame(cols, index=dates).astype("float64")
    lo, hi = date_window(start, end)
    if lo is not None:
        panel = panel.loc[lo:]
    if hi is not None:
        panel = panel.loc[:hi]
    # frozen: pandas deep-copies ``attrs`` on every operation, a FrozenMap copies to itself
    panel.attrs["simulated"] = raw.simulated
    if raw.assets:  # the user's own series: their metadata travels with the panel
        panel.attrs["assets"] = freeze({k: a for k, a in raw.assets.items() if k in sources})
    panel.attrs["sources"] = freeze(sources)
    panel.attrs["transform"] = transform
    if moved:   # the own date of a weekly print placed on a later panel date (a holiday's)
        panel.attrs["observed_on"] = freeze(moved)
    panel.attrs["sampling"] = freeze({
        (metas[k].level_column if transform == "levels" else metas[k].change_column): {
            "asset": k,
            "series": sources[k][0],
            "sampled_utc": timing_for(sources[k][0], metas[k].calendar).sampled_utc,
            "calendar": metas[k].calendar,
            "frequency": metas[k].frequency,
        }
        for k in sources
    })
    return panel

