"""Risk as the product shows it: volatility forecasts, dynamic correlation, VaR/ES, CoVaR.

One standard setup (:data:`ASSETS` from :data:`START`, GARCH family by BIC, DCC(1,1), 99% VaR
by three methods with backtests, CoVaR at the 5% quantile given a Treasury sell-off) read by the
CLI ``volatility`` and ``risk`` commands, the report's risk section and the dashboard, so that a
forecast or a ΔCoVaR is the same number wherever it is shown.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd

from spillwatch import universe
from spillwatch._changes import merge_incomplete_rows
from spillwatch._results import ResultBase, jsonable
from spillwatch.analytics.volatility import CoVaR, ValueAtRisk, Volatility
from spillwatch.analytics.volatility import correlation as fit_correlation
from spillwatch.analytics.volatility import covar as fit_covar
from spillwatch.analytics.volatility import var_es as fit_var_es
from spillwatch.analytics.volatility import volatility as fit_volatility
from spillwatch.analytics.volatility.correlation import METHODS as CORR_METHODS
from spillwatch.analytics.volatility.covar import CoVaRResult
from spillwatch.analytics.volatility.garch import REALISED_DAYS
from spillwatch.analytics.volatility.risk import empirical_tail
from spillwatch.exceptions import ConfigError, DataError, ScenarioError, SpillwatchError
from spillwatch.scenarios.portfolio import TENOR_YEARS, Portfolio, asset_returns, per_usd
from spillwatch.service import defaults
from spillwatch.service._calendar import ASSETS as ASSETS  # one panel, one calendar
from spillwatch.service._calendar import on_calendar as _on_calendar
from spillwatch.service._closes import CLOSES_AFTER as CLOSES_AFTER  # the notes' start (tests)
from spillwatch.service._closes import CLOSURE as CLOSURE
from spillwatch.service._closes import closes_after_notes, closure_notes
from spillwatch.service._today import (
    behind_today,
    end_option,
    frozen_note,
    reference_day,
    stale_series,
)
from spillwatch.service.scenarios import book_assets, book_specs, book_without_data
from spillwatch.service.workspace import Workspace
from spillwatch.timing import HOME_CLOSURES, held_quotes, next_us_market_day, us_market_holidays

#: A position or series that begins within this of ``--start`` begins with the window: its
#: first days are a holiday or a weekend away, not a history cut short.
START_GRACE = pd.Timedelta(days=7)

#: Crypto: the targets of VaR/ES and CoVaR.
CRYPTO: tuple[str, ...] = ("btc", "eth", "trump")
#: Assets of the dynamic correlation (a joint estimation: short histories are left out).
CORRELATION_ASSETS: tuple[str, ...] = ("ust10y", "usd_broad", "spx", "btc", "eth", "trump")


class DefaultStart(str):
    """The default ``start``: :data:`START`, moved earlier for an early window.

    A ``str`` of its own type, so that a user's ``--start 2015-01-01`` (a plain ``str``) is
    kept as given while the default follows the window's end (:func:`window_start`).
    """

    __slots__ = ()


START = defaults.RISK_START
#: The default ``start`` of every function here: :data:`START`, or earlier (:func:`window_start`).
DEFAULT_START = DefaultStart(START)
#: Years of history the default start keeps before an early window's end.
MIN_YEARS = defaults.RISK_MIN_YEARS
VOL_MODEL = defaults.VOL_MODEL
HORIZON = defaults.VOL_HORIZON
#: Observations a volatility fit needs (the library's own minimum).
VOL_MIN_OBS = Volatility().min_obs
#: Observations a VaR/ES estimate needs (the library's own minimum).
VAR_MIN_OBS = ValueAtRisk().min_obs
CORR_METHOD = defaults.CORR_METHOD
#: ``--correlation``'s choices: the correlation models, or none.
CORR_CHOICES: tuple[str, ...] = (*CORR_METHODS, "none")
CORR_MIN_OBS = 250
LEVEL = defaults.VAR_LEVEL
METHODS: tuple[str, ...] = defaults.VAR_METHODS
COVAR_Q = defaults.COVAR_Q
#: A 10-year change at or above this quantile is a "Treasury sell-off day" for the correlation
#: comparison.
SELLOFF_QUANTILE = 0.95


def _end_words(ws: Workspace, end: object) -> str:
    """The window's end in a message: ``end``, else the evening of a past view, else "the end".

    The report of a past evening reads its vintage to its end (no ``end``): its risk section
    said "between 2015-01-01 and the end" where ``risk --as-of`` said "and 2018-06-01".
    """
    if end is not None:
        return str(end)
    known_by = getattr(ws.source, "known_by", None)
    return "the end" if known_by is None else f"{pd.Timestamp(known_by):%Y-%m-%d}"


def nothing_to_measure(ws: Workspace) -> str | None:
    """Why the standard risk (crypto's VaR, ES and CoVaR) has nothing to measure, or ``None``.

    The one reason every surface gives (``risk``, ``/api/risk``, the report's risk section):
    the data hold none of :data:`CRYPTO`. On 2008-09-15 ``risk --as-of`` said the window ends
    before it starts (the default start, 2015-01-01), ``/api/risk`` gave volatility's "give a
    --start" (an option it does not take) and the report "lacks btc": the evening had no crypto
    published, which is what each now says, with the store's first date when it holds it later.
    """
    return ws.memo("risk:nothing_to_measure", lambda: _nothing_to_measure(ws))


def _nothing_to_measure(ws: Workspace) -> str | None:
    if ws.have(list(CRYPTO)):
        return None
    why = f"no asset to measure: {ws.label} holds none of {', '.join(CRYPTO)}"
    later = ws.begins_later(CRYPTO)
    if not later:       # the store holds none at all: a later evening cannot help
        return f"{why} (spillwatch risk --assets measures what it holds)"
    return f"{why}: {later}"


def window_start(ws: Workspace, start: object, end: object = None) -> object:
    """``start`` as given, or the default's date for a window ending with ``end``.

    The default (:data:`DEFAULT_START`) is :data:`START`, or :data:`MIN_YEARS` before the
    window's end when that is earlier (``end``, else the last date of the data, which a past
    evening's vintage cuts at that evening): ``volatility --as-of 2008-09-15`` was refused
    "the window ends before it starts (2015-01-01)" though the 10-year, the dollar and the
    S&P 500 reach back decades, and an evening of 2015 had months of history where a later
    one has years. A window ending on or after 2018-01-01 starts on 2015-01-01 as before.
    """
    if not isinstance(start, DefaultStart):
        return start
    last = pd.Timestamp(str(end)) if end is not None else ws.newest()
    if last is None:
        return str(start)
    early = last.normalize() - pd.DateOffset(years=MIN_YEARS)
    return min(pd.Timestamp(str(start)), early).strftime("%Y-%m-%d")


def risk_panel(ws: Workspace, *, assets: tuple[str, ...] | None = None,
               start: object = DEFAULT_START, end: object = None, measures: str = "crypto",
               window_from: object = None) -> pd.DataFrame:
    """The changes panel every risk number is computed on (the 10-year yield when held).

    ``window_from``: with ``start=None``, the first day of the window the panel is built for
    (its history before it read for a first row that spans the same time): a user's series is
    judged daily or not on its dates from there, as the window's own panel judges it (a NAV
    weekly until 2022 and daily since was refused "a weekly series?" by its whole history).

    ``measures``: what the caller measures of the default assets, for the advice of a window
    that ends before it starts: ``"crypto"`` (VaR, ES and CoVaR, whose targets begin in
    2017), or ``"all"`` (volatility, whose 10-year, dollar and S&P 500 an earlier --start
    measures).

    Always on the calendar of the :data:`ASSETS` the data hold: a daily change spans the
    interval between two rows of that calendar, so without this an asset's numbers would
    depend on which other assets were asked for (TRUMP's weekend move lands on Monday whether
    or not the S&P 500 is in the request). Any other series (gold, the 2-year, a user's fund)
    joins it with its changes on dates off it summed into the calendar's next date.
    """
    start = window_start(ws, start, end)
    explicit = assets is not None
    # the 10-year (CoVaR's conditioning series) when the data hold it or it was named: a
    # user's own file alone ("risk --data fund.csv --assets csv:ACME") stopped on "no data for
    # ust10y ... drop them from --assets", a series she never named
    ten = (("ust10y",) if assets is None or "ust10y" in assets or ws.have(["ust10y"])
           else ())
    keys = tuple(dict.fromkeys([*(assets or ASSETS), *ten]))
    if explicit:
        ws.require_daily(keys, "risk (VaR, ES, CoVaR, volatility, correlation)",
                         start=start if start is not None else window_from, end=end)
    want = ws.panel(keys, transform="changes", start=start, end=end, explicit=explicit)
    if not want.notna().any().any():
        if start is not None and end is not None and pd.Timestamp(end) < pd.Timestamp(start):
            # --as-of ends the window too: "before --end" was said to a user who gave none
            # an earlier --start only helps named assets: the default ones are crypto's,
            # whose data begin after the default start (the advice failed on "no asset")
            lo, hi = pd.Timestamp(start).date(), pd.Timestamp(end).date()
            later = f"an --end or --as-of on or after {lo}"
            remedy = (f"give a --start before {hi}, or {later}"
                      if assets is not None or measures == "all" else
                      f"give {later} (the default assets are crypto's, whose data begin "
                      "later; --assets with --start measures others)")
            raise DataError(f"the window ends ({hi}, the --end or --as-of) before it starts "
                            f"({lo}; the default start is {START}): {remedy}")
        # the default start before an early --end (2005-10-15 for 2008-10-15): say when the
        # data begin, the way out ("the default assets are crypto's" was said of 2015-01-01)
        firsts = ws.stored_first(list(keys)) if end is not None else {}
        late = [f"{k} {d:%Y-%m-%d}" for k, d in firsts.items() if d > pd.Timestamp(str(end))]
        since = (f" (its figures begin later: {', '.join(late)}; give a later --end)"
                 if late else "")
        raise DataError(f"{ws.label} has no data between {start or 'the start'} and "
                        f"{end or 'the end'}{since}")
    std = tuple(ws.have(list(ASSETS)))
    if not std:             # only the user's own series: their own calendar
        return want
    # the calendar and the joins on the whole history, then cut: a series' move on a date off
    # the calendar just before --start joins the first day (gold's print of MLK Day 2023-01-16
    # was lost with --start 2023-01-17: its first change read 1915.45 -> 1908.59, -0.36%, beside
    # the 10-year's and bitcoin's from Friday, where its own from Friday's 1920.29 is -0.61%)
    panel = ws.panel(std, transform="changes", end=end)
    held = set(ws.have([k for k in keys if k in universe.ASSETS]))
    extra = {k: ws.panel((k,), transform="changes", end=end, explicit=explicit)
             for k in keys if k not in std and (k in held or k not in universe.ASSETS)}
    # a series off the standard set (a user's fund, gold, the 2-year) joins its calendar:
    # gold's prints on US holidays split bitcoin's weekend moves, so a book holding gold read
    # BTC's VaR as 6.86 % where `risk` read 7.59 %. Its dates before or after the calendar's
    # span are added (the term premium's last 21 days, after the 10-year's end, were lost),
    # but not a US holiday after its last day: gold's print of 2024-07-04 was a row of its own,
    # its VaR "as of 2024-07-04" beside bitcoin's of 07-03 (the holiday's closes are the
    # evening's after the last row; the next business day's change takes them in)
    cal = panel.index
    nxt = next_us_market_day(panel.index[-1])
    for own in extra.values():
        seen = own.index[own.notna().any(axis=1).to_numpy()]
        cal = cal.union(seen[(seen < panel.index[0]) | (seen >= nxt)])
    panel = panel.reindex(cal)
    for own in extra.values():
        panel = panel.join(_first_change_spans(_on_calendar(own, panel.index), own.index))
    out = panel[list(want.columns)]
    if start is not None:
        out = out.loc[pd.Timestamp(start):]
    # the user's assets travel with their columns (a yield imported in percent is read on its
    # rises, and judged stale by its own limit)
    out.attrs["assets"] = want.attrs.get("assets")
    return out


def _first_change_spans(joined: pd.DataFrame, dates: pd.DatetimeIndex) -> pd.DataFrame:
    """``joined`` (changes summed onto the calendar) without a first change of a partial span.

    In place, and returned: a first change is left out when it runs from a close after the
    calendar's day before it (``dates``: the series' own dates), the other assets' changes
    running from that day. TRUMP's prices imported as an own series read +18.1% on 2025-01-21
    (MLK Day's close to Tuesday's) beside the 10-year's change from Friday 01-17, where
    ``trump`` itself, sampled on the calendar, has its first change on 01-22: the same closes
    gave 240 changes and another FHS VaR (10.95 against 11.60). A series with no date up to
    the window's end has nothing to leave out (its first date was read there, a traceback).
    """
    if not len(dates):
        return joined
    first = dates[0]
    for c in joined.columns:
        at = joined[c].first_valid_index()
        if at is None:
            continue
        i = joined.index.get_loc(at)
        if i > 0 and joined.index[i - 1] < first:
            joined.loc[at, c] = np.nan
    return joined


def require_history(panel: pd.DataFrame, cols: Sequence[str], *, need: int, what: str,
                    start: object, leave_out: str = "leave it out of --assets",
                    end_name: str = "--end") -> None:
    """Stop with the way out when a named series has fewer than ``need`` observations.

    The way out depends on where its history begins: TRUMP launched in January 2025, so an
    earlier start cannot lengthen it ("load a longer history (an earlier start)" was the
    advice); only a later end or leaving it out can. ``end_name``: the option that gave the
    end (:func:`end_option`).
    """
    for c in cols:
        s = panel[c].dropna()
        if len(s) >= need:
            continue
        if s.empty:
            raise DataError(f"{c!r} has no observations in the window; {what} needs at least "
                            f"{need}", series_id=c)
        first = s.index[0]
        begins = _begins_inside(first, start)
        raise DataError(
            f"{c!r} has {len(s)} observations from {first:%Y-%m-%d} to {s.index[-1]:%Y-%m-%d}; "
            f"{what} needs at least {need}. "
            + (f"Its history begins there: give a later {end_name} or {leave_out}."
               if begins else f"Give an earlier --start or a later {end_name}."), series_id=c)


def weekend_notes(panel: pd.DataFrame, targets: Sequence[str], *, window: int,
                  level: float | None = None, what: str = "the VaR") -> list[str]:
    """A note when the next change of an every-day market spans a weekend or a holiday.

    The risk panel is on business days: after a Friday, crypto's next change runs over three
    days of trading (Friday's close to Monday's), after a Friday before a holiday Monday over
    four, and over a mid-week holiday over two; the VaR read from all business days
    understates it. The next change's day is the next weekday that is not a US market holiday
    (:func:`spillwatch.timing.next_us_market_day`: the panel has no row on those). The note
    gives the measured ratio of the volatility of changes spanning two days or more to that
    of the others, over the VaR window, and with ``level`` the historical VaR of those
    spanning changes alone beside that of all (their worst, said so, when too few for the
    level's tail to hold two of them: TRUMP's 53; BTC on Friday 2026-01-02: 9.93% against
    7.59%; pooled, the backtest passed while the spanning days broke the VaR 2.7% of the
    time for ETH).
    """
    gap = pd.Series(panel.index, index=panel.index).diff().dt.days
    # the user's own series travel with the panel: a coin of one's own trades at weekends too
    own = {col: a for a in (panel.attrs.get("assets") or {}).values()
           for col in (a.change_column, a.level_column)}
    out = []
    for c in targets:
        asset = universe.watchlist_asset_of_column(str(c)) or own.get(str(c))
        if asset is None:
            continue
        every_day = asset.calendar == "every_day"
        x = panel[c].dropna().iloc[-window:]
        if not every_day or len(x) < 50:
            continue
        last = x.index[-1]
        nxt = next_us_market_day(last)
        span = (nxt - last).days
        if span < 2:
            continue
        long = gap.reindex(x.index) >= 2
        if long.sum() < 10:
            continue
        ratio = float(x[long].std() / x[~long].std())
        text = (f"{c}: the next business day's change ({nxt:%Y-%m-%d}) spans "
                f"{span} days of trading; over the last {len(x)} days changes spanning "
                f"two days or more were {ratio:.2f}x as volatile as the others ({what} "
                "reads all business days alike)")
        if level is not None:
            alone = float(empirical_tail(x[long].to_numpy(dtype=float), level)[0])
            every = float(empirical_tail(x.to_numpy(dtype=float), level)[0])
            n = int(long.sum())
            # the tail's days as empirical_tail counts them: 100 at 99% (1.0000000000000009
            # in floating point) hold one, the worst, which read as "the historical 99% VaR"
            if np.ceil(n * (1.0 - level) - 1e-12) > 1:
                text += (f"; the historical {level * 100:.4g}% VaR of those {n} spanning "
                         f"changes alone is {alone:.2f} against {every:.2f} over all")
            else:
                # too few for the level's tail to hold more than one of them: TRUMP's 53
                # (2026-01-02) gave its single worst, 27.57, as "the historical 99% VaR"
                text += (f"; of those {n} spanning changes alone (too few for a "
                         f"{level * 100:.4g}% VaR of them), the worst is {alone:.2f}, against a "
                         f"{level * 100:.4g}% VaR of {every:.2f} over all")
        out.append(text)
    return out


@dataclass(frozen=True, repr=False)
class VolatilityReport(ResultBase):
    """Volatility forecasts plus the notes every interface shows with them.

    ``notes`` names each series whose forecast starts from a last date past its staleness
    limit (the forecast is of the day after that date, not of tomorrow).
    """

    result: Any
    notes: list[str] = field(default_factory=list)
    title: str = field(default="volatility", init=False)

    @property
    def spec(self) -> Any:
        return self.result.spec

    @property
    def fits(self) -> dict[str, Any]:
        return dict(self.result.fits)

    @property
    def failures(self) -> dict[str, str]:
        return dict(self.result.failures)

    @property
    def cond_vol(self) -> pd.DataFrame:
        return self.result.cond_vol

    def forecast(self, horizon: int | None = None) -> pd.DataFrame:
        return self.result.forecast(horizon)

    def table(self) -> pd.DataFrame:
        return self.result.table()

    def to_frame(self) -> pd.DataFrame:
        return self.result.to_frame()

    def plot(self, kind: str | None = None) -> Any:
        return self.result.plot(kind)

    def to_dict(self) -> dict[str, Any]:
        return {**self.result.to_dict(), "notes": list(self.notes)}

    def _summary_lines(self) -> list[str]:
        own = set(self.result.notes())      # the result's lines print those already
        return [*self.result._summary_lines(), *(n for n in self.notes if n not in own)]


def _short_history(s: pd.Series, *, need: int, start: object,
                   end_name: str = "--end") -> str | None:
    """Why a series with fewer than ``need`` observations was not fitted, and the way out.

    As :func:`require_history` says it of a named series: a history that begins inside the
    window cannot be lengthened by an earlier start.
    """
    s = s.dropna()
    if s.empty or len(s) >= need:
        return None
    return (f"{len(s)} observations from {s.index[0]:%Y-%m-%d} to {s.index[-1]:%Y-%m-%d}; "
            f"a volatility model needs at least {need}. " + _way_out(s, start, end_name))


def _begins_inside(first: pd.Timestamp, start: object) -> bool:
    """Whether a history beginning on ``first`` begins inside a window from ``start``."""
    return start is not None and first > pd.Timestamp(str(start)) + START_GRACE


def _way_out(s: pd.Series, start: object, end_name: str) -> str:
    """The way out for a short series ``s`` (its observations in the window).

    An earlier start helps only a history that begins before the window.
    """
    if len(s) and _begins_inside(s.index[0], start):
        return "Its history begins there: a later --end or --as-of gives it more."
    return f"Give an earlier --start or a later {end_name}."


#: The library's advice for a short series, which an asset whose history begins inside the
#: window cannot follow.
_LIBRARY_ADVICE = "Load a longer history (an earlier start) or shorten the window."


def _covar_way_out(exc: SpillwatchError, panel: pd.DataFrame, start: object,
                   end_name: str) -> str:
    """A CoVaR refusal with this command's way out (as :func:`_short_history` gives it).

    TRUMP's first evenings in the VaR table (2025-11-04..06) read "Load a longer history (an
    earlier start) or shorten the window": its history begins in January 2025, and `risk`
    has no CoVaR window.
    """
    sid = exc.context.get("series_id")
    if not exc.message.endswith(_LIBRARY_ADVICE) or sid not in panel.columns:
        return exc.message
    return (exc.message[:-len(_LIBRARY_ADVICE)]
            + _way_out(panel[sid].dropna(), start, end_name))


def _held_columns(panel: pd.DataFrame) -> Iterator[tuple[str, str, pd.Series, np.ndarray]]:
    """The columns of ``panel`` whose asset's home market closes (the yuan), with their quotes.

    Each as its key, the column, its changes on its own dates and which of them are held
    quotes (:func:`spillwatch.timing.held_quotes`).
    """
    for a in universe.ASSETS.values():
        col = a.change_column
        if a.key in HOME_CLOSURES and col in panel.columns:
            seen = panel[col].dropna()
            yield a.key, col, seen, held_quotes(a.key, seen)


def traded_moves(panel: pd.DataFrame) -> pd.DataFrame:
    """``panel`` with the held quotes of a shut home market left out (NaN) of their column.

    The yuan's rate repeated through China's holidays (:func:`spillwatch.timing.held_quotes`,
    as the stress signals and ``usdcny.z_1d`` read it) is no move: a volatility model fitted
    with those zeros decays its variance through each closure and reads the reopening (which
    holds the whole move) against too low a forecast.
    """
    out = panel
    for _, col, seen, held in _held_columns(panel):
        if held.any():
            out = out.copy() if out is panel else out
            out.loc[seen.index[held], col] = np.nan
    return out


def held_tail_notes(panel: pd.DataFrame, *, what: str) -> list[str]:
    """Notes for each column whose last prints are held quotes.

    :func:`traded_moves` leaves them out, so ``what`` reads the column's last traded day, not
    its last print (the yuan's volatility on 2020-10-08 is of 10-05, Golden Week's eve).
    """
    notes = []
    for key, _, seen, held in _held_columns(panel):
        if not len(held) or not held[-1]:
            continue
        run = int(np.argmin(held[::-1])) if not held.all() else len(held)
        first, last = seen.index[-run].date(), seen.index[-1].date()
        traded = seen.index[-run - 1].date() if run < len(seen) else None
        span = f"{first}" if first == last else f"{first} to {last}"
        # (every print held: no move at all to read, where it said "reads its moves to None")
        notes.append(f"{key}'s prints of {span} repeat its rate through its home market's "
                     f"holidays (held quotes, no move): {what} reads its moves to {traded}"
                     if traded is not None else
                     f"{key}'s prints of {span} all repeat its rate through its home "
                     f"market's holidays (held quotes, no move): {what} has no move of it")
    return notes


#: Days over which the volatility note measures weekend changes against the others.
VOL_WEEKEND_WINDOW = 500


def volatility(ws: Workspace, *, assets: tuple[str, ...] | None = None,
               model: str = VOL_MODEL, horizon: int = HORIZON,
               start: object = DEFAULT_START, end: object = None) -> VolatilityReport:
    """Volatility forecasts (GARCH family chosen by BIC by default) of every asset."""
    start = window_start(ws, start, end)

    def run() -> VolatilityReport:
        panel = risk_panel(ws, assets=assets, start=start, end=end, measures="all")
        if assets is not None:
            panel = panel[[c for c in panel.columns
                           if c != "ust10y_bp" or "ust10y" in assets]]
            require_history(panel, list(panel.columns), need=VOL_MIN_OBS,
                            what="a volatility model", start=start,
                            end_name=end_option(ws.source, end))
        try:
            res = fit_volatility(traded_moves(panel), model=model, horizon=horizon,
                                 min_obs=VOL_MIN_OBS)
        except DataError as exc:
            # no series fitted: the first one's way out in this command's options (the
            # library's "load a longer history (an earlier start) or shorten the window":
            # a shorter window has fewer days still)
            sid = exc.context.get("series_id")
            why = (_short_history(panel[sid], need=VOL_MIN_OBS, start=start,
                                  end_name=end_option(ws.source, end))
                   if sid in panel.columns else None)
            if why is None:
                raise
            raise DataError(f"{sid!r} has {why}", series_id=sid) from None
        short = {k: _short_history(panel[k], need=VOL_MIN_OBS, start=start,
                                   end_name=end_option(ws.source, end))
                 for k in res.failures}
        if any(short.values()):
            # a default asset too young for the window (TRUMP on 2025-04-09) was told to
            # "load a longer history (an earlier start) or shorten the window": neither helps
            res = type(res)(spec=res.spec, data=res.data, fits=res.fits,
                            failures={k: short[k] or why for k, why in res.failures.items()})
        closed, printed = closure_notes(ws, panel, list(panel.columns), end=end,
                                        what="the forecast")
        stale = stale_series({str(k): printed.get(str(k), r["last_date"])
                              for k, r in res.table().iterrows()},
                             simulated=ws.simulated, end=end,
                             what="forecasts (of the day after each series' last date)",
                             extra=panel.attrs.get("assets"))
        # after a Friday, crypto's next change runs over the weekend: the next-day forecast
        # is of one business day's (BTC 2.98 %/day on 2026-01-02 with no word of it). Of the
        # series with a forecast only: TRUMP "not estimated" on 2025-10-12 had its own "(the
        # next-day forecast reads all business days alike)" and its closes beside a forecast
        # of "that last row's close" that was never made (risk leaves a left-out coin out)
        forecast = [c for c in panel.columns if c not in res.failures]
        notes = weekend_notes(panel, forecast, window=VOL_WEEKEND_WINDOW,
                              what="the next-day forecast")
        # and the closes an every-day market already made since that Friday or holiday eve
        # (volatility --as-of 2022-05-08 gave BTC's forecast of 05-06 with no word of its -5.5%
        # by Sunday, which risk and stress said)
        notes += closes_after_notes(ws, panel, forecast, end=end,
                                    what="the next-day forecast")
        notes += closed
        notes += held_tail_notes(panel, what="the forecast")
        frozen = frozen_note(panel, "the forecasts")
        notes += [frozen] if frozen else []
        notes += ws.gap_notes(assets or (), start=start, end=end, what="the model")
        return VolatilityReport(res, [*notes, *([stale] if stale else []), *res.notes()])

    return ws.memo(("volatility", assets, model, horizon, str(start), str(end)), run)


def volatility_summary(vol: Any) -> dict[str, dict[str, Any]]:
    """The volatility numbers every interface shows, per series.

    ``vol_1d`` and ``vol_<h>d`` are the forecast daily volatilities of the next day and of day
    ``h``; ``vol_cum_<h>d`` the volatility of the ``h``-day change; ``realised_20d`` the sample
    sd of its last 20 changes; ``as_of`` the last date of the series' data (the series end on
    different dates); ``forecast`` "mean", or "median" where the mean path has no finite value
    (EGARCH with t shocks: the CLI's "median path" flag, which the API's summary lacked).
    """
    h = vol.spec.horizon
    t = vol.table()
    return {str(k): {"model": r["model"], "as_of": pd.Timestamp(r["last_date"]).date().isoformat(),
                     "vol_1d": float(r["vol_1d"]), f"vol_{h}d": float(r[f"vol_{h}d"]),
                     f"vol_cum_{h}d": float(r[f"vol_cum_{h}d"]),
                     f"realised_{REALISED_DAYS}d": float(r[f"realised_{REALISED_DAYS}d"]),
                     "forecast": str(r["forecast"])}
            for k, r in t.iterrows()}


@dataclass(frozen=True, repr=False)
class CorrelationReport(ResultBase):
    """Dynamic correlation plus what was left out and why."""

    result: Any
    left_out: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    title: str = field(default="dynamic correlation", init=False)

    def table(self) -> pd.DataFrame:
        return self.result.table()

    def selloff_table(self) -> pd.DataFrame:
        """Calm vs Treasury sell-off days (10-year change at or above its 95th percentile).

        Read on the rows the correlation was estimated on (a holiday's move joined to the
        next common day), so a 10-year rise on Good Friday counts on the Monday.
        """
        x = self.result.data["ust10y_bp"]
        return self.result.stress_table(x >= x.quantile(SELLOFF_QUANTILE))

    def to_dict(self) -> dict[str, Any]:
        # the calm vs sell-off table the report and /api/risk show: the command had none
        return {**self.result.to_dict(), "left_out": dict(self.left_out),
                "notes": list(self.notes), "summary": correlation_summary(self)}

    def _summary_lines(self) -> list[str]:
        lines = [str(self.result)]
        st = selloff_correlations(self)
        if len(st):
            shown = selloff_shown(st)
            # DCC's realised figures are of the GARCH-standardised moves (the report says so):
            # "what the pair did" read as the raw changes' correlation (spx~btc 0.29 calm on
            # the shared data, 0.23 shown)
            moves = ("the correlation of the days' GARCH-standardised moves (each change over "
                     "its fitted volatility, not the raw changes)"
                     if self.result.std_resid is not None else
                     "the correlation of the days' changes")
            lines += [f"calm vs Treasury sell-off days (10-year change at or above its "
                      f"{SELLOFF_QUANTILE:.0%} quantile, {int(st['n_stress'].iloc[0])} days); "
                      f"DCC: the forecast made the evening before; realised: {moves}, what the "
                      "pair did on those days (with Fisher's 95% interval):",
                      shown.round(3).to_string()]
        lines += [f"{k} left out of the joint estimation: {why}"
                  for k, why in self.left_out.items()]
        return [*lines, *self.notes]


def correlation(ws: Workspace, *, assets: tuple[str, ...] | None = None,
                method: str = CORR_METHOD, start: object = DEFAULT_START, end: object = None
                ) -> CorrelationReport:
    """DCC (or EWMA) correlation; a series too short for the joint estimation is left out.

    A joint estimation runs on the dates every series has; an asset with fewer than
    :data:`CORR_MIN_OBS` observations (TRUMP launched in January 2025) would cut the sample
    for all others, so it is left out with a note (named explicitly, it still must fit).
    """
    start = window_start(ws, start, end)

    def run() -> CorrelationReport:
        left: dict[str, str] = {}
        keys = assets
        if keys is None:   # the default list: an asset the data lack is left out with a note
            keys = tuple(ws.have(CORRELATION_ASSETS))
            # on a past evening, when the store's figures begin (TRUMP on 2024-06-03)
            left.update({universe.column(k): f"no data in {ws.label}" + (
                f"; {later}" if (later := ws.begins_later([k], advice=False)) else "")
                for k in CORRELATION_ASSETS if k not in keys})
        panel = risk_panel(ws, assets=keys, start=start, end=end)
        if assets is not None:
            # the assets named, and only them: the DCC's a and b are shared by every series,
            # so the 10-year the risk panel adds (CoVaR's conditioning series) moved the pair
            # asked for (spx~btc 0.32 with it, 0.20 without, on data whose truth was 0.20)
            panel = panel[[c for c in panel.columns if c != "ust10y_bp" or "ust10y" in assets]]
        cols = list(panel.columns)
        for c in list(cols):
            n = int(panel[c].notna().sum())
            if n >= CORR_MIN_OBS or method == "none":
                continue
            first = panel[c].first_valid_index()
            since = "" if first is None else f" from {first:%Y-%m-%d}"
            if assets is None:
                left[c] = (f"{n} observations{since}; the joint estimation needs "
                           f"{CORR_MIN_OBS}")
                cols.remove(c)
                continue
            # named: it must fit, and the way out depends on where its history begins
            earlier = first is not None and start is not None and \
                first <= pd.Timestamp(start) + START_GRACE
            raise DataError(
                f"{c!r} has {n} observations{since}; the joint {method} correlation needs "
                f"{CORR_MIN_OBS}. "
                + ("Give an earlier start, leave it out of the assets, "
                   if earlier else "Its history begins there: leave it out of the assets ")
                + "or choose correlation 'none'.", series_id=c)
        if len(cols) < 2:
            have = ", ".join(cols) or "none"
            raise DataError(f"dynamic correlation needs two series with at least "
                            f"{CORR_MIN_OBS} observations; {ws.label} has {have} in the "
                            f"window (left out: {'; '.join(f'{k}: {v}' for k, v in left.items())})"
                            "; give an earlier start"
                            if left else
                            f"dynamic correlation needs two series with at least "
                            f"{CORR_MIN_OBS} observations; {ws.label} has {have}")
        # a day one market missed (Good Friday's bond market, the H.10's Columbus Day) joins
        # the next common day, as in CoVaR and the spillover: dropping the incomplete row lost
        # the other markets' moves (34 days since 2018) and paired a two-day change with
        # one-day ones
        # merged on the history before --start too, then cut (the library's start), so the
        # first row spans the same time for every series (as CoVaR's pairs)
        whole = panel if start is None else risk_panel(ws, assets=keys, start=None, end=end,
                                                        window_from=start)
        res = fit_correlation(whole[cols], method=method, min_obs=CORR_MIN_OBS,
                              incomplete="merge", start=start)
        # its last row is the last day every series moved: judged against the longest limit
        # of its series (the H.10 dollar's 13 days)
        known = [universe.watchlist_asset_of_column(str(c)) for c in res.data.columns]
        limit = max((a.timing.stale_after_days for a in known if a is not None), default=6)
        stale = behind_today(res.data.index[-1], simulated=ws.simulated, limit_days=limit,
                             end=end, what="the dynamic correlation (its last common day)")
        if stale:
            # which series stop it there (--as-of 2026-07-15 said "as of 2025-12-26 ...: the
            # last reading the data allow by then" with no word that the broad dollar ends
            # there while the others run to 2026-01-02 and later)
            lasts = {str(c): panel[c].last_valid_index() for c in res.data.columns
                     if c in panel.columns}
            lasts = {c: pd.Timestamp(d) for c, d in lasts.items() if d is not None}
            if lasts and len(set(lasts.values())) > 1:
                first_end = min(lasts.values())
                short = [c for c, d in lasts.items() if d == first_end]
                nxt = min(d for d in lasts.values() if d > first_end)
                stale += (f": {', '.join(short)} stop{'s' if len(short) == 1 else ''} on "
                          f"{first_end:%Y-%m-%d} (the next to stop, "
                          f"{', '.join(c for c, d in lasts.items() if d == nxt)}, on "
                          f"{nxt:%Y-%m-%d})")
        notes = [stale] if stale else []
        if assets is not None and "ust10y" not in assets:
            # (its 10-year was in the fit before, and the table came with it)
            notes.append("no calm vs Treasury sell-off table: the sell-off days are the "
                         "10-year's largest rises, and the 10-year is not among the assets "
                         "(add ust10y to them; it then joins the correlation's fit)")
        return CorrelationReport(res, left, notes)

    return ws.memo(("correlation", assets, method, str(start), str(end)), run)


def selloff_correlations(corr: CorrelationReport) -> pd.DataFrame:
    """The crypto pairs' mean correlation on calm and on Treasury sell-off days.

    Sell-off days: the 10-year change at or above its :data:`SELLOFF_QUANTILE` quantile on
    the correlation's rows (columns ``calm``, ``stress``: the DCC's mean forecast for those
    days; ``realised_calm``, ``realised_stress``: the pair's correlation on them; ``n_stress``;
    empty without the 10-year); the table the report and ``/api/risk`` show.
    """
    if "ust10y_bp" not in corr.result.data.columns:
        # every column of the table, the intervals too (1 year of data: the 10-year's 248
        # days, under the fit's 250, left it out, and the report's risk section failed on a
        # KeyError 'realised_calm_lo')
        return pd.DataFrame(columns=["stress", "calm", "realised_stress", "realised_calm",
                                     "realised_stress_lo", "realised_stress_hi",
                                     "realised_calm_lo", "realised_calm_hi", "n_stress"])
    st = corr.selloff_table()
    return st.loc[[p for p in st.index if any(k in str(p) for k in CRYPTO)]]


def selloff_shown(st: pd.DataFrame) -> pd.DataFrame:
    """The calm vs sell-off table as the CLI and the report show it.

    :func:`selloff_correlations` with the realised figures' 95% intervals (Fisher's) beside.
    """
    def ci(lo: pd.Series, hi: pd.Series) -> list[str]:
        return [f"[{a:+.2f}, {b:+.2f}]" if np.isfinite(a) and np.isfinite(b) else "n/a"
                for a, b in zip(lo, hi, strict=True)]

    out = st[["calm", "stress", "realised_calm"]].rename(columns={
        "calm": "DCC calm", "stress": "DCC sell-off", "realised_calm": "realised calm"})
    out["realised calm 95%"] = ci(st["realised_calm_lo"], st["realised_calm_hi"])
    out["realised sell-off"] = st["realised_stress"]
    out["realised sell-off 95%"] = ci(st["realised_stress_lo"], st["realised_stress_hi"])
    return out


def correlation_summary(corr: CorrelationReport) -> dict[str, Any]:
    """The correlation numbers every interface shows: parameters and calm vs sell-off days.

    ``selloff_share`` is the share of the rows that are sell-off days: above 5% when many
    rows sit at the threshold (changes come in whole basis points).
    """
    st = selloff_correlations(corr)
    data = corr.result.data
    x = data["ust10y_bp"] if "ust10y_bp" in data.columns else None
    # counted on the rows (the crypto pairs' table is empty when no crypto was estimated)
    n_sell = 0 if x is None else int((x >= x.quantile(SELLOFF_QUANTILE)).sum())
    return {"method": corr.result.spec.method, "params": dict(corr.result.params),
            "as_of": data.index[-1].date().isoformat(), "start": data.index[0].date().isoformat(),
            "selloff_threshold_bp": None if x is None else float(x.quantile(SELLOFF_QUANTILE)),
            "selloff_share": None if x is None else n_sell / len(x),
            "selloff_days": n_sell,
            # the DCC's forecasts for those days (made the evening before) and the pair's
            # realised correlation on them
            "calm_vs_selloff": {str(p): {"calm": float(r["calm"]), "selloff": float(r["stress"]),
                                         "realised_calm": float(r["realised_calm"]),
                                         "realised_selloff": float(r["realised_stress"]),
                                         # Fisher's 95% intervals of the realised figures
                                         "realised_calm_ci95": [float(r["realised_calm_lo"]),
                                                                float(r["realised_calm_hi"])],
                                         "realised_selloff_ci95": [
                                             float(r["realised_stress_lo"]),
                                             float(r["realised_stress_hi"])]}
                                for p, r in st.iterrows()},
            "left_out": dict(corr.left_out)}


@dataclass(frozen=True, repr=False)
class TailRiskReport(ResultBase):
    """VaR/ES with backtests and CoVaR given a Treasury sell-off, on one panel.

    ``book``: with a portfolio, its gross notional, positions, days and each method's one-day
    VaR and ES in dollars (:func:`book_returns`); the table's :data:`BOOK_COLUMN` row is its
    P&L in percent of the gross.
    """

    var_es: Any
    backtest: Any | None
    covar: Any | None
    notes: list[str] = field(default_factory=list)
    book: dict[str, Any] | None = None
    title: str = field(default="tail risk", init=False)

    def table(self) -> pd.DataFrame:
        return self.var_es.table()

    def summary_dict(self) -> dict[str, Any]:
        """The headline numbers every interface shows."""
        tab = self.var_es.table()
        out: dict[str, Any] = {"level": self.var_es.spec.level,
                               "var": {f"{s}/{m}": float(v) for (s, m), v in
                                       tab["var"].items()},
                               "es": {f"{s}/{m}": float(v) for (s, m), v in
                                      tab["es"].items()},
                               # var/es alone read as a price's percent fall (BTC's 7.617, a
                               # log change, is a 7.33% fall): the falls beside them
                               "units": "var/es: a holder's next-day loss in the series' "
                                        "units (_pct: log change x100; _bp: a yield's rise "
                                        "in bp); *_price_fall_pct: the fall of the price in "
                                        "percent (the VaR's, and the mean fall over the ES "
                                        "tail)" if self.book is None else
                                        f"var/es: the book's next-day loss in percent of its "
                                        f"gross notional ({BOOK_COLUMN}: a simple return, "
                                        "no price fall to add); in dollars: book"}
        for col in ("var_price_fall_pct", "es_price_fall_pct"):
            out[col] = {f"{s}/{m}": float(v) for (s, m), v in tab[col].items()
                        if np.isfinite(v)}
        if self.backtest is not None:
            out["backtest_passed"] = {f"{s}/{m}": bool(v) for (s, m), v in
                                      self.backtest.table()["passed"].items()}
        if self.covar is not None:
            tc = self.covar.table()
            out["delta_covar"] = {f"{s}@{p:.2f}": float(v)
                                  for (s, p), v in tc["delta_covar"].items()}
            out["delta_covar_t"] = {f"{s}@{p:.2f}": float(v)
                                    for (s, p), v in tc["delta_covar_t"].items()}
        if self.book is not None:
            out["book"] = self.book
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "summary": jsonable(self.summary_dict()),
                "var_es": self.var_es.to_dict(),
                "backtest": None if self.backtest is None else self.backtest.to_dict(),
                "covar": None if self.covar is None else self.covar.to_dict(),
                "notes": list(self.notes)}

    def _summary_lines(self) -> list[str]:
        parts = [] if self.book is None else [book_line(self.book)]
        parts.append(str(self.var_es))
        if self.backtest is not None:
            parts.append(str(self.backtest))
        if self.covar is not None:
            parts.append(str(self.covar))
        return [*parts, *self.notes]


#: The column of a book's daily P&L in the risk panel, in percent of its gross notional (a
#: simple return: VaR and ES in dollars are the gross times theirs, exactly; a ``_pct`` name
#: would be read as a log change).
BOOK_COLUMN = "book_pct_of_gross"


def book_returns(ws: Workspace, portfolio: Any, *, start: object = DEFAULT_START,
                 end: object = None, window_from: object = None
                 ) -> tuple[pd.Series, Any, pd.Series]:
    """A book's daily P&L from history, as the scenario prices it, and its return.

    Each day's P&L sums the positions' (:func:`spillwatch.scenarios.portfolio.asset_returns`):
    a price returns :math:`e^{x}-1`, a currency quoted per dollar :math:`1-e^{-x}`, a Treasury
    is a par bond bought at the day before's yield of its tenor and repriced in full at the
    day's. Only the days on which every position has a change count (a holiday of one market
    is no day of the book).

    Returns
    -------
    (Series, Portfolio, Series)
        The P&L in percent of the gross notional (:data:`BOOK_COLUMN`), the book, and the
        P&L in USD.

    Raises
    ------
    ScenarioError
        A position a scenario's book could not hold (named with its file and line), or an own
        series imported without ``--positive``.
    DataError
        No day on which every position has a change.
    """
    start = window_start(ws, start, end)
    port = Portfolio.coerce(portfolio)
    book_assets(port)       # the assets a scenario's book may hold, refused by file and line
    # a position of zero holds nothing: it must not decide the book's days (TRUMP at 0 cut a
    # 10-year book's 2,889 days to TRUMP's 237)
    specs = book_specs(ws, port)
    keys = list(specs)
    for k, a in specs.items():
        if not (a.log_change or k in TENOR_YEARS):
            raise ScenarioError(
                f"{port.where(k)}the book's position in {k!r} cannot be priced from its "
                "history: it changes by differences in its own unit, not by returns; import "
                "a price with --positive, or leave it out of the book",
                asset=k, path=port.source)
    # a position the data hold nothing of (TRUMP --as-of 2024-07-06) is named with its line,
    # as the scenario names it: risk said "no data for asset(s) trump ...; drop them from
    # --assets", an option the book's user never gave, without the book's file or line
    gone = [k for k in keys if not ws.have([k])]
    if gone:
        book_without_data(ws, port, gone)
    changes = risk_panel(ws, assets=tuple(keys), start=start, end=end, window_from=window_from)
    cols = [specs[k].change_column for k in keys]
    # a position without a change in the window (TRUMP with --end 2024-07-06) is named: "the
    # book's positions (btc, eth, trump) share no day of changes" left the reader to find it
    blank = [k for k, c in zip(keys, cols, strict=True)
             if c not in changes.columns or not changes[c].notna().any()]
    if blank:
        raise DataError(f"{port.where(blank[0])}the book holds {', '.join(blank)}, which "
                        f"{'has' if len(blank) == 1 else 'have'} no change in {ws.label} "
                        f"between {start or 'the start'} and {end or 'the end'}; give a window "
                        f"in {'its' if len(blank) == 1 else 'their'} data or leave "
                        f"{'it' if len(blank) == 1 else 'them'} out of the book",
                        series_id=blank[0])
    # a day one market is shut (the 10-year on Columbus Day) is added to the next day every
    # position has, so no move is lost (TRUMP's +19.5% of 2025-10-13 was on no day of the
    # book) and every change of a day runs from the same close; merged on the history before
    # the window's start too, then cut, so that its first day runs from the book's day before
    # (cut first, --start 2022-01-03 read bitcoin from 2021-12-31 beside the yen from 12-30:
    # H.10 has no 12-31, and bitcoin's move of that day was lost)
    whole = changes if start is None else risk_panel(ws, assets=tuple(keys), start=None,
                                                     end=end, window_from=start)
    merged = merge_incomplete_rows(whole[cols])
    x = merged if start is None else merged.loc[pd.Timestamp(start):]
    if x.empty:
        raise DataError(f"the book's positions ({', '.join(keys)}) share no day of changes in "
                        f"{ws.label} between {start or 'the start'} and {end or 'the end'}")
    coupons = np.zeros((len(x), len(keys)))
    tenors = [k for k in keys if k in TENOR_YEARS]
    if tenors:
        levels = ws.panel(tenors, transform="levels", end=end)
        for j, k in enumerate(keys):
            if k in TENOR_YEARS:     # bought at par at the close the day's change runs from
                now = levels[specs[k].level_column].reindex(x.index).to_numpy(dtype=float)
                prev = now - x[cols[j]].to_numpy(dtype=float) / 100.0
                coupons[:, j] = np.maximum(prev, 0.0) / 100.0
    ok = ~np.isnan(coupons).any(axis=1)
    vals = x.to_numpy(dtype=float)[ok]
    log_assets = np.array([specs[k].log_change for k in keys])
    fx = per_usd(keys)
    years = np.array([TENOR_YEARS.get(k, 0.0) for k in keys])
    ret = asset_returns(vals.T, log_assets, fx, years, coupons[ok].T)      # (k, days)
    usd = port.vector(keys) @ ret
    pnl = pd.Series(usd, index=x.index[ok], name="pnl_usd")
    pct = pd.Series(100.0 * usd / port.gross_usd, index=pnl.index, name=BOOK_COLUMN)
    # the book's day its first change runs from (the day before --start it had every
    # position), for what is read beside it over the same span (CoVaR's 10-year)
    before = merged.index[merged.index < pnl.index[0]] if len(pnl) else merged.index[:0]
    pct.attrs["since"] = before[-1] if len(before) else None
    return pct, port, pnl


def book_panel(ws: Workspace, portfolio: Any, *, start: object = DEFAULT_START,
               end: object = None, window_from: object = None
               ) -> tuple[pd.DataFrame, Any, pd.Series]:
    """:func:`book_returns` beside the 10-year's changes over the book's days (CoVaR's pair).

    The 10-year's changes are summed onto the book's days: a move on a day that is none of the
    book's (Good Friday 2023-04-07, +9 bp on the jobs report, when the S&P 500 was shut) joins
    the book's next day, whose return spans it; taken on the book's date alone it was lost
    (+2 bp paired with the book's Thursday-to-Monday return, not +11). The first day's too: it
    runs from the book's day before ``start`` (:func:`book_returns`), so the 10-year's moves
    since that day join it (cut at ``start``, a book of bitcoin and the yen read the 10-year
    unchanged on 2020-11-30, from Black Friday, where from the book's 11-25 it fell 4 bp).

    Returns
    -------
    (DataFrame, Portfolio, Series)
        The book's return (:data:`BOOK_COLUMN`) and, when the data hold it, ``ust10y_bp``; the
        book; the P&L in USD.
    """
    start = window_start(ws, start, end)
    ret, port, pnl = book_returns(ws, portfolio, start=start, end=end, window_from=window_from)
    panel = ret.to_frame()
    if "ust10y" in ws.have(["ust10y"]):
        since = ret.attrs.get("since")
        ten = ws.panel(["ust10y"], transform="changes", start=start if since is None else None,
                       end=end)[["ust10y_bp"]]
        if since is not None:
            ten = ten.loc[ten.index > since]
        elif len(panel):
            ten = ten.loc[panel.index[0]:]
        panel = panel.join(_on_calendar(ten.dropna(), panel.index))
    return panel, port, pnl


def book_line(book: dict[str, Any]) -> str:
    """``"book b ($8,250,000 gross, 237 days 2025-01-22 to 2026-01-02; ...): 99% one-day ..."``.

    Says which days the tails read: the historical and FHS VaR of a 1,936-day book were of its
    last 500 days, which the line did not say.
    """
    per = "; ".join(f"{m} VaR ${v['var_usd']:,.0f}, ES ${v['es_usd']:,.0f}"
                    for m, v in book["methods"].items())
    return (f"book {book['name']} (${book['gross_usd']:,.0f} gross, {book['days']:,} days "
            f"{book['first']} to {book['last']}; the historical and FHS tails read the last "
            f"{min(book['window'], book['days']):,}): {100 * book['level']:.4g}% one-day {per}")


def short_book_note(held: pd.DataFrame, pnl: pd.Series, window: int) -> list[str]:
    """Which position cut the book's history short of the VaR window, if one did.

    A 10% TRUMP line cut a book of bitcoin and the 10-year to 2025's 237 days (the JSON said
    ``window: 500``): the note names the latest-starting position and the days the others
    have without it.
    """
    if len(pnl) >= window or held.shape[1] < 2:
        return []
    firsts = {c: held[c].first_valid_index() for c in held.columns}
    late = max((c for c in firsts if firsts[c] is not None), key=lambda c: firsts[c],
               default=None)
    # a position that starts with the others cut nothing (a gap did: book_gap_note)
    if late is None or firsts[late] <= min(v for v in firsts.values() if v is not None):
        return []
    rest = held.drop(columns=[late]).dropna()
    # a start within a week of the others' cut nothing: a holiday print at the window's start
    # (gold on 2023-01-16, MLK day) blamed the S&P 500 "begins on 2023-01-17" for a book that
    # --start cut short
    if len(rest) <= len(pnl) or (rest.index < firsts[late]).sum() <= 5:
        return []
    return [f"the book's history is {len(pnl):,} days, short of the {window:,}-day window: "
            f"{late} begins on {firsts[late].date()}; the other positions have "
            f"{len(rest):,} days together, so its VaR and ES read {len(pnl):,} days of all of "
            "them, not a longer history of the rest"]


def book_gap_note(held: pd.DataFrame, pnl: pd.Series,
                  printed: dict[str, pd.DatetimeIndex] | None = None) -> list[str]:
    """The book's moves lost over a position's gap, said with the gap.

    A run of more than two missing weekday changes in one position (the broad dollar empty
    2016-01-22 to 26) leaves that position's move over it unmeasured, so the days merged
    into it are left out (:func:`~spillwatch._changes.merge_incomplete_rows`): a book of the
    2- and 5-year and the dollar lost the Treasuries' moves of 2016-01-22 to 28 without a word.

    Parameters
    ----------
    held : DataFrame
        The positions' daily changes, one column each.
    pnl : Series
        The book's P&L, indexed by its days.
    printed : dict of str to DatetimeIndex, optional
        The dates each position (by its column of ``held``) has a level: one that printed
        after the book's last day with no change there lost its move over a gap at the
        window's end (one that did not print is at the edge of its data, as the weekly
        dollar before its release, which the staleness note names).
    """
    if pnl.empty or held.shape[1] == 0:
        return []
    # to the window's end: a gap at its end drops its last days after the book's last one
    span = held.loc[pnl.index[0]:]
    complete = span.index[span.notna().all(axis=1).to_numpy()]
    lost = complete[~complete.isin(pnl.index)]
    if not len(lost):
        after = span.loc[span.index > pnl.index[-1]]
        cut = [str(c) for c in after.columns if after[c].isna().all()
               and (printed or {}).get(str(c), pd.DatetimeIndex([])).isin(after.index).any()]
        moved = after.index[after.notna().any(axis=1).to_numpy()]
        if not cut or not len(moved):
            return []
        return [f"the book's last day is {pnl.index[-1]:%Y-%m-%d}: {', '.join(cut)} printed "
                f"after it to {span.index[-1]:%Y-%m-%d} with no change (a gap of more than "
                "two weekdays before), so the other positions' moves of "
                f"{len(moved):,} day{'s' if len(moved) > 1 else ''} after it are not in the book"]
    # a gap's lost days follow a book day (or another lost day of the same gap)
    prev = {d: p for p, d in pairwise(complete)}
    gaps = [d for d in lost if prev.get(d) is None or prev[d] in pnl.index]
    first = gaps[0]
    rows = span.loc[(span.index > prev[first]) if prev.get(first) is not None else
                    slice(None)].loc[:first]
    runs = rows.isna().sum()
    who = str(runs.idxmax())
    empty = rows.index[rows[who].isna()]
    return [f"the book has no P&L from {rows.index[0]:%Y-%m-%d} to {first:%Y-%m-%d}: {who} "
            f"has no change from {empty[0]:%Y-%m-%d} to {empty[-1]:%Y-%m-%d}, a gap of more "
            "than two weekdays, so its move over it is not measured and the other positions' "
            f"moves of those days are left out with it ({len(lost):,} day"
            f"{'s' if len(lost) > 1 else ''} with every position's change in "
            f"{len(gaps):,} such gap{'s' if len(gaps) > 1 else ''}); VaR and ES read the "
            "book's other days"]


def _book_summary(port: Any, pnl: pd.Series, table: pd.DataFrame, level: float,
                  window: int) -> dict[str, Any]:
    gross = port.gross_usd
    methods = {}
    for (series, method), row in table.iterrows():
        if series != BOOK_COLUMN:
            continue
        methods[str(method)] = {key: gross * float(row[col]) / 100.0
                                for key, col in (("var_usd", "var"), ("es_usd", "es"))}
    return jsonable({"name": port.name, "gross_usd": gross, "level": level,
                     "positions_usd": port.notional_usd, "days": len(pnl), "window": window,
                     # the days the historical and FHS tails read (the window, or fewer)
                     "days_read": min(window, len(pnl)),
                     "first": pnl.index[0].date(), "last": pnl.index[-1].date(),
                     "methods": methods})


def no_change_yet(ws: Workspace, column: str, *, end: object = None,
                  start: object = None) -> str:
    """Words for a series with closes by the evening but no daily change on the calendar yet.

    The risk panel is on US business days (weekdays but US market holidays): a change runs
    from one business day's close to the next, and a coin's weekend and holiday closes join
    the next business day's. A coin's closes *before* its first business-day close join
    none: TRUMP's first closes were Sunday 2025-01-19 (46.5)
    and MLK Day 01-20 (36.5), its first business-day close Tuesday 01-21 (43.76), and its
    first change Wednesday's, from 43.76; the launch weekend's -21.5% and +19.9% are in no
    change. On those evenings it had none: "0 observations in the window" while the store
    held one to three closes and `alerts facts` a -21.5% day. The words said "a weekend's or
    a US market holiday's close joins the next business day's" of those first closes, which
    never do (on 01-21 of a business day's own close). "" when the store holds no close of
    it by then (the "without ..." note speaks), and when its closes by then all lie before
    ``start``: a window that begins after them is not its "yet". (A close after the panel's
    last business day still has no change: on a store whose 10-year is out the next business
    day, TRUMP's 2025-01-22 close on that evening; it keeps the reason.)
    """
    asset = universe.watchlist_asset_of_column(column)
    s = ws.series_of(asset.key) if asset is not None else None
    _, ref = reference_day(None, end)
    s = s.dropna().loc[:pd.Timestamp(ref)] if s is not None else None
    if s is None or not len(s):
        return ""
    if start is not None and s.index[-1] < pd.Timestamp(str(start)):
        # a window after its last close: `risk --assets trump --start 2026-02-02` said its
        # 349 closes "give no change on the business-day calendar yet" and "its history
        # begins there: give a later --end" of a token whose closes stop on 2026-01-02
        return ""
    # one close "gives" (TRUMP's evening of 2025-01-19 read "its 1 close from 2025-01-19 give")
    closes = (f"its close of {s.index[0]:%Y-%m-%d} gives" if len(s) == 1 else
              f"its {len(s)} closes from {s.index[0]:%Y-%m-%d} give")
    days = pd.DatetimeIndex(s.index)
    on = np.is_busday(days.values.astype("datetime64[D]"), holidays=us_market_holidays())
    first = days[on][0] if on.any() else None
    why = ("a change runs from one business day's close to the next, and "
           + (f"its first is {first:%Y-%m-%d}'s" if first is not None else
              "none of its closes is a business day's yet"))
    # the moves to its first business-day close are in no change (the first runs from it)
    if len(s) > 1 and (first is None or days[0] < first):
        why += ("; its moves before "
                + ("that close" if first is not None else "its first business-day close")
                + " join no change")
    if first is not None and days[-1] > first:
        why += "; its closes since join the next business day's"
    return f" ({closes} no change on the business-day calendar yet: {why})"


def tail_risk(ws: Workspace, *, assets: tuple[str, ...] | None = None, level: float = LEVEL,
              methods: tuple[str, ...] = METHODS, backtest: bool = True,
              q: float = COVAR_Q, start: object = DEFAULT_START, end: object = None,
              portfolio: Any = None) -> TailRiskReport:
    """VaR/ES of crypto (default), their backtests, and CoVaR given a Treasury sell-off.

    With ``portfolio`` (a book file or dict, as the scenario reads it), of the book instead:
    its daily P&L from history (:func:`book_returns`), VaR and ES in dollars too.
    """
    CoVaR(q=q)  # a bad option is an error, not a note (the data are not the problem)
    start = window_start(ws, start, end)
    if portfolio is not None and assets is not None:
        raise ConfigError("give either a book (--portfolio) or assets (--assets), not both")

    def run() -> TailRiskReport:
        if portfolio is not None:
            return _book_risk(ws, portfolio, level=level, methods=methods, backtest=backtest,
                              q=q, start=start, end=end)
        empty = nothing_to_measure(ws) if assets is None else None
        if empty:           # before the window's own checks: the evening has no crypto
            raise DataError(empty)
        panel = risk_panel(ws, assets=assets, start=start, end=end)
        # a named 10-year is measured too (a bondholder's VaR: its rises); it stays the
        # conditioning series of CoVaR, not one of its targets
        named_10y = assets is not None and "ust10y" in assets
        targets = [c for c in panel.columns if (c != "ust10y_bp" or named_10y)
                   and (assets is not None or c in {f"{k}_pct" for k in CRYPTO})]
        if not targets:
            raise DataError(f"no asset to measure: {ws.label} holds none of "
                            f"{', '.join(assets or CRYPTO)}")
        notes: list[str] = []
        if assets is None:   # a default target the data lack changes the table: name it
            lacking = [k for k in CRYPTO if f"{k}_pct" not in panel.columns]
            if lacking:
                later = ws.begins_later(lacking, advice=False)
                notes.append(f"without {', '.join(lacking)} ({ws.label} holds no data of "
                             f"{'it' if len(lacking) == 1 else 'them'}"
                             + (f"; {later}" if later else "") + ")")
        if assets is None:   # a default target too short in this window is left out
            for c in list(targets):
                n = int(panel[c].notna().sum())
                if n < VAR_MIN_OBS:
                    why = no_change_yet(ws, c, end=end, start=start) if n == 0 else ""
                    notes.append(f"{c} left out: {n} observations in the window{why}, VaR "
                                 f"needs {VAR_MIN_OBS}")
                    targets.remove(c)
            if not targets:
                # the way out, as a named asset's refusal gives it (`risk --assets btc --as-of
                # 2018-01-05`: "give a later --as-of"); the default's gave none
                known_by = getattr(ws.source, "known_by", None)
                end_name = (end_option(ws.source, end) if end is not None else
                            "--as-of" if known_by is not None else "--end")
                held = {c: panel[c].dropna() for c in panel.columns
                        if c in {f"{k}_pct" for k in CRYPTO} and panel[c].notna().any()}
                way = ""
                if held:
                    most = max(held, key=lambda c: len(held[c]))
                    first = held[most].index[0]
                    # an earlier --start cannot help where the store's figures begin after it
                    key = str(most).removesuffix("_pct")
                    stored = ws.stored_first([key]).get(key)
                    begins = (first > pd.Timestamp(str(start)) + START_GRACE
                              or (stored is not None and stored >= pd.Timestamp(str(start))))
                    way = (f" (the most: {most}, {len(held[most])} from {first:%Y-%m-%d}); "
                           + (f"their history begins there: give a later {end_name}"
                              if begins else
                              f"give an earlier --start or a later {end_name}"))
                raise DataError(f"no default asset ({', '.join(CRYPTO)}) has {VAR_MIN_OBS} "
                                f"observations between {start} and "
                                f"{_end_words(ws, end)}{way}")
        else:
            # a named coin with closes but no business-day change yet says so, as the default
            # table's left-out note does (`risk --assets trump --as-of 2025-01-21` read "has no
            # observations in the window" with three closes stored)
            for c in targets:
                why = ("" if panel[c].notna().any() else
                       no_change_yet(ws, c, end=end, start=start))
                if why:
                    raise DataError(f"{c!r} has no observations in the window{why}; "
                                    f"{level * 100:.4g}% VaR needs at least {VAR_MIN_OBS}. "
                                    f"Its history begins there: give a later "
                                    f"{end_option(ws.source, end)} or leave it out of --assets.",
                                    series_id=c)
            require_history(panel, targets, need=VAR_MIN_OBS, what=f"{level * 100:.4g}% VaR",
                            start=start, end_name=end_option(ws.source, end))
            if named_10y:
                notes.append("ust10y is the conditioning series of CoVaR, not one of its "
                             "targets")
        res = fit_var_es(panel[targets], level=level, methods=methods)
        # a series younger than the window (TRUMP's 240 days): its historical VaR rests on a
        # couple of days, and the models' mean is fitted on its short life (the launch's fall:
        # -0.70%/day added 0.70 to its model VaRs) without a word but the skipped backtest
        for c in targets:
            x = panel[c].dropna()
            if 0 < len(x) < res.spec.window:
                notes.append(f"{c}: {len(x)} days of history, fewer than the "
                             f"{res.spec.window}-day window: its historical VaR rests on its "
                             f"{len(x) * (1.0 - level):.1f} worst days expected at "
                             f"{level * 100:.4g}%, and the models' mean is fitted on its {len(x)} "
                             f"days (the days' mean {x.mean():+.2f} a day, from "
                             f"{x.index[0]:%Y-%m-%d})")
        tail_days = res.spec.window * (1.0 - level)
        if tail_days < 1.0 and set(res.spec.methods) & {"historical", "fhs"}:
            notes.append(f"at {level:.2%} a {res.spec.window}-day window has no tail beyond "
                         f"its worst day ({tail_days:.2f} days expected): the historical and "
                         f"FHS VaR equal their ES, the worst day; levels up to "
                         f"{1.0 - 1.0 / res.spec.window:.1%} are resolved")
        bt = None
        if backtest:
            need = res.spec.warmup + res.spec.min_test
            long_enough = [c for c in targets if panel[c].notna().sum() >= need]
            for c in sorted(set(targets) - set(long_enough)):
                notes.append(f"backtest of {c} skipped: {int(panel[c].notna().sum())} days, "
                             f"the backtest needs {need}")
            if long_enough:
                bt = fit_var_es(panel[long_enough], level=level, methods=methods).backtest()
        cv = None
        cv_targets = tuple(t for t in targets if t != "ust10y_bp")
        if "ust10y_bp" in panel.columns and not cv_targets:
            notes.append("CoVaR not computed: the 10-year yield is its conditioning series; "
                         "name another asset to condition on it")
        elif "ust10y_bp" in panel.columns:
            # each target apart: one too short for the quantile regression took the others
            # with it (TRUMP on its first evenings in the table, 2025-11-04 to 11-06: 198 days
            # on the 10-year's days against the VaR's 201, and BTC's and ETH's CoVaR were
            # "not computed" with it); each fit is the same alone as beside the others
            fits: dict[str, Any] = {}
            # each pair merged on the history before --start too, then cut (the library's
            # start), so its first row spans the same time for both series: cut first, --start
            # 2024-11-12 paired bitcoin's move from Veterans Day (-0.8%) with the 10-year's
            # from Friday (+13 bp), where from Friday bitcoin rose 13.9%
            whole = panel if start is None else risk_panel(ws, assets=assets, start=None,
                                                           end=end, window_from=start)
            for t in cv_targets:
                try:
                    one = fit_covar(whole, q=q, targets=(t,), start=start)
                except SpillwatchError as exc:
                    why = _covar_way_out(exc, panel, start, end_option(ws.source, end))
                    notes.append(f"CoVaR not computed: {why}")
                    continue
                fits.update(one.fits)
                cv = one
            if cv is not None and len(fits) > 1:
                cv = CoVaRResult(spec=cv.spec, fits=fits)
            notes += cv.notes() if cv is not None else []
        else:
            notes.append(f"CoVaR not computed: it conditions on a Treasury sell-off (the "
                         f"10-year yield, ust10y), which {ws.label} lacks")
        notes += weekend_notes(panel, targets, window=res.spec.window, level=level)
        notes += closes_after_notes(ws, panel, targets, end=end)
        closed, printed = closure_notes(ws, panel, targets, end=end)
        notes += closed
        notes += ws.gap_notes(assets or (), start=start, end=end, what="the VaR")
        frozen = frozen_note(panel[targets], "the filtered (fhs) and t VaR, which scale by the "
                             "recent volatility,")
        notes += [frozen] if frozen else []
        # each series judged on its own last date and limit: the newest one alone left a
        # stale BTC beside a fresh 10-year unflagged
        stale = stale_series({c: printed.get(c, panel[c].last_valid_index()) for c in targets},
                             simulated=ws.simulated, end=end,
                             what="the 'next day' VaR (of the day after each series' last "
                                  "date)", extra=panel.attrs.get("assets"))
        return TailRiskReport(res, bt, cv, [*notes, *([stale] if stale else [])])

    book_key = (None if portfolio is None else repr(sorted(portfolio.items()))
                if isinstance(portfolio, dict) else str(portfolio))
    return ws.memo(("tail_risk", assets, level, methods, backtest, q, str(start), str(end),
                    book_key), run)


def _require_book_history(book: pd.Series, held: pd.DataFrame, *, need: int, what: str,
                          start: object, end: object) -> None:
    """Stop a book too short for ``what``, naming what bounds its days.

    The book's days run from its latest-starting position's first change (or the window's
    ``start``, when every position began before it) to its earliest-ending one's last (or
    ``end``): "give a later --end" was the advice for a book of TRUMP and gold whose days
    ended with gold's data (2025-10-03), which no --end could move.
    """
    days = book.dropna()
    if len(days) >= need:
        return
    if days.empty:
        raise DataError(f"the book has no day on which every position has a change; {what} "
                        f"needs at least {need}", series_id=BOOK_COLUMN)
    firsts = {c: held[c].first_valid_index() for c in held.columns}
    lasts = {c: held[c].last_valid_index() for c in held.columns}
    starts = max(firsts, key=lambda c: firsts[c])
    ends = min(lasts, key=lambda c: lasts[c])
    def key(c: str) -> str:
        try:
            return universe.asset_of_column(c).key
        except ConfigError:          # a user's own series
            return c

    def enough_without(c: str) -> bool:
        # leaving a position out is a way only when the book without it has the days (and is
        # a book): a book of the 10-year, the S&P 500, bitcoin and TRUMP as of 2025-10-01
        # (174 days from TRUMP's first change) was told "or leave ust10y out (its data end on
        # 2025-09-30)", which gave it 175; a book of TRUMP alone, "leave trump out of the book"
        rest = held.drop(columns=c)
        return rest.shape[1] > 0 and int(rest.notna().all(axis=1).sum()) >= need

    ways = []
    cut = start is not None and firsts[starts] <= pd.Timestamp(str(start)) + START_GRACE
    if cut:          # every position began before the window: the window's start bounds it
        ways.append("give an earlier --start")
    elif enough_without(starts):
        ways.append(f"leave {key(starts)} out of the book (it starts on "
                    f"{firsts[starts]:%Y-%m-%d})")
    if lasts[ends] < max(lasts.values()):
        if enough_without(ends):
            ways.append(f"leave {key(ends)} out (its data end on {lasts[ends]:%Y-%m-%d})")
    elif end is not None:
        ways.append("give a later --end (or --as-of)")
    raise DataError(f"the book has {len(days)} days on which every position has a change, "
                    f"from {days.index[0]:%Y-%m-%d} to {days.index[-1]:%Y-%m-%d}; {what} needs "
                    f"at least {need}" + (f": {' or '.join(ways)}" if ways else ""),
                    series_id=BOOK_COLUMN)


def _book_risk(ws: Workspace, portfolio: Any, *, level: float, methods: tuple[str, ...],
               backtest: bool, q: float, start: object, end: object) -> TailRiskReport:
    """:func:`tail_risk` of a book: VaR/ES, backtest and CoVaR of its daily return."""
    panel, port, pnl = book_panel(ws, portfolio, start=start, end=end)
    keys = tuple(k for k in port.positions if port.positions[k])
    held = risk_panel(ws, assets=keys, start=start, end=end)
    if "ust10y" not in keys:   # CoVaR's conditioning series, no position of the book
        held = held.drop(columns=[universe.column("ust10y")], errors="ignore")
    _require_book_history(panel[BOOK_COLUMN], held, need=VAR_MIN_OBS,
                          what=f"{level * 100:.4g}% VaR", start=start, end=end)
    res = fit_var_es(panel[[BOOK_COLUMN]], level=level, methods=methods)
    notes = [f"{BOOK_COLUMN}: the book's day's P&L in percent of its gross notional "
             f"(${port.gross_usd:,.0f}); VaR and ES in "
             f"dollars are that share of the gross, on the {len(pnl):,} days every position "
             "has a change"]
    bt = None
    if backtest:
        need = res.spec.warmup + res.spec.min_test
        if len(pnl) >= need:
            bt = fit_var_es(panel[[BOOK_COLUMN]], level=level, methods=methods).backtest()
        else:
            notes.append(f"backtest of the book skipped: {len(pnl)} days, the backtest needs "
                         f"{need}")
    cv = None
    if "ust10y_bp" in panel.columns:
        try:
            # the pair merged on the book's history before --start too, then cut (CoVaR's
            # start): a book day without a 10-year change (a btc and S&P 500 book on Veterans
            # Day) joins the next; cut first, --start 2024-11-12 paired the book's change from
            # the holiday with the 10-year's from Friday
            whole = panel if start is None else book_panel(ws, portfolio, start=None,
                                                           end=end, window_from=start)[0]
            cv = fit_covar(whole, q=q, targets=(BOOK_COLUMN,), start=start)
            notes += cv.notes()
        except SpillwatchError as exc:
            # a book holding TRUMP begins with it: the library's "an earlier start or
            # shorten the window" cannot lengthen it, as of a coin's (:func:`_covar_way_out`)
            why = _covar_way_out(exc, panel, start, end_option(ws.source, end))
            notes.append(f"CoVaR not computed: {why}")
    # each position's series judged on its own last date and limit (the book's column is on
    # no watch list: no note could print), and the weekend note of its crypto
    # the book's next day follows its last day with every position (a gold line that stopped
    # on 2025-10-03 dates the book's VaR there; the note spoke of bitcoin's 2026-01-05)
    notes += weekend_notes(held.loc[:pnl.index[-1]], list(held.columns),
                           window=res.spec.window, level=level)
    # the closes its every-day positions made since the book's last day (risk --portfolio
    # --as-of 2022-05-08, half in BTC: the VaR of 05-06 with no word of BTC's -5.5% by Sunday);
    # not when the book stops before its positions' last business day (a stale line: gold's
    # 2025-10-03 read "closes since the last business day (a weekend or US market holiday):
    # btc -26.4% to 2026-01-02"), which the staleness note says
    if len(pnl) and held.dropna(how="all").index[-1] == pnl.index[-1]:
        notes += closes_after_notes(ws, held.loc[:pnl.index[-1]], list(held.columns),
                                    end=end, what="the book's VaR")
    notes += short_book_note(held, pnl, res.spec.window)
    specs = book_specs(ws, port)
    levels = ws.panel(list(specs), transform="levels", start=start, end=end)
    notes += book_gap_note(held, pnl, {
        a.change_column: levels[a.level_column].dropna().index for a in specs.values()
        if a.level_column in levels.columns})
    stale = stale_series({c: held[c].last_valid_index() for c in held.columns},
                         simulated=ws.simulated, end=end,
                         what="the book's 'next day' VaR (of the day after its last day "
                              "with every position)", extra=held.attrs.get("assets"))
    return TailRiskReport(res, bt, cv, [*notes, *([stale] if stale else [])],
                          book=_book_summary(port, pnl, res.table(), level,
                                             res.spec.window))
