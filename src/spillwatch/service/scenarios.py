"""Sell-off scenarios as the product runs them: the fitted market, the presets, the default book.

:func:`market` fits the joint model once per workspace; :func:`run` prices one scenario (a
preset or custom sellers) on it; :func:`presets` runs every preset plus Japan alone, side by
side, on the default book — what the report, the dashboard and ``spillwatch scenario`` show.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from spillwatch import universe
from spillwatch._results import ResultBase, jsonable
from spillwatch.analytics.demand import (
    compare_with_scenario,
    custody_share_of_sale,
    observed_selling,
)
from spillwatch.exceptions import DataError, ScenarioError, SpillwatchError
from spillwatch.scenarios import (
    DEFAULT_ASSETS,
    PRESETS,
    ImpactModel,
    SelloffScenario,
    fit_market,
    parse_seller,
    preset,
)
from spillwatch.scenarios import PROBABILITY_NOTE as PROBABILITY_NOTE  # the events (report)
from spillwatch.scenarios import TABLE_NOTE as TABLE_NOTE  # how to read the table (report)
from spillwatch.scenarios import assumed_signs as assumed_signs  # beside the table (report)
from spillwatch.scenarios import book_caveat as book_caveat  # beside a book's VaR (API, report)
from spillwatch.scenarios import book_notes as book_notes  # what the book's lines rest on (API)
from spillwatch.scenarios import joint_start as joint_start  # the dependence's late start (API)
from spillwatch.scenarios._market import series_state
from spillwatch.scenarios.identification import AUXILIARY_MIN_DAYS
from spillwatch.scenarios.inputs import as_published, holdings_of
from spillwatch.scenarios.portfolio import TENOR_YEARS, Portfolio
from spillwatch.scenarios.propagation import SVAR_MAX_LAGS, too_short
from spillwatch.scenarios.run import CHUNK_SIZE as CHUNK_SIZE  # the CLI's default, the API's
from spillwatch.scenarios.run import check_options
from spillwatch.scenarios.selloff import COUNTRIES, FALLBACK_HOLDINGS_USD
from spillwatch.service import defaults
from spillwatch.service._calendar import business_calendar, on_calendar
from spillwatch.service._closes import closes_after_notes
from spillwatch.service._today import asked_for, behind_today, reference_day
from spillwatch.service.workspace import Workspace
from spillwatch.timing import next_us_market_day

#: The illustrative book the report and dashboard price (weights of $1m; assets the data lack
#: are dropped).
DEFAULT_BOOK: dict[str, float] = {"ust10y": 0.4, "spx": 0.3, "gold": 0.1, "btc": 0.1,
                                  "eth": 0.05, "trump": 0.05}
PATHS = defaults.SCENARIO_PATHS
SEED = defaults.SCENARIO_SEED
METHOD = defaults.SCENARIO_METHOD
#: Assets drawn in the fan charts.
FAN_ASSETS: tuple[str, ...] = ("ust10y", "usd_broad", "spx", "btc", "eth", "trump")


@dataclass(frozen=True)
class MarketFit:
    """The fitted joint model and the holdings the presets are sized on."""

    market: Any
    holdings: dict[str, float]
    holdings_label: str


def holdings(ws: Workspace) -> tuple[dict[str, float], str]:
    """Latest TIC holdings per country (USD), or the documented fallback, with a label."""
    keys = ws.have(list(COUNTRIES.values()))
    if not keys:
        return dict(FALLBACK_HOLDINGS_USD), "fallback (spring 2025)"
    # the raw series, as published by the workspace's evening (:func:`holdings_of`)
    found = holdings_of({k: ws.raw().series[k] for k in keys})
    return as_published(found, ws.source) if found is not None else (
        dict(FALLBACK_HOLDINGS_USD), "fallback (spring 2025)")


#: First day of the fitting sample: crypto's first full year on Binance ...
SAMPLE_START = pd.Timestamp("2018-01-01")
#: ... or, for data that end earlier (``--as-of`` a date before 2021), this many years before
#: the 10-year's last change (a scenario as of June 2013 is fitted on mid-2010 to mid-2013).
MIN_SAMPLE_YEARS = 3


def sample_start(panel: pd.DataFrame) -> pd.Timestamp:
    """:data:`SAMPLE_START`, or :data:`MIN_SAMPLE_YEARS` before the 10-year's last change."""
    col = universe.column("ust10y")
    last = panel[col].last_valid_index() if col in panel.columns else None
    if last is None:
        return SAMPLE_START
    return min(SAMPLE_START, pd.Timestamp(last) - pd.DateOffset(years=MIN_SAMPLE_YEARS))


def market(ws: Workspace, *, method: str = METHOD,
           extra: Sequence[str] = ()) -> MarketFit:
    """Fit the joint daily model on the workspace's data (once per workspace and method).

    ``extra`` adds assets beyond :data:`DEFAULT_ASSETS` (a book's own series): each is mapped
    on the simulated assets and moves with them
    (:func:`~spillwatch.scenarios.propagation.own_mapping`).
    """
    keys_extra = tuple(k for k in extra if k not in DEFAULT_ASSETS)
    odd = [k for k in keys_extra if ":" not in k]
    if odd:   # a watch-list key the model does not simulate ('oil', 'vix'): not any asset key
        raise ScenarioError(_unknown(odd), asset=odd[0])

    def run() -> MarketFit:
        ws.require_daily(keys_extra, "the scenario model")
        keys = ws.have([*DEFAULT_ASSETS, *keys_extra])
        if not any(k in DEFAULT_ASSETS for k in keys):
            raise DataError(f"the scenario model needs market series ({', '.join(DEFAULT_ASSETS)}"
                            f"; the 10-year yield above all) and {ws.label} holds none of them; "
                            "import the Treasury and market files (spillwatch import PATH)")
        panel = on_business_days(ws, ws.panel(keys, transform="changes", explicit=False), keys)
        # an asset of the standard set with too little history by then (bitcoin in the first
        # weeks of 2018, on an --as-of evening) is left out of the market, and a book holding
        # it is told so; it stopped every scenario of those weeks
        short = too_short(panel, keys, sample_start(panel))
        if short:
            keys = [k for k in keys if k not in short]
            panel = on_business_days(ws, ws.panel(keys, transform="changes", explicit=False),
                                     keys)
        tenors = ws.have([k for k in keys if k in TENOR_YEARS])
        try:
            fitted = fit_market(panel, method=method,  # type: ignore[arg-type]
                                start=sample_start(panel),
                                levels=ws.panel(tenors, transform="levels") if tenors else None)
        except DataError as exc:
            # a series the identification needs and the evening lacks, said with when the
            # store's figures begin (1990-01-10: "none published by the evening asked for, or
            # 'usd_broad' not loaded" of a dollar in the store from 2006-01-02)
            asset = exc.context.get("asset")
            later = ws.begins_later([asset]) if asset in universe.ASSETS else None
            if (later is None and asset in universe.ASSETS and not ws.have([asset])
                    and "--as-of" in str(exc)):
                # a store without any of it: no later evening helps ("import it, or give a
                # later --as-of" was said of a store holding no S&P 500 at all, h_data1)
                raise DataError(f"the scenario model needs {asset} (the sell-off's "
                                f"identification restricts it) and {ws.label} holds no data "
                                f"of it: import it (spillwatch import PATH)",
                                asset=asset) from None
            if later is None:
                raise
            raise DataError(f"the scenario model needs {asset} and {ws.label} holds none of "
                            f"its changes: {later}", asset=asset) from None
        fitted.info["simulated"] = ws.simulated
        fitted.info["too_short"] = short
        # a currency per dollar in a book is a forward struck on the first day at its rates
        fitted = dataclasses.replace(fitted, info={
            **fitted.info, "fx_rates_pct": fx_rates(ws, fitted.assets, fitted.info.get("as_of"))})
        held, label = holdings(ws)
        return MarketFit(fitted, held, label)

    return ws.memo(("scenario:market", method, keys_extra), run)


def on_business_days(ws: Workspace, panel: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """The market's changes after its joint sample on the days `risk` reads.

    The joint sample joins a day one market missed to the next complete day already
    (:func:`~spillwatch.scenarios.propagation.fit_market`); after it each asset's volatility
    state runs to its own last date, and there a US holiday on which gold prints was a row of
    its own, with crypto's closes in it: on 2024-07-04 the paths started from the holiday's
    closes (BTC -5.2% that day in its last change) where `risk` and `stress` read 07-03's and
    put the holiday's closes into the next business day's change. Here the rows after the
    joint sample are those of :func:`spillwatch.service._calendar.business_calendar`, each other
    row's changes summed into the next of them; after the calendar's last day, a day before
    its next US market day (:func:`~spillwatch.timing.next_us_market_day`) is the evening's
    closes after it (:func:`closes_after_note`), and a later one (a business day the other
    markets have not yet published, a file that stopped) stays a row of its own.

    Parameters
    ----------
    ws : Workspace
    panel : DataFrame
        The changes panel of ``keys`` (``ws.panel(keys)``).
    keys : sequence of str
        Its assets.

    Returns
    -------
    DataFrame
        ``panel`` itself when no row moves.
    """
    days = business_calendar(ws)
    if days is None or not len(days) or panel.empty:
        return panel
    try:
        joint_end, _ = series_state(panel, keys, sample_start(panel))
    except DataError:                       # the fit says what is missing
        return panel
    tail = panel.index[panel.index > joint_end]
    beyond = tail[tail > days[-1]]
    rows = tail[tail.isin(days)].union(beyond[beyond >= next_us_market_day(days[-1])])
    if len(rows) == len(tail):
        return panel
    out = pd.concat([panel.loc[:joint_end], on_calendar(panel.loc[tail], rows)])
    out.index.name = panel.index.name
    out.attrs.update(panel.attrs)
    return out


#: The short rates of each currency per dollar's forward (the foreign-demand gauge's columns:
#: the dollar's 3-month bill, else SOFR; the yen's 3-month interbank rate, else TONA, each
#: only while fresh), and the gauge's column naming the currency's source.
FX_RATE_COLUMNS: dict[str, tuple[str, str, str]] = {
    "usdjpy": ("usd_short_rate_pct", "jpy_short_rate_pct", "jpy")}
#: Names of the gauge's rate sources.
RATE_SOURCES: dict[str, str] = {"dgs3mo": "3-month bill", "sofr": "SOFR",
                                "ir3tib": "3-month interbank (OECD)", "tona": "TONA"}
#: Calendar days the gauge's last date may lie before the scenario's first day.
FX_RATES_LAG_DAYS = 7


def fx_rates(ws: Workspace, assets: Sequence[str], as_of: object) -> dict[str, dict[str, Any]]:
    """Each currency per dollar's short rates on the scenario's first day (``as_of``).

    What the foreign-demand gauge reads on that date (the hedge of
    :mod:`spillwatch.analytics.demand.hedging`: the 3-month rates while fresh, else overnight;
    none past their staleness limits), as published by then on an as-of workspace. A
    currency without both rates then is left out: its forward carries no points, and the
    result says so.
    """
    from spillwatch.service import demand as demand_service

    want = [a for a in assets if a in FX_RATE_COLUMNS]
    if not want or as_of is None:
        return {}
    try:
        res = demand_service.demand(ws)
    except DataError:
        return {}
    day = pd.Timestamp(as_of)  # type: ignore[arg-type]
    frame = res.signals.frame.loc[:day]
    if not len(frame) or (day - frame.index[-1]).days > FX_RATES_LAG_DAYS:
        return {}
    last = frame.index[-1]
    source = res.signals.hedge_source
    out: dict[str, dict[str, Any]] = {}
    for a in want:
        usd_col, ccy_col, ccy_source = FX_RATE_COLUMNS[a]
        usd_pct, ccy_pct = float(frame[usd_col].iloc[-1]), float(frame[ccy_col].iloc[-1])
        if usd_pct == usd_pct and ccy_pct == ccy_pct:
            out[a] = {"usd_pct": usd_pct, "ccy_pct": ccy_pct, "date": str(last.date()),
                      "usd_source": RATE_SOURCES.get(str(source.loc[last, "usd"]), ""),
                      "ccy_source": RATE_SOURCES.get(str(source.loc[last, ccy_source]), "")}
    return out


def scenario_spec(ws: Workspace, *, name: str | None = None,
                  sellers: Sequence[str] = (), method: str = METHOD) -> SelloffScenario:
    """A preset (``name``) or custom sellers (``"japan:100e9:4w"``) sized on the holdings."""
    fit = market(ws, method=method)
    if name is not None:
        return preset(name, fit.holdings, fit.holdings_label)
    return SelloffScenario(tuple(parse_seller(s, fit.holdings) for s in sellers),
                           fit.holdings, name="custom", holdings_source=fit.holdings_label)


def check_request(*, name: str | None = None, sellers: Sequence[str] = (),
                  portfolio: Any = None, paths: Any = 1, horizon: Any = None,
                  seed: Any = 0, chunk_size: Any = 1, workers: Any = None,
                  scheduler: str | None = None) -> None:
    """Refuse, before any data are read, a scenario request no data can make valid.

    An unknown preset, a seller's text that does not parse or names an unknown country, a book
    file that does not read or names an unknown asset, an option out of its range: each was
    said only after the market was built and fitted (6 s for a typo on the demo, more on a
    store). What depends on the data (a sale beyond the holdings of the day, a book asset
    without data by then) is checked by the run.

    Raises
    ------
    ScenarioError
        The first problem, as the run would word it.
    """
    if name is not None:
        preset(name)                 # an unknown name: the run's own message
    for text in sellers:
        parse_seller(text)           # on the fallback holdings: the grammar, not the size
    if portfolio is not None:
        book_assets(portfolio)
    check_options(paths=paths, horizon=horizon, seed=seed, chunk_size=chunk_size,
                  workers=workers, scheduler=scheduler)


def book_assets(portfolio: Any) -> tuple[str, ...]:
    """The asset keys a book names (a dict, or a TOML/CSV file of weights)."""
    if portfolio is None:
        return ()
    port = Portfolio.coerce(portfolio)
    odd = [k for k in port.positions if ":" not in k and k not in DEFAULT_ASSETS]
    if odd:   # said here, where the file and the line are known
        raise ScenarioError(f"{port.where(odd[0])}{_unknown(odd)}", asset=odd[0],
                            path=port.source)
    return tuple(port.positions)   # aliases resolved ('BTC' is btc)


def book_specs(ws: Workspace, port: Any) -> dict[str, Any]:
    """Each non-zero position's asset (a user's own series from the store's catalog).

    Raises
    ------
    SpillwatchError
        An own id the store lacks, named with the book's file and line.
    """
    out = {}
    for k, v in port.positions.items():
        if not v:
            continue
        try:
            out[k] = ws.user_asset(k) if ":" in k else universe.asset(k)
        except SpillwatchError as exc:
            raise type(exc)(f"{port.where(k)}{exc.message}", asset=k,
                            path=port.source) from None
    return out


def _unknown(keys: Sequence[str]) -> str:
    return (f"unknown asset(s) in the portfolio: {', '.join(keys)}; choose among the "
            f"assets the scenario simulates: {', '.join(DEFAULT_ASSETS)}, or a series of yours "
            "by its id (csv:MYFUND)")


def default_book(fit: MarketFit) -> tuple[dict[str, float], tuple[str, ...]]:
    """:data:`DEFAULT_BOOK` on the assets the fitted market holds, and the positions left out.

    The weights are not rescaled: a book without gold is $900,000 of the $1m, and says so.
    """
    book = {k: v for k, v in DEFAULT_BOOK.items() if k in fit.market.assets}
    return book, tuple(k for k in DEFAULT_BOOK if k not in book)


def book_last_dates(market: Any, book: Mapping[str, float]) -> dict[str, str]:
    """Each book asset's last date in the fitted market: the state its paths start from."""
    return {k: v["last_date"] for k, v in market.info.get("series", {}).items() if k in book}


def book_note(book: Mapping[str, float], left_out: Sequence[str],
              why: str | None = None) -> str | None:
    """The note of a default book that lacks positions, or None.

    '$950,000: the default $1m book without trump (too little history by then: trump 35 days
    of changes, the model needs 125)', ``why`` from :func:`left_out_why`.
    """
    if not left_out:
        return None
    return (f"${sum(abs(v) for v in book.values()) * 1e6:,.0f}: the default $1m book without "
            f"{', '.join(left_out)} ({why or 'not in the data, or too little of it by then'})")


def left_out_why(ws: Workspace, fit: MarketFit, left_out: Sequence[str]) -> str | None:
    """Why each default position the fitted market lacks is left out, or None.

    Too little history by then (``fit.market.info["too_short"]``: its days against the
    auxiliary regression's :data:`AUXILIARY_MIN_DAYS` plus the VAR's lags), figures the store
    holds from after a past evening, or none in the data. "(not in the data, or too little of
    it by then)" left the trader to guess which, beside a chart of that asset.
    """
    if not left_out:
        return None
    short = fit.market.info.get("too_short", {})
    need = AUXILIARY_MIN_DAYS + SVAR_MAX_LAGS
    brief = [k for k in left_out if k in short]
    rest = [k for k in left_out if k not in short]
    past = getattr(ws.source, "known_by", None) is not None
    parts = []
    if brief:
        days = ", ".join(f"{k} {short[k]} days" for k in brief)
        # counted in the model's sample, which ends on its variables' earliest last date (the
        # dollar's, published a week late): on 2025-01-24 "trump 0 days of changes" of a token
        # with four business days of changes by then (and `alerts facts` its -35% in five
        # days), its sample ending on 2025-01-17; said when a coin runs past that end
        end = (fit.market.info.get("svar") or {}).get("end")
        lasts = [ws.series_of(k) for k in brief]
        past_end = end is not None and any(
            s is not None and len(s.dropna()) and s.dropna().index[-1] > pd.Timestamp(end)
            for s in lasts)
        parts.append(f"too little history{' by then' if past else ''}: {days} of changes"
                     + (f" in the model's sample (to {end})" if past_end else "")
                     + f", the model needs {need}")
    later = ws.begins_later(rest, advice=False) if rest else None
    if later:
        parts.append(later)
    stored = ws.stored_first(rest) if past and rest else {}
    absent = [k for k in rest if k not in stored]
    if absent:
        # the names once: "without gold, btc (not in the data)"
        parts.append(("" if len(absent) == len(left_out) else f"{', '.join(absent)}: ")
                     + "not in the data" + (" published by then" if past else ""))
    return "; ".join(parts)


def default_book_note(ws: Workspace, *, method: str = METHOD) -> str | None:
    """:func:`book_note` of the default book on the workspace's fitted market."""
    fit = market(ws, method=method)
    book, left_out = default_book(fit)
    return book_note(book, left_out, left_out_why(ws, fit, left_out))


def _require_book_data(ws: Workspace, fit: MarketFit, portfolio: Any, *,
                       standard_only: bool = False) -> None:
    """Refuse a book position in a simulated asset the data hold nothing of (named with its line).

    TRUMP in a book run ``--as-of 2024-06-03`` was "unknown asset(s) in the portfolio: trump",
    as if the name were wrong. ``standard_only``: the standard assets alone (``fit`` is the
    market without the book's own series).
    """
    port = Portfolio.coerce(portfolio)
    # a series of the user's too: a fund that starts after the --as-of day was "unknown"
    gone = [k for k, v in port.positions.items() if v and k not in fit.market.assets
            and (k in DEFAULT_ASSETS or (":" in k and not standard_only))]
    short = fit.market.info.get("too_short", {})
    brief = [k for k in gone if k in short]
    if brief:
        need = AUXILIARY_MIN_DAYS + SVAR_MAX_LAGS
        raise DataError(f"{port.where(brief[0])}the book holds {brief[0]}, but {ws.label} has "
                        f"{short[brief[0]]} days of its changes in the model's sample, and "
                        f"measuring its response to the sell-off needs {need}; leave it out of "
                        "the book or run on later data", asset=brief[0], path=port.source)
    if gone:
        book_without_data(ws, port, gone)


def book_without_data(ws: Workspace, port: Portfolio, gone: Sequence[str]) -> None:
    """Refuse a book holding assets the data lack, naming the first one's file and line."""
    raise DataError(f"{port.where(gone[0])}the book holds {', '.join(gone)}, but "
                    f"{ws.label} has no data of {'it' if len(gone) == 1 else 'them'} (an "
                    "--as-of before a series' first date sees none of it); leave "
                    f"{'it' if len(gone) == 1 else 'them'} out of the book or import the "
                    "data", asset=gone[0], path=port.source)


def book_fit(ws: Workspace, portfolio: Any, *, method: str = METHOD) -> tuple[Any, MarketFit]:
    """The book read once, checked, and the fitted market its run prices it on.

    Refused, with the book's file and line: an asset the model does not simulate, an own id
    the store lacks, an asset with no data or too little of it on the day
    (:func:`_require_book_data`). The API calls it before a stream's 200 (a BTC book as of
    2018-01-10 answered 200, then an error event); the run reuses the fit (one per workspace).
    """
    port = Portfolio.coerce(portfolio)
    # a zero line holds nothing: its series stays out of the fit (a csv:PAXG line of 0 moved
    # the dependence sample to PAXG's first day and the book's ES from $4.8m to $20.3m)
    extra = tuple(k for k in book_assets(port) if port.positions[k])
    book_specs(ws, port)
    fit = market(ws, method=method, extra=extra)
    _require_book_data(ws, fit, port)
    return port, fit


def check_book(ws: Workspace, portfolio: Any, *, method: str = METHOD) -> None:
    """Refuse, before a run, a book its run would refuse, at the cost of no new fit.

    A book of standard assets only: :func:`book_fit` (its fit is the market's, which the
    run reuses). With series of the user's (``csv:MYFUND``): each is in the store, and the
    standard assets have data enough on the day in the market fitted without them (the fit
    with the own series is the run's). A book holding TRUMP as of 2025-03-24 beside a fund,
    or bitcoin as ``binance:BTCUSDT`` as of 2018-01-10, answered a stream's 200 and then the
    error. An own series with no data by the day is refused too (one too short for its fit
    is found by the run's fit).
    """
    port = Portfolio.coerce(portfolio)
    if not any(":" in k for k, v in port.positions.items() if v):
        book_fit(ws, port, method=method)
        return
    book_specs(ws, port)
    # an own series with no data by the day (a fund that starts after as_of): as the run says
    own = [k for k, v in port.positions.items() if v and ":" in k]
    held = set(ws.have(own))
    gone = [k for k in own if k not in held]
    if gone:
        book_without_data(ws, port, gone)
    _require_book_data(ws, market(ws, method=method), port, standard_only=True)


def run(ws: Workspace, spec: SelloffScenario, *, paths: int = PATHS, seed: int = SEED,
        portfolio: Any = None, method: str = METHOD, band: Literal["central", "upper"] = "central",
        progress: Callable[[int, int], None] | None = None, **options: Any) -> Any:
    """Price one scenario by Monte Carlo on the fitted market (``options``: horizon, ...).

    The book's own series (ids such as ``csv:MYFUND``) join the fitted market.
    """
    # the book read once (a file was read four times), checked where its lines are known
    if portfolio is None:
        fit = market(ws, method=method)
        book: Any = default_book(fit)[0]
    else:
        book, fit = book_fit(ws, portfolio, method=method)
    opts = {k: v for k, v in options.items() if v is not None}
    res = spec.simulate(fit.market, paths=paths, seed=seed, portfolio=book,
                        impact=ImpactModel(band=band), progress=progress,
                        **opts)  # type: ignore[arg-type]
    end = getattr(ws.source, "known_by", None)
    notes = [freshness_note(fit.market.info.get("as_of"), simulated=ws.simulated, end=end),
             closes_after_note(ws, list(fit.market.assets), end=end),
             holdings_note(ws, res.scenario, end=end)]
    return res.with_observed(observed_vs(ws, spec)).with_notes([n for n in notes if n])


def closes_after_note(ws: Workspace, keys: Sequence[str], *, end: object = None
                      ) -> str | None:
    """The coins' closes after the panel's last business day, which the paths start before.

    On a Sunday evening the fitted market's last row is Friday's: bitcoin's paths start from
    Friday's close and its weekend is in no data of the fit. `scenario --as-of 2022-10-23`
    said nothing of it where `risk --as-of 2022-10-23` said "btc +2.1% from 2022-10-21 to
    2022-10-23, eth +5.0%" (BTCUSDT 19,164.37 to 19,570.40). Risk's note
    (:func:`spillwatch.service._closes.closes_after_notes`), with the paths' words.
    """
    coins = [k for k in keys if k in universe.ASSETS
             and universe.ASSETS[k].calendar == "every_day"]
    if not coins or ws.simulated:
        return None
    std = [k for k in keys if k in universe.ASSETS]
    panel = on_business_days(ws, ws.panel(std, transform="changes", explicit=False), std)
    cols = [c for k in coins if (c := universe.column(k)) in panel.columns]
    notes = closes_after_notes(ws, panel, cols, end=end, then=(
        "the paths start from that last row's close, and these closes are in no data of the "
        "fit"))
    return notes[0] if notes else None


def freshness_note(as_of: object, *, simulated: bool, end: object = None,
                   today: dt.date | None = None) -> str | None:
    """The note when the state the paths start from is older than the 10-year's limit.

    Before today (``today``, default the clock's), or before ``end`` (an ``--as-of`` date). A
    store whose data stop months ago priced the sale from that state without a word
    (``stress`` and ``risk`` said so).
    """
    return behind_today(as_of, simulated=simulated, end=end, today=today,
                        limit_days=universe.ASSETS["ust10y"].timing.stale_after_days,
                        what="the scenario's starting state")


def holdings_note(ws: Workspace, spec: SelloffScenario | Sequence[SelloffScenario], *,
                  end: object = None, today: dt.date | None = None) -> str | None:
    """The note when a scenario's sellers are sized on TIC holdings past TIC's limit.

    A preset sells a share of each seller's holdings as TIC last reported them. TIC is
    monthly, out about seven weeks after the month; a month older than its limit
    (``timing.stale_after_days`` from the month's end, to today or ``end``) means releases
    are missing: on 2026-12-04 the shared data's Japan 10% was sized on December 2025 (338
    days old, limit 83) without a word. Sellers given in dollars (``japan-intervention``'s
    $80bn, ``--seller``) are not sized on holdings; the simulated demo is never stale.
    ``spec`` may be several scenarios (the presets side by side: one note for them all).
    """
    specs = [spec] if isinstance(spec, SelloffScenario) else list(spec)
    if ws.simulated:
        return None
    countries = list(dict.fromkeys(
        s.country for sc in specs if sc.holdings_source.startswith("TIC")
        for s in sc.sellers if s.share is not None))
    today, ref = reference_day(today, end)
    old = []
    for country in countries:
        key = COUNTRIES.get(country)
        if key is None:
            continue
        raw = ws.raw().series.get(key) if key in ws.have([key]) else None
        if raw is None or not raw.dropna().size:
            continue
        last = pd.Timestamp(raw.dropna().index[-1]).date()
        limit = universe.ASSETS[key].timing.stale_after_days
        days = (ref - last).days
        if days > limit:
            who = "UK" if country == "uk" else country.capitalize()
            old.append(f"{who}'s of {last:%Y-%m} ({days} days before, limit {limit})")
    if not old:
        return None
    asked = asked_for(today, ref)
    label = f"on {ref}, the evening asked for" if asked else f"today ({today})"
    return (f"sized on TIC holdings past TIC's staleness limit {label}: " + ", ".join(old)
            + ": the shares sold are of those months' figures, not of what the sellers "
            "held since" + ("; import or fetch newer tic/ data, or give the sellers' amounts "
                            "with --seller" if not asked else
                            " (the data hold no later month published by then)"))


def lone_seller(spec: SelloffScenario) -> str | None:
    """The first seller's country when several countries sell (run alone beside them)."""
    first = spec.sellers[0].country if spec.sellers else None
    return first if first is not None and len({s.country for s in spec.sellers}) > 1 else None


def alone(ws: Workspace, spec: SelloffScenario, result: Any, *, paths: int = PATHS,
          seed: int = SEED, portfolio: Any = None, method: str = METHOD,
          band: Literal["central", "upper"] = "central",
          progress: Callable[[int, int], None] | None = None,
          **options: Any) -> Any | None:
    """The first seller alone, on the joint run's horizon, when several countries sell.

    ``None`` for a single seller. The same options as the joint run (``run``'s), so the two
    columns of :func:`side_by_side` compare the same book over the same days.
    """
    first = lone_seller(spec)
    if first is None:
        return None
    return run(ws, spec.only(first), paths=paths, seed=seed, portfolio=portfolio,
               method=method, band=band, progress=progress,
               **{**options, "horizon": int(result.horizon)})


def side_by_side(result: Any, lone: Any | None) -> tuple[str, pd.DataFrame] | None:
    """The first seller alone beside all of them: what is compared, and the table.

    The book's P&L quantiles (USD), or the 10-year's change (bp) without a book; ``None``
    without a lone run. In JSON (CLI and API alike) ``{"what": ..., "table": ...}``.
    """
    from spillwatch.scenarios import compare

    if lone is None:
        return None
    book = result.portfolio_ is not None
    return ("portfolio P&L (USD)" if book else "10-year yield change (bp)",
            compare([lone, result], key=None if book else "ust10y"))


def side_by_side_dict(result: Any, lone: Any | None) -> dict[str, Any] | None:
    """:func:`side_by_side` as the JSON of ``scenario --json`` and ``POST /api/scenarios``."""
    from spillwatch._results import jsonable

    side = side_by_side(result, lone)
    return None if side is None else {"what": side[0], "table": jsonable(side[1])}


#: Business days of custody's observed window (8 weeks), matched in the scenario's sales.
OBSERVED_DAYS = 40


def observed_vs(ws: Workspace, spec: SelloffScenario) -> dict[str, Any] | None:
    """The published foreign selling beside a scenario's size, or None without the data.

    From the foreign-demand monitor on the same workspace, on its evening (``--as-of``'s, or
    the store's newest market data): what was published and fresh by then,
    whether or not the gauge read that evening (the gauge's last reading of 2007-08-17 gave
    custody's 4-week fall where the print of 08-29 was out by 2007-08-30). Custody's 8-week
    change against the scenario's total sale, and what Japan's investors and its
    interventions did ("custody fell $61 bn in 8 weeks, about 0.6x the size of japan-10pct
    ($113 bn)"); past its staleness limit by then, custody's last print is said as such.
    """
    from spillwatch.service import demand as demand_service

    try:
        res = demand_service.demand(ws)
    except DataError:
        return None
    at = getattr(ws.source, "known_by", None) or ws.newest()
    obs = observed_selling(res, at, evening=True)
    size = spec.total_usd / 1e9
    first8 = float(spec.sales(OBSERVED_DAYS)[:OBSERVED_DAYS].sum()) / 1e9
    name = spec.name if spec.name != "custom" else spec.label()
    parts = [compare_with_scenario(res, scenario=name, amount_usd_bn=size, at=at,
                                   first_8w_usd_bn=first8, evening=True)]
    move = ten_year_over_custody_window(ws, res, obs)
    if move is not None:
        # what the 10-year did over the same published weeks, beside the model's impact (a
        # $98bn fall of custody in the 8 weeks to 2026-06-24 came with the 10-year 1 bp lower,
        # where japan-10pct's $119bn lifts it 44 bp): the data's own episode, not a measured
        # effect (custody answers yields too)
        parts[0] += (f"; over those 8 weeks (to {move['to']}) the 10-year moved "
                     f"{move['change_bp']:+.0f} bp")
    parts += [p for p in str(obs["sentence"]).split("; ") if not p.startswith("custody")]
    return {**obs, "scenario_usd_bn": size, "scenario_first_8w_usd_bn": first8,
            "ust10y_over_custody_window": move,
            # the data's own slope of the 10-year on the week's selling, beside the literature's
            # impact the paths use (--explain says both)
            "ust10y_on_selling_measured": measured_impact(ws),
            # custody's 8-week sale (0 when it rose) against the scenario's first 8 weeks,
            # the sentence's ratio (its stale last print too)
            "custody_share_of_scenario": custody_share_of_sale(res, first8, at, evening=True),
            "sentence": f"{'; '.join(parts)} (published by {obs['date']})"}


def measured_impact(ws: Workspace) -> dict[str, dict[str, Any]]:
    """The 10-year's weekly change on the week's published selling, per $100bn (memoised).

    :func:`~spillwatch.analytics.demand.yield_impact.yield_on_selling` on the gauge's inputs
    (on a vintage, as published by its evening); ``{}`` without them.
    """
    from spillwatch.analytics.demand.yield_impact import yield_on_selling
    from spillwatch.service import demand as demand_service

    def run() -> dict[str, dict[str, Any]]:
        try:
            return yield_on_selling(demand_service.inputs(ws))
        except DataError:
            return {}

    return ws.memo(("yield_on_selling",), run)


def ten_year_over_custody_window(ws: Workspace, res: Any,
                                 obs: dict[str, Any]) -> dict[str, Any] | None:
    """The 10-year's change (bp) over custody's published 8-week window, or None.

    ``{"from": ..., "to": ..., "change_bp": ...}``: from the 10-year's close on or before the
    first Wednesday of the window to its close on or before the last (within
    :data:`~spillwatch.analytics.demand.verdict.ASOF_TOLERANCE_DAYS` days of each). None when
    custody's 8-week change is not current or the 10-year has no close near either end.
    """
    from spillwatch.analytics.demand.verdict import ASOF_TOLERANCE_DAYS

    if obs.get("custody_chg8_usd_bn") is None:
        return None
    end = res.observed_on("custody", pd.Timestamp(obs["date"]))
    if end is None:
        return None
    start = end - pd.Timedelta(weeks=8)
    try:
        ten = ws.panel(["ust10y"], transform="levels")[universe.column("ust10y", "levels")]
    except DataError:
        return None
    ten = ten.dropna()
    closes = []
    for day in (start, end):
        got = ten.loc[:day]
        if not len(got) or (day - got.index[-1]).days > ASOF_TOLERANCE_DAYS:
            return None
        closes.append(float(got.iloc[-1]))
    return {"from": start.date().isoformat(), "to": end.date().isoformat(),
            "change_bp": round(100.0 * (closes[1] - closes[0]), 1)}


@dataclass(frozen=True, repr=False)
class PresetSet(ResultBase):
    """Every preset (and Japan alone) on the default book, side by side."""

    results: dict[str, Any]
    book: dict[str, float]
    holdings_label: str
    paths: int
    seed: int
    left_out: tuple[str, ...] = ()
    #: What every preset says alike, said once (the market state's age, stale TIC holdings).
    notes: tuple[str, ...] = ()
    #: Why the positions of ``left_out`` are left out (:func:`left_out_why`).
    left_out_why: str | None = None
    title: str = field(default="sell-off scenarios", init=False)

    @property
    def book_usd(self) -> float:
        """Gross notional of the book priced (the default $1m less what the data lack)."""
        return float(sum(abs(v) for v in self.book.values()) * 1e6)

    @property
    def book_note(self) -> str | None:
        """The default book's note (:func:`book_note`), with why its positions are left out."""
        return book_note(self.book, self.left_out, self.left_out_why)

    def table(self) -> pd.DataFrame:
        """One row per scenario: amount sold, 5-year impact, the book's VaR/ES, probabilities."""
        rows = []
        for name, r in self.results.items():
            book = r.portfolio()
            row: dict[str, Any] = {
                "scenario": name, "sold_usd_bn": r.scenario.total_usd / 1e9,
                "horizon_bdays": int(r.horizon),
                "ust10y_bp_median": float(r.quantiles("ust10y", (0.5,)).iloc[0]),
                "book_var99_usd": float(book.var(0.99)),
                "book_es99_usd": float(book.es(0.99))}
            # the VaR's Monte Carlo 95% interval, as the command prints it (NaN: no top)
            lo, hi = book.var_interval(0.99)
            row["book_var99_ci95_lo_usd"] = lo
            row["book_var99_ci95_hi_usd"] = float("nan") if hi is None else hi
            row.update({f"p_{e}": float(p) for e, p in r.probabilities.items()})
            rows.append(row)
        return pd.DataFrame(rows).set_index("scenario")

    def summary_dict(self) -> dict[str, Any]:
        """The headline numbers every interface shows."""
        t = self.table()
        worst = t["book_var99_usd"].idxmax() if len(t) else None
        first = next(iter(self.results.values()), None)
        responses = None
        if first is not None:
            # the paths' cumulative response (what `spillwatch scenario` shows under this
            # name), not the identification's impact response
            r = first.market.response_per_10bp((0.16, 0.5, 0.84))
            responses = {k: {"unit": row["unit"], "median": float(row["q0.5"]),
                             "q16": float(row["q0.16"]), "q84": float(row["q0.84"])}
                         for k, row in r.iterrows()}
        # a warning every preset gives (the series past their limits: one market) said once
        said = [r.warnings() for r in self.results.values()]
        alike = [w for w in (said[0] if len(said) > 1 else [])
                 if w not in self.notes and all(w in x for x in said[1:])]
        return {"paths": self.paths, "seed": self.seed, "book": dict(self.book),
                "book_usd": self.book_usd, "book_left_out": list(self.left_out),
                "book_note": self.book_note,
                "response_per_10bp": responses,
                # which of those responses' signs the identification imposes on impact
                "assumed_signs": None if first is None else assumed_signs(first),
                "holdings": self.holdings_label,
                # the market state the paths start from (the newest last date of a fresh asset)
                "as_of": None if first is None else first.market.info.get("as_of"),
                # each Treasury of the book is a par bond at its yield on the first day
                "bond_coupons_pct": {} if first is None else {
                    k: v for k, v in (first.market.info.get("start_yields_pct") or {}).items()
                    if k in self.book},
                # each book asset's last date: the state its paths start from
                "book_last_dates": {} if first is None else book_last_dates(first.market,
                                                                            self.book),
                "worst": None if worst is None else {
                    "scenario": worst, "book_var99_usd": float(t.loc[worst, "book_var99_usd"]),
                    "book_es99_usd": float(t.loc[worst, "book_es99_usd"]),
                    "horizon_bdays": int(t.loc[worst, "horizon_bdays"]),
                    # its book simulated beyond its history: no measured risk
                    "caveat": book_caveat(self.results[worst]),
                    # sold as shares of the holdings (a note on the TIC figures applies to it)
                    "sized_on_holdings": any(s.share is not None for s in
                                             self.results[worst].scenario.sellers)},
                "scenarios": jsonable(t.to_dict(orient="index")),
                # what each p_ column counts: a close past the level within its days
                "probabilities_note": PROBABILITY_NOTE,
                # the published selling beside the coordinated preset's size
                "observed_selling": jsonable(getattr(self.results.get(
                    "japan-china-coordinated", first), "observed", None)),
                # what every preset says alike (its market state is not today's), once
                "notes": [*self.notes, *alike],
                # each preset's warnings as read above (not computed again: each reads the
                # quantiles of its kept paths)
                "warnings": {name: w for (name, r), got in zip(self.results.items(), said,
                                                               strict=True)
                             if (w := [x for x in got if x not in r.notes and x not in alike])}}

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "summary": self.summary_dict()}

    def _summary_lines(self) -> list[str]:
        return [f"{self.title}: {self.paths:,} paths, seed {self.seed}, holdings "
                f"{self.holdings_label}", self.table().round(3).to_string()]


def presets(ws: Workspace, *, paths: int = PATHS, seed: int = SEED) -> PresetSet:
    """Every preset plus Japan alone (of the coordinated preset) on :data:`DEFAULT_BOOK`."""
    def go() -> PresetSet:
        fit = market(ws)
        book, left_out = default_book(fit)
        out: dict[str, Any] = {}
        for name in PRESETS:
            out[name] = run(ws, preset(name, fit.holdings, fit.holdings_label), paths=paths,
                            seed=seed, portfolio=book)
        both = preset("japan-china-coordinated", fit.holdings, fit.holdings_label)
        joint = out.get("japan-china-coordinated")   # Japan alone over the same days
        out["japan alone"] = run(ws, both.only("japan"), paths=paths, seed=seed, portfolio=book,
                                 horizon=None if joint is None else int(joint.horizon))
        end = getattr(ws.source, "known_by", None)
        first = next(iter(out.values()), None)
        notes = [freshness_note(None if first is None else first.market.info.get("as_of"),
                                simulated=ws.simulated, end=end),
                 closes_after_note(ws, list(fit.market.assets), end=end),
                 holdings_note(ws, [r.scenario for r in out.values()], end=end)]
        return PresetSet(out, book, fit.holdings_label, paths, seed, left_out,
                         tuple(n for n in notes if n), left_out_why(ws, fit, left_out))

    return ws.memo(("scenario:presets", paths, seed), go)
