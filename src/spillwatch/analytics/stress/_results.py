"""The result of the stress monitor: one row per date, the latest reading, input freshness."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

import numpy as np
import pandas as pd

from spillwatch._results import ResultBase, jsonable, signature_text, whole_percentile
from spillwatch._validation import as_date
from spillwatch.analytics.stress._columns import (
    AVAILABLE,
    FACT_STATES,
    FRESH,
    HEAD_COLUMNS,
    MISSING,
    PERCENTILE,
    PERCENTILE_LONGRUN,
    REGIME,
    SIGNAL_COLUMNS,
    SIGNAL_LABELS,
    SIGNATURE,
    SIGNATURE_5D,
    SIGNATURE_LEGS,
    STALE,
    STALE_INPUTS,
    STRESS,
    SUBINDEX_COLUMNS,
)
from spillwatch.analytics.stress.regimes import Regime, held_by_band
from spillwatch.exceptions import ConfigError, DataError, SpillwatchError

#: Traffic-light cut-offs on an indicator's recursive percentile (amber, red).
LIGHT_PERCENTILES: tuple[float, float] = (80.0, 95.0)
#: Traffic-light cut-offs on an absolute scaled move |z| for signals outside the index.
LIGHT_Z: tuple[float, float] = (2.0, 3.0)
#: The inputs the signature reads, and the input the index is anchored on.
SIGNATURE_INPUTS: tuple[str, ...] = ("ust10y", "usd_broad")
ANCHOR_INPUT = "ust10y"


#: Readings over which the headline counts each regime (about a month of business days).
REGIME_WINDOW = 20
#: Years of readings under which the percentiles' history is said to be short.
SHORT_HISTORY_YEARS = 5.0
#: Weeks both indices need before their correlation is given: a correlation's sampling error is
#: about 1/sqrt(n), 0.14 at a year of weeks; `stress --end 1994-01-14` printed 0.02 over the
#: three Fridays STLFSI4 had by then.
MIN_REFERENCE_WEEKS = 52
#: A sub-index at or above this percentile of its own history is in its top decile.
SEGMENT_TOP = 90.0
#: What a sub-index in its own top decile is called.
SEGMENT_WORDS: dict[str, str] = {
    "rates": "Treasury stress", "dollar": "dollar stress",
    "equity_vol": "equity/volatility stress", "credit": "credit stress",
    "crypto": "crypto stress"}


def top_segments(percentiles: dict[str, Any]) -> list[str]:
    """The sub-indices at or above :data:`SEGMENT_TOP` of their own history, in column order."""
    return [k for k, p in percentiles.items()
            if isinstance(p, int | float) and math.isfinite(p) and p >= SEGMENT_TOP]


def segment_text(name: str, value: Any, percentile: Any, *, own: bool = True) -> str:
    """One sub-index in words: its value, its own percentile and, in its top decile, a flag.

    ``rates 0.79 (percentile 97 of its own history: Treasury stress)``; ``credit n/a``.
    ``own=False`` leaves out "of its own history" (a list says it once).
    """
    if not isinstance(value, int | float) or not math.isfinite(value):
        return f"{name} n/a"
    if not isinstance(percentile, int | float) or not math.isfinite(percentile):
        return f"{name} {value:.2f} (percentile n/a)"
    flag = (f": {SEGMENT_WORDS.get(name, name + ' stress')}"
            if name in top_segments({name: percentile}) else "")
    return (f"{name} {value:.2f} (percentile {whole_percentile(percentile)}"
            f"{' of its own history' if own else ''}{flag})")


def segments_text(subindices: dict[str, Any], percentiles: dict[str, Any]) -> str:
    """Every sub-index in words (:func:`segment_text`), then what the percentiles rank against.

    ``rates 0.79 (percentile 97: Treasury stress), dollar 0.41 (percentile 55), credit n/a;
    percentiles within each sub-index's own history, age-weighted as the index's``.
    """
    return (", ".join(segment_text(k, v, percentiles.get(k), own=False)
                      for k, v in subindices.items())
            + "; percentiles within each sub-index's own history, age-weighted as the "
              "index's")


class StressSpec(Protocol):
    """What the result reads of its specification (:class:`~.index.StressIndex`)."""

    @property
    def thresholds(self) -> tuple[float, float]:
        """Percentile cut-offs of the regimes."""

    @property
    def weights(self) -> tuple[float, ...]:
        """Base weights of the sub-indices."""

    @property
    def exit_band(self) -> tuple[float, float]:
        """Percentile points below each cut-off at which a regime is left."""

    @property
    def require(self) -> tuple[str, ...]:
        """Sub-indices required for publication."""

    @property
    def burn_in(self) -> int:
        """Observations an indicator's rank needs."""


def light(percentile: float | None = None, z: float | None = None) -> str:
    """Traffic light of a signal: ``"red"``, ``"amber"``, ``"green"`` or ``""`` (no reading).

    From the indicator's recursive percentile (amber ≥ 80, red ≥ 95) when it enters the index,
    else from an absolute scaled move (amber ≥ 2, red ≥ 3).
    """
    if percentile is not None and math.isfinite(percentile):
        lo, hi = LIGHT_PERCENTILES
        return "red" if percentile >= hi else "amber" if percentile >= lo else "green"
    if z is not None and math.isfinite(z):
        lo, hi = LIGHT_Z
        az = abs(z)
        return "red" if az >= hi else "amber" if az >= lo else "green"
    return ""




def _iso(x: Any) -> str | None:
    return None if pd.isna(x) else pd.Timestamp(x).date().isoformat()


@dataclass(frozen=True, repr=False)
class StressResult(ResultBase):
    """Per-date stress index, percentile, regime, signature, sub-indices, signals, freshness.

    Attributes
    ----------
    spec : StressIndex
        The specification that produced it.
    frame : DataFrame
        One row per date (index ``date``), columns
        :data:`~spillwatch.analytics.stress.FRAME_COLUMNS`: ``stress`` (in [0, 1], NaN where
        not published), ``percentile`` (0–100), ``regime``, ``signature`` (of the day),
        ``signature_5d`` (five-day persistence view), ``stale_inputs`` (comma-separated inputs
        past their staleness limit), the sub-indices and the signals.
    indicators : DataFrame
        The recursive-ECDF values (0–1) of every indicator that enters the index.
    availability : DataFrame
        ``fresh`` / ``stale`` / ``missing`` of every input on every date.
    last_observed : DataFrame
        The date each input last reported, on every date (NaT before its first report).
    signal_inputs : dict
        The inputs each signal reads.
    subindex_inputs : dict
        The inputs each sub-index reads.
    segment_percentiles : DataFrame
        Each sub-index's recursive percentile (0–100) within its own history
        (:func:`~.index.segment_percentiles`), on the frame's dates.
    simulated : bool
        Whether the input was the simulated demo market.
    today : Timestamp, optional
        The calendar day the latest reading is judged on (the service sets today's date, or
        an earlier ``--end``). The inputs' ages, their states and ``fresh`` count from it: an
        input fresh on the data's last date but months old today is stale. ``None`` (or a
        day before the panel's last date): the panel's last date.
    """

    spec: StressSpec
    frame: pd.DataFrame
    indicators: pd.DataFrame
    availability: pd.DataFrame
    last_observed: pd.DataFrame
    signal_inputs: dict[str, tuple[str, ...]]
    subindex_inputs: dict[str, tuple[str, ...]]
    stale_limits: dict[str, int]
    segment_percentiles: pd.DataFrame
    simulated: bool = False
    today: pd.Timestamp | None = None
    title: str = field(default="stress monitor", init=False)

    # ------------------------------------------------------------------ series
    @cached_property
    def valid(self) -> pd.DataFrame:
        """Rows on which the index is published."""
        return self.frame[self.frame[STRESS].notna()]

    @property
    def stress(self) -> pd.Series:
        """The composite index (0–1)."""
        return self.frame[STRESS]

    @property
    def regime(self) -> pd.Series:
        """The regime of every date."""
        return self.frame[REGIME]

    @property
    def signature(self) -> pd.Series:
        """The yield–dollar signature of every day."""
        return self.frame[SIGNATURE]

    @cached_property
    def sell_america_days(self) -> pd.Series:
        """Boolean Series: dates whose signature is ``sell_america``."""
        return (self.frame[SIGNATURE] == "sell_america").rename("sell_america")

    @cached_property
    def subindices(self) -> pd.DataFrame:
        """The sub-indices (0–1) of every date."""
        return self.frame[list(SUBINDEX_COLUMNS)]

    @cached_property
    def signals(self) -> pd.DataFrame:
        """The signals of every date."""
        return self.frame[list(SIGNAL_COLUMNS)]

    def contributions(self) -> pd.DataFrame:
        r"""Each sub-index's share of the index: :math:`w_i s_i / \sum_j w_j s_j` × index.

        ``w`` are the spec's weights renormalised over the sub-indices present. A readable split
        of the level (correlations are not split out); rows sum to the index.
        """
        sub = self.subindices
        w = pd.Series(self.spec.weights, index=list(SUBINDEX_COLUMNS))
        ws = sub.mul(w, axis=1).where(sub.notna() & (w > 0), np.nan)
        total = ws.sum(axis=1, min_count=1)
        return ws.div(total.where(total > 0), axis=0).mul(self.frame[STRESS], axis=0)

    # ------------------------------------------------------------------ freshness
    @cached_property
    def state_frame(self) -> pd.DataFrame:
        """State of every head column, sub-index and signal on every date.

        ``available`` where it has a value; else ``stale`` when an input it reads is past its
        staleness limit on that date; else ``missing`` (an input has not reported, is absent,
        or the value is still in its burn-in). The head columns (``stress``, ``percentile``,
        ``regime``) read the anchor and the required sub-indices; the signatures read the
        10-year yield and the broad dollar.
        """
        stale = {k: (self.availability[k] == STALE).to_numpy() for k in self.availability}
        f = self.frame
        n = len(f)

        code = {s: np.int8(i) for i, s in enumerate(FACT_STATES)}

        def state(has: np.ndarray, keys: tuple[str, ...]) -> pd.Categorical:
            st = np.zeros(n, dtype=bool)
            for k in keys:
                st |= stale.get(k, np.zeros(n, dtype=bool))
            codes = np.where(has, code[AVAILABLE], np.where(st, code[STALE], code[MISSING]))
            return pd.Categorical.from_codes(codes, categories=list(FACT_STATES))

        head_inputs = tuple(sorted({ANCHOR_INPUT, *(k for g in self.spec.require
                                                    for k in self.subindex_inputs[g])}))
        cols: dict[str, pd.Categorical] = {
            STRESS: state(f[STRESS].notna().to_numpy(), head_inputs),
            PERCENTILE: state(f[PERCENTILE].notna().to_numpy(), head_inputs),
            PERCENTILE_LONGRUN: state(f[PERCENTILE_LONGRUN].notna().to_numpy(), head_inputs),
            REGIME: state(f[REGIME].notna().to_numpy(), head_inputs),
            SIGNATURE: state((f[SIGNATURE] != "unavailable").to_numpy(), SIGNATURE_INPUTS),
            SIGNATURE_5D: state((f[SIGNATURE_5D] != "unavailable").to_numpy(),
                                SIGNATURE_INPUTS),
        }
        for g in SUBINDEX_COLUMNS:
            cols[g] = state(f[g].notna().to_numpy(), self.subindex_inputs[g])
        for c in SIGNAL_COLUMNS:
            cols[c] = state(f[c].notna().to_numpy(), self.signal_inputs[c])
        return pd.DataFrame(cols, index=f.index)

    def _calendar_date(self, at: object = None) -> pd.Timestamp:
        if len(self.frame) == 0:
            raise DataError("the stress monitor has no date yet (the panel is empty)")
        if at is None:
            return pd.Timestamp(self.frame.index[-1])
        when = self.frame.index[self.frame.index <= as_date(at, "at")]
        if len(when) == 0:
            raise DataError(f"no date on or before {at}; the first is "
                            f"{self.frame.index[0].date()}")
        return pd.Timestamp(when[-1])

    def _judged_on(self, at: object = None) -> pd.Timestamp:
        """The day a reading is judged on: :attr:`today` when it is later than the panel."""
        d = self._calendar_date(at)
        if at is None and self.today is not None and pd.Timestamp(self.today) > d:
            return pd.Timestamp(self.today).normalize()
        return d

    def judged_on(self, today: object) -> StressResult:
        """The same result with its readings judged on ``today`` (see :attr:`today`)."""
        day = None if today is None else as_date(today, "today").normalize()
        return dataclasses.replace(self, today=day)

    def _as_of(self, at: object = None) -> pd.Timestamp:
        """The last date with a published index on or before ``at`` (else the last date)."""
        frame = self.valid if len(self.valid) else self.frame
        if len(frame) == 0:
            raise DataError("the stress index has no date yet (the panel is empty)")
        if at is None:
            return pd.Timestamp(frame.index[-1])
        when = frame.index[frame.index <= as_date(at, "at")]
        if len(when) == 0:
            raise DataError(f"no stress reading on or before {at}; the first is "
                            f"{frame.index[0].date()}")
        return pd.Timestamp(when[-1])

    def input_states(self, at: object = None) -> pd.DataFrame:
        """Freshness of every input on a date (default: :attr:`today`, else the panel's last).

        Past the panel's last date (today, weeks after the data end) each input keeps its last
        report: its age counts to that day, and one past its limit is ``stale``.

        Returns
        -------
        DataFrame
            Indexed by input key; columns ``state`` (``fresh``/``stale``/``missing``),
            ``last_observed`` (date of its last report, NaT if none), ``age_days`` (calendar
            days since) and ``stale_after_days`` (its limit).
        """
        d = self._calendar_date(at)
        day = self._judged_on(at)
        last = pd.to_datetime(self.last_observed.loc[d])
        age = (day - last).dt.days
        limits = pd.Series(self.stale_limits).reindex(last.index)
        state = self.availability.loc[d].astype(str)
        if day > d:
            state = state.where(~((state == FRESH) & (age > limits)), STALE)
        return pd.DataFrame({
            "state": state,
            "last_observed": last,
            "age_days": age.astype("float64"),
            "stale_after_days": limits,
        })

    def fact_states(self, at: object = None) -> dict[str, str]:
        """What rule facts need: is each value of today's reading available, stale or missing.

        The reading is :meth:`latest` (the last published date on or before ``at``, default the
        panel's last date). If that reading is older than the 10-year yield's staleness limit
        on ``at``, every value is ``stale``; else each value has its state on the reading's
        date (:attr:`state_frame`). Keys are frame columns (``stress``, ``percentile``,
        ``regime``, ``signature``, ``signature_5d``, the sub-indices and the signals); the
        alert fact ``stress.index`` is the column ``stress``.
        """
        today = self._judged_on(at)
        try:
            d = self._as_of(self._calendar_date(at))
        except DataError:
            return dict.fromkeys(self.state_frame.columns, MISSING)
        if self.frame.loc[d, STRESS] != self.frame.loc[d, STRESS]:   # nothing published yet
            return dict.fromkeys(self.state_frame.columns, MISSING)
        if (today - d).days > self.stale_limits.get(ANCHOR_INPUT, 6):
            return dict.fromkeys(self.state_frame.columns, STALE)
        return {k: str(v) for k, v in self.state_frame.loc[d].items()}

    def missing_reason(self, key: str, at: object = None) -> str:
        """Why a sub-index or signal ``key`` has no value on the reading's date.

        "missing input on 1997-06-23" was said of the credit sub-index while both its spreads
        printed that day: it was in its burn-in (its first value 1997-12-23). Inputs that have
        not reported are named; with every input printing, the history is said to be too short.
        """
        d = self._as_of(self._calendar_date(at))
        inputs = self.subindex_inputs.get(key) or self.signal_inputs.get(key) or ()
        state = self.availability.loc[d] if d in self.availability.index else pd.Series()
        absent = [k for k in inputs if state.get(k, MISSING) == MISSING]
        if inputs and not absent:
            return (f"too little history on {d:%Y-%m-%d}: {', '.join(inputs)} "
                    f"{'print' if len(inputs) > 1 else 'prints'}, the value is still in its "
                    "burn-in")
        return f"missing input on {d:%Y-%m-%d}" + (f" ({', '.join(absent)})" if absent else "")

    def week_ago(self, at: object = None, *, bdays: int = 5) -> dict[str, Any] | None:
        """The reading ``bdays`` business days before the headline date (for a delta arrow).

        The last published reading on or before ``headline date − bdays`` business days;
        ``None`` when there is none. Keys ``date``, ``stress``, ``percentile``, ``regime`` and
        the changes ``stress_change`` and ``percentile_change`` to the headline.
        """
        d = self._as_of(at)
        target = d - pd.offsets.BDay(bdays)
        before = self.valid.index[self.valid.index <= target]
        if len(before) == 0:
            return None
        w = pd.Timestamp(before[-1])
        now, then = self.frame.loc[d], self.frame.loc[w]
        return jsonable({
            "date": w.date().isoformat(), "stress": then[STRESS],
            "percentile": then[PERCENTILE], "regime": then[REGIME],
            "stress_change": now[STRESS] - then[STRESS],
            "percentile_change": now[PERCENTILE] - then[PERCENTILE],
        })

    def latest(self, at: object = None) -> dict[str, Any]:
        """The last published reading on or before ``at`` (default: the panel's last date).

        Returns
        -------
        dict
            ``date`` (ISO date of the reading), ``stress``, ``percentile`` (recent),
            ``percentile_longrun`` (all history, equal weights), ``regime``,
            ``signature``, ``signature_5d`` (and ``signature_5d_last``,
            ``signature_5d_last_date``: its last day with both legs), ``signature_last`` and
            ``signature_last_date`` (the last day on or before it with both legs, which the
            monitor's ``stress.signature`` fact reads), ``subindices`` (dict),
            ``subindex_percentiles`` (dict: each sub-index's percentile, 0–100, within its own
            history), ``signals`` (dict);
            ``as_of`` (the day it is read on: :attr:`today` when set and later, else the
            panel's date), ``age_days`` (calendar days from the reading to ``as_of``),
            ``fresh`` (the reading is within the 10-year yield's
            staleness limit of ``as_of``); ``stale`` and ``missing`` (input keys in that state
            on ``as_of``), ``inputs`` (per input: ``state``, ``last`` report date,
            ``age_days``, ``stale_after_days``); ``week_ago_date``, ``week_ago_stress``,
            ``week_ago_percentile`` (:meth:`week_ago`). NaN becomes ``None``.
        """
        today = self._judged_on(at)
        d = self._as_of(self._calendar_date(at))
        row = self.frame.loc[d]
        # the day's signature needs both legs of that day: as of an evening the dollar of the
        # last days is not out yet, so also the last day that had both (the monitor's fact)
        sig = self.frame[SIGNATURE].loc[:d]
        sig = sig[sig.notna() & (sig != "unavailable")]
        sig5 = self.frame[SIGNATURE_5D].loc[:d]
        sig5 = sig5[sig5.notna() & (sig5 != "unavailable")]
        inp = self.input_states(at)
        wk = self.week_ago(d) or {}
        age = (today - d).days
        since, run, recent = self._regime_run(d)
        return jsonable({
            "date": d.date().isoformat(),
            "stress": row[STRESS], "percentile": row[PERCENTILE],
            "percentile_longrun": row[PERCENTILE_LONGRUN], "regime": row[REGIME],
            # how long the regime has held, and the last 20 readings' regimes: a label read
            # off the day's percentile alone changes back within a week in most cases
            "regime_since": since, "regime_readings": run, "regime_last_20": recent,
            # a regime the exit band holds above its percentiles' own ("75, elevated")
            "regime_held": held_by_band(row[REGIME], row[PERCENTILE], row[PERCENTILE_LONGRUN],
                                        self.spec.thresholds, self.spec.exit_band),
            "signature": row[SIGNATURE],
            "signature_5d": row[SIGNATURE_5D],
            "signature_last": sig.iloc[-1] if len(sig) else None,
            "signature_last_date": sig.index[-1].date().isoformat() if len(sig) else None,
            # ... and the five-day view's, read on days both legs report (live, the dollar
            # of the evening's week is not out: the last week that had both)
            "signature_5d_last": sig5.iloc[-1] if len(sig5) else None,
            "signature_5d_last_date": (sig5.index[-1].date().isoformat() if len(sig5)
                                       else None),
            # the signature's legs behind the reading's date, with their last report (an
            # evening's dollar, the Fed's H.10, is out the Monday after its week)
            "signature_waiting": {k: _iso(r["last_observed"])
                                  for k, r in inp.iterrows() if k in SIGNATURE_LEGS
                                  and (pd.isna(r["last_observed"])
                                       or pd.Timestamp(r["last_observed"]) < d)},
            # no day read by then at all: why (`stress --as-of 2006-03-01` said "signature
            # unavailable" of a broad dollar two months old, its JSON null without a word)
            "signature_unread": None if len(sig) else self._signature_unread(inp),
            "subindices": {k: row[k] for k in SUBINDEX_COLUMNS},
            # each sub-index ranked within its own history (a Treasury rout the composite
            # averages away: 2023-10-19 read "calm, percentile 72" beside rates 0.79)
            "subindex_percentiles": {k: self.segment_percentiles.at[d, k]
                                     for k in SUBINDEX_COLUMNS},
            "signals": {k: row[k] for k in SIGNAL_COLUMNS},
            "as_of": today.date().isoformat(), "age_days": age,
            "fresh": bool(age <= self.stale_limits.get(ANCHOR_INPUT, 6)
                          and row[STRESS] == row[STRESS]),
            "stale": [k for k, s in inp["state"].items() if s == STALE],
            "missing": [k for k, s in inp["state"].items() if s == MISSING],
            "inputs": {k: {"state": r["state"], "last": _iso(r["last_observed"]),
                           "age_days": r["age_days"],
                           "stale_after_days": r["stale_after_days"]}
                       for k, r in inp.iterrows()},
            # the inputs the reading itself went without (stale or missing on its own date),
            # each with its last report by then: "stale on <today>" listed every input and
            # said nothing of the reading of 2026-01-06 computed without VIX and credit
            "reading_without": {k: _iso(r["last_observed"])
                                for k, r in self.input_states(d).iterrows()
                                if r["state"] != FRESH},
            "week_ago_date": wk.get("date"), "week_ago_stress": wk.get("stress"),
            "week_ago_percentile": wk.get("percentile"),
        })

    def _signature_unread(self, inp: pd.DataFrame) -> str:
        """Why no day up to the reading has a signature (:meth:`latest`'s ``signature_unread``).

        A leg with no report by then, or each leg's volatility scale (at least half of the
        spec's ``signature_window`` changes) not yet filled.
        """
        none = [k for k in SIGNATURE_LEGS if k not in inp.index
                or pd.isna(inp.loc[k, "last_observed"])]
        if none:
            return f"no {' nor '.join(none)} by then"
        w = int(getattr(self.spec, "signature_window", 250))
        return (f"never read by then: each leg's moves are scaled by the volatility of at least "
                f"{max(2, w // 2)} of its last {w} changes")

    def _regime_run(self, d: pd.Timestamp) -> tuple[str | None, int | None, dict[str, int]]:
        """The regime's current run up to ``d``, and the last readings' regimes.

        First date and length of the run, and the count of each regime over the last
        :data:`REGIME_WINDOW` readings.
        """
        reg = self.valid[REGIME].loc[:d]
        reg = reg[reg.notna()]
        if not len(reg):
            return None, None, {}
        vals = reg.to_numpy(dtype=object)
        k = len(vals) - 1
        while k > 0 and vals[k - 1] == vals[-1]:
            k -= 1
        recent = reg.iloc[-REGIME_WINDOW:].value_counts()
        return (reg.index[k].date().isoformat(), len(vals) - k,
                {r.value: int(recent.get(r.value, 0)) for r in Regime})

    # ------------------------------------------------------------------ tables
    def signals_table(self, at: object = None) -> pd.DataFrame:
        """The signals of the reading with their recursive percentile, light and freshness.

        Returns
        -------
        DataFrame
            Indexed by signal column; columns ``signal`` (label), ``value``, ``percentile``
            (0–100 among the indicator's own history, where it enters the index), ``light``,
            ``state`` (``available``/``stale``/``missing``) and ``last_observed`` (the oldest
            last report among the signal's inputs).
        """
        d = self._as_of(at)
        row = self.frame.loc[d]
        ind = self.indicators.loc[d] if d in self.indicators.index else pd.Series(dtype=float)
        states = self.state_frame.loc[d]
        last = self.last_observed.loc[d]
        rows = []
        for col in SIGNAL_COLUMNS:
            v = float(row[col])
            p = float(ind[col]) * 100.0 if col in ind.index else math.nan
            z = v if col.endswith(("_z1", "_z5")) else None
            seen = [last[k] for k in self.signal_inputs[col] if k in last.index]
            rows.append({"name": col, "signal": SIGNAL_LABELS.get(col, col), "value": v,
                         "percentile": p, "light": light(p, z) if math.isfinite(v) else "",
                         "state": str(states[col]),
                         "last_observed": min(seen) if seen and not any(pd.isna(seen))
                         else pd.NaT})
        return pd.DataFrame(rows).set_index("name")

    def table(self) -> pd.DataFrame:
        """Today's signals table (see :meth:`signals_table`), signals without data left out."""
        t = self.signals_table()
        return t[t["value"].notna()]

    def to_frame(self) -> pd.DataFrame:
        """Tidy long frame: ``date, variable, value`` (numeric columns only)."""
        num = self.frame.drop(columns=[REGIME, SIGNATURE, SIGNATURE_5D, STALE_INPUTS])
        long = num.reset_index().melt(id_vars="date", var_name="variable", value_name="value")
        return long.dropna(subset=["value"]).reset_index(drop=True)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe: the latest reading and today's signals table."""
        # each signal's last input date, as the report and /api/signals give it: a reading's
        # H.10 dollar row is the Friday before (a trader read "dollar up sharply today")
        table = self.table()
        table = table.assign(last_observed=[None if pd.isna(v) else f"{pd.Timestamp(v):%Y-%m-%d}"
                                            for v in table["last_observed"]])
        return {"title": self.title, "simulated": self.simulated, "latest": self.latest(),
                "signals": jsonable(table.reset_index().to_dict(orient="records"))}

    def since(self, start: object) -> StressResult:
        """The result shown from ``start`` on (each value as computed on the whole history).

        The index is recursive, so cutting the rows after the computation changes no value;
        cutting the *input* would restart the burn-in and the rankings at ``start``.
        """
        lo = as_date(start, "start")   # a zone-aware start raised pandas' TypeError
        return dataclasses.replace(
            self, frame=self.frame.loc[lo:], indicators=self.indicators.loc[lo:],
            availability=self.availability.loc[lo:],
            last_observed=self.last_observed.loc[lo:],
            segment_percentiles=self.segment_percentiles.loc[lo:])

    def unread_reason(self) -> str | None:
        """Why the index has no reading at all (None when it has one, or no reason is known).

        A required block whose inputs the data never had, or, with its inputs present, the
        burn-in: each indicator is ranked against ``burn_in`` days of its own history, and
        300 days of data read "the data have no input of the required block(s) rates, dollar".
        """
        if len(self.valid):
            return None
        never = [g for g in self.spec.require
                 if g in self.frame and not self.frame[g].notna().any()]
        if not never:
            return None
        absent = [g for g in never if not any(
            k in self.availability and (self.availability[k] != MISSING).any()
            for k in self.subindex_inputs.get(g, ()))]
        if absent:    # a required block the data never had: no date can be published
            return (f"the data have no input of the required block(s) {', '.join(absent)}: "
                    f"the index is published only with {', '.join(self.spec.require)} all "
                    "present")
        idx = self.frame.index
        return (f"the required block(s) {', '.join(never)} have no value yet: each indicator is "
                f"ranked against at least {self.spec.burn_in} days of its own history (the "
                f"burn-in), and the data hold {len(idx)} dates"
                + (f" ({idx[0]:%Y-%m-%d} to {idx[-1]:%Y-%m-%d})" if len(idx) else "")
                + ": import a longer history")

    def unranked_reason(self, at: object = None) -> str | None:
        """Why the last reading on or before ``at`` has an index but no percentile (else None).

        The percentile ranks a reading against at least ``burn_in`` earlier readings of the
        index in the same composition (module :mod:`.index`, step 7); data from 2025 read
        "Stress n/a (percentile n/a, index 0.069)" in ``run``'s headline without a reason.
        """
        v = self.valid if at is None else self.valid.loc[:pd.Timestamp(str(at))]
        if not len(v) or math.isfinite(float(v[PERCENTILE].iloc[-1])):
            return None
        n, need = len(v), int(self.spec.burn_in)
        if n < need:
            return (f"no percentile yet: a reading is ranked against at least {need} readings "
                    f"of the index, and these data give {n} (since {v.index[0]:%Y-%m-%d}); "
                    "import a longer history")
        return (f"no percentile: the inputs present on {v.index[-1]:%Y-%m-%d} have fewer than "
                f"{need} readings together (the index is ranked within the inputs it has)")

    def short_history(self, at: object = None, years: float = SHORT_HISTORY_YEARS) -> str | None:
        """A note when the readings the percentiles rank against span under ``years``.

        Data that begin in 2021 read SVB (2023-03-13) at percentile 78, "all history 77",
        calm, ranked against 2022 alone (96 and crisis on the whole history), and nothing said
        that the history was short.
        """
        if not len(self.valid):
            return None
        first = self.valid.index[0]
        d = self.valid.index[-1] if at is None else pd.Timestamp(str(at))
        span = (d - first).days / 365.25
        if span >= years:
            return None
        return (f"the percentiles rank this reading against {span:.1f} years of readings "
                f"(since {first:%Y-%m-%d}): 'all history' is that short history, and a "
                "crisis that history has not seen can read as calm; import a longer history")

    def short_signal_history(self, at: object = None,
                             years: float = SHORT_HISTORY_YEARS) -> str | None:
        """A note naming the signals whose percentile ranks against under ``years`` of data.

        The composite's note (:meth:`short_history`) covers the index; a signal whose series
        began later ranks against less: on 1998-08-17 the high-yield spread read "percentile
        100, red" against 1.6 years of ICE's series (from 1996-12-31), which a trader read as a
        record spread. ``None`` when every ranked signal has that much history.
        """
        if not len(self.valid):
            return None
        d = self._as_of(at)
        if d not in self.indicators.index:
            return None
        ind = self.indicators.loc[d]
        short = []
        for col in SIGNAL_COLUMNS:
            if col not in ind.index or not math.isfinite(float(ind[col])):
                continue
            first = self.frame[col].loc[:d].first_valid_index()
            if first is None:
                continue
            span = (d - first).days / 365.25
            if span < years:
                # tenths cut, not rounded: 4.9993 years read "under 5 years … 5.0 years"
                short.append(f"{col} {math.floor(span * 10) / 10:.1f} years "
                             f"(since {first:%Y-%m-%d})")
        if not short:
            return None
        return (f"these signals' percentiles rank against under {years:g} years of their own "
                f"history: {', '.join(short)}; a level that history has not seen reads as its "
                "extreme")

    def _summary_lines(self) -> list[str]:
        tag = " (SIMULATED)" if self.simulated else ""
        if not len(self.valid):
            lines = [f"{self.title}{tag}: no reading in these dates (the index is published "
                     "on days the 10-year yield reports: a market holiday, the burn-in, or no "
                     "fresh inputs)"]
            why = self.unread_reason()
            if why:
                lines.append(why)
            try:
                last = self.latest()
            except SpillwatchError:
                return lines
            return lines + self._input_lines(last, read=False)
        last = self.latest()
        subs = segments_text(last["subindices"], last["subindex_percentiles"])
        pct, lr = last["percentile"], last["percentile_longrun"]
        pct_txt = (f"percentile {whole_percentile(pct)}" if pct is not None
                   else "percentile n/a")
        if lr is not None:
            pct_txt += f", all history {whole_percentile(lr)}"
        lines = [
            f"{self.title}{tag} as of {last['date']}: stress {last['stress']:.3f} "
            f"({pct_txt}, {last['regime'] or 'n/a'}"
            f"{'; ' + last['regime_held'] if last.get('regime_held') else ''}); "
            f"signature {signature_text(last)}",
            f"sub-indices: {subs}",
        ]
        if last.get("regime_since"):
            n, recent = last["regime_readings"], last["regime_last_20"]
            lines.append(f"regime {last['regime']} since {last['regime_since']} ({n} reading"
                         f"{'s' if n != 1 else ''}); the last {sum(recent.values())}: "
                         + ", ".join(f"{v} {k}" for k, v in recent.items()))
        return lines + self._input_lines(last)

    @staticmethod
    def _input_lines(last: dict[str, Any], *, read: bool = True) -> list[str]:
        """The inputs past their staleness limit, and those the data lack.

        ``read``: whether ``last`` is a reading; the last date of a result without one is
        named as the data's last day, not as "the reading of" it.
        """
        lines = []
        without = last.get("reading_without") or {}
        if without and last.get("as_of") != last.get("date"):
            # judged on a later day every input may be stale; what the reading itself lacked
            seen = ", ".join(f"{k} (last {v})" if v else f"{k} (none yet)"
                             for k, v in without.items())
            day = (f"the reading of {last['date']}" if read
                   else f"the data's last day, {last['date']} (no reading),")
            lines.append(f"{day} is without: {seen}")
        if last.get("stale"):
            seen = ", ".join(f"{k} (last {last['inputs'][k]['last']})" for k in last["stale"])
            lines.append(f"stale on {last['as_of']}: {seen}")
        if last.get("missing"):
            lines.append(f"missing inputs: {', '.join(last['missing'])}")
        return lines

    @property
    def headline(self) -> str:
        """One line for run summaries."""
        return self._summary_lines()[0]

    def weekly_correlation(self, reference: pd.Series, *, freq: str = "W-FRI",
                           method: str = "pearson", how: str = "mean") -> tuple[float, int]:
        """Correlation of the weekly index with a weekly reference index.

        Parameters
        ----------
        reference : Series
            A weekly stress index dated at the week's end (e.g. the St. Louis Fed's STLFSI4,
            dated Friday).
        freq : str, default "W-FRI"
            Weeks ending on the reference's weekday.
        method : {"pearson", "spearman"}
        how : {"mean", "last"}
            The week's mean of the index, or its last published value in the week.

        Returns
        -------
        (float, int)
            The correlation (NaN under :data:`MIN_REFERENCE_WEEKS` weeks) and the number of
            weeks both have.
        """
        if how not in ("mean", "last"):
            raise ConfigError(f"how must be 'mean' or 'last'; got {how!r}")
        rs = self.frame[STRESS].dropna().resample(freq)
        weekly = rs.mean() if how == "mean" else rs.last()
        ref = reference.dropna()
        ref = ref[ref.index.isin(weekly.index)]
        both = pd.DataFrame({"ours": weekly.reindex(ref.index), "ref": ref}).dropna()
        if len(both) < MIN_REFERENCE_WEEKS:
            return math.nan, len(both)
        return float(both["ours"].corr(both["ref"], method=method)), len(both)

    def plot(self, kind: str | None = None) -> Any:
        """Plotly figure: ``"index"`` (default, regime shading), ``"contributions"``.

        plotly is imported lazily.
        """
        from spillwatch.plotting import stress as figs

        kinds = {"index": figs.stress_index, "contributions": figs.contributions}
        key = kind or "index"
        if key not in kinds:
            raise ConfigError(f"unknown plot kind {key!r}; choose one of: "
                              f"{', '.join(repr(k) for k in kinds)}")
        return kinds[key](self, simulated=self.simulated)

    def __rich__(self) -> Any:
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        # the signals of the reading, dated (behind the data's last day when inputs are stale),
        # each with its inputs' last date when that is before the reading's (the H.10 dollar
        # of the Friday before, read as the day's move)
        day = self._as_of(None)
        of = (f"the reading of {day:%Y-%m-%d}" if len(self.valid)
              else f"{day:%Y-%m-%d}, the data's last day (no reading)")
        t = Table(title=f"signals of {of} (last input: the day a signal's inputs last "
                        "reported, when before it)")
        for c in ("signal", "value", "percentile", "light", "last input"):
            t.add_column(c, justify="left" if c == "signal" else "right")
        colors = {"red": "bold red", "amber": "bold yellow", "green": "green"}
        for _, r in self.table().iterrows():
            lt = r["light"]
            pct = "" if not math.isfinite(r["percentile"]) else whole_percentile(r["percentile"])
            last = r["last_observed"]
            t.add_row(r["signal"], f"{r['value']:,.2f}", pct,
                      Text(lt, style=colors[lt]) if lt else "",
                      "" if pd.isna(last) or pd.Timestamp(last) >= day
                      else f"{pd.Timestamp(last):%Y-%m-%d}")
        return Group(*self._summary_lines(), t)


__all__ = ["FRESH", "HEAD_COLUMNS", "LIGHT_PERCENTILES", "LIGHT_Z", "SEGMENT_TOP",
           "SEGMENT_WORDS", "StressResult", "StressSpec", "light", "segment_text",
           "segments_text", "top_segments", "whole_percentile"]
