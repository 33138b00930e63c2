r"""Quality checks on ingest: points that fail go to quarantine with their reason.

:func:`check` runs on every provider batch before it reaches the store (the CSV importer applies
the same point rules while parsing, see :mod:`spillwatch.data.providers.csvfile`, and the spike
rule against the store when it writes a file, :func:`import_spike_flags`):

* points without a usable timestamp (NaT, or before 1800): quarantined, never dropped;
* non-finite values;
* a 0 in a series whose publisher prints 0 for "not reported" (:data:`spillwatch.data.rules.
  ZERO_NOT_A_VALUE`, FRED's WMTSECL1 before July 2007);
* values at or below zero in a series whose catalog entry says ``positive`` (prices, FX rates);
  yields, spreads and stress indices may be negative;
* a publisher's rate, yield or spread in percent at or beyond ±100 (:data:`spillwatch.data.
  rules.PCT_LIMIT`: "1,234.5" read into a yield), and every value of a series in the batch when
  most are (a file in basis points);
* one timestamp twice in a series with different values (all versions quarantined; identical
  repeats are merged);
* time-zone mix-ups: time-zone-aware timestamps are converted to UTC first; a daily, weekly or
  monthly point not at 00:00 (a local-time stamp, or a UTC offset applied twice) and a point more
  than a day in the future are quarantined;
* spikes (bad ticks: a decimal slip, a unit change, a price from another market): a point whose
  change from the previous point **and** back to the next are both beyond ``SPIKE_K`` (25)
  volatility units in opposite directions (a jump that reverts at once), or, for the newest
  point with no next one, a change beyond ``EDGE_K`` (50) units; the same slip over several
  rows (:func:`_level_slips`): a run of up to ``PLATEAU_MAX`` (260) points a power of ten away
  (within ``UNIT_TOLERANCE`` in log10) from the points on both sides, entered and left by such
  jumps, or a level a power of ten away entered by a jump beyond ``EDGE_K`` and held to the last
  point (a file, or its part after the stored history, in cents or thousands); never across a
  gap of more than ``STEP_DAYS`` (5) calendar days. The bars are high on purpose:
  real crisis days (the S&P 500 on 2020-03-12/13, the yen in August 1971, a debt-ceiling bill
  spike) reach 10-20 units against a calm window and must be kept, while order-of-magnitude
  errors reach 50-100. A rate, yield or spread (first differences) is flagged only when the
  jump also changes its size by a factor of ``RESCALE`` (3) or more, or flips its sign, as a
  slipped decimal, basis points or a placeholder do: a funding squeeze is real (SOFR 2.43 →
  5.25 on 2019-09-17, 56 units against its calm month, and back the next day). The volatility
  unit is a robust scale of the preceding ``SPIKE_WINDOW`` changes, taken from the stored history
  and the batch: :math:`\hat\sigma = 1.4826\,\mathrm{MAD}` (Rousseeuw & Croux 1993; Hampel's
  identifier). Changes are log returns for positive series (prices, FX, indices) and first
  differences otherwise. Only daily prices and yields are checked: not weekly or monthly series
  (a holdings jump is often a real reclassification), not hourly bars (a flash crash that
  recovers within the hour is real), not bar highs and lows (wicks) nor volumes;
* a series in another unit than another source of its asset (:func:`sibling_unit_flags`, run
  by the importer against the store): the sources of one asset are spliced (the first wins on
  a date both have, the others fill its gaps), so a yield imported as a fraction (0.0425) beside
  the publisher's percent, or a price in cents beside one in dollars, would splice a hundredfold
  jump into the asset's changes. When on at least ``SIBLING_MIN_DAYS`` common dates the median
  ratio of the two is a power of ten (within ``UNIT_TOLERANCE`` in log10), or, for a price with
  fewer common dates, its ratio where the two meet (within ``STEP_DAYS``) is, the file's points
  of that series are quarantined and the stored source is kept;
* revisions that look like a unit change or a bad tick (:func:`revision_flags`, run by the
  importer and the fetcher against the store): a new value for a stored point that moves it by
  more than ``SPIKE_K`` robust sigmas of the series' stored changes **and** further from its
  stored neighbours than the stored value was (a yield re-imported in basis points over one in
  percent, a price with a slipped decimal); the stored value is kept. A correction of a stored
  bad tick moves the point closer to its neighbours and is stored;
* stale runs: the same value on ``STALE_N`` or more consecutive points of a daily or hourly price
  series (a frozen feed) dated within ``STALE_RECENT_DAYS`` of the fetch (older runs are the
  publisher's history: the yen's pegs); the repeats from the ``STALE_N``-th on are quarantined.
  Yields, spreads and stress indices are exempt (a rate at its floor legitimately repeats), and
  so are the price series of :data:`spillwatch.data.rules.REPEATS_ARE_VALUES` (the managed
  yuan).

Quarantined points of a provider batch carry, in ``line``, the point's Unix time in seconds
(a live payload has no stable line numbers), so that a point re-fetched and rejected again for the
same reason is recorded once; a point without a time carries minus its position in the batch.
Every point of a batch ends clean, quarantined or merged (an identical repeat): checked, an
:class:`~spillwatch.exceptions.AccountingError` otherwise.

References
----------
Rousseeuw, P. J. and Croux, C. (1993), "Alternatives to the median absolute deviation", *JASA*
88(424), 1273-1283 (the consistency factor 1.4826 of the MAD).
Brownlees, C. T. and Gallo, G. M. (2006), "Financial econometric analysis at ultra-high
frequency: data handling concerns", *CSDA* 51(4), 2232-2245 (outliers as jumps that revert,
judged against a local robust scale).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from spillwatch._compat.warns import catch_warnings
from spillwatch.data.providers.csvfile import QUARANTINE_COLUMNS, SeriesSpec, value_listing
from spillwatch.data.rules import (
    REPEATS_ARE_VALUES,
    ZERO_NOT_A_VALUE,
    pct_checked,
    pct_far,
    pct_reason,
)
from spillwatch.exceptions import AccountingError
from spillwatch.universe import ASSETS, is_percent

if TYPE_CHECKING:
    from spillwatch.store import Store


SPIKE_K = 25.0
EDGE_K = 50.0
SPIKE_WINDOW = 60
SPIKE_MIN_OBS = 20
STALE_N = 5
#: Days before the fetch within which a stale run is a frozen feed (older runs are history).
STALE_RECENT_DAYS = 30
RESCALE = 3.0
PLATEAU_MAX = 260
UNIT_SHIFT = 10.0
UNIT_TOLERANCE = 0.05
STEP_DAYS = 5
HISTORY_TAIL = 250
#: Common dates a series needs with another stored source of its asset before their units are
#: compared (:func:`sibling_unit_flags`).
SIBLING_MIN_DAYS = 5
_CHECKED_FREQ = ("daily", "hourly")
#: Timestamps before this are not real observation times (a year 0 from a broken payload).
EARLIEST = pd.Timestamp("1800-01-01")


def quarantine_rows(frame: pd.DataFrame, reason: str | list[str], source: str) -> pd.DataFrame:
    """Quarantine rows of provider points (``series_id, ts, value``), ``line`` their Unix time."""
    return _rows(frame, reason, source)


def _rows(frame: pd.DataFrame, reason: str | list[str], source: str) -> pd.DataFrame:
    ts = pd.to_datetime(frame["ts"])
    ok = ts.notna().to_numpy()
    secs = ts.where(ok, pd.Timestamp(0)).astype("datetime64[s]").astype("int64").to_numpy()
    # the point's Unix time (see _base.point_line); a point without a time gets minus its
    # position in the batch, so that each one keeps its own quarantine row
    pos = -(np.asarray(frame.index, dtype=np.int64) + 1)
    return pd.DataFrame({
        "series_id": frame["series_id"].to_numpy(),
        "source": source,
        "line": pd.array(np.where(ok, secs, pos), dtype="Int64"),
        "column": frame["series_id"].to_numpy(),
        "raw_date": [t.strftime("%Y-%m-%dT%H:%M:%S") if not pd.isna(t) else "" for t in ts],
        "raw_value": frame["value"].astype(str).to_numpy(),
        "reason": reason,
    })


@dataclass
class Checked:
    """What :func:`check_batch` did: clean points, quarantined points, merged repeats."""

    clean: pd.DataFrame
    quarantine: pd.DataFrame
    merged: int = 0


def check(observations: pd.DataFrame, specs: Sequence[SeriesSpec], *, source: str,
          store: Store | None = None, now: pd.Timestamp | None = None
          ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a batch into clean points and quarantined points (see :func:`check_batch`).

    Returns
    -------
    clean, quarantine : DataFrame, DataFrame
    """
    got = check_batch(observations, specs, source=source, store=store, now=now)
    return got.clean, got.quarantine


def _as_values(values: pd.Series) -> pd.Series:
    try:
        return pd.to_numeric(values, errors="coerce").astype("float64")
    except (TypeError, ValueError, OverflowError):
        out = []
        for v in values:
            try:
                out.append(float(v))
            except (TypeError, ValueError, OverflowError):
                out.append(np.nan)
        return pd.Series(out, index=values.index, dtype="float64")


def check_batch(observations: pd.DataFrame, specs: Sequence[SeriesSpec], *, source: str,
                store: Store | None = None, now: pd.Timestamp | None = None) -> Checked:
    """Split a batch into clean points, quarantined points and merged identical repeats.

    Every input row ends in exactly one of the three (checked: an
    :class:`~spillwatch.exceptions.AccountingError` otherwise); a row without a usable
    timestamp is quarantined, never dropped.

    Parameters
    ----------
    observations : DataFrame
        ``series_id, ts, value``.
    specs : sequence of SeriesSpec
        Catalog entries (their ``positive`` flag decides the sign rule).
    source : str
        Recorded with each quarantined point.
    store : Store, optional
        The store the batch goes to (its last points give the spike and stale checks their
        history).
    now : Timestamp, optional
        The current time (naive UTC) for the future-date rule; default the clock.

    Returns
    -------
    Checked
    """
    n_in = len(observations)
    obs = observations[["series_id", "ts", "value"]].copy()
    obs["ts"] = utc_naive(obs["ts"])
    obs["value"] = _as_values(obs["value"])
    positive = {s.series_id for s in specs if s.positive}
    parts: list[pd.DataFrame] = []

    no_ts = obs["ts"].isna().to_numpy()
    if no_ts.any():
        parts.append(_rows(obs[no_ts], "missing or unparseable timestamp", source))
    obs = obs[~no_ts]
    old = (obs["ts"] < EARLIEST).to_numpy()
    if old.any():
        parts.append(_rows(obs[old], f"timestamp before {EARLIEST.year} (not a real date)",
                           source))
    obs = obs[~old]

    bad = ~np.isfinite(obs["value"].to_numpy())
    if bad.any():
        parts.append(_rows(obs[bad], "non-numeric value", source))
    obs = obs[~bad]

    zero = obs["series_id"].isin(list(ZERO_NOT_A_VALUE)).to_numpy() & (
        obs["value"].to_numpy() == 0)
    if zero.any():
        parts.append(_rows(obs[zero], [ZERO_NOT_A_VALUE[s] for s in
                                       obs.loc[zero, "series_id"]], source))
    obs = obs[~zero]

    nonpos = obs["series_id"].isin(positive).to_numpy() & (obs["value"].to_numpy() <= 0)
    if nonpos.any():
        parts.append(_rows(obs[nonpos], [f"non-positive price {v:g}" for v in
                                         obs.loc[nonpos, "value"]], source))
    obs = obs[~nonpos]

    far = np.zeros(len(obs), dtype=bool)
    why = np.empty(len(obs), dtype=object)
    sids, vals = obs["series_id"].to_numpy(), obs["value"].to_numpy()
    for sid in {s.series_id for s in specs if pct_checked(s)}:
        mine = np.flatnonzero(sids == sid)
        held, most = pct_far(vals[mine])
        far[mine[held]] = True
        why[mine[held]] = [pct_reason(f"{v:g}", column=most) for v in vals[mine[held]]]
    if far.any():
        parts.append(_rows(obs[far], list(why[far]), source))
    obs = obs[~far]

    key = ["series_id", "ts"]
    nunique = obs.groupby(key)["value"].transform("nunique")
    conflict = nunique > 1
    if conflict.any():
        c = obs[conflict]
        allv = c.groupby(key)["value"].transform(lambda v: value_listing(v.to_numpy()))
        parts.append(_rows(c, [f"date twice with different values: {v:g} (all: {a})"
                               for v, a in zip(c["value"], allv, strict=True)], source))
    obs = obs[~conflict]
    before = len(obs)
    obs = obs.drop_duplicates(key)
    merged = before - len(obs)

    freq = {s.series_id: s.frequency for s in specs}
    ts = obs["ts"]
    hourly = obs["series_id"].map(lambda sid: freq.get(sid, "daily") == "hourly").to_numpy(bool)
    offmid = ~hourly & (ts != ts.dt.normalize()).to_numpy()
    if offmid.any():
        parts.append(_rows(obs[offmid], [
            f"time-zone mix-up: {t:%Y-%m-%d %H:%M} is not 00:00 UTC for a "
            f"{freq.get(sid, 'daily')} series" for sid, t in
            zip(obs.loc[offmid, "series_id"], obs.loc[offmid, "ts"], strict=True)], source))
    obs = obs[~offmid]
    limit = pd.Timestamp(now if now is not None else pd.Timestamp.now(tz="UTC").tz_localize(None))
    future = (obs["ts"] > limit + pd.Timedelta(days=1)).to_numpy()
    if future.any():
        parts.append(_rows(obs[future], "timestamp in the future (time-zone mix-up?)", source))
    obs = obs[~future]

    bad_idx: list[pd.Index] = []
    by_id = {s.series_id: s for s in specs}
    for sid, group in obs.groupby("series_id", sort=False):
        spec = by_id.get(str(sid))
        if spec is None or spec.frequency not in _CHECKED_FREQ:
            continue
        hist = _history(store, str(sid), group["ts"].min()) if store is not None else None
        # a frozen feed is one of now: the yen's Smithsonian rates of 1971-73 (301.11 on
        # seven days running), fetched back, were quarantined as one while the import of the
        # same history kept them (37 points; the stress regime differed on 16 days)
        flags = series_flags(group, hist, positive=spec.positive,
                             spikes=_spike_checked(spec),
                             stale=spec.positive and spec.series_id not in REPEATS_ARE_VALUES,
                             stale_since=limit - pd.Timedelta(days=STALE_RECENT_DAYS))
        for reason, idx in flags.items():
            parts.append(_rows(obs.loc[idx], reason, source))
            bad_idx.append(idx)
    if bad_idx:
        obs = obs.drop(index=pd.Index(np.concatenate([i.to_numpy() for i in bad_idx])).unique())

    quarantine = (pd.concat(parts, ignore_index=True) if parts
                  else pd.DataFrame(columns=QUARANTINE_COLUMNS))
    _account(source, n_in, obs, quarantine, merged)
    return Checked(obs.reset_index(drop=True), quarantine, merged)


def _account(source: str, n_in: int, clean: pd.DataFrame, quarantine: pd.DataFrame,
             merged: int) -> None:
    """Check that every one of ``n_in`` points ended clean, quarantined or merged.

    Raises
    ------
    AccountingError
        A point dropped without a quarantine row, or one counted twice.
    """
    if len(clean) + len(quarantine) + merged != n_in:
        raise AccountingError(
            f"{source}: quality checks got {n_in} point(s) but accounted for "
            f"{len(clean) + len(quarantine) + merged} ({len(clean)} clean, {len(quarantine)} "
            f"quarantined, {merged} merged); this is a bug, please report it")


def _spike_checked(spec: SeriesSpec) -> bool:
    """Whether a series gets the spike check (daily prices and yields only).

    Not bar highs and lows (wicks are spiky by nature), not volumes, not hourly bars (a flash
    crash that recovers within the hour is real).
    """
    if spec.frequency != "daily" or spec.series_id.endswith(("_high", "_low")):
        return False
    # a yield of the user's with unit "%" or "Percent" is in percent as "pct" is (the importer
    # and the asset read it so): it escaped the check, and a 10x typo was stored
    return spec.positive or is_percent(spec.unit)


def utc_naive(ts: pd.Series) -> pd.Series:
    """Timestamps as naive UTC: aware ones (or mixed offsets) are converted, naive ones kept.

    Values that are not timestamps (or are out of range) become NaT; they are never dropped here.
    """
    try:
        if isinstance(ts.dtype, pd.DatetimeTZDtype):
            out = ts.dt.tz_convert("UTC").dt.tz_localize(None)
        elif pd.api.types.is_datetime64_dtype(ts.dtype):
            out = ts
        else:
            # strings or Timestamps, possibly with different UTC offsets; naive ones are UTC
            out = pd.to_datetime(ts, utc=True, format="mixed", errors="coerce").dt.tz_localize(
                None)
        return out.astype("datetime64[us]")
    except (ValueError, TypeError, OverflowError):
        return pd.Series([_one_ts(v) for v in ts], index=ts.index, dtype="datetime64[us]")


def _one_ts(v: object) -> pd.Timestamp:
    try:
        t = pd.Timestamp(v)  # type: ignore[arg-type]
        if t.tzinfo is not None:
            t = t.tz_convert("UTC").tz_localize(None)
        return t
    except (ValueError, TypeError, OverflowError):
        return pd.NaT


def _history(store: Store, series_id: str, before: pd.Timestamp) -> pd.DataFrame:
    """The last stored points of a series before ``before`` (oldest first)."""
    return _tail(store.query, series_id, before)


def _tail(query: Any, series_id: str, before: pd.Timestamp) -> pd.DataFrame:
    """:func:`_history` through ``query(sql, params) -> DataFrame`` (a store or a transaction)."""
    frame = query("SELECT ts, value FROM observations WHERE series_id = ? AND ts < ? "
                  "ORDER BY ts DESC LIMIT ?",
                  [series_id, pd.Timestamp(before).to_pydatetime(), HISTORY_TAIL])
    return frame.iloc[::-1].reset_index(drop=True)


def rolling_mad_scale(c: np.ndarray, window: int = SPIKE_WINDOW,
                      min_obs: int = SPIKE_MIN_OBS, at: np.ndarray | None = None
                      ) -> np.ndarray:
    """Robust scale of the ``window`` values *before* each position (NaN with too few).

    ``out[k] = 1.4826 * median(|w - median(w)|)`` with ``w = c[k-window:k]`` (the MAD scaled to
    the standard deviation of a normal; Rousseeuw & Croux 1993), vectorised over sliding windows.
    With ``at`` (positions), only those are computed and the others are NaN.
    """
    m = len(c)
    out = np.full(m, np.nan)
    if m == 0:
        return out
    padded = np.concatenate([np.full(window, np.nan), np.asarray(c, dtype="float64")])
    wins = np.lib.stride_tricks.sliding_window_view(padded, window)[:m]
    pos = np.arange(m) if at is None else np.unique(np.asarray(at, dtype=np.int64))
    wins = wins[pos]
    finite = np.isfinite(wins).sum(axis=1)
    # full windows by np.median (a partition), the few with gaps by nanmedian (a masked sort,
    # 20x slower)
    for rows, median in ((finite == window, np.median),
                         ((finite >= min_obs) & (finite < window), np.nanmedian)):
        if rows.any():
            w = wins[rows]
            med = median(w, axis=1)
            out[pos[rows]] = 1.4826 * median(np.abs(w - med[:, None]), axis=1)
    return out


def _rescaled(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Whether a rate's move from ``before`` to ``after`` changes its size as a bad tick does.

    A slipped decimal, a point in basis points or in a fraction, or a placeholder changes a
    rate's magnitude by a factor of :data:`RESCALE` or more, or flips its sign; a market move,
    however violent, does not: SOFR went from 2.43 to 5.25 on 2019-09-17 (56 robust sigmas
    against its calm month, a factor of 2.2) and the 10-year from 0.54 to 0.76 in March 2020.
    """
    a, b = np.abs(before), np.abs(after)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.maximum(a, b) / np.minimum(a, b)
    return (np.sign(before) != np.sign(after)) | ~(ratio < RESCALE)


def _power_of_ten(a: np.ndarray | float, b: np.ndarray | float) -> np.ndarray:
    """Whether ``b`` is ``a`` times a power of ten (10, 100 … or their inverses).

    Within :data:`UNIT_TOLERANCE` in log10, as a value in another unit is (cents, thousands,
    percent as a fraction, basis points); a crash or a devaluation is not (LUNA's 15x, a peg's
    12x).
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        lg = np.abs(np.log10(np.abs(np.asarray(b, dtype=float)) /
                             np.abs(np.asarray(a, dtype=float))))
        return (lg >= 1 - UNIT_TOLERANCE) & (np.abs(lg - np.round(lg)) <= UNIT_TOLERANCE)


def _level_slips(x: np.ndarray, c: np.ndarray, floor: float, *, taken: np.ndarray,
                 days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Runs of points in another unit: the multi-point cases of the spike rule.

    A jump into point ``i`` beyond :data:`SPIKE_K` robust sigmas, over at most
    :data:`STEP_DAYS` calendar days (not across a gap), to a level a power of ten away
    (:func:`_power_of_ten`) starts a run. The run is a slip when a jump the other way, beyond
    :data:`SPIKE_K` sigmas, brings the level back within :data:`RESCALE` of the point before it
    within :data:`PLATEAU_MAX` points (a price in cents on a few rows); a shift when, entered
    beyond :data:`EDGE_K` sigmas, the level stays :data:`UNIT_SHIFT` times away or more to the
    last point (a file, or its part after the stored history, in cents or thousands). The jump
    out of a run, however long the run, starts none. A market move is neither: it returns
    gradually or not by one reversing jump, and a crash or a devaluation is not a power of ten
    (crisis days reach 10-20 sigmas; see the module's notes).

    Parameters
    ----------
    x, c : ndarray
        The points, and their changes (``c[k]``: from point ``k`` to ``k + 1``).
    floor : float
        The least robust scale of a change.
    taken : ndarray of bool
        Points the single-point rule already flagged.
    days : ndarray
        Calendar days each change spans.

    Returns
    -------
    (slip, shift) : boolean arrays over the points
    """
    n = len(x)
    slip = np.zeros(n, bool)
    shift = np.zeros(n, bool)
    with np.errstate(invalid="ignore"):
        ins = np.flatnonzero((np.abs(c) > SPIKE_K * floor) & (days <= STEP_DAYS))
    if ins.size == 0:
        return slip, shift
    scale = np.maximum(rolling_mad_scale(c, at=ins), floor)
    with np.errstate(invalid="ignore"):
        keep = (np.abs(c[ins]) / scale[ins] > SPIKE_K) & _power_of_ten(x[ins], x[ins + 1])
    exits: set[int] = set()
    for k in ins[keep]:
        if k in exits or taken[k] or taken[k + 1] or slip[k] or slip[k + 1] or shift[k + 1]:
            continue                       # a jump out of (or into) a point already judged
        base, s = x[k], scale[k]
        up = np.sign(c[k])
        for m in range(k + 1, n - 1):
            if not _rescaled(np.array([base]), np.array([x[m]]))[0]:
                break                      # the level came back gradually: a market move
            if (np.sign(c[m]) == -up and abs(c[m]) / s > SPIKE_K and days[m] <= STEP_DAYS
                    and not _rescaled(np.array([base]), np.array([x[m + 1]]))[0]):
                exits.add(m)               # the way back starts no run of its own
                if m - k <= PLATEAU_MAX:
                    slip[k + 1:m + 1] = True
                break
        else:
            run = x[k + 1:]
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = (np.abs(run) / abs(base)) if up > 0 else (abs(base) / np.abs(run))
            sign_kept = bool((np.sign(run) == np.sign(base)).all())
            if (abs(c[k]) / s > EDGE_K and sign_kept and bool((ratio >= UNIT_SHIFT).all())
                    and n - k - 1 >= 2):
                shift[k + 1:] = True
    return slip, shift


def series_flags(batch: pd.DataFrame, history: pd.DataFrame | None, *, positive: bool,
                 spikes: bool = True, stale: bool = True,
                 edge_rescale: bool = False,
                 stale_since: pd.Timestamp | None = None) -> dict[str, pd.Index]:
    """Spike and stale-run flags for one series' new points, judged with its stored history.

    Parameters
    ----------
    batch : DataFrame
        New points of one series (``ts, value``), any order, unique ``ts``.
    history : DataFrame or None
        Stored points before the batch (``ts, value``).
    positive : bool
        Log returns (True) or first differences (False) as changes; stale runs are looked for
        only in positive (price) series.
    spikes, stale : bool
        Which checks to run.
    edge_rescale : bool, default False
        The newest point of a price is flagged only if it also changes the level by a factor
        of :data:`RESCALE` (a file's history, where the newest row may be a real day of the
        past: the yen's -95 sigmas of 1973-02-13 against its pegged month); and a level shift
        held to the last point (:func:`_level_slips`) is flagged (a file's, not a provider
        batch's: its overlap with the store judges that, :func:`overlap_holds`).
    stale_since : Timestamp, optional
        Only repeats dated on or after it are stale (a frozen feed is one of now; a back-fill
        of a publisher's history holds real pegs).

    Returns
    -------
    dict
        Reason → index labels of ``batch`` to quarantine.
    """
    new = batch[["ts", "value"]].assign(_new=True, _label=batch.index)
    if history is not None and not history.empty:
        old = history[["ts", "value"]].assign(_new=False, _label=-1)
        old = old[~old["ts"].isin(new["ts"])]
        allp = pd.concat([old, new], ignore_index=True)
    else:
        allp = new.reset_index(drop=True)
    allp = allp.sort_values("ts", kind="stable", ignore_index=True)
    x = allp["value"].to_numpy(dtype="float64")
    is_new = allp["_new"].to_numpy(bool)
    labels = allp["_label"].to_numpy()
    out: dict[str, pd.Index] = {}
    n = len(x)
    if spikes and n > SPIKE_MIN_OBS + 1:
        with np.errstate(divide="ignore", invalid="ignore"):
            c = np.diff(np.log(x)) if positive and (x > 0).all() else np.diff(x)
        # a floor keeps pegged or floored stretches (MAD = 0) from flagging every small move:
        # 0.1 % a day for log changes, 5 units of 0.01 (5 bp for a yield in percent) otherwise
        floor = 1e-3 if positive else max(0.05, 1e-3 * float(np.nanmedian(np.abs(x))))
        # the scale is at least the floor, so only changes beyond SPIKE_K floors, in and back
        # out, can be spikes: the robust scale is computed there (and for the newest point)
        with np.errstate(invalid="ignore"):
            big = np.abs(c) > SPIKE_K * floor
            cand = np.flatnonzero(big[:-1] & big[1:] & (np.sign(c[:-1]) != np.sign(c[1:])))
        scale = np.maximum(rolling_mad_scale(c, at=cand), floor)  # NaN stays NaN: no flag
        z = c / scale  # z[i-1]: change into point i
        hit = np.zeros(n, bool)
        z_in = z[:-1]
        z_out = c[1:] / scale[:-1]
        with np.errstate(invalid="ignore"):
            rev = (np.abs(z_in) > SPIKE_K) & (np.abs(z_out) > SPIKE_K) & (
                np.sign(z_in) != np.sign(z_out))
        if not positive:  # a rate's jump is a bad tick only if it changes the level's size
            rev &= _rescaled(x[:-2], x[1:-1])
        hit[1:-1] = np.nan_to_num(rev, nan=0).astype(bool)
        # the newest point, judged from the last point not flagged (not from a bad tick)
        j = int(np.flatnonzero(~hit[:-1])[-1])
        edge = (np.log(x[-1] / x[j]) if positive and (x > 0).all() else x[-1] - x[j])
        s_j = max(float(rolling_mad_scale(c, at=np.array([j]))[j]), floor) if j >= 1 \
            else np.nan
        z_edge = edge / s_j if j >= 1 else np.nan
        hit[-1] = bool(np.abs(z_edge) > EDGE_K) if np.isfinite(z_edge) else False
        if not positive or edge_rescale:
            hit[-1] &= bool(_rescaled(x[j:j + 1], x[-1:])[0])
        hit &= is_new
        if hit.any():
            out[f"spike: a jump beyond {SPIKE_K:g} robust sigmas that reverts at once (or "
                f"beyond {EDGE_K:g} on the newest point); bad tick?"] = pd.Index(labels[hit])
        ts = allp["ts"].to_numpy(dtype="datetime64[us]")
        step = (np.diff(ts) / np.timedelta64(1, "D")).astype(float)
        slip, shift = _level_slips(x, c, floor, taken=hit, days=step)
        slip &= is_new
        # a provider's batch re-reads stored days: a unit change there is judged on that
        # overlap (:func:`overlap_holds`, which names it); a file's is judged here
        shift &= is_new & edge_rescale
        if slip.any():
            out[f"spike: a run of points a power of ten away from its neighbours, in and "
                f"back out by jumps beyond {SPIKE_K:g} robust sigmas within {PLATEAU_MAX} "
                "points; a unit slip over several rows?"] = pd.Index(labels[slip])
        if shift.any():
            out[f"level shift: a jump beyond {EDGE_K:g} robust sigmas in a day to a level a "
                "power of ten away, held to the last point; the rest in another unit (cents, "
                "thousands, percent as a fraction)?"] = pd.Index(labels[shift])
    if stale and n >= STALE_N:
        starts = np.r_[True, x[1:] != x[:-1]]  # a new value starts a run
        first = np.flatnonzero(starts)
        run = np.arange(n) - first[np.cumsum(starts) - 1] + 1  # position within its run
        hit = (run >= STALE_N) & is_new
        if stale_since is not None:
            hit &= allp["ts"].to_numpy() >= np.datetime64(stale_since)
        if hit.any():
            out[f"stale: the same value on {STALE_N} or more consecutive points (a frozen "
                "feed?)"] = pd.Index(labels[hit])
    return out


def import_spike_flags(con: Any, observations: pd.DataFrame, specs: Sequence[SeriesSpec]
                       ) -> dict[Any, str]:
    """Bad ticks among an imported file's points: the spike rule of :func:`series_flags`.

    A file is judged as a provider batch is: each daily price or yield (:func:`_spike_checked`)
    with its stored points before the file's first date as history. Only points the store does
    not already hold with the same value are flagged (a point stored before this check existed
    stays, and a re-import of an unchanged file stays unchanged). The stale-run rule is not run
    on files: a published history holds real pegs (the yen at 357.40 in 1971).

    Parameters
    ----------
    con : DuckDB connection
        The transaction the file is written in.
    observations : DataFrame
        ``series_id, ts, value``, unique on ``(series_id, ts)``.
    specs : sequence of SeriesSpec
        Catalog entries of the file's series.

    Returns
    -------
    dict
        Index label of ``observations`` -> reason.
    """
    out: dict[Any, str] = {}
    by_id = {sp.series_id: sp for sp in specs}
    for sid, group in observations.groupby("series_id", sort=False):
        spec = by_id.get(str(sid))
        if spec is None or not _spike_checked(spec):
            continue
        ts = pd.to_datetime(group["ts"]).astype("datetime64[us]")
        batch = pd.DataFrame({"ts": ts, "value": group["value"].astype("float64")},
                             index=group.index)
        hist = _tail(lambda sql, params: con.execute(sql, params).df(), str(sid), ts.min())
        for reason, idx in series_flags(batch, hist, positive=bool(spec.positive),
                                        spikes=True, stale=False, edge_rescale=True).items():
            held = _not_stored(con, str(sid), batch.loc[idx])
            for k in held:
                out[k] = reason.replace("spike:", "spike in the file:", 1)
    return out


def _not_stored(con: Any, series_id: str, points: pd.DataFrame) -> list[Any]:
    """Labels of ``points`` (``ts, value``) the store does not hold with the same value."""
    rows = _against_store(
        con, points.assign(series_id=series_id),
        "SELECT b.label FROM _batch b JOIN observations o ON o.series_id = b.series_id "
        "AND o.ts = b.ts AND o.value = b.value")
    same = set(rows["label"].astype(int))
    return [k for i, k in enumerate(points.index) if i not in same]


def _against_store(con: Any, observations: pd.DataFrame, sql: str,
                   params: Sequence[Any] = ()) -> pd.DataFrame:
    """Run ``sql`` with the batch as table ``_batch`` (``series_id, ts, value, label``).

    ``label`` is each point's position in ``observations``.
    """
    batch = pd.DataFrame({"series_id": observations["series_id"].to_numpy(),
                          "ts": pd.to_datetime(observations["ts"]).astype("datetime64[us]"),
                          "value": observations["value"].astype("float64").to_numpy(),
                          "label": np.arange(len(observations))})
    con.register("_batch", batch)
    try:
        return con.execute(sql, list(params)).df()
    finally:
        con.unregister("_batch")


def overlap_holds(con: Any, observations: pd.DataFrame, flags: Mapping[Any, str]
                  ) -> dict[Any, str]:
    """New points of a series whose batch overlaps the store in another unit: held too.

    A live batch re-reads the last days the store holds. When :func:`revision_flags` refuses
    more than half of a series' overlap, and more than one point (a unit change: FRED's yen
    per dollar served as dollars per yen, custody in billions), its other dates are in that
    unit too: the spike rule judged the new ones against the batch's own overlap and stored
    0.64 yen per dollar as "ok", and a whole history re-imported inverted over a store with
    gaps filled them inverted. Every date of the series the store does not hold is held.

    Returns
    -------
    dict
        Index label of ``observations`` -> reason (the dates the store does not hold).
    """
    if not flags:
        return {}
    rows = _against_store(
        con, observations,
        "SELECT b.series_id, b.label, o.ts IS NOT NULL AS stored FROM _batch b "
        "LEFT JOIN observations o ON o.series_id = b.series_id AND o.ts = b.ts")
    labels = observations.index.to_numpy()
    out: dict[Any, str] = {}
    for sid, g in rows.groupby("series_id", sort=False):
        over = [labels[int(i)] for i in g.loc[g["stored"].astype(bool), "label"]]
        bad = [k for k in over if "unit change" in flags.get(k, "")]
        # most of the overlap, and more than one point: a single bad tick is not a unit
        if len(bad) < 2 or 2 * len(bad) <= len(over):
            continue
        # every date the store does not hold: after it, before it or in a gap of it
        for i in g.loc[~g["stored"].astype(bool), "label"]:
            k = labels[int(i)]
            if k not in flags:
                out[k] = (f"held with its batch: {len(bad)} of the {len(over)} points of "
                          f"{sid} the store already holds came back in another unit (a unit "
                          "change?), so its new points are not trusted either; the stored "
                          "values are kept")
    return out


def _siblings(series_id: str) -> list[tuple[str, str]]:
    """``(asset key, other series id)`` of every other source of the assets ``series_id`` feeds."""
    return [(a.key, other) for a in ASSETS.values() if series_id in a.sources
            for other in a.sources if other != series_id]


def sibling_unit_flags(con: Any, observations: pd.DataFrame, specs: Sequence[SeriesSpec]
                       ) -> dict[Any, str]:
    """Points of a series in another unit than another stored source of the same asset.

    The sources of one asset (:data:`spillwatch.universe.ASSETS`) measure one quantity and are
    spliced, the first filling the others' gaps without rescaling: a 10-year yield imported as
    a fraction under ``fred:DGS10`` beside the Treasury's par curve in percent read a 443.6 bp
    one-day move, and bitcoin in cents under ``coingecko:bitcoin`` beside Binance's dollars a
    +460.5 % day where one source ends. Where a series of the file and another source's stored
    points share at least :data:`SIBLING_MIN_DAYS` dates (both non-zero) and the median ratio
    of the two on them is a power of ten (:func:`_power_of_ten`: a fraction against percent,
    cents against dollars, thousands), every point of the series the store does not already
    hold with the same value is flagged; the stored source is kept. A price with fewer common
    dates (newer closes appended after the publisher's file ends) is judged where the two meet
    (:func:`_handover`). Two honest sources of one asset differ by far less (FRED's and Yahoo's
    S&P 500 closes by 0.1 % at most).

    Parameters
    ----------
    con : DuckDB connection
        The transaction the file is written in.
    observations : DataFrame
        ``series_id, ts, value``, unique on ``(series_id, ts)``.
    specs : sequence of SeriesSpec
        Catalog entries of the file's series (the series judged).

    Returns
    -------
    dict
        Index label of ``observations`` -> reason.
    """
    out: dict[Any, str] = {}
    positive = {sp.series_id: bool(sp.positive) for sp in specs}
    for sid, group in observations.groupby("series_id", sort=False):
        if str(sid) not in positive:
            continue
        batch = pd.DataFrame({"ts": pd.to_datetime(group["ts"]).astype("datetime64[us]"),
                              "value": group["value"].astype("float64")}, index=group.index)
        for key, other in _siblings(str(sid)):
            common = _against_store(
                con, group,
                "SELECT b.value AS new, o.value AS old FROM _batch b JOIN observations o "
                "ON o.series_id = ? AND o.ts = b.ts WHERE b.value <> 0 AND o.value <> 0",
                [other])
            if len(common) >= SIBLING_MIN_DAYS:
                ratio = float(10 ** np.median(np.log10(np.abs(
                    common["new"].to_numpy(float) / common["old"].to_numpy(float)))))
                where = (f"on its {len(common)} common dates this series is a median "
                         f"{ratio:.3g} times it")
            elif positive[str(sid)] and (hand := _handover(con, batch, other)) is not None:
                ratio, where = hand
            else:
                continue
            if not bool(_power_of_ten(1.0, ratio)):
                continue
            reason = (f"another unit than {other}, the stored source of the same asset "
                      f"({key}): {where} (a fraction against percent, cents against "
                      "dollars?); the asset splices the two, so the stored source is kept")
            for k in _not_stored(con, str(sid), batch):
                out.setdefault(k, reason)
            break
    return out


def _handover(con: Any, batch: pd.DataFrame, other: str) -> tuple[float, str] | None:
    """A price's ratio to ``other`` where the two meet without common dates (None: they don't).

    The file's first value against ``other``'s last stored one before it, or its last value
    against ``other``'s first after it, within :data:`STEP_DAYS` calendar days: a user's newer
    closes appended after the publisher's file ends. A price does not move a power of ten
    across a weekend; a rate near zero may, so rates are not judged here.
    """
    pts = batch.dropna().sort_values("ts")
    if pts.empty:
        return None
    step = pd.Timedelta(days=STEP_DAYS)
    for ts, value, sql in (
            (pts["ts"].iloc[0], pts["value"].iloc[0],
             "SELECT ts, value FROM observations WHERE series_id = ? AND ts < ? AND ts >= ? "
             "ORDER BY ts DESC LIMIT 1"),
            (pts["ts"].iloc[-1], pts["value"].iloc[-1],
             "SELECT ts, value FROM observations WHERE series_id = ? AND ts > ? AND ts <= ? "
             "ORDER BY ts LIMIT 1")):
        t = pd.Timestamp(ts)
        bound = t - step if "DESC" in sql else t + step
        rows = con.execute(sql, [other, t.to_pydatetime(), bound.to_pydatetime()]).fetchall()
        if not rows or not rows[0][1] or not value:
            continue
        row = rows[0]
        ratio = abs(float(value) / float(row[1]))
        return ratio, (f"its {t:%Y-%m-%d} value {float(value):g} is {ratio:.3g} times that "
                       f"source's {float(row[1]):g} of {pd.Timestamp(row[0]):%Y-%m-%d}, where "
                       "one hands over to the other")
    return None


def _revision_reason(old: float, new: float, sigmas: float, frequency: str) -> str:
    moves = "daily moves" if frequency == "daily" else "moves between points"
    return (f"revision of the stored {old:g} to {new:g}: {sigmas:,.0f} robust sigmas of the "
            f"series' {moves} (beyond {SPIKE_K:g}) and further from its neighbours than the "
            "stored value; a unit change (percent vs basis points?) or a bad tick. The stored "
            "value is kept")


def revision_flags(con: Any, observations: pd.DataFrame, specs: Sequence[SeriesSpec], *,
                   run_id: int | None = None,
                   earlier: Mapping[str, pd.Series] | None = None) -> dict[Any, str]:
    """Points of a batch that would revise a stored value into an implausible one.

    A revision is refused when the new value is more than ``SPIKE_K`` robust sigmas (1.4826 MAD
    of the series' stored changes, floored as in :func:`series_flags`) from the stored value and
    further than the stored value from its neighbours: the nearest stored points before and
    after that the batch does not revise (none left: refused). Log changes for positive series,
    differences otherwise.

    Parameters
    ----------
    con : DuckDB connection
        The transaction the batch is written in.
    observations : DataFrame
        ``series_id, ts, value`` (``ts`` naive UTC), unique on ``(series_id, ts)``.
    specs : sequence of SeriesSpec
        Catalog entries (``positive`` and ``frequency``); a series without one is judged by
        differences.
    run_id : int, optional
        The run writing the batch: a point that an earlier file of the same run stored with
        another value is refused whatever the size of the difference (two files of one import
        disagree; the first one's value is kept, as one file's two versions of a date are both
        refused).
    earlier : mapping of str to Series, optional
        What the earlier files of the same import gave and were kept (series id → values by
        ``ts``), stored or found unchanged: a point that disagrees is refused likewise. (The
        run check alone sees only the points the run wrote: importing two disagreeing files
        again, the first's point was unchanged, the second's passed as a revision and
        replaced it.)

    Returns
    -------
    dict
        Index label of ``observations`` → reason.
    """
    if observations.empty:
        return {}
    out: dict[Any, str] = {}
    for sid, grp in (observations.groupby("series_id", sort=False) if earlier else ()):
        prev = earlier.get(str(sid)) if earlier else None
        if prev is None or prev.empty:
            continue
        old = prev.reindex(pd.to_datetime(grp["ts"]).astype(prev.index.dtype)).to_numpy(
            dtype="float64")
        new = grp["value"].to_numpy(dtype="float64")
        hit = ~np.isnan(old) & (old != new)
        for lab, o, v in zip(grp.index[hit], old[hit], new[hit], strict=True):
            out[lab] = (f"an earlier file of this import gave {o:g} for this date and this "
                        f"one {v:g}: two files disagree, the first value is kept")
    cand = _against_store(
        con, observations,
        "SELECT b.series_id, b.ts, b.value, b.label, o.value AS old, "
        "coalesce(o.run_id = ?, false) AS same_run FROM _batch b JOIN observations o "
        "ON o.series_id = b.series_id AND o.ts = b.ts WHERE o.value <> b.value", [run_id])
    labels = observations.index.to_numpy()
    if out:
        cand = cand[[labels[int(i)] not in out for i in cand["label"]]]
    if cand.empty:
        return out
    same = cand[cand["same_run"].astype(bool)]
    for r in same.itertuples(index=False):
        out[labels[int(r.label)]] = (
            f"an earlier file of this import gave {r.old:g} for this date and this one "
            f"{r.value:g}: two files disagree, the first value is kept")
    cand = cand[~cand["same_run"].astype(bool)]
    by_id = {sp.series_id: sp for sp in specs}
    for sid, rev in cand.groupby("series_id", sort=False):
        hist = con.execute("SELECT ts, value FROM observations WHERE series_id = ? ORDER BY ts",
                           [sid]).df()
        x = hist["value"].to_numpy(dtype="float64")
        if len(x) <= SPIKE_MIN_OBS:
            continue
        spec = by_id.get(str(sid))
        new = rev["value"].to_numpy(dtype="float64")
        positive = bool(spec is not None and spec.positive) and bool((x > 0).all()) \
            and bool((new > 0).all())
        f = np.log if positive else (lambda v: v)
        fx = f(x)
        c = np.diff(fx)
        scale = 1.4826 * float(np.median(np.abs(c - np.median(c))))
        floor = 1e-3 if positive else max(0.05, 1e-3 * float(np.median(np.abs(x))))
        scale = max(scale, floor)
        i = np.searchsorted(hist["ts"].to_numpy(), rev["ts"].to_numpy().astype(
            hist["ts"].to_numpy().dtype))
        fo, fn = fx[i], f(new)
        # the neighbours are the nearest stored points this batch leaves as they are (a run of
        # consecutive bad ticks is judged against the good points around it)
        kept = np.ones(len(x), dtype=bool)
        kept[i] = False
        anchors = np.flatnonzero(kept)
        at = np.searchsorted(anchors, i)
        prev = np.where(at > 0, fx[anchors[np.maximum(at - 1, 0)]] if len(anchors) else np.nan,
                        np.nan)
        nxt = np.where(at < len(anchors),
                       fx[anchors[np.minimum(at, len(anchors) - 1)]] if len(anchors) else np.nan,
                       np.nan)
        with catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)   # a point with no neighbour
            ref = np.nanmean(np.vstack([prev, nxt]), axis=0)
        sigmas = np.abs(fn - fo) / scale
        # nothing left to confirm a huge revision (every point revised): the stored value stays
        worse = ~np.isfinite(ref) | (np.abs(fn - ref) > np.abs(fo - ref))
        hit = (sigmas > SPIKE_K) & worse
        freq = spec.frequency if spec is not None else "daily"
        for k in np.flatnonzero(hit):
            out[labels[int(rev["label"].iloc[k])]] = _revision_reason(
                float(x[i[k]]), float(new[k]), float(sigmas[k]), freq)
    return out
