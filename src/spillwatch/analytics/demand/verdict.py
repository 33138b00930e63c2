"""Sell America: 'and foreigners are selling', or 'on other news'.

The stress monitor's yield–dollar signature marks *sell America* days (Treasury yields up and
the dollar down over a week, :mod:`spillwatch.analytics.stress.signature`); prices alone do not
say who sold. This companion reads the foreign-demand gauge on each such day:

================================  ==========================================================
verdict                           when
================================  ==========================================================
``foreign_selling``               signature ``sell_america`` and the gauge's percentile is at
                                  least ``threshold`` (default 80: the elevated cut-off of
                                  the stress regimes)
``other_news``                    signature ``sell_america`` and the percentile is below it
``unknown``                       signature ``sell_america`` but the gauge is unavailable
``no_signature``                  the signature itself is unavailable (a leg missing or in
                                  its burn-in): not counted as a day without sell America
``none``                          any other signature
================================  ==========================================================

In real time the gauge only knows what was published (custody a day after the Wednesday, MOF's
flows five days after the week, interventions at the month's end), so a verdict of the day can
be ``other_news`` while the selling is still unpublished. ``confirm_days`` > 0 reads the highest
percentile over the following days instead: an *ex-post* label for history (it uses later
publications; never feed it to alerts).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from spillwatch._results import ResultBase, jsonable
from spillwatch._validation import is_int, is_real
from spillwatch.analytics.demand._results import DemandResult
from spillwatch.exceptions import ConfigError, DataError
from spillwatch.plotting.demand import BANDS

SELL_AMERICA = "sell_america"
#: Days a signature date may lie after the gauge's last row and still read it.
ASOF_TOLERANCE_DAYS = 4


class Verdict(enum.StrEnum):
    """Who sold on a sell-America day."""

    FOREIGN_SELLING = "foreign_selling"
    OTHER_NEWS = "other_news"
    UNKNOWN = "unknown"
    NO_SIGNATURE = "no_signature"
    NONE = "none"


@dataclass(frozen=True, eq=False, repr=False)
class SellAmericaCheck(ResultBase):
    """Per-date verdicts and the sell-America episodes.

    Attributes
    ----------
    frame : DataFrame
        Indexed by the signature's dates: ``signature``, ``percentile`` (the gauge's, as read),
        ``top_group``, ``verdict``.
    threshold : float
        Percentile from which the gauge says foreigners are selling.
    confirm_days : int
        0 for real-time verdicts; else the look-ahead of the ex-post label.
    """

    frame: pd.DataFrame
    threshold: float
    confirm_days: int
    title: str = field(default="sell America: foreign selling or other news?", init=False)

    def episodes(self) -> pd.DataFrame:
        """Runs of consecutive sell-America dates with their verdict.

        Returns
        -------
        DataFrame
            One row per run: ``start``, ``end``, ``days``, ``max_percentile``, ``top_group``
            (the most frequent; of equally frequent ones, the one that led the run's highest
            reading), ``verdict`` (``foreign_selling`` if any day of the run is,
            else ``other_news`` if any is, else ``unknown``).
        """
        # a day whose signature could not be read (a US holiday: neither leg reports) is
        # neither in a run nor out of it: Columbus Day cut 2019-10-10..10-15 in two runs (the
        # report counted 321 runs since 2006 where 317 are), unless the gap is an outage
        f = self.frame[self.frame["verdict"] != Verdict.NO_SIGNATURE.value]
        on = (f["signature"] == SELL_AMERICA).to_numpy()
        if not on.any():
            return pd.DataFrame(columns=["start", "end", "days", "max_percentile", "top_group",
                                         "verdict"])
        days = pd.DatetimeIndex(f.index).to_numpy(dtype="datetime64[D]")
        apart = np.diff(days) > np.timedelta64(ASOF_TOLERANCE_DAYS, "D")
        run = np.cumsum(np.r_[True, (on[1:] != on[:-1]) | apart])
        rows = []
        for _, g in f[on].groupby(run[on]):
            v = set(g["verdict"])
            if Verdict.FOREIGN_SELLING.value in v:
                verdict = Verdict.FOREIGN_SELLING
            elif Verdict.OTHER_NEWS.value in v:
                verdict = Verdict.OTHER_NEWS
            else:
                verdict = Verdict.UNKNOWN
            rows.append({"start": g.index[0], "end": g.index[-1], "days": len(g),
                         "max_percentile": g["percentile"].max(),
                         "top_group": _run_top_group(g), "verdict": str(verdict)})
        return pd.DataFrame(rows)

    def table(self) -> pd.DataFrame:
        """The sell-America episodes (:meth:`episodes`)."""
        return self.episodes()

    def latest(self) -> dict[str, Any]:
        """The last date's signature, percentile, top group and verdict."""
        if self.frame.empty:
            raise DataError("the signature series is empty")
        d = self.frame.index[-1]
        row = self.frame.iloc[-1]
        return jsonable({"date": d, "signature": row["signature"],
                         "percentile": row["percentile"], "top_group": row["top_group"],
                         "verdict": row["verdict"]})

    def to_frame(self) -> pd.DataFrame:
        """Tidy frame: ``date, signature, percentile, top_group, verdict``."""
        return self.frame.reset_index()

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe: the threshold, the latest verdict and the episodes."""
        return {"title": self.title, "threshold": self.threshold,
                "confirm_days": self.confirm_days, "latest": self.latest(),
                "episodes": jsonable(self.episodes().to_dict(orient="records"))}

    def _summary_lines(self) -> list[str]:
        counts = self.frame["verdict"].value_counts()
        mode = "real time" if self.confirm_days == 0 else f"ex post, {self.confirm_days} days"
        parts = ", ".join(f"{v.value} {int(counts.get(v.value, 0))}" for v in
                          (Verdict.FOREIGN_SELLING, Verdict.OTHER_NEWS, Verdict.UNKNOWN))
        lines = [f"{self.title} ({mode}, threshold percentile {self.threshold:g}): "
                 f"sell-America days: {parts}"]
        if len(self.frame):
            last = self.latest()
            lines.append(f"latest {last['date']}: signature {last['signature']}, verdict "
                         f"{last['verdict']}")
        return lines


def _run_top_group(g: pd.DataFrame) -> str:
    """The group that led a run: the most frequent top group.

    A tie goes to the group that led the run's highest reading, not to the first in
    alphabetical order: the run of 2022-09-29..30 read "max 99.7, custody" where the 99.7 of
    MOF's report day was led by Japan official (82% of the gauge), custody leading only the
    94.5 of the day before.
    """
    led = g[g["top_group"].fillna("") != ""]
    if led.empty:
        return ""
    counts = led["top_group"].value_counts()
    tied = sorted(str(k) for k in counts.index[counts == counts.max()])
    among = led[led["top_group"].isin(tied)]["percentile"].dropna()
    if len(tied) == 1 or among.empty:
        return tied[0]
    return str(led.loc[among.idxmax(), "top_group"])


def sell_america_check(signature: pd.Series, demand: DemandResult, *,
                       threshold: float = BANDS[0], confirm_days: int = 0) -> SellAmericaCheck:
    """Combine the yield–dollar signature with the foreign-demand gauge (module docstring).

    Parameters
    ----------
    signature : Series of str
        Signature labels by date (``StressResult.signature``: ``sell_america``,
        ``dash_for_cash``, ``flight_to_quality``, ``none``).
    demand : DemandResult
        The foreign-demand monitor.
    threshold : float, default 80
        Gauge percentile (0–100) from which foreigners count as selling (the gauge's lower
        band, :data:`spillwatch.plotting.demand.BANDS`, where the headlines stop saying
        "calm").
    confirm_days : int, default 0
        0 = real time; otherwise the calendar days after each date over which the highest
        percentile is read (ex post).

    Returns
    -------
    SellAmericaCheck

    Raises
    ------
    DataError
        When ``signature`` is not a Series of labels indexed by dates.
    ConfigError
        When ``threshold`` is not in [0, 100] or ``confirm_days`` is negative.
    """
    if not isinstance(signature, pd.Series):
        raise DataError(f"signature must be a Series of labels by date (StressResult.signature); "
                        f"got {type(signature).__name__}")
    try:
        idx = pd.DatetimeIndex(signature.index).normalize()
    except (TypeError, ValueError):
        raise DataError("signature must be indexed by dates; got an index of "
                        f"{signature.index.dtype}") from None
    if not (is_real(threshold) and 0.0 <= float(threshold) <= 100.0):
        raise ConfigError(f"threshold must be a percentile in [0, 100], e.g. 80; got "
                          f"{threshold!r}", parameter="threshold", value=threshold)
    if not is_int(confirm_days) or confirm_days < 0:
        raise ConfigError(f"confirm_days must be an int >= 0 (0 = real time); got "
                          f"{confirm_days!r}", parameter="confirm_days", value=confirm_days)
    sig = pd.Series(signature.astype(str).to_numpy(), index=idx, name="signature")
    sig = sig[~sig.index.duplicated(keep="last")].sort_index()
    pct = demand.frame["percentile"]
    top = demand.frame["top_group"]
    if confirm_days:
        pct = _forward_max(pct, int(confirm_days))
    read = _asof(pct, sig.index)
    who = _asof_obj(top, sig.index)
    is_sa = (sig == SELL_AMERICA).to_numpy()
    missing = sig.isin(["unavailable", "nan", "None", ""]).to_numpy()
    verdict = np.where(missing, Verdict.NO_SIGNATURE.value, np.where(~is_sa, Verdict.NONE.value,
                       np.where(np.isnan(read), Verdict.UNKNOWN.value,
                                np.where(read >= float(threshold), Verdict.FOREIGN_SELLING.value,
                                         Verdict.OTHER_NEWS.value))))
    frame = pd.DataFrame({"signature": sig.to_numpy(), "percentile": read,
                          "top_group": who, "verdict": verdict}, index=sig.index)
    frame.index.name = "date"
    return SellAmericaCheck(frame=frame, threshold=float(threshold),
                            confirm_days=int(confirm_days))


def _forward_max(x: pd.Series, days: int) -> pd.Series:
    """Max of ``x`` over ``[t, t + days]`` calendar days (NaN-skipping)."""
    idx = x.index.to_numpy(dtype="datetime64[ns]")
    end = np.searchsorted(idx, idx + np.timedelta64(days, "D"), side="right")
    vals = x.to_numpy(dtype=float)
    out = np.array([np.nanmax(vals[i:e]) if np.isfinite(vals[i:e]).any() else np.nan
                    for i, e in enumerate(end)])
    return pd.Series(out, index=x.index)


def _positions(src: pd.Index, dates: pd.DatetimeIndex) -> np.ndarray:
    s = pd.DatetimeIndex(src).to_numpy(dtype="datetime64[ns]")
    d = dates.to_numpy(dtype="datetime64[ns]")
    pos = np.searchsorted(s, d, side="right") - 1
    ok = pos >= 0
    gap = np.where(ok, (d - s[np.maximum(pos, 0)]) / np.timedelta64(1, "D"), np.inf)
    return np.where(ok & (gap <= ASOF_TOLERANCE_DAYS), pos, -1)


def _asof(x: pd.Series, dates: pd.DatetimeIndex) -> np.ndarray:
    pos = _positions(x.index, dates)
    vals = x.to_numpy(dtype=float)
    return np.where(pos >= 0, vals[np.maximum(pos, 0)] if len(vals) else np.nan, np.nan)


def _asof_obj(x: pd.Series, dates: pd.DatetimeIndex) -> np.ndarray:
    pos = _positions(x.index, dates)
    vals = x.to_numpy(dtype=object)
    return np.where(pos >= 0, vals[np.maximum(pos, 0)] if len(vals) else "", "")
