r"""Event studies: what an announcement did to each asset, net of what the market model expected.

For each event and each series, a factor ("market") model is estimated by OLS over an estimation
window that ends ``gap`` days before the event window (MacKinlay 1997, §4; Campbell, Lo & MacKinlay
1997, ch. 4):

.. math:: r_t = \alpha + \beta' f_t + \varepsilon_t, \qquad t \in \text{estimation window}

with the factors :math:`f_t` the S&P 500 and broad-dollar changes by default (a factor series is
not regressed on itself). In the event window days :math:`\tau_1 .. \tau_2` around day 0 (the
first panel date on or after the event's date; for an event given with its time, the first date
whose value of *that series* was sampled after the news: news at 16:15 New York is day 0 of the
next date for the S&P 500 and the Treasury yields, whose daily values are New York closes, but
of the same date for bitcoin, whose daily close is 24:00 UTC; :mod:`spillwatch.timing`):

.. math::
    AR_t = r_t - \hat\alpha - \hat\beta' f_t, \qquad CAR = \textstyle\sum_t AR_t, \\
    V = \hat\sigma^2 \left(I + X^*(X'X)^{-1}X^{*\prime}\right), \qquad
    t_{AR_t} = AR_t / \sqrt{V_{tt}}, \qquad t_{CAR} = CAR / \sqrt{\mathbf 1' V \mathbf 1}

(MacKinlay 1997, eqs. 7-14: the prediction-error variance including the estimation error of
:math:`\hat\alpha, \hat\beta`), with :math:`\hat\sigma^2 = e'e/(n-k)` and p-values from Student-t
with :math:`n-k` degrees of freedom.

Events come from a TOML file (the shipped ``events.toml`` by default; see :func:`load_events`).
An (event, series) pair that the data cannot cover becomes a typed failure with the reason (which
series, which dates); ``strict=True`` raises instead.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from spillwatch._changes import merge_incomplete_rows
from spillwatch._results import ResultBase, jsonable
from spillwatch._validation import as_date, as_frame, fmt_date, is_int, span
from spillwatch.exceptions import ConfigError, DataError
from spillwatch.timing import NY_CLOSE, sample_instants

DEFAULT_FACTORS: tuple[str, ...] = ("spx_pct", "usd_broad_pct")
_ID = re.compile(r"^[A-Za-z0-9_\-]+$")
_EVENT_HEAD = re.compile(r"^\s*\[\[\s*event\s*\]\]")


@dataclass(frozen=True)
class Event:
    """One dated event.

    Attributes
    ----------
    id : str
    date : Timestamp
    name : str
    kind : str
    note : str
    at : Timestamp or None
        The time of the news (UTC) when the file gives one; ``date`` is then its New York date.
    """

    id: str
    date: pd.Timestamp
    name: str
    kind: str = "event"
    note: str = ""
    at: pd.Timestamp | None = None

    @property
    def when(self) -> str:
        """The date, and the New York time when the file gives one ("2025-04-02 16:00 New York")."""
        day = self.date.date().isoformat()
        if self.at is None:
            return day
        return f"{day} {self.at.tz_convert('America/New_York'):%H:%M} New York"


#: Keys an ``[[event]]`` table may hold.
EVENT_KEYS: tuple[str, ...] = ("id", "date", "name", "kind", "note")
_DATE_HINT = ("write it as YYYY-MM-DD, or with the time of the news and its UTC offset "
              "(2025-04-02T16:15:00-04:00)")


def _parse_date(d: Any, where: str, eid: str) -> tuple[pd.Timestamp, pd.Timestamp | None]:
    """An event's (New York) date and, when a time is given, its UTC instant."""
    if isinstance(d, str):
        try:
            d = dt.date.fromisoformat(d)
        except ValueError:
            try:
                d = dt.datetime.fromisoformat(d)
            except ValueError:
                raise ConfigError(f"{where}: event {eid!r} has date {d!r}; {_DATE_HINT}",
                                  path=where) from None
    if isinstance(d, dt.datetime):
        if d.tzinfo is None:
            raise ConfigError(f"{where}: event {eid!r} has the time {d.isoformat()} without a "
                              "UTC offset; the day 0 of each series depends on when the news "
                              "came out: add the offset (New York: -05:00 in winter, -04:00 in "
                              "summer)", path=where)
        at = pd.Timestamp(d).tz_convert("UTC")
        return pd.Timestamp(at.tz_convert("America/New_York").date()), at
    if not isinstance(d, dt.date):
        raise ConfigError(f"{where}: event {eid!r} has date {d!r}; {_DATE_HINT}", path=where)
    return pd.Timestamp(d), None


def _parse_event(raw: dict[str, Any], where: str, i: int) -> Event:
    for key in ("id", "date", "name"):
        if key not in raw:
            raise ConfigError(f"{where}: event #{i + 1} has no {key!r}; every [[event]] needs "
                              "id, date and name", path=where)
    unknown = [k for k in raw if k not in EVENT_KEYS]
    if unknown:
        raise ConfigError(f"{where}: event #{i + 1} has the unknown key(s) "
                          f"{', '.join(map(repr, unknown))}; an [[event]] holds "
                          f"{', '.join(EVENT_KEYS)}", path=where)
    for key in ("id", "name", "kind", "note"):
        if key in raw and not isinstance(raw[key], str):
            raise ConfigError(f"{where}: event #{i + 1} has {key} = {raw[key]!r}; it must be a "
                              "string in quotes", path=where)
    eid = str(raw["id"])
    if not _ID.match(eid):
        raise ConfigError(f"{where}: event id {eid!r} may hold only letters, digits, '_' and "
                          "'-'", path=where)
    date, at = _parse_date(raw["date"], where, eid)
    return Event(id=eid, date=date, name=str(raw["name"]),
                 kind=str(raw.get("kind", "event")), note=str(raw.get("note", "")), at=at)


def load_events(path: str | Path | None = None) -> list[Event]:
    """Read events from a TOML file (``[[event]]`` tables); default the shipped ``events.toml``.

    Raises
    ------
    ConfigError
        Missing file, invalid TOML, a missing field, a bad date or a duplicate id.
    """
    if path is None:
        where = "spillwatch/analytics/events.toml"
        text = resources.files("spillwatch.analytics").joinpath("events.toml").read_text(
            encoding="utf-8")
    else:
        p = Path(path)
        where = str(p)
        if not p.exists():
            raise ConfigError(f"events file {where} does not exist; pass an existing TOML file "
                              "or omit --file for the shipped events", path=where)
        if not p.is_file():
            raise ConfigError(f"events file {where} is not a file; pass a TOML file",
                              path=where)
        data = p.read_bytes()
        try:
            text = data.decode("utf-8-sig")     # a byte-order mark is not an error
        except UnicodeDecodeError as exc:
            line = data[:exc.start].count(b"\n") + 1
            raise ConfigError(f"{where}:{line}: not UTF-8 text (byte {data[exc.start]:#04x}); "
                              "save the events file as UTF-8", path=where) from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where} is not valid TOML: {exc}", path=where) from None
    raws = doc.get("event", [])
    if not isinstance(raws, list) or not raws:
        raise ConfigError(f"{where} holds no [[event]] tables", path=where)
    # the line of each [[event]] header, so an error names where the event starts
    heads = [n for n, ln in enumerate(text.splitlines(), start=1)
             if _EVENT_HEAD.match(ln)]
    places = [f"{where}:{heads[i]}" if len(heads) == len(raws) else where
              for i in range(len(raws))]
    events = [_parse_event(r, places[i], i) for i, r in enumerate(raws)]
    seen: set[str] = set()
    for e, place in zip(events, places, strict=True):
        if e.id in seen:
            raise ConfigError(f"{place}: event id {e.id!r} appears twice", path=where)
        seen.add(e.id)
    return sorted(events, key=lambda e: e.date)


def market_model_ar(y_est: np.ndarray, x_est: np.ndarray, y_evt: np.ndarray,
                    x_evt: np.ndarray) -> dict[str, Any]:
    """OLS market model on the estimation window; abnormal returns and their variance.

    Parameters
    ----------
    y_est : ndarray, shape (n,)
    x_est : ndarray, shape (n, k)
        Regressors including the constant column.
    y_evt : ndarray, shape (L,)
    x_evt : ndarray, shape (L, k)

    Returns
    -------
    dict
        ``coef``, ``sigma2``, ``df``, ``ar``, ``expected``, ``var_ar`` (L,), ``car``,
        ``var_car``, ``vcov`` (L, L).
    """
    n, k = x_est.shape
    xtx_inv = np.linalg.inv(x_est.T @ x_est)
    coef = xtx_inv @ x_est.T @ y_est
    resid = y_est - x_est @ coef
    df = n - k
    sigma2 = float(resid @ resid / df)
    expected = x_evt @ coef
    ar = y_evt - expected
    v = sigma2 * (np.eye(len(y_evt)) + x_evt @ xtx_inv @ x_evt.T)
    return {"coef": coef, "sigma2": sigma2, "df": df, "ar": ar, "expected": expected,
            "var_ar": np.diag(v).copy(), "car": float(ar.sum()), "var_car": float(v.sum()),
            "vcov": v}


@dataclass(frozen=True)
class EventStudy:
    """Specification of the event study.

    Parameters
    ----------
    window : tuple of int, default (-1, 5)
        Event window in panel days relative to day 0, both ends included.
    estimation : int, default 120
        Days of the estimation window (at most; fewer are used when a series starts later).
    gap : int, default 5
        Days between the end of the estimation window and the start of the event window.
    min_estimation : int, default 40
        Fewest estimation days accepted.
    factors : tuple of str, default ("spx_pct", "usd_broad_pct")
        Factor columns; absent ones are skipped. With none, the model is the constant mean.
    strict : bool, default False
        Raise on the first (event, series) the data cannot cover instead of recording it.
    max_gap_days : int, default 5
        Longest calendar gap accepted between consecutive days of the event window (and from
        the event's date to day 0).
    """

    window: tuple[int, int] = (-1, 5)
    estimation: int = 120
    gap: int = 5
    min_estimation: int = 40
    factors: tuple[str, ...] = DEFAULT_FACTORS
    strict: bool = False
    max_gap_days: int = 5

    def __post_init__(self) -> None:
        # factors="spx_pct" was read letter by letter: every "factor" absent, the mean model
        object.__setattr__(self, "factors", (self.factors,) if isinstance(self.factors, str)
                           else tuple(self.factors))
        # gap=None or window=(None, 3) raised a raw TypeError at the comparisons
        if not isinstance(self.window, tuple | list) or len(self.window) != 2:
            raise ConfigError(f"window must be (start, end) in days around the event, e.g. "
                              f"(-1, 5); got {self.window!r}")
        for name, v in (("window start", self.window[0]), ("window end", self.window[1]),
                        ("gap", self.gap), ("estimation", self.estimation),
                        ("min_estimation", self.min_estimation)):
            if not is_int(v):
                raise ConfigError(f"{name} must be a whole number of days; got {v!r}")
        lo, hi = self.window
        if lo > hi:
            raise ConfigError(f"window must be (start, end) with start <= end; got {self.window}")
        if self.gap < 0 or self.estimation < 2 or self.min_estimation < 2:
            raise ConfigError("gap must be >= 0 and estimation, min_estimation >= 2; got "
                              f"gap={self.gap}, estimation={self.estimation}, "
                              f"min_estimation={self.min_estimation}")
        if self.min_estimation > self.estimation:
            raise ConfigError(f"min_estimation ({self.min_estimation}) exceeds estimation "
                              f"({self.estimation})")
        need = len(self.factors) + 3    # the market model's coefficients + 2 residual df
        if self.min_estimation < need:
            # estimation=2 gave a market model with no residual left: t and p of nothing
            raise ConfigError(f"min_estimation must be at least {need} days with "
                              f"{len(self.factors)} factor(s): the market model's "
                              f"{len(self.factors) + 1} coefficients and two degrees of freedom "
                              f"for its residual variance; got {self.min_estimation}")

    def fit(self, data: Any, events: list[Event] | None = None,
            series: list[str] | None = None,
            context: list[Event] | None = None) -> EventStudyResult:
        """Run the study of ``events`` (default: the shipped file) on the columns of ``data``.

        ``context``: every event of the file when only some are studied; a window that holds
        one of them says so (``overlaps``) whether or not that one is studied.
        """
        frame = as_frame(data.sort_index() if hasattr(data, "sort_index") else data)
        if not isinstance(frame.index, pd.DatetimeIndex):
            raise DataError("the event study needs a panel indexed by date (a DatetimeIndex); "
                            "use spillwatch.load(...)")
        names = [str(c) for c in frame.columns]
        if len(set(names)) < len(names):
            # two 'btc_pct' columns (a concat of two panels) ended in numpy's "matmul: Input
            # operand 1 has a mismatch in its core dimension" or "Singular matrix"
            raise DataError(f"column names must be unique as text, got {names}")
        if any(not isinstance(c, str) for c in frame.columns):
            # columns 0, 1, 2 were looked up as '0', '1', '2': "series ['0', '1', '2'] not in
            # the data (columns: 0, 1, 2)", for a series list nobody gave
            frame = frame.set_axis(names, axis=1)
        inf = np.isinf(frame.to_numpy())
        if inf.any():   # an infinite move in a window gave CAR inf, t inf, p 0.0
            col = frame.columns[inf.any(axis=0)][0]
            raise DataError(f"column {col!r} has infinite values; remove them", column=str(col))
        if isinstance(series, str):     # "btc_pct" was read letter by letter
            series = [series]
        from spillwatch.analytics.connectedness._sampling import sampling_hours

        evs = load_events() if events is None else list(events)
        if not evs:
            raise ConfigError("no events given")
        cols = [str(c) for c in frame.columns] if series is None else list(series)
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise ConfigError(f"series {missing} not in the data (columns: "
                              f"{', '.join(map(str, frame.columns))})")
        factors = [f for f in self.factors if f in frame.columns]
        hours = sampling_hours(frame[cols])
        rows: list[dict[str, Any]] = []
        cars: list[dict[str, Any]] = []
        failures: list[dict[str, Any]] = []
        every = list(context or evs)
        for ev in evs:
            others = [e for e in every if e.id != ev.id]
            for col in cols:
                try:
                    # a factor itself (the S&P 500, the broad dollar) is measured against its
                    # own mean: the S&P 500's "market model" was the dollar alone (R² 0.06),
                    # which netted a third of Lehman's fall out of its CAR
                    ar_rows, car_row = self._one(frame, ev, col,
                                                 [] if col in factors else factors,
                                                 hours.get(col), others)
                except DataError as exc:
                    if self.strict:
                        raise
                    failures.append({"event": ev.id, "series": col, "reason": exc.message})
                    continue
                rows.extend(ar_rows)
                cars.append(car_row)
        if not cars:
            reasons = "; ".join(f"{f['event']}/{f['series']}: {f['reason']}"
                                for f in failures[:5])
            raise DataError(f"no event could be studied on this data ({span(frame.index)}): "
                            + reasons, date=fmt_date(evs[0].date))
        return EventStudyResult(spec=self, events=evs, ar=pd.DataFrame(rows),
                                car=pd.DataFrame(cars),
                                failures=pd.DataFrame(failures,
                                                      columns=["event", "series", "reason"]))

    def _day0(self, idx: pd.DatetimeIndex, ev: Event, sampled_utc: float | None) -> int:
        """Position in ``idx`` of an event's day 0 (``len(idx)`` when after the data)."""
        if ev.at is None:
            return int(idx.searchsorted(ev.date))
        # the first date whose value of this series was sampled after the news
        after = sample_instants(idx, NY_CLOSE if sampled_utc is None else sampled_utc) > ev.at
        return int(np.argmax(after)) if after.any() else len(idx)

    def _late_factors(self, frame: pd.DataFrame, ev: Event, col: str, factors: list[str],
                      sampled_utc: float | None) -> list[str]:
        """The factors whose first value comes after this study's shortest estimation window.

        That window is ``min_estimation`` of the series' own days ending ``gap`` days before
        the event window.
        """
        own = merge_incomplete_rows(frame[[col]].dropna(how="all")).index
        if not factors or not len(own):
            return []
        start = self._day0(own, ev, sampled_utc) + self.window[0] - self.gap \
            - self.min_estimation
        if start < 0:
            return []              # the series itself is too short: its own error says so
        need = own[start]
        return [f for f in factors if (first := frame[f].first_valid_index()) is None
                or first > need]

    def _one(self, frame: pd.DataFrame, ev: Event, col: str, factors: list[str],
             sampled_utc: float | None = None, others: list[Event] | None = None
             ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        own = frame[col].dropna()
        if len(own) >= 3:
            step = float(np.median(np.diff(own.index.to_numpy()) / np.timedelta64(1, "D")))
            if step > 4:
                raise DataError(
                    f"{col!r} is not a daily series (a value every {step:.0f} days, "
                    f"{span(own.index)}); an event study measures daily changes",
                    series_id=col, date=fmt_date(ev.date))
        # a factor whose figures begin too late to give this series the shortest estimation
        # window is left out of this (event, series) and named: the broad dollar (from 2006)
        # refused every 10-year study before 2006 ("the window starts before the first date of
        # 'ust10y_bp' with its factors (2006-01-03)"), the S&P 500 and the 10-year printing
        late = self._late_factors(frame, ev, col, factors, sampled_utc)
        factors = [f for f in factors if f not in late]
        cols = [col, *factors]
        # Event time runs over the dates where the series and its factors all have a value; a
        # holiday of one market joins the next date, with the others' moves of that day (crypto
        # on Thanksgiving, BTC's -3.1% on Friday 2022-11-11 when FTX filed: dropped, they were
        # lost), so every change of a row spans the same time.
        sub = merge_incomplete_rows(frame[cols].dropna(how="all"))
        idx = sub.index
        if len(idx) == 0:
            raise DataError(f"{col!r} (with factors {factors or 'none'}) has no date with every "
                            "value present", series_id=col)
        first, last = idx[0], idx[-1]
        p0 = self._day0(idx, ev, sampled_utc)
        lo, hi = p0 + self.window[0], p0 + self.window[1]
        if lo < 0 or ev.date < first:
            raise DataError(
                f"event {ev.id!r} ({fmt_date(ev.date)}): the window {self.window} starts before "
                f"the first date of {col!r} with its factors ({fmt_date(first)})",
                series_id=col, date=fmt_date(ev.date))
        if p0 >= len(idx) or hi >= len(idx):
            raise DataError(
                f"event {ev.id!r} ({fmt_date(ev.date)}): the window {self.window} runs past the "
                f"last date of {col!r} with its factors ({fmt_date(last)})", series_id=col,
                date=fmt_date(ev.date))
        evt = sub.iloc[lo:hi + 1]
        steps = np.r_[0, (evt.index[1:] - evt.index[:-1]).days]
        if (idx[p0] - ev.date).days > self.max_gap_days or steps.max() > self.max_gap_days:
            gaps = [f"{fmt_date(x)} to {fmt_date(y)}"
                    for x, y in zip(evt.index[:-1], evt.index[1:], strict=True)
                    if (y - x).days > self.max_gap_days]
            raise DataError(
                f"event {ev.id!r} ({fmt_date(ev.date)}): {col!r} (with factors "
                f"{factors or 'none'}) has missing dates around the event (no values between "
                f"{'; '.join(gaps) or fmt_date(ev.date) + ' and ' + fmt_date(idx[p0])}); the "
                "event window needs consecutive trading days", series_id=col,
                date=fmt_date(ev.date))
        # the other events' windows, on this series' own days (day 0 of a timed event is
        # each series' first close after it): they stay out of the estimation window, whose
        # variance and betas they would inflate (SVB's window held the gilt crisis and FTX),
        # and one whose day 0 falls in this window is named (its move is in this CAR too)
        est_hi = max(lo - self.gap, 0)
        hit = np.zeros(est_hi, dtype=bool)
        held: list[str] = []
        spans: list[tuple[str, int, int]] = []
        for other in others or ():
            q = self._day0(idx, other, sampled_utc)
            if q >= len(idx) or (q == 0 and other.date < first):
                continue
            if lo <= q <= hi:
                held.append(other.id)
            a, b = max(q + self.window[0], 0), q + self.window[1]
            if a < est_hi:
                hit[a:b + 1] = True
                spans.append((other.id, a, b))
        take = np.flatnonzero(~hit)[-self.estimation:]
        est = sub.iloc[take]
        skipped = int(hit[take[0]:].sum()) if len(take) else 0
        excluded = [e for e, a, b in spans if len(take) and b >= take[0]]
        if len(est) < self.min_estimation:
            have = (f"has {len(est)} usable days {span(est.index)}" if len(est)
                    else f"has no data before {fmt_date(idx[max(est_hi, 0)])}")
            raise DataError(
                f"event {ev.id!r} ({fmt_date(ev.date)}): {col!r} (with factors "
                f"{factors or 'none'}) {have} in the estimation window; the study needs at "
                f"least {self.min_estimation}. {col!r} starts on {fmt_date(first)}.",
                series_id=col, date=fmt_date(ev.date))
        # a factor constant over the estimation window (a frozen feed), or one that moves with
        # another, is left out of this (event, series) and named: it failed every series of
        # the event ("the factors are collinear or constant"), and only the dollar was studied
        dropped = [f for f in factors if float(np.ptp(est[f].to_numpy())) == 0.0]
        factors = [f for f in factors if f not in dropped]
        while factors and np.linalg.matrix_rank(np.column_stack(
                [np.ones(len(est)), est[factors].to_numpy()])) < len(factors) + 1:
            dropped.append(factors.pop())
        x_est = np.column_stack([np.ones(len(est)), est[factors].to_numpy()])
        x_evt = np.column_stack([np.ones(len(evt)), evt[factors].to_numpy()])
        if float(np.ptp(est[col].to_numpy())) == 0.0:
            raise DataError(f"event {ev.id!r}: {col!r} is constant over the estimation window "
                            f"{span(est.index)}", series_id=col, date=fmt_date(ev.date))
        mm = market_model_ar(est[col].to_numpy(), x_est, evt[col].to_numpy(), x_evt)
        sd = np.sqrt(mm["var_ar"])
        t_ar = mm["ar"] / sd
        rel = np.arange(self.window[0], self.window[1] + 1)
        ar_rows = [{"event": ev.id, "series": col, "rel_day": int(r), "date": d,
                    "ret": float(y), "expected": float(e), "ar": float(a), "t": float(t),
                    "car": float(c)}
                   for r, d, y, e, a, t, c in zip(rel, evt.index, evt[col].to_numpy(),
                                                  mm["expected"], mm["ar"], t_ar,
                                                  np.cumsum(mm["ar"]), strict=True)]
        t_car = mm["car"] / np.sqrt(mm["var_car"])
        # the constant-mean model beside it (MacKinlay 1997, sec. 4.1): around a macro event
        # the factors move with the news, and the market model nets that out (COVID's 10-year:
        # market-model CAR +53.5 bp while it fell 19 bp)
        if factors:
            one = np.ones((len(est), 1))
            cm = market_model_ar(est[col].to_numpy(), one, evt[col].to_numpy(),
                                 np.ones((len(evt), 1)))
            car_mean, t_mean = cm["car"], float(cm["car"] / np.sqrt(cm["var_car"]))
            drift_mean = float(cm["coef"][0] * len(evt))
        else:
            car_mean, t_mean = mm["car"], float(t_car)
            drift_mean = float(mm["coef"][0] * len(evt))
        car_row = {"event": ev.id, "event_date": ev.date, "day0": idx[p0], "series": col,
                   "car": mm["car"], "t": float(t_car),
                   "p": float(2 * stats.t.sf(abs(t_car), mm["df"])),
                   "car_mean_model": float(car_mean), "t_mean_model": t_mean,
                   "ar_day0": float(mm["ar"][-self.window[0]]) if self.window[0] <= 0 <=
                   self.window[1] else np.nan,
                   "raw_sum": float(evt[col].sum()), "n_est": len(est),
                   # the constant's part of the expected move: a short estimation window's
                   # drift (TRUMP's 43 days after its launch: -3.00%/day) carries into the
                   # CAR (Liberation Day: CAR +6.38 where TRUMP fell 20.3%)
                   "drift": float(mm["coef"][0] * len(evt)), "drift_mean_model": drift_mean,
                   "window_start": evt.index[0], "window_end": evt.index[-1],
                   "est_start": est.index[0], "est_end": est.index[-1],
                   "est_days_excluded": skipped, "est_excludes": ",".join(excluded),
                   "overlaps": ",".join(held),
                   "factors": ",".join(factors) or "mean",
                   "factors_dropped": ",".join(dropped),
                   "factors_late": ",".join(late),
                   "betas": {f: float(b) for f, b in zip(factors, mm["coef"][1:], strict=True)},
                   "df": mm["df"], "vcov": mm["vcov"]}
        return ar_rows, car_row


def _against_mean(row: Any) -> bool:
    """Whether a market-model CAR has the opposite sign to the constant-mean CAR.

    The report's dagger: the factors' part, not the series' own move (a factor itself is
    measured against its own mean and never is).
    """
    if row.get("factors", "mean") == "mean":
        return False
    car, mean = float(row["car"]), float(row["car_mean_model"])
    return bool(np.isfinite(car) and np.isfinite(mean) and (car > 0) != (mean > 0))


def short_estimation(row: Any, spec: EventStudy) -> str:
    """The caveat of a CAR estimated on fewer days than asked, with the drift it carries.

    "estimated on 43 of 120 days; its drift there, -3.00% a day, is -21.00% of the expected
    move (the constant-mean model's: -21.20%)": the constant fitted on a short window (a
    token's first weeks) can outweigh the event's own move, in both models.
    """
    text = f"estimated on {int(row['n_est'])} of {spec.estimation} days"
    drift = float(row["drift"]) if "drift" in row else float("nan")
    if np.isfinite(drift):
        unit = ("%" if str(row["series"]).endswith("_pct") else
                " bp" if str(row["series"]).endswith("_bp") else "")
        days = spec.window[1] - spec.window[0] + 1
        text += (f"; its drift there, {drift / days:+.2f}{unit} a day, is {drift:+.2f}{unit} "
                 "of the expected move")
        other = float(row["drift_mean_model"]) if "drift_mean_model" in row else float("nan")
        if row.get("factors", "mean") != "mean" and np.isfinite(other):
            text += f" (the constant-mean model's: {other:+.2f}{unit})"
    return text


class EventStudyResult(ResultBase):
    """Abnormal returns and CARs of every (event, series) with t-statistics.

    Attributes
    ----------
    spec : EventStudy
    events : list of Event
    ar : DataFrame
        One row per (event, series, event day): ``ret``, ``expected``, ``ar``, ``t``, ``car``.
    car : DataFrame
        One row per (event, series): ``car``, ``t``, ``p``, estimation window, betas.
    failures : DataFrame
        (event, series, reason) the data could not cover.
    """

    title = "Event study (market-model abnormal returns)"

    def __init__(self, spec: EventStudy, events: list[Event], ar: pd.DataFrame,
                 car: pd.DataFrame, failures: pd.DataFrame) -> None:
        self.spec = spec
        self.events = events
        self.ar = ar
        self.car = car
        self.failures = failures
        #: Events of the list dated after ``as_of`` (left out: not known on that evening).
        self.later: list[Event] = []
        #: Series of the default list the data hold none of (column -> why), left out.
        self.absent: dict[str, str] = {}
        self.as_of: pd.Timestamp | None = None

    @cached_property
    def names(self) -> dict[str, str]:
        return {e.id: e.name for e in self.events}

    def table(self) -> pd.DataFrame:
        """CAR and its t-statistic per (event, series)."""
        cols = ["event_date", "day0", "car", "t", "p", "ar_day0", "raw_sum", "car_mean_model",
                "t_mean_model", "n_est", "drift", "est_days_excluded"]
        return self.car.set_index(["event", "series"])[cols]

    def window_car(self, start: int, end: int) -> pd.DataFrame:
        """CAR over a sub-window ``[start, end]`` of the event window, with its t-statistic.

        Uses the same prediction-error covariance as the full window (MacKinlay 1997, eq. 12).
        """
        lo, hi = self.spec.window
        if not lo <= start <= end <= hi:
            raise ConfigError(f"sub-window [{start}, {end}] must lie inside the event window "
                              f"[{lo}, {hi}]")
        sl = slice(start - lo, end - lo + 1)
        rows = []
        for _, r in self.car.iterrows():
            sub = self.ar[(self.ar["event"] == r["event"]) & (self.ar["series"] == r["series"])]
            car = float(sub["ar"].to_numpy()[sl].sum())
            t = car / float(np.sqrt(r["vcov"][sl, sl].sum()))
            rows.append({"event": r["event"], "series": r["series"], "car": car, "t": t,
                         "p": float(2 * stats.t.sf(abs(t), r["df"]))})
        return pd.DataFrame(rows).set_index(["event", "series"])

    def event(self, event_id: str) -> pd.DataFrame:
        """Day-by-day abnormal returns of one event (rows: event day, columns: series)."""
        if event_id not in set(self.ar["event"]):
            raise ConfigError(f"event {event_id!r} has no results; studied: "
                              + ", ".join(dict.fromkeys(self.ar["event"])))
        sub = self.ar[self.ar["event"] == event_id]
        return sub.pivot(index=["rel_day", "date"], columns="series", values="ar")

    def to_frame(self) -> pd.DataFrame:
        return self.ar.copy()

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "window": list(self.spec.window),
                "events": [{"id": e.id, "date": e.date.date().isoformat(), "name": e.name,
                            "kind": e.kind,
                            "at_utc": None if e.at is None else e.at.isoformat()}
                           for e in self.events],
                "car": jsonable(self.car.drop(columns=["betas", "vcov"]).to_dict(
                    orient="records")),
                "failures": jsonable(self.failures.to_dict(orient="records")),
                "later": [{"id": e.id, "date": e.date.date().isoformat()} for e in self.later],
                "notes": self._notes()}

    def later_note(self) -> str | None:
        """The events left out because they come after the study's evening (None if none)."""
        if not self.later or self.as_of is None:
            return None
        n = len(self.later)
        return (f"{n} event{'s' if n != 1 else ''} of the list "
                f"{'come' if n != 1 else 'comes'} after {self.as_of.date()} (the evening of "
                f"the study) and {'are' if n != 1 else 'is'} left out: "
                f"{', '.join(e.id for e in self.later)}")

    def _notes(self) -> list[str]:
        notes = [n for n in [self.later_note()] if n]
        notes += [f"{col} left out: {why}" for col, why in self.absent.items()]
        gone = self.car[self.car["factors_dropped"] != ""] if len(self.car) else self.car
        late = self.car[self.car["factors_late"] != ""] if len(self.car) else self.car
        # a factor itself (the S&P 500, the broad dollar) is always measured against its own
        # mean: only the other series say whether the factors were in the data
        modelled = (self.car[~self.car["series"].isin(self.spec.factors)] if len(self.car)
                    else self.car)
        if len(modelled) and (modelled["factors"] == "mean").all() and not len(late):
            notes.append(f"none of the market factors ({', '.join(self.spec.factors)}) is in "
                         "the data: constant-mean model" if not len(gone) else
                         f"no market factor ({', '.join(self.spec.factors)}) was usable "
                         "(constant or collinear over the estimation windows): constant-mean "
                         "model")
        if len(gone):
            names = sorted({f for v in gone["factors_dropped"] for f in v.split(",")})
            notes.append(f"factor(s) {', '.join(names)} left out of {len(gone)} (event, series) "
                         "pair(s): constant or collinear over their estimation windows (a "
                         "frozen feed?)")
        if len(late):
            names = sorted({f for v in late["factors_late"] for f in v.split(",")})
            notes.append(f"factor(s) {', '.join(names)} left out of {len(late)} (event, series) "
                         "pair(s) whose estimation window comes before their first figures: "
                         + "; ".join(f"{r['event']}/{r['series']}" for _, r in late.iterrows()))
        return notes

    def _summary_lines(self) -> list[str]:
        w = self.spec.window
        lines = [f"{self.title}; window [{w[0]}, {w[1]}] days, CAR in series units; raw: "
                 "the move itself; mean model: the CAR against the series' own mean (around "
                 "a macro event the factors move with the news, and the market model nets "
                 "their part out); * p < 0.05 (two-sided, Student-t with the estimation "
                 "window's degrees of freedom, on that window's volatility: a fat-tailed "
                 "series whose volatility moves, such as bitcoin, reads it more often than one "
                 "time in 20 on dates with no news)"]
        mean_only = self.car["factors"] == "mean" if len(self.car) else pd.Series(dtype=bool)
        lines += [f"note: {n}" for n in self._notes()]
        by_id = {e.id: e for e in self.events}
        for eid, grp in self.car.groupby("event", sort=False):
            g0 = grp.iloc[0]
            ev = by_id.get(str(eid))
            when = ev.when if ev is not None else fmt_date(g0["event_date"])
            one_day0 = grp["day0"].nunique() == 1
            lines.append(f"{eid} ({when}, day 0 "
                         f"{fmt_date(g0['day0']) if one_day0 else 'per series'}): "
                         f"{self.names.get(str(eid), '')}")
            for _, r in grp.iterrows():
                # the report's rule (a dagger, never bold): COVID's 10-year read "CAR +53.54
                # t= +3.21*" where it fell 19 bp (constant mean -17.83), the VIX "-140.78
                # t= -8.84*" where it rose 73.6%
                against = _against_mean(r)
                star = "*" if r["p"] < 0.05 and not against else " "
                extra = [] if one_day0 else [f"day 0 {fmt_date(r['day0'])}"]
                if against and r["p"] < 0.05:
                    extra.append("p < 0.05 but opposite in sign to the constant-mean CAR: "
                                 "the factors' part, not the series' own move; not starred")
                if r["factors"] == "mean" and not mean_only.all():
                    extra.append("constant mean")
                if r.get("overlaps"):
                    extra.append(f"window also holds {r['overlaps'].replace(',', ', ')}")
                if int(r["n_est"]) < self.spec.estimation:
                    extra.append(short_estimation(r, self.spec))
                if int(r.get("est_days_excluded", 0) or 0):
                    extra.append(f"estimation skips {int(r['est_days_excluded'])} days of "
                                 f"{str(r['est_excludes']).replace(',', ', ')}")
                mean = ("" if r["factors"] == "mean" else
                        f"  mean model {r['car_mean_model']:+8.2f} t={r['t_mean_model']:+6.2f}")
                lines.append(f"   {r['series']:<14} CAR {r['car']:+8.2f}  t={r['t']:+6.2f}{star}"
                             f"  raw {r['raw_sum']:+8.2f}{mean}"
                             + (f"  ({'; '.join(extra)})" if extra else ""))
        if len(self.failures):
            lines.append(f"{len(self.failures)} (event, series) pair(s) not covered by the data:")
            lines += [f"   {f['event']} {f['series']}: {f['reason']}"
                      for _, f in self.failures.head(8).iterrows()]
            if len(self.failures) > 8:
                lines.append(f"   ... {len(self.failures) - 8} more (--json lists every one)")
        return lines

    def plot(self, kind: str | None = None) -> Any:
        """Cumulative abnormal return paths of one event (``kind`` = event id; plotly, lazy)."""
        import plotly.graph_objects as go

        event_id = kind or str(self.car["event"].iloc[-1])
        sub = self.ar[self.ar["event"] == event_id]
        fig = go.Figure()
        # one y axis per unit: basis points and percent on one axis read a 10-year's +12 bp
        # as twelve times the S&P 500's +1%
        axes: dict[str, str] = {}
        for col, grp in sub.groupby("series", sort=False):
            # wti_chg (USD a barrel) and ofr_fsi_chg (index points) were labelled "%"
            unit = ("bp" if str(col).endswith("_bp") else "%" if str(col).endswith("_pct")
                    else "series units")
            axis = axes.setdefault(unit, "y" if not axes else f"y{len(axes) + 1}")
            fig.add_trace(go.Scatter(x=grp["rel_day"], y=grp["car"], mode="lines+markers",
                                     name=f"{col} ({unit})", yaxis=axis))
        # day 0 across every panel
        fig.add_shape(type="line", x0=0, x1=0, xref="x", y0=0, y1=1, yref="paper",
                      line={"color": "#999", "dash": "dot"})
        d0s = sorted({pd.Timestamp(d).date().isoformat()
                      for d in sub["date"][sub["rel_day"] == 0]})
        ev = next((e for e in self.events if e.id == event_id), None)
        when = "" if ev is None else ev.when
        day0 = d0s[0] if len(d0s) == 1 else " or ".join(d0s) + " (the first close after it)"
        # an event no series could be studied on has no day 0 (it read "day 0 =  (the first
        # close after it)")
        said = [x for x in (when, f"day 0 = {day0}" if d0s else "") if x]
        name = self.names.get(event_id, event_id)
        fig.update_layout(title=f"{name} ({'; '.join(said)})" if said else name,
                          xaxis_title="trading days from the event (day 0)")
        # one panel per unit, stacked over the shared days (two axes overlaid on one plot
        # put their zeros at different heights); CAR: the cumulative abnormal return
        n, gap = max(len(axes), 1), 0.08
        height = (1.0 - gap * (n - 1)) / n
        for i, unit in enumerate(axes):
            top = 1.0 - i * (height + gap)
            fig.update_layout({"yaxis" if i == 0 else f"yaxis{i + 1}": {
                "title": f"CAR ({unit})", "anchor": "x",
                "domain": [round(max(top - height, 0.0), 6), round(top, 6)]}})
        if len(axes) > 1:     # the days' labels under the lowest panel
            fig.update_layout(xaxis={"anchor": list(axes.values())[-1]})
        if not axes:
            fig.update_layout(yaxis_title="cumulative abnormal return")
        return fig


def event_study(data: Any, *, events: list[Event] | str | Path | None = None,
                window: tuple[int, int] = (-1, 5), estimation: int = 120, gap: int = 5,
                min_estimation: int = 40, factors: tuple[str, ...] = DEFAULT_FACTORS,
                series: list[str] | None = None, only: list[str] | None = None,
                strict: bool = False, as_of: object = None) -> EventStudyResult:
    """Abnormal moves of each series around each event, against a market model.

    Parameters
    ----------
    data : DataFrame
        Daily changes indexed by date (e.g. ``spillwatch.load(...)``).
    events : list of Event, or path of a TOML file, optional
        Default: the shipped ``events.toml``.
    window, estimation, gap, min_estimation, factors, strict
        See :class:`EventStudy`.
    series : list of str, optional
        Columns to study (default all).
    only : list of str, optional
        Event ids to keep.
    as_of : date-like, optional
        The evening the study is run on: events dated after it are left out (news nobody had
        then) and listed in the result's ``later``.

    Returns
    -------
    EventStudyResult

    References
    ----------
    MacKinlay, A. C. (1997). Event studies in economics and finance. *J. Econ. Lit.* 35(1),
    13-39.
    """
    evs = events if isinstance(events, list) else load_events(events)
    every = list(evs)
    if isinstance(only, str):   # only="covid_oil_crash" was read as ids 'c', 'o', 'v', ...
        only = [only]
    if only:
        unknown = [o for o in only if o not in {e.id for e in evs}]
        if unknown:
            raise ConfigError(f"unknown event id(s) {unknown}; choose from: "
                              + ", ".join(e.id for e in evs))
        evs = [e for e in evs if e.id in only]
    later: list[Event] = []
    if as_of is not None:
        # a zone-aware evening raised pandas' "Cannot compare tz-naive and tz-aware
        # timestamps", a date that is none its DateParseError: its own wall-clock day
        evening = as_date(as_of, "as_of")
        later = [e for e in evs if e.date > evening]
        if only and later and len(later) == len(evs):
            e = later[0]
            raise ConfigError(f"event {e.id!r} ({e.date.date()}) comes after "
                              f"{evening.date()}, the evening the study is run on: the data "
                              "of that evening cannot measure it")
        evs = [e for e in evs if e.date <= evening]
        every = [e for e in every if e.date <= evening]
        if not evs and later:
            raise DataError(f"every event of the list comes after {evening.date()}, the "
                            f"evening the study is run on (the first, {later[0].id}, on "
                            f"{later[0].date.date()}): nothing to measure yet")
    spec = EventStudy(window=tuple(window), estimation=estimation, gap=gap,  # type: ignore[arg-type]
                      min_estimation=min_estimation, factors=factors, strict=strict)
    res = spec.fit(data, evs, series=series, context=every)
    res.later = later
    res.as_of = None if as_of is None else as_date(as_of, "as_of")
    return res
