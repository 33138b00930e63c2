"""Spillover as the product shows it: rates and the dollar into crypto, one standard setup.

Rolling Diebold & Yilmaz (2012) connectedness — VAR(:data:`LAGS`), generalized FEVD at
:data:`HORIZON`, windows of :data:`WINDOW` rows — of daily changes of :data:`ASSETS`, with the
block aggregation of Greenwood-Nimmo, Nguyen & Shin (2015) for the headline: the net spillover
from the rates + dollar block to the crypto block.

The headline is measured on **synchronous** data (:data:`SAMPLING`: non-overlapping two-day
changes, :func:`~spillwatch.analytics.connectedness.spillover_headline`): a Binance daily close
(00:00 UTC) is three hours after the New York close and seven after the noon dollar rate (H.10),
and on daily data a VAR reads that offset
as directional spillover (crypto's move of day *t* correlates with the dollar's of *t + 1*).
The daily value is shown beside it, with the difference. The CLI ``spillover`` command, the
report, the dashboard and the monitor's ``spillover.*`` facts all read :func:`spillover`.
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from spillwatch import universe
from spillwatch._changes import still_run
from spillwatch._compat.warns import catch_warnings
from spillwatch._results import ResultBase, jsonable
from spillwatch.analytics.connectedness import (
    CRYPTO,
    RATES_DOLLAR,
    connectedness,
    default_groups,
    merge_incomplete_rows,
    sampling_of,
    spillover_headline,
)
from spillwatch.exceptions import (
    ConfigError,
    DataError,
    SingularWindowWarning,
    SpillwatchError,
)
from spillwatch.service import defaults
from spillwatch.service._today import behind_today, end_option, reference_day
from spillwatch.service.workspace import Workspace

#: Rates, the dollar and crypto: the blocks of the headline.
ASSETS: tuple[str, ...] = defaults.SPILLOVER_ASSETS
WINDOW, LAGS, HORIZON = (defaults.SPILLOVER_WINDOW, defaults.SPILLOVER_LAGS,
                         defaults.SPILLOVER_HORIZON)
#: Rolling window of the synchronous (two-day) headline, in two-day rows, at the default
#: daily :data:`WINDOW`; another ``window`` scales it in proportion.
SYNC_WINDOW = 150
MODEL = defaults.SPILLOVER_MODEL
#: The synchronous setting of the headline.
SAMPLING = "two_day"
#: Trading days of readings the alert facts rank today's headline against (one year: 252
#: daily readings, 126 two-day ones; :func:`history_readings`). Counted in readings: 126
#: two-day readings span 240-244 trading days, a holiday's one-day block being one of them.
HISTORY = 252
#: Regression rows per coefficient of an equation that every window must keep (a 6-variable
#: VAR(2) has 13 per equation: 41 rows at least).
ROWS_PER_COEFFICIENT = 3


def history_readings(sampling: str) -> int:
    """Readings of ``sampling`` in :data:`HISTORY` trading days (126 two-day readings)."""
    return max(2, HISTORY // sampling_of(sampling).step_bdays)


def min_history_readings(sampling: str) -> int:
    """Past readings the headline's one-year percentile and 95th point need: half a year's.

    With TRUMP in the assets the window ran from 2025 and ranked today among 33 readings,
    printed as a one-year percentile of 1.0.
    """
    return max(1, history_readings(sampling) // 2)


def min_window(series: int, lags: int) -> int:
    """Rows a window of a VAR(``lags``) on ``series`` series needs.

    :data:`ROWS_PER_COEFFICIENT` regression rows per coefficient of an equation, plus the lags.
    """
    return ROWS_PER_COEFFICIENT * (series * lags + 1) + lags


@dataclass(frozen=True, repr=False)
class SpilloverReport(ResultBase):
    """The rolling connectedness of the standard setup and its headline.

    Attributes
    ----------
    rolling : RollingConnectednessResult
        Every window (or TVP-VAR date).
    settings : dict
        Assets, window, lags, horizon, model.
    notes : list of str
        Windows left blank and why.
    """

    rolling: Any
    settings: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    sync: Any = None
    title: str = field(default="spillover: rates and the dollar into crypto", init=False)

    def __post_init__(self) -> None:
        if not self.has_headline:   # named assets of one side: no 'into crypto' to speak of
            object.__setattr__(self, "title", "spillover: connectedness of "
                               + ", ".join(self.settings["assets"]))

    @cached_property
    def blocks(self) -> Any:
        """The block aggregation (rates + dollar, crypto)."""
        return self.rolling.blocks()

    @property
    def has_headline(self) -> bool:
        """Whether both blocks are present."""
        return {"rates_dollar", "crypto"} <= set(self.blocks.names)

    @cached_property
    def daily_headline(self) -> pd.Series:
        """Net spillover from rates + dollar to crypto on daily data, by window end (pp)."""
        if not self.has_headline:
            # dated, as the others are: a RangeIndex compared with the TVP-VAR's first date
            # (``summary_dict``) raised a bare TypeError (`spillover --assets btc,eth --model tvp`)
            return pd.Series(dtype=float, name="net_rates_dollar_to_crypto",
                             index=pd.DatetimeIndex([], name=self.rolling.tci.index.name))
        return pd.Series(self.blocks.headline, name="net_rates_dollar_to_crypto").dropna()

    @cached_property
    def headline(self) -> pd.Series:
        """The headline series: synchronous when available, else daily (pp)."""
        if self.sync is not None:
            return self.sync.synchronous.dropna().rename("net_rates_dollar_to_crypto")
        return self.daily_headline

    @cached_property
    def latest(self) -> Any:
        """The connectedness table of the latest window."""
        return self.rolling.at()

    @property
    def burn_in(self) -> int:
        """Leading readings left out of the means: the TVP-VAR's prior rows (else 0)."""
        return int(getattr(self.rolling, "burn_in", 0))

    def summary_dict(self) -> dict[str, Any]:
        """The headline numbers every interface shows.

        The means and the share of readings leave out the TVP-VAR's first ``prior_window``
        readings: its prior was fitted on those rows (in sample), and they read the prior more
        than the data (a TCI mean of 41.2 with them, 41.9 without, on the real data).
        """
        tci = self.rolling.tci.dropna()
        cut = self.burn_in
        first = self.rolling.dates[cut - 1] if cut else None
        tci_m = tci if first is None else tci.loc[tci.index > first]
        out: dict[str, Any] = {
            "as_of": self.latest.date.date().isoformat() if self.latest.date is not None
            else None,
            **{k: self.settings[k] for k in ("window", "lags", "horizon", "model")},
            "assets": list(self.settings["assets"]),
            "tci": float(tci.iloc[-1]) if len(tci) else None,
            "tci_mean": float(tci_m.mean()) if len(tci_m) else None,
        }
        if cut:
            out["prior_window"] = self.settings.get("prior_window")
            out["readings_in_means"] = len(tci_m)
        h = self.headline
        h_m = h if first is None else h.loc[h.index > first]
        if len(h):
            out.update({
                "sampling": self.sync.sampling if self.sync is not None else "daily",
                # the headline's own window, in readings of its sampling (``window`` is the
                # daily one)
                "headline_window": (int(self.sync.spec.window) if self.sync is not None
                                    else self.settings["window"]),
                "headline_date": h.index[-1].date().isoformat(),
                "net_rates_dollar_to_crypto": float(h.iloc[-1]),
                "net_rates_dollar_to_crypto_mean": float(h_m.mean()),
                "share_of_readings_crypto_receives": float((h_m > 0).mean()),
            })
            d = self.daily_headline
            if self.sync is not None and len(d):
                # the daily reading on the headline's own date (the daily series may run a day
                # or two further), so that the difference is of the two numbers shown
                on = d.loc[:h.index[-1]]
                out["net_rates_dollar_to_crypto_daily"] = float(on.iloc[-1]) if len(on) \
                    else None
                out["net_rates_dollar_to_crypto_daily_date"] = (
                    on.index[-1].date().isoformat() if len(on) else None)
                out["synchronous_minus_daily"] = self.sync.latest["sensitivity"]
            # past readings the means read too: not the TVP-VAR's prior window (on a year of
            # data its year's percentile, 0.0, and p95 were over 244 readings, 199 of them
            # the prior's in-sample ones the means leave out)
            hist = h_m.iloc[-1 - history_readings(out["sampling"]):-1].to_numpy(dtype=float)
            out["net_rates_dollar_to_crypto_history_readings"] = len(hist)
            if len(hist) >= min_history_readings(out["sampling"]):
                out["net_rates_dollar_to_crypto_p95_252d"] = float(np.percentile(hist, 95))
                out["net_rates_dollar_to_crypto_pctile_252d"] = float(np.mean(
                    hist <= h.iloc[-1]))
        return out

    def timeseries(self) -> pd.DataFrame:
        """One row per date: TCI, corrected TCI, the headline (if both blocks), NET per series."""
        frame = pd.DataFrame({"tci": self.rolling.tci,
                              "tci_corrected": self.rolling.tci_corrected})
        parts = [frame]
        if self.has_headline:
            # the headline as every other view shows it (two-day readings on their own dates,
            # blank between them), and the daily reading under its own name
            parts.append(self.headline.rename("net_rates_dollar_to_crypto").to_frame())
            if self.sync is not None:
                parts.append(pd.Series(self.blocks.headline,
                                       name="net_rates_dollar_to_crypto_daily").to_frame())
        out = pd.concat([*parts, self.rolling.net.add_prefix("net_")], axis=1)
        out.index.name = frame.index.name or "date"
        return out

    def table(self) -> pd.DataFrame:
        """The latest window's DY table."""
        return self.latest.table()

    def to_dict(self) -> dict[str, Any]:
        blocks = self.blocks.to_dict()
        # the block series here is on daily changes; the summary's net_rates_dollar_to_crypto is
        # the two-day headline: one key, two definitions, read 2.19 beside 0.59 (as --out names
        # its columns)
        if "net_rates_dollar_to_crypto" in blocks:
            blocks["net_rates_dollar_to_crypto_daily"] = blocks.pop("net_rates_dollar_to_crypto")
        return {"title": self.title, "summary": jsonable(self.summary_dict()),
                "headline": None if self.sync is None else self.sync.to_dict(),
                "spillover": self.rolling.to_dict(), "blocks": blocks,
                "notes": list(self.notes)}

    def _summary_lines(self) -> list[str]:
        s = self.summary_dict()
        how = (f"Bayes prior on the first {self.burn_in} days" if self.burn_in
               else f"window {self.settings['window']} days")
        lines = [f"{self.title} — as of {s['as_of']}: TCI {s['tci']:.1f}% "
                 f"(mean {s['tci_mean']:.1f}%), {self.settings['model'].upper()}"
                 f"({self.settings['lags']}), H={self.settings['horizon']} days, {how} "
                 "(daily changes)"]
        if "net_rates_dollar_to_crypto" in s:
            step = sampling_of(s["sampling"]).step_bdays
            setup = ""
            if self.sync is not None and step > 1:
                spec = self.sync.spec
                setup = (f", window {spec.window} readings = {spec.window * step} days, "
                         f"H={spec.horizon} steps = {spec.horizon * step} days, "
                         f"{spec.lags} lags = {spec.lags * step} days")
            lines.append(f"net spillover rates + dollar -> crypto "
                         f"{s['net_rates_dollar_to_crypto']:+.2f} pp on {s['headline_date']} "
                         f"({s['sampling'].replace('_', '-')} changes{setup}; mean "
                         f"{s['net_rates_dollar_to_crypto_mean']:+.2f} pp; > 0: crypto "
                         "receives)")
        if self.sync is not None:
            lines.append(str(self.sync))
        lines += [str(self.rolling), str(self.blocks)]
        if s.get("net_rates_dollar_to_crypto_daily") is not None:
            # two numbers of one name, a few lines apart: say which is the headline
            lines.append(f"(the block table is on daily changes, not the two-day headline "
                         f"above; on the headline's date its net reading was "
                         f"{s['net_rates_dollar_to_crypto_daily']:+.2f} pp, "
                         f"`net_rates_dollar_to_crypto_daily`, dated "
                         f"{s['net_rates_dollar_to_crypto_daily_date']})")
        return [*lines, *self.notes]


def sync_window(window: int) -> int:
    """Two-day rows of the synchronous headline's window for a daily ``window`` of rows."""
    return SYNC_WINDOW if window == WINDOW else max(1, round(window * SYNC_WINDOW / WINDOW))


def _smallest_sync_window(window: int, need: int) -> int:
    """The smallest daily window from ``window`` on whose synchronous window has ``need`` rows.

    Searched from a lower bound solved from :func:`sync_window` (``round(w * 150 / 200) >=
    need`` needs ``w >= (need - 1/2) * 200 / 150``): a search from ``window`` up ran for ever
    on ``--window 1000000000000 --lags 128571428571``.
    """
    w = max(window, (2 * need - 1) * WINDOW // (2 * SYNC_WINDOW) - 1)
    while sync_window(w) < need:
        w += 1
    return w


def stale_after_days() -> int:
    """Days after which a spillover reading is stale: its slowest input's limit.

    A window needs every input, so the freshest reading is as old as the slowest publication
    (the broad dollar's H.10 comes out weekly: 13 days), not the 10-year's 6.
    """
    return max(universe.ASSETS[k].timing.stale_after_days for k in ASSETS)


def _series_limit(column: str, panel: pd.DataFrame) -> int:
    """Staleness limit in days of a change column's asset (a watch-list one or the user's)."""
    asset = universe.watchlist_asset_of_column(column)
    if asset is None:
        extra = panel.attrs.get("assets") or {}
        asset = next((a for a in extra.values() if a.change_column == column), None)
    return asset.timing.stale_after_days if asset is not None else stale_after_days()


def freshness_note(as_of: object, *, simulated: bool, today: dt.date | None = None,
                   end: object = None, frozen: list[str] | None = None) -> str | None:
    """The note when the latest spillover window is older than :func:`stale_after_days`.

    Before today, or before ``end`` when one was asked for. ``frozen``: the series still over
    a whole window (:func:`frozen_columns`), which leave every later window singular: newer
    data give no newer reading while they are in, so the note says to leave them out.
    """
    one = frozen is not None and len(frozen) == 1
    advice = (f"{', '.join(frozen)} {'has' if one else 'have'} not moved over a whole window "
              f"(a frozen feed?): leave {'it' if one else 'them'} out for a later reading"
              if frozen else "import or fetch newer data")
    return behind_today(as_of, simulated=simulated, today=today, end=end,
                        limit_days=stale_after_days(), what="the latest spillover window",
                        advice=advice)


def frozen_columns(rolling: Any) -> list[str]:
    """The series whose last changes, a whole window of them or more, are all zero.

    Each window ending inside such a run has a singular design and is left blank, so the
    latest reading is the last window before it (a fund of the user's frozen for 218 days read
    months old). ``[]`` for the TVP-VAR, which has no window.
    """
    window = getattr(rolling, "window", None)
    if window is None:
        return []
    return [str(c) for c in rolling.data.columns if still_run(rolling.data[c])[0] >= window]


#: How the note naming the series that stops every window begins (the cards find it by it).
WINDOWS_END = "every window ends by"


def stale_note(report: SpilloverReport, *, simulated: bool, today: dt.date | None = None,
               end: object = None) -> str | None:
    """The note of a latest window older than the evening, with why: one for every surface.

    :func:`freshness_note` and, a line below it, the series that stops every window (the
    note of ``spillover`` that begins :data:`WINDOWS_END`): the dashboard's two spillover
    cards and the headline said "the last reading the data allow by then" alone (--as-of
    2026-07-15: 201 days behind, with no word that the broad dollar stops on 2025-12-26),
    which `spillover` says beside it. None when the window is the evening's.
    """
    note = freshness_note(getattr(report.latest, "date", None), simulated=simulated,
                          today=today, end=end, frozen=frozen_columns(report.rolling))
    if not note:
        return None
    why = next((n for n in report.notes if n.startswith(WINDOWS_END)), None)
    return f"{note}\n{why}" if why else note


def noted_figures(report: SpilloverReport, *, simulated: bool) -> tuple[Any, Any]:
    """The net and network charts, each with :func:`stale_note` under it when there is one.

    One drawing for the dashboard's two cards and the report's section: the report drew
    them without a word of a window 238 days old (`report --as-of 2026-08-21`), where the
    cards (the same figures) said it.
    """
    from spillwatch.plotting import spillover as figs
    from spillwatch.plotting.style import note_below

    net = figs.net_figure(report, simulated=simulated)
    network = figs.network_figure(report.latest, simulated=simulated)
    note = stale_note(report, simulated=simulated)
    if not note:
        return net, network
    # under the net chart's date ticks and legend (the network has neither)
    return (note_below(net, note, under_axis_title=True, legend_rows=1),
            note_below(network, note, under_axis_title=False, legend_rows=0))


#: How the note on crypto's closes after the table's last day begins.
CRYPTO_AFTER = "crypto closed after the table's last day"


def crypto_after_note(ws: Workspace, panel: pd.DataFrame, day: object, *,
                      end: object = None, today: dt.date | None = None) -> str | None:
    """The note naming an every-day market's closes after the latest table's day.

    A window needs a change of every series, so the latest table ends on the last day all of
    them reported: on a weekday evening that is usually the Friday before, the broad dollar
    and the yen (H.10) coming out the next Monday. The evening of 2024-08-05 (the yen carry
    unwind) read the table of 2024-08-02 without a word that bitcoin had closed 12.2% lower
    and ether 19.1% lower by then (`stress` and `risk` of that evening read those closes).
    The note gives each coin's move since the table day's close, up to ``end`` (else today),
    and the series whose changes stop on that day. None on the simulated market, when no coin
    closed after the day, or when the table is older than :func:`stale_after_days` (its
    freshness note speaks: months of a coin after a stopped series are no evening's news).
    """
    if ws.simulated or day is None:
        return None
    last = pd.Timestamp(str(day))
    _, ref = reference_day(today, end)
    if (ref - last.date()).days > stale_after_days():
        return None
    moves, stop = [], []
    for c in panel.columns:
        asset = universe.watchlist_asset_of_column(str(c))
        if asset is None or asset.calendar != "every_day":
            if panel[c].last_valid_index() == last:
                stop.append(str(c))
            continue
        s = ws.series_of(asset.key)
        if s is None:
            continue
        s = s.dropna()
        after = s.loc[(s.index > last) & (s.index <= pd.Timestamp(ref))]
        if not len(after) or last not in s.index:
            continue
        move = 100.0 * (float(after.iloc[-1]) / float(s.loc[last]) - 1.0)
        moves.append(f"{asset.key} {move:+.1f}% to {after.index[-1]:%Y-%m-%d}")
    if not moves:
        return None
    return (f"{CRYPTO_AFTER}, {last:%Y-%m-%d}: " + ", ".join(moves)
            + f" (from the close of {last:%Y-%m-%d}); a later table takes them in, once "
            + (f"{', '.join(stop)} {'has' if len(stop) == 1 else 'have'} a later change"
               if stop else "every series has a later change"))


def _change_column(panel: pd.DataFrame, key: str) -> str:
    """The change column of ``key`` in ``panel`` (a watch-list asset or a user's series)."""
    try:
        return universe.resolve(key, panel.attrs.get("assets")).change_column
    except SpillwatchError:
        return ""


def _first_row_spans(whole: pd.DataFrame, cut: pd.DataFrame) -> pd.DataFrame:
    """``cut`` (the changes from ``--start``) with the missed days before it in its first row.

    The moves of the days just before ``--start`` that the whole history's merge adds to the
    first complete row are added to it.

    A day one market missed joins the next complete row (:func:`merge_incomplete_rows`); cut
    at ``--start`` first, the missed day before it was lost and the first row's changes ran
    from different closes: ``--start 2022-01-03`` read bitcoin from 2021-12-31 beside the
    dollar and the yen from 12-30 (H.10 has no 12-31). Every other row is kept as it is.
    """
    if not len(cut):
        return cut
    mine = merge_incomplete_rows(cut)
    theirs = merge_incomplete_rows(whole)
    if not len(mine) or mine.index[0] not in theirs.index:
        return cut
    first = mine.index[0]
    missed = theirs.loc[first, cut.columns] - mine.loc[first]
    if not (missed.notna().all() and missed.any()):
        return cut
    out = cut.copy()
    out.loc[first] = out.loc[first] + missed
    out.attrs = dict(cut.attrs)
    return out


def spillover(ws: Workspace, *, assets: tuple[str, ...] | None = None, window: int = WINDOW,
              lags: int = LAGS, horizon: int = HORIZON, model: str = MODEL,
              start: object = None, end: object = None) -> SpilloverReport:
    """The rolling connectedness and its headline (computed once per workspace and setup).

    Parameters
    ----------
    ws : Workspace
    assets : tuple of str, optional
        Asset keys; default :data:`ASSETS` (those the data hold). Named assets must exist.
    window, lags, horizon : int
    model : {"var", "tvp"}
    start, end : date-like, optional

    Raises
    ------
    DataError
        Fewer than two of the assets are held.
    """
    explicit = assets is not None
    keys = tuple(assets) if assets is not None else ASSETS
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:   # it ran on the series once, without a word (the API refused it)
        raise ConfigError(f"--assets lists {', '.join(twice)} more than once; give each once",
                          parameter="assets", value=",".join(keys))
    if explicit and len(keys) == 1:
        # it read "of the assets asked for, <store> holds only ust10y_bp": a column's name, and
        # as if the store lacked the others
        raise ConfigError(f"--assets names one asset ({keys[0]}); spillover measures what "
                          "moves between two or more: give at least two",
                          parameter="assets", value=keys[0])
    tvp = model.lower() in ("tvp", "tvp-var")
    settings = {"assets": keys, "window": None if tvp else window, "lags": lags,
                "horizon": horizon, "model": "tvp" if tvp else model.lower(),
                # the TVP-VAR's window is its Bayes prior's training rows (R's window.size)
                "prior_window": window if tvp else None}

    def run() -> SpilloverReport:
        if not explicit:  # the product's question needs both sides (the monitor says so too)
            have = ws.have(list(keys))
            crypto = [k for k in have if universe.ASSETS[k].block == universe.AssetBlock.CRYPTO]
            if not crypto or len(crypto) == len(have):
                absent = (["btc", "eth"] if not crypto else
                          ["ust2y", "ust10y", "usd_broad", "usdjpy"])
                side = (f"no crypto series ({', '.join(absent)})" if not crypto else
                        f"no rates or dollar series ({', '.join(absent)})")
                # on a past evening, whether the store holds them from later on (2008-09-15
                # said "holds no crypto series" of a store whose bitcoin begins in 2018)
                later = ws.begins_later(absent)
                raise DataError(f"the spillover from rates and the dollar into crypto needs "
                                f"both blocks; {ws.label} holds {side}"
                                + (f": {later}" if later else "") + ". Name the assets "
                                "(--assets) for the connectedness of what it holds")
        if explicit:
            ws.require_daily(keys, "connectedness (a VAR on daily changes)", start=start,
                             end=end)
        panel = ws.panel(keys, transform="changes", start=start, end=end, explicit=explicit)
        if start is not None:
            panel = _first_row_spans(ws.panel(keys, transform="changes", end=end,
                                              explicit=explicit), panel)
        if panel.shape[1] < 2:
            raise DataError(f"spillover needs at least two series; of the assets asked for, "
                            f"{ws.label} holds only {', '.join(panel.columns)}")
        k = panel.shape[1]
        need = min_window(k, lags)
        if not tvp and window < need:
            raise ConfigError(f"--window {window} is too short for {k} series "
                              f"and {lags} lags: each window needs at least {need} rows "
                              f"({ROWS_PER_COEFFICIENT} regression rows per coefficient of "
                              "an equation)", parameter="window", value=window)
        if tvp and window < need:
            # the Bayes prior's OLS on its training rows: with --lags 30 and six series, 181
            # coefficients an equation on 140 rows (rank-deficient) printed a TCI with exit 0
            # the most lags the window fits, solved (min_window rises with p): a loop over
            # range(1, lags) ran for ever on --lags 99999999999999999999
            most = max(0, min(lags - 1, (window - ROWS_PER_COEFFICIENT)
                              // (ROWS_PER_COEFFICIENT * k + 1)))
            raise ConfigError(f"--window {window} is too short for the TVP-VAR's Bayes prior "
                              f"with {k} series and {lags} lags: it is fitted on the first "
                              f"--window rows, which need at least {need} "
                              f"({ROWS_PER_COEFFICIENT} regression rows per coefficient of an "
                              f"equation); use --window {need} or more"
                              + (f", or --lags {most} or fewer" if most else ""),
                              parameter="window", value=window)
        both_blocks = {RATES_DOLLAR, CRYPTO} <= set(default_groups([str(c) for c in
                                                                     panel.columns]))
        if not tvp and both_blocks and sync_window(window) < need:
            low = _smallest_sync_window(window, need)
            raise ConfigError(
                f"--window {window} gives the {SAMPLING.replace('_', '-')} headline a window "
                f"of {sync_window(window)} readings, fewer than the {need} its VAR needs "
                f"({ROWS_PER_COEFFICIENT} regression rows per coefficient of an equation); "
                f"use --window {low} or more", parameter="window", value=window)
        # a day one market missed (a holiday) joins the next day's changes (the VAR would
        # otherwise drop it and pair a two-day change with one-day ones)
        daily = merge_incomplete_rows(panel)
        # the TVP-VAR's means leave out the prior's rows: one more row is needed for one
        if len(daily) < window + (1 if tvp else 0):
            starts = {str(c): panel[c].first_valid_index() for c in panel.columns}
            # ties broken by each series' own first date: the panel may start where they all
            # do, and the first column was named (btc "starts on 2025-08-07" beside an own
            # series of 150 days)
            own_first: dict[str, pd.Timestamp] = {}
            for key in keys:   # not ``k``: the message below says "with {k} series"
                col = _change_column(panel, key)
                own = ws.series_of(key) if col in starts else None
                if own is not None and len(own.dropna()):
                    own_first[col] = pd.Timestamp(own.dropna().index[0])
            late = max(starts, key=lambda c: (starts[c] or pd.Timestamp.max,
                                              own_first.get(c, pd.Timestamp.min)))
            since = ("has no change" if starts[late] is None
                     else f"starts on {starts[late]:%Y-%m-%d}")
            # the option the user gave: an evening's data (--as-of) is not a cut (--end)
            upto = ("as published by --as-of" if end_option(ws.source, end) == "--as-of"
                    else "up to --end")
            # a vintage read without an --end (the report and the dashboard of a past
            # evening) says the evening too: "there are 0" read of the whole store
            known_by = getattr(ws.source, "known_by", None)
            cut = (f" from --start {pd.Timestamp(start):%Y-%m-%d}" if start is not None
                   else "") + (f" {upto} {pd.Timestamp(end):%Y-%m-%d}" if end is not None
                               else f" as published by {pd.Timestamp(known_by):%Y-%m-%d}"
                               if known_by is not None else "")
            what = (f"the TVP-VAR's Bayes prior is fitted on the first {window} days "
                    f"(--window; at least {need} with {k} series and {lags} lags), and a "
                    "reading after them needs one more: days"
                    if tvp else f"spillover needs {window} days")
            raise DataError(f"{what} on which all of "
                            f"{', '.join(map(str, panel.columns))} have a change{cut}; there "
                            f"are {len(daily)} ({late} {since})")
        held = dict(settings, assets=tuple(str(c) for c in panel.columns))
        sync = None
        sync_note = ""
        with catch_warnings(record=True) as caught:
            warnings.simplefilter("always", SingularWindowWarning)
            if tvp:
                roll = connectedness(daily, lags=lags, horizon=horizon, model="tvp",
                                     prior_window=window)
            else:
                roll = connectedness(daily, lags=lags, horizon=horizon, model=model,
                                     window=window, on_singular="nan")
                if both_blocks:
                    try:
                        sync = spillover_headline(panel, sampling=SAMPLING,
                                                  window=sync_window(window),
                                                  daily_window=window, lags=lags,
                                                  horizon=horizon)
                    except SpillwatchError as exc:
                        sync_note = (f"synchronous headline not computed ({exc.message}); the "
                                     "daily value is shown")
        # the latest window's end behind today (or behind the --end asked for)
        tci = roll.tci.dropna()
        frozen = frozen_columns(roll)
        notes = [sync_note, freshness_note(tci.index[-1] if len(tci) else None,
                                           simulated=ws.simulated, end=end, frozen=frozen),
                 crypto_after_note(ws, panel, tci.index[-1] if len(tci) else None, end=end)]
        if not explicit:   # an asset the data lack changes every share: name it
            lacking = [k for k in keys if universe.ASSETS[k].change_column not in panel.columns]
            if lacking:
                # and when the store's figures begin, as risk's note says (a past evening)
                later = ws.begins_later(lacking, advice=False)
                notes.append(f"without {', '.join(lacking)} ({ws.label} holds no data of "
                             f"{'it' if len(lacking) == 1 else 'them'}"
                             + (f"; {later}" if later else "") + "): the table and the "
                             + f"headline are over {k} series, not {len(keys)}, and do not "
                             "compare with a reading over all of them")
            # a coin the data hold beside the standard set's is not in "crypto": say so (the
            # README and the report speak of BTC, ETH and TRUMP; the headline is BTC's and
            # ETH's without a word of TRUMP's absence)
            # (one that begins after the window's end, TRUMP to --end 2024-06-03, is not)
            began: dict[str, pd.Timestamp] = {}
            for a in ws.have([k for k, v in universe.ASSETS.items()
                              if v.block == universe.AssetBlock.CRYPTO and k not in keys]):
                own = ws.series_of(a)
                own = own.dropna() if own is not None else None
                if own is not None and len(own) and own.index[0] <= panel.index[-1]:
                    began[a] = pd.Timestamp(own.index[0])
            outside = list(began)
            if outside:
                held_in = [k for k in keys if universe.ASSETS[k].block ==
                           universe.AssetBlock.CRYPTO and
                           universe.ASSETS[k].change_column in panel.columns]
                begun = [f"{a} (from {began[a]:%Y-%m-%d})" for a in outside]
                one = len(outside) == 1
                notes.append(
                    f"crypto here is {', '.join(held_in)}: {', '.join(begun)} "
                    f"{'is' if one else 'are'} not in the standard set (with "
                    f"{'it' if one else 'them'}, every window would start where "
                    f"{'it begins' if one else 'they begin'}); --assets "
                    f"{','.join([*keys, *outside])} measures "
                    f"{'it' if one else 'them'} over that shorter span")
        if explicit:
            notes += ws.gap_notes(keys, start=start, end=end, what="the VAR")
        # a series that stops early ends every window with it: say which (an own coin that
        # stopped in June 2024 put "as of 2024-06-28" on the whole table without a name)
        lasts = {str(c): panel[c].last_valid_index() for c in panel.columns}
        lasts = {c: d for c, d in lasts.items() if d is not None}
        if lasts:
            first_end = min(lasts.values())
            newest = max(lasts.values())
            short = [c for c, d in lasts.items() if d == first_end]
            # each by its own staleness limit (an own fund's 6 days, not the broad dollar's
            # 13: a fund stopped 7 days before the others ended every window unnamed)
            if (newest - first_end).days > min(_series_limit(c, panel) for c in short):
                # what leaving them out would buy: the next series to stop, not the newest
                # ("the other series run to 2026-07-22" when BTC stopped a week later)
                rest = sorted({d for d in lasts.values() if d > first_end})
                nxt = [c for c, d in lasts.items() if d == rest[0]]
                then = (f"the next to stop, {', '.join(nxt)}, run{'s' if len(nxt) == 1 else ''}"
                        f" to {rest[0]:%Y-%m-%d}" + (f"; the newest to {newest:%Y-%m-%d}"
                                                      if rest[0] != newest else ""))
                notes.append(f"{WINDOWS_END} {first_end:%Y-%m-%d}, where "
                             f"{', '.join(short)} stop{'s' if len(short) == 1 else ''} ("
                             f"{then})"
                             + (f": leave {'it' if len(short) == 1 else 'them'} out for a "
                                "later reading" if explicit else ""))
        # ... and one that starts late starts every window with it (TRUMP, from 2025-01-22,
        # cut the rates' and bitcoin's 1,785 windows to 34 without a word, under the same
        # tci_mean and net_mean keys). Said for the latest starters whose absence would gain
        # a year, when one is of the user's or its block has an older member (bitcoin and
        # ether starting the standard setup in 2018 are the crypto side's own history)
        firsts = {str(c): panel[c].first_valid_index() for c in panel.columns}
        firsts = {c: d for c, d in firsts.items() if d is not None}
        # the latest starters, taken while leaving them out would not yet gain a year
        begins = sorted(set(firsts.values()), reverse=True)
        cut_at = next((i for i in range(len(begins) - 1)
                       if (begins[i] - begins[i + 1]).days > 365), None)
        named: list[str] = []
        open_from: pd.Timestamp | None = None
        if cut_at is not None:
            open_from = begins[cut_at + 1]
            latest = {c for c, d in firsts.items() if d >= begins[cut_at]}
            block = {c: getattr(universe.watchlist_asset_of_column(c), "block", None)
                     for c in firsts}
            if any(block[c] is None or any(block[o] == block[c] for o in firsts
                                           if o not in latest) for c in latest):
                # in the panel's order where they begin on one day (a set's order is its
                # strings' hashes: the note named btc and an own series in either order from
                # one run to the next)
                named = sorted((c for c in firsts if c in latest), key=lambda c: firsts[c])
        if named and open_from is not None:
            one = len(named) == 1
            notes.append(
                f"every window starts on or after {max(firsts.values()):%Y-%m-%d}, where "
                + ", ".join(f"{c} begins {firsts[c]:%Y-%m-%d}" for c in named)
                + f" (without {'it' if one else 'them'}, the windows could begin "
                f"{open_from:%Y-%m-%d}): the table and the means are over that span only"
                + (f"; leave {'it' if one else 'them'} out for the longer history"
                   if explicit else ""))
        if tvp:   # Antonakakis, Chatziantoniou & Gabauer (2020), as the R reference does it
            notes.append("TVP-VAR (as R's ConnectednessApproach): the series are demeaned "
                         "with whole-sample means, so adding data revises earlier values "
                         "slightly, and its prior does not scale with the data, so the "
                         "readings depend on the units (yields in bp, prices in log-%; "
                         "mostly in the first months); its Bayes prior is fitted on the "
                         f"first {window} rows (--window), which its first {window} readings "
                         "also filter: the means leave those readings out. The rolling VAR, "
                         "the default, never revises and does not depend on units")
        failures = getattr(roll, "failures", ())
        if len(failures) or caught:
            # a column still over a whole window makes it singular: a fund frozen for its last
            # 520 days left the reading 14 months old, said as "import or fetch newer data"
            moved = {c: still_run(roll.data[c])[1] for c in frozen}
            still = [f"{c} has not moved since {m:%Y-%m-%d}" if m is not None
                     else f"{c} never moves" for c, m in moved.items()]
            notes.append(f"{len(failures)} window(s) had a singular design and are left blank"
                         + (f": {'; '.join(still)} (a frozen feed?), so no window ending after "
                            f"{window} of its still days has a reading; leave it out for a "
                            "later reading" if still else ""))
        return SpilloverReport(roll, held, [n for n in notes if n], sync)

    return ws.memo(("spillover", keys, window, lags, horizon, settings["model"],
                    str(start), str(end)), run)


def history(ws: Workspace, rep: Any) -> pd.DataFrame:
    """``spillover --out``'s rows (:meth:`timeseries`), each with its ``known_on`` evening.

    A window ending on a date reads every series up to it, the H.10 dollar and yen included,
    published the following Monday: ``known_on`` is the first evening on which all of them
    were out (:meth:`Workspace.known_on`); a rule backtested on the rows should use each from
    then on. A series of the user's counts as published on its date. The TVP-VAR's rows
    have none (NaT): each is revised by later data (its Bayes prior is fitted on the first
    rows, which later readings also filter), so no evening of the past knew it.
    """
    frame = rep.timeseries()
    if rep.settings.get("model") == "tvp":
        known = pd.Series(pd.NaT, index=pd.DatetimeIndex(frame.index), dtype="datetime64[ns]")
        return pd.concat([known.rename("known_on"), frame], axis=1)
    # a series of the user's has no release rule to apply
    assets = [universe.watchlist_asset_of_column(str(c)) for c in rep.rolling.net.columns]
    keys = [a.key for a in assets if a is not None]
    known = ws.known_on(keys, pd.DatetimeIndex(frame.index))
    return pd.concat([known.rename("known_on"), frame], axis=1)
