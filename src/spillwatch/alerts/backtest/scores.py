r"""Scores of an early-warning signal against dated episodes: lead, hit rate, false alarms, AUROC.

A *signal* is, on every replay day (a business day), **on**, **off** or **unavailable** (no
data that day), and may carry a continuous *score* (an index level). Every quantity is counted
in business days on the replay calendar; an episode date falling on a weekend counts from the
next business day.

Definitions (:class:`ScoreSpec` holds the numbers):

**Episode window.** For an episode with trigger :math:`T` and peak :math:`P`, the window is
:math:`[T - \text{pre}, P + \text{post}]` (default 20 business days before the trigger, 5 after
the peak).

**First alert.** The onset of the alert that is **in effect at the peak**: the run of on days
(off spells of at most ``gap`` business days do not break it; unavailable days carry the
previous state) that includes a day of :math:`[P - \text{gap}, P]`. A signal already on when
the window opens counts from the window's first day, so a lead is at most ``pre`` plus the
business days from trigger to peak. An alert that switched off more than ``gap`` days before
the peak warned of nothing that came (a month-old alarm that had gone quiet is not a lead);
without an alert in effect at the peak, the first onset after it (within ``post``) is a *late*
alert, and else the episode is missed.

**Lead time.** Business days from the first alert to the peak (positive: before the peak), and
from a comparator's first alert to the signal's (positive: the signal was first). The peak is
labelled after the fact; the **lead to the trigger** (business days from the first alert to the
trigger, positive: before it) says whether the alert came before the event began, and an alert
**already on** when the window opened (on the day before its first day too) is counted apart:
its lead is capped by the window, not earned by a warning of this episode. *Hits before the
trigger* and the *median lead to the trigger* are of the other hits (an alert that started
inside the window).

**Covered.** An episode is covered by a signal when :math:`[T - \text{pre}, P + \text{post}]`
lies in the replay (a window cut by the replay's first day could hide an earlier alert; one cut
by its last day scores a comparator that had not yet published its peak) and the signal is
available on at least one day of :math:`[T - \text{pre}, P]`; episodes before a signal's data
start do not count for it, nor episodes begun after the replay's last day (not listed).

**Hit.** A covered episode whose first alert comes on or before its peak. The **hit rate** is
hits over covered episodes. A first alert after the peak is a late alert, not a hit.

**Calm day.** A day outside every episode's extended window
:math:`[T - \text{pre}, P + \text{recovery}]` (default 60 business days, about three months after
the peak, when stress is still receding), on which the signal is available. The windows are
counted on the business-day calendar, so an episode that starts or peaks outside the replay
still removes the replay days it spans.

**Time on.** ``on_share`` is the share of available days the signal is on (unavailable days
carry the previous state), ``calm_on_share`` that share on calm days: a signal that never
switches off raises no false alarm, but is on every calm day.

**Chance hit rate.** ``hit_rate_chance`` is the hit rate the same on/off record earns against
peaks that fall on random days: an episode is hit when an alert is in effect at its peak,
which is when the signal is on on one of the ``gap + 1`` days to it, so the chance rate is the
share of the days the signal is available with an on day among the ``gap + 1`` days to them: a
peak put on each of those days in turn. (Coverage only asks for one available day in the
window, so circular shifts of the record against the real peaks, which can put a peak on an
unavailable day, give a rate within about 0.01 of it on the shared data.) A rule on half the
days hits most episodes by chance; the hit rate says something only above this rate.

**False alarm.** A switch from off to on (an alert starting) on a calm day; unavailable days
carry the previous state, so a signal that goes dark and comes back on is not a new alarm. An
alert already on when the replay starts (or when the signal's data begin) did not start on a
day the replay saw, so it is not counted (a replay from 2007-12-24 does not count the OFR FSI's
alert in effect since the 20th).
**False alarms per year** = false alarms / (calm days / 261).

**AUROC** (Hanley & McNeil 1982) of the score for the event "an episode peak within the next
:math:`N` business days" (:math:`1 \le P - t \le N`), :math:`N \in \{5, 20\}`: the probability
that a day before a peak scores higher than a day that is not (ties count one half), from the
Mann–Whitney statistic. Days from a peak to the end of its recovery are left out (they are
neither warnings nor calm: the post-crisis bias of Bussière & Fratzscher 2006), as are days
without a score and the last :math:`N` days of the replay (their future is not known).

**Uncertainty.** Days before a peak are not independent draws (34 episodes give some 560 positive
days), so the AUROC's 95% interval comes from a circular block bootstrap of the replay's days
(Politis & Romano 1992) with blocks of a year (:data:`BLOCK_BDAYS`) and :data:`BOOT_DRAWS` resamples
with a fixed seed: each resample weights every day by the times it was drawn, the same weights for
every signal, so the gap between spillwatch's index and an official index on the common days gets
its interval too (``auroc_common_<N>_gap``: the headline's minus this signal's), for the longest
horizon (the AUROC every interface shows). An independent-days standard error (Hanley & McNeil's)
was a third of the bootstrap's on the shared data (0.013 against 0.037). The hit rate's interval is
Wilson's (1927) over the covered episodes; the median lead over an official index gets a percentile
interval from resampling the episodes and a two-sided sign test of earlier against later (ties left
out).

References
----------
Bussière, M. and Fratzscher, M. (2006), "Towards a new early warning system of financial
crises", *Journal of International Money and Finance* 25(6), 953–973 (the post-crisis bias).
Hanley, J. A. and McNeil, B. J. (1982), "The meaning and use of the area under a receiver
operating characteristic (ROC) curve", *Radiology* 143(1), 29–36.
Politis, D. N. and Romano, J. P. (1992), "A circular block-resampling procedure for stationary
data", in *Exploring the Limits of Bootstrap*, Wiley, 263–270.
Wilson, E. B. (1927), "Probable inference, the law of succession, and statistical inference",
*Journal of the American Statistical Association* 22(158), 209–212.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from spillwatch.alerts.backtest.episodes import EpisodeSet
from spillwatch.exceptions import ConfigError

#: Weekdays per year (the replay runs every weekday).
BDAYS_PER_YEAR = 261.0
#: Calm time below which a false-alarm rate is not annualised (half a year of business days).
MIN_CALM_YEARS = 0.5
#: Business days per block of the AUROC's circular block bootstrap (a year: an episode's
#: run-up and its neighbours stay together).
BLOCK_BDAYS = 261
#: Whole blocks a replay needs for the AUROC's interval: with one block every resample is the
#: replay itself turned round, and a replay a few days longer is still nearly that one (a year
#: and a week read a gap of +0.135 [+0.071, +0.201] over STLFSI4 from two episodes); the block
#: bootstrap's interval needs many blocks (Politis & Romano 1992: n/b large), two at the least.
MIN_BLOCKS = 2
#: Episodes whose run-up the replay scores (days before their peak in the AUROC), below which
#: the AUROC and its gaps get no interval: resampling years around one run-up shows how the
#: calm days vary, not how another episode would have scored (three years of data scored one
#: episode at 0.847 [0.736, 0.938], h_data1), as a hit rate's Wilson interval over one
#: episode spans [0.21, 1].
MIN_EPISODES = 2
#: Resamples of the bootstraps (fixed seed: a replay gives the same intervals every run).
BOOT_DRAWS = 1000
BOOT_SEED = 0
#: Resamples whose weights are held in memory at once (each a float64 row of the replay).
_BOOT_CHUNK = 200


@dataclass(frozen=True)
class ScoreSpec:
    """The numbers of the definitions in the module docstring.

    Parameters
    ----------
    pre, post, recovery : int, default 20, 5, 60
        Business days before the trigger, after the peak (window), after the peak (recovery).
    gap : int, default 5
        Off days that do not break an alert, and how long before the peak an alert may have
        ended and still be the one in effect (see *First alert*).
    horizons : tuple of int, default (5, 20)
        The :math:`N` of the AUROC.
    """

    pre: int = 20
    post: int = 5
    recovery: int = 60
    horizons: tuple[int, ...] = (5, 20)
    gap: int = 5

    def __post_init__(self) -> None:
        for name in ("pre", "post", "recovery", "gap"):
            v = getattr(self, name)
            if not (isinstance(v, int) and not isinstance(v, bool) and v >= 0):
                raise ConfigError(f"{name} must be a non-negative int of business days; got {v!r}")
        if not self.horizons or any(not (isinstance(h, int) and h >= 1) for h in self.horizons):
            raise ConfigError(f"horizons must be positive ints; got {self.horizons!r}")


@dataclass(frozen=True)
class Signal:
    """One signal over the replay days.

    Attributes
    ----------
    key, label, kind : str
        ``kind``: ``index`` (spillwatch's index), ``rule`` (an alert rule), ``comparator``
        (an official index), ``benchmark`` (an input of the index alone: the VIX, the MOVE).
    on : ndarray of float
        1 on, 0 off, NaN unavailable.
    score : ndarray of float or None
        The continuous reading for the AUROC (NaN unavailable).
    observed : ndarray of datetime64 or None
        A comparator's: the observation date of the reading known on each day (NaT none);
        its first alert re-dated to it gives the lead net of its publication lag.
    readable : tuple of Timestamp or None
        An official index's or a benchmark's first and last evening with a reading, over all
        its data (None: none, or not an index read from its own data).
    """

    key: str
    label: str
    kind: str
    on: np.ndarray
    score: np.ndarray | None = None
    observed: np.ndarray | None = None
    readable: tuple[pd.Timestamp, pd.Timestamp] | None = None


def auroc(score: np.ndarray, label: np.ndarray) -> float:
    """Area under the ROC curve from the Mann–Whitney statistic (ties count one half).

    NaN when either class is empty.
    """
    pos = label.astype(bool)
    n1, n0 = int(pos.sum()), int((~pos).sum())
    if n1 == 0 or n0 == 0:
        return float("nan")
    ranks = rankdata(score)
    return float((ranks[pos].sum() - n1 * (n1 + 1) / 2.0) / (n1 * n0))


def block_weights(n: int, *, block: int = BLOCK_BDAYS, draws: int = BOOT_DRAWS,
                  seed: int = BOOT_SEED) -> np.ndarray:
    """How often each of ``n`` days is drawn in each circular block bootstrap resample.

    Each resample joins ``ceil(n / block)`` blocks of ``block`` consecutive days (wrapping
    round the end) starting on uniformly drawn days, cut to ``n`` days (Politis & Romano
    1992). Returns an int array of shape ``(draws, n)`` whose rows sum to ``n``.

    >>> w = block_weights(10, block=3, draws=4, seed=1)
    >>> w.shape, bool((w.sum(axis=1) == 10).all())
    ((4, 10), True)
    """
    length = max(1, min(block, n))
    k = -(-n // length)
    starts = np.random.default_rng(seed).integers(0, n, size=(draws, k))
    out = np.empty((draws, n), dtype=np.int32)
    for lo in range(0, draws, _BOOT_CHUNK):   # a chunk's int64 counts at a time
        rows = starts[lo:lo + _BOOT_CHUNK]
        days = ((rows[..., None] + np.arange(length)) % n).reshape(len(rows), -1)[:, :n]
        flat = (np.arange(len(rows))[:, None] * n + days).ravel()
        out[lo:lo + len(rows)] = np.bincount(flat, minlength=len(rows) * n).reshape(-1, n)
    return out


def weighted_auroc(score: np.ndarray, label: np.ndarray, weights: np.ndarray,
                   days: np.ndarray | None = None) -> np.ndarray:
    """:func:`auroc` of each resample that counts day ``i`` ``weights[r, i]`` times.

    The Mann–Whitney statistic with multiplicities: each positive day's weight times the
    weight of the negative days below its score, ties one half. One row of ones is
    :func:`auroc`. ``weights``: shape ``(draws, n)``, or ``(draws, N)`` with ``days`` the
    columns of ``score``'s days among ``N``; NaN where a resample lacks a class.
    """
    order = np.argsort(score, kind="mergesort")
    s, y = score[order], label[order].astype(bool)
    cols = order if days is None else np.asarray(days)[order]
    first = np.flatnonzero(np.r_[True, s[1:] != s[:-1]])   # each run of tied scores
    pos_cols = cols[y]
    # the positive days' runs: reduceat over the positives alone, by the run each one is in
    run = np.searchsorted(first, np.flatnonzero(y), side="right") - 1
    runs, starts = np.unique(run, return_index=True)
    out = []
    tied = len(first) < len(s)
    for lo in range(0, weights.shape[0], _BOOT_CHUNK):
        block = weights[lo:lo + _BOOT_CHUNK]
        # counts per run of tied scores, in integers (exact): all of them, the positives'
        every = block[:, cols].astype(np.int64)
        if tied:
            every = np.add.reduceat(every, first, axis=1)
        pos = np.zeros_like(every)
        if len(runs):
            pos[:, runs] = (np.add.reduceat(block[:, pos_cols], starts, axis=1)
                            if tied else block[:, pos_cols])
        neg = every - pos
        below = np.cumsum(neg, axis=1) - neg
        twice_u = (pos * (2 * below + neg)).sum(axis=1)
        n1, n0 = pos.sum(axis=1), neg.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out.append(np.where((n1 > 0) & (n0 > 0), twice_u / (2.0 * n1 * n0), np.nan))
    return np.concatenate(out) if out else np.empty(0)


def interval(draws: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """The percentile interval of bootstrap ``draws`` (NaN draws left out; NaN if none)."""
    d = draws[np.isfinite(draws)]
    if not len(d):
        return float("nan"), float("nan")
    a = (1.0 - level) / 2.0
    return float(np.quantile(d, a)), float(np.quantile(d, 1.0 - a))


def wilson(hits: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson's (1927) score interval of a proportion ``hits / n`` (NaN for ``n = 0``).

    >>> [round(v, 3) for v in wilson(26, 34)]
    [0.6, 0.876]
    """
    if n <= 0:
        return float("nan"), float("nan")
    from scipy.stats import binomtest

    ci = binomtest(int(hits), int(n)).proportion_ci(confidence_level=level, method="wilson")
    return float(ci.low), float(ci.high)


@dataclass
class Positions:
    """Episode dates as positions on the replay calendar."""

    trigger: np.ndarray
    peak: np.ndarray

    @classmethod
    def of(cls, dates: pd.DatetimeIndex, episodes: EpisodeSet) -> Positions:
        """Positions of the first replay day on or after each date.

        A peak outside the replay gets position ``len(dates)`` (the episode is out of range).
        """
        peaks = pd.DatetimeIndex([e.peak for e in episodes])
        trig = dates.searchsorted(pd.DatetimeIndex([e.trigger for e in episodes]))
        peak = np.asarray(dates.searchsorted(peaks))
        peak[(peaks < dates[0]) | (peaks > dates[-1])] = len(dates)
        return cls(np.asarray(trig), peak)


@dataclass
class Scorecard:
    """Scores of every signal.

    Attributes
    ----------
    leads : DataFrame
        One row per (episode, signal): ``episode``, ``signal``, ``covered``, ``first_alert``
        (date or NaT), ``lead_bdays`` (to the peak), ``hit``.
    versus : DataFrame
        One row per (episode, comparator): ``spillwatch_first``, ``comparator_first``,
        ``lead_bdays`` (comparator's first alert minus spillwatch's, business days).
    summary : DataFrame
        One row per signal: ``label``, ``kind``, ``covered``, ``hits``, ``hit_rate``,
        ``median_lead_bdays``, ``false_alarms_per_year`` (NaN below :data:`MIN_CALM_YEARS` of
        calm time: see ``false_alarms`` and ``calm_years``), ``calm_years``, ``auroc_<N>`` and
        ``auroc_common_<N>`` (on the days every index with a score in the replay has one),
        ``positives_<N>``.
    """

    leads: pd.DataFrame
    versus: pd.DataFrame
    summary: pd.DataFrame
    spec: ScoreSpec = field(default_factory=ScoreSpec)
    #: Why the AUROCs and their gaps have no interval (None when they have one): the text,
    #: the report and the JSON's ``notes`` said only that a short replay or a single run-up
    #: gives none, not which one this was (h_verify36).
    interval_note: str | None = None


def _ffill(on: np.ndarray) -> np.ndarray:
    s = pd.Series(on)
    return s.ffill().fillna(0.0).to_numpy()


def first_alert(state: np.ndarray, lo: int, peak: int, hi: int, gap: int) -> int | None:
    """Position of the first alert of an episode (the module docstring's definition).

    ``state``: 1.0 on, else off, with unavailable days already carried forward; ``lo``,
    ``peak``, ``hi``: the window's first day, the peak and the window's last day (positions,
    ``0 <= lo <= peak``).
    """
    on = np.flatnonzero(state[lo:hi + 1] == 1.0) + lo
    if not len(on):
        return None
    before = on[on <= peak]
    if len(before) and before[-1] >= peak - gap:
        # walk back through the alert's on days while the off spells are short
        breaks = np.flatnonzero(np.diff(before) > gap + 1)
        return int(before[breaks[-1] + 1] if len(breaks) else before[0])
    after = on[on > peak]
    return int(after[0]) if len(after) else None


def scored_run_ups(scored: np.ndarray, peaks: np.ndarray, horizon: int) -> int:
    """How many episodes' run-ups the AUROC scores (:data:`MIN_EPISODES`), each counted once.

    ``scored``: the replay days that are scored and a peak ``1..horizon`` days ahead;
    ``peaks``: the peaks' positions (``len(scored)`` for one outside the replay). An episode
    counts when its run-up holds a scored day no earlier peak's run-up holds: a peak a few days
    after another (2022: Terra's of 05-27, the inflation shock's of 06-14 and Celsius' of
    06-18, the days between them the first one's recovery) has no scored day of its own, and
    three episodes read as three run-ups where the AUROC scored one.
    """
    seen = np.zeros(len(scored), dtype=bool)
    count = 0
    for p in sorted(int(q) for q in peaks):
        mine = np.zeros(len(scored), dtype=bool)
        mine[max(p - horizon, 0):max(p, 0)] = True
        mine &= scored
        count += bool((mine & ~seen).any())
        seen |= mine
    return count


def score(dates: pd.DatetimeIndex, signals: Sequence[Signal], episodes: EpisodeSet, *,
          headline: str, spec: ScoreSpec | None = None) -> Scorecard:
    """Score every signal against the episodes (definitions in the module docstring).

    Parameters
    ----------
    dates : DatetimeIndex
        The replay days.
    signals : sequence of Signal
    episodes : EpisodeSet
    headline : str
        Key of the signal the comparators are measured against (spillwatch's index).
    spec : ScoreSpec, optional
    """
    spec = spec or ScoreSpec()
    n = len(dates)
    pos = Positions.of(dates, episodes)
    eps = list(episodes)
    idx = np.arange(n)
    # episode windows in business days of the calendar, so that an episode whose trigger or
    # peak lies outside the replay still marks the replay's days it spans (a replay that
    # starts inside an episode's recovery has no calm days there)
    day = dates.to_numpy(dtype="datetime64[D]")
    extended = np.zeros(n, dtype=bool)
    recovering = np.zeros(n, dtype=bool)
    for e in eps:
        trig = np.busday_offset(np.datetime64(e.trigger.date(), "D"), 0, roll="forward")
        peak = np.busday_offset(np.datetime64(e.peak.date(), "D"), 0, roll="forward")
        after = np.busday_offset(peak, spec.recovery)
        extended |= (day >= np.busday_offset(trig, -spec.pre)) & (day <= after)
        recovering |= (day >= peak) & (day <= after)
    rows, first_by = [], {}
    for sig in signals:
        on = sig.on
        avail = ~np.isnan(on)
        carried = _ffill(on)
        for e, t, p in zip(eps, pos.trigger, pos.peak, strict=True):
            lo, hi = t - spec.pre, min(p + spec.post, n - 1)
            # the whole window [T - pre, P + post] in the replay: an alert before its first
            # day would be unseen, so a window cut by the replay's start is not covered, nor
            # one cut by its end (a replay on a peak day scored STLFSI4 "missed" a peak it
            # published two days later)
            inside = (p + spec.post < n) and 0 <= lo <= hi
            covered = bool(inside and avail[lo:min(p, n - 1) + 1].any())
            first = first_alert(carried, lo, p, hi, spec.gap) if covered else None
            first_by[(e.name, sig.key)] = first
            rows.append({"episode": e.name, "signal": sig.key, "covered": covered,
                         "first_alert": dates[first] if first is not None else pd.NaT,
                         "lead_bdays": (p - first) if first is not None else np.nan,
                         "lead_trigger_bdays": (t - first) if first is not None else np.nan,
                         "already_on": bool(first is not None and first == lo and lo > 0
                                            and carried[lo - 1] == 1.0),
                         "hit": bool(first is not None and first <= p)})
    leads = pd.DataFrame(rows, columns=["episode", "signal", "covered", "first_alert",
                                        "lead_bdays", "lead_trigger_bdays", "already_on",
                                        "hit"])
    vs_rows = []
    hit = leads.set_index(["episode", "signal"])["hit"]
    for sig in signals:
        if sig.kind != "comparator":
            continue
        for e in eps:
            a, b = first_by.get((e.name, headline)), first_by.get((e.name, sig.key))
            # the comparator's first alert re-dated to the observation it read: the lead
            # net of its publication lag (OFR's +2 was its lag: 0 by observation date)
            seen = (pd.Timestamp(sig.observed[b]) if sig.observed is not None
                    and b is not None and not pd.isna(sig.observed[b]) else pd.NaT)
            b_obs = (int(np.searchsorted(dates.to_numpy(dtype="datetime64[ns]"),
                                         seen.to_datetime64(), side="left"))
                     if not pd.isna(seen) else None)
            vs_rows.append({"episode": e.name, "comparator": sig.key,
                            "spillwatch_first": dates[a] if a is not None else pd.NaT,
                            "comparator_first": dates[b] if b is not None else pd.NaT,
                            "lead_bdays": (b - a) if a is not None and b is not None
                            else np.nan,
                            "comparator_first_observed": seen,
                            "lead_observed_bdays": (b_obs - a) if a is not None
                            and b_obs is not None else np.nan,
                            # both alerted by the peak (a late alert's lead is counted in
                            # lead_bdays too: "both signalled")
                            "both_hit": bool(hit.get((e.name, headline), False)
                                             and hit.get((e.name, sig.key), False))})
    versus = pd.DataFrame(vs_rows, columns=["episode", "comparator", "spillwatch_first",
                                            "comparator_first", "lead_bdays",
                                            "comparator_first_observed",
                                            "lead_observed_bdays", "both_hit"])
    # labels for the AUROC: a peak 1..N business days ahead
    future = {}
    for h in spec.horizons:
        y = np.zeros(n, dtype=bool)
        for p in pos.peak:
            y |= (idx >= p - h) & (idx <= p - 1)
        keep = ~recovering & (idx + h <= n - 1)
        future[h] = (y, keep)
    # the days spillwatch's index and every official index have a score (a benchmark, the
    # VIX or the MOVE alone, is ranked on them too but does not narrow them); an index with
    # no score on any replay day does not narrow them either: the ECB's CISS (from 2015) in
    # a store that holds it emptied every common AUROC of a replay ending in 2008, which a
    # store cut there (no CISS at all) gave on the days of the other indices
    scored = [s for s in signals if s.score is not None and s.kind != "benchmark"
              and not np.isnan(s.score).all()]
    common = np.ones(n, dtype=bool)
    for s in scored:
        common &= ~np.isnan(s.score)  # type: ignore[arg-type]
    # one set of resampled days for every signal (module docstring, *Uncertainty*), for the
    # AUROC of the longest horizon on the common days (the one every interface shows)
    # a replay shorter than MIN_BLOCKS blocks gives no interval: with one block its intervals
    # had no width (a replay of 2025-03 to 2025-05 read "AUROC(20) 0.458 [0.46, 0.46]" and a
    # gap of "-0.317 [-0.317, -0.317]", a difference measured exactly)
    top = max(spec.horizons)
    y_top, keep_top = future[top]
    days_top = keep_top & common
    # ... nor does one that scores the run-up of fewer than MIN_EPISODES episodes
    run_ups = scored_run_ups(y_top & days_top, pos.peak, top)
    weights = (block_weights(n) if n >= MIN_BLOCKS * BLOCK_BDAYS and run_ups >= MIN_EPISODES
               else None)
    interval_note = (
        None if weights is not None else
        f"no AUROC interval: the replay's {n:,} business days are under {MIN_BLOCKS} one-year "
        f"blocks ({MIN_BLOCKS * BLOCK_BDAYS:,} days)" if n < MIN_BLOCKS * BLOCK_BDAYS else
        f"no AUROC interval: the replay scores the run-up of {run_ups} episode"
        f"{'' if run_ups == 1 else 's'} (days {top} business days or fewer before a peak, on "
        f"the common days), under {MIN_EPISODES}")
    head = next((s for s in signals if s.key == headline and s.score is not None), None)
    head_draws = (weighted_auroc(head.score[days_top], y_top[days_top], weights,
                                 np.flatnonzero(days_top))
                  if weights is not None and head is not None and head.score is not None
                  else None)
    summary_rows = []
    for sig in signals:
        mine = leads[leads["signal"] == sig.key]
        cov = mine[mine["covered"]]
        on = sig.on
        avail = ~np.isnan(on)
        state = _ffill(on)
        # the day before, as known: nothing before the first day the signal is available (an
        # alert already on when the replay or the signal's data begin did not start there)
        before = pd.Series(on).ffill().shift(1).to_numpy()
        onset = (state == 1.0) & (before == 0.0)
        calm = ~extended & avail
        calm_years = calm.sum() / BDAYS_PER_YEAR
        fa = int((onset & calm).sum())
        # how much of the time it is on, and the hit rate that alone buys: a rule on every day
        # scored 35/35, +27 days and no false alarm (it never switches on), the best of all
        up = state == 1.0
        in_effect = (pd.Series(up).rolling(spec.gap + 1, min_periods=1).max()
                     .to_numpy(dtype=bool))
        row = {"signal": sig.key, "label": sig.label, "kind": sig.kind,
               "covered": len(cov), "hits": int(cov["hit"].sum()),
               "hit_rate": float(cov["hit"].mean()) if len(cov) else np.nan,
               **dict(zip(("hit_rate_lo", "hit_rate_hi"),
                          wilson(int(cov["hit"].sum()), len(cov)), strict=True)),
               "median_lead_bdays": float(cov.loc[cov["hit"], "lead_bdays"].median())
               if cov["hit"].any() else np.nan,
               # the hits whose alert started inside the window (one already on when it
               # opened is counted apart: its lead is the window's, not a warning's)
               "median_lead_trigger_bdays": float(
                   cov.loc[cov["hit"] & ~cov["already_on"], "lead_trigger_bdays"].median())
               if (cov["hit"] & ~cov["already_on"]).any() else np.nan,
               "hits_before_trigger": int((cov["hit"] & ~cov["already_on"]
                                           & (cov["lead_trigger_bdays"] > 0)).sum()),
               "hits_already_on": int((cov["hit"] & cov["already_on"]).sum()),
               "on_share": float(up[avail].mean()) if avail.any() else np.nan,
               "calm_on_share": float(up[calm].mean()) if calm.any() else np.nan,
               "hit_rate_chance": float(in_effect[avail].mean()) if avail.any() else np.nan,
               "false_alarms": fa, "calm_years": float(calm_years),
               # a rate from a few calm days is noise (one alarm over 2 calm days read 130.5 a
               # year): below MIN_CALM_YEARS only the count and the calm years are given
               "false_alarms_per_year": fa / calm_years if calm_years >= MIN_CALM_YEARS
               else np.nan}
        for h, (y, keep) in future.items():
            row[f"auroc_{h}"] = row[f"auroc_common_{h}"] = np.nan
            row[f"positives_{h}"] = 0
            if sig.score is None:
                continue
            ok = keep & ~np.isnan(sig.score)
            row[f"auroc_{h}"] = auroc(sig.score[ok], y[ok])
            row[f"positives_{h}"] = int(y[ok].sum())
            okc = keep & common
            row[f"auroc_common_{h}"] = auroc(sig.score[okc], y[okc])
        names = [f"auroc_common_{top}_lo", f"auroc_common_{top}_hi", f"auroc_common_{top}_gap",
                 f"auroc_common_{top}_gap_lo", f"auroc_common_{top}_gap_hi"]
        row.update(dict.fromkeys(names, np.nan))
        if sig.score is not None and not np.isnan(sig.score).all():
            if head is not None and head.score is not None and sig.key != headline:
                row[names[2]] = (auroc(head.score[days_top], y_top[days_top])
                                 - auroc(sig.score[days_top], y_top[days_top]))
            if weights is not None:
                mine = weighted_auroc(sig.score[days_top], y_top[days_top], weights,
                                      np.flatnonzero(days_top))
                row[names[0]], row[names[1]] = interval(mine)
                if head_draws is not None and not np.isnan(row[names[2]]):
                    # the headline's minus this one's, resample by resample (paired)
                    row[names[3]], row[names[4]] = interval(head_draws - mine)
        summary_rows.append(row)
    summary = pd.DataFrame(summary_rows).set_index("signal")
    return Scorecard(leads, versus, summary, spec, interval_note)


def signed_days(v: float) -> str:
    """A signed count of business days as printed: ``+4``, or ``+4.5`` for a median of two.

    A median of an even number of leads can fall on a half day; ``{:+.0f}`` rounds half to
    even (4.5 printed "+4", 7.5 "+8").
    """
    return f"{v:+.0f}" if float(v).is_integer() else f"{v:+.1f}"


def headline_figures(card: Scorecard, labels: Mapping[str, str]) -> dict[str, object]:
    """The figures the report and the CLI lead with (median lead vs each comparator, AUROC)."""
    out: dict[str, object] = {}
    for comp, grp in card.versus.groupby("comparator", sort=False):
        both = grp["lead_bdays"].dropna()
        out[f"median_lead_vs_{comp}_bdays"] = float(both.median()) if len(both) else None
        seen = grp["lead_observed_bdays"].dropna()
        out[f"median_lead_vs_{comp}_observed_bdays"] = (float(seen.median()) if len(seen)
                                                        else None)
        out[f"episodes_vs_{comp}"] = len(both)
        hits = grp.loc[grp["both_hit"].astype(bool), "lead_bdays"].dropna()
        out[f"median_lead_vs_{comp}_both_hit_bdays"] = (float(hits.median()) if len(hits)
                                                        else None)
        out[f"episodes_both_hit_vs_{comp}"] = len(hits)
        earlier, later = int((both > 0).sum()), int((both < 0).sum())
        out[f"earlier_than_{comp}"] = earlier
        out[f"later_than_{comp}"] = later
        # the median over these episodes, were they drawn again; and whether earlier beats
        # later more often than a coin would (ties out)
        lo, hi = median_interval(both.to_numpy(dtype=float))
        out[f"median_lead_vs_{comp}_ci95_bdays"] = None if np.isnan(lo) else [lo, hi]
        out[f"sign_test_p_vs_{comp}"] = sign_test(earlier, later)
    del labels
    return out


def median_interval(leads: np.ndarray, *, draws: int = BOOT_DRAWS,
                    seed: int = BOOT_SEED) -> tuple[float, float]:
    """95% percentile interval of the median of ``leads`` over resampled episodes."""
    x = leads[np.isfinite(leads)]
    if len(x) < 2:
        return float("nan"), float("nan")
    pick = np.random.default_rng(seed).integers(0, len(x), size=(draws, len(x)))
    return interval(np.median(x[pick], axis=1))


def sign_test(earlier: int, later: int) -> float | None:
    """Two-sided sign test of ``earlier`` against ``later`` episodes (None without any).

    >>> round(sign_test(12, 7), 2)
    0.36
    """
    if earlier + later == 0:
        return None
    from scipy.stats import binomtest

    return float(binomtest(earlier, earlier + later, 0.5).pvalue)
