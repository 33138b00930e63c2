r"""The spillover headline: net spillover from rates + dollar to crypto, synchronous vs daily.

``spillover_headline(changes)`` runs the same rolling-window DY connectedness (VAR(p), generalized
FEVD, H steps; :class:`~._spec.Connectedness`) twice:

* **synchronous** (the headline): on non-overlapping two-day (default) or weekly changes
  (:func:`~._sampling.synchronous_changes`), which removes most of the bias from markets that
  close at different hours (crypto at 24:00 UTC, Treasuries at 21:00, the H.10 dollar at 17:00);
* **daily**: on the raw daily changes, as a naive reading would;

and reports both side by side with their difference (``sensitivity``). The net spillover is the
block measure of :mod:`._blocks`: :math:`B_{\mathrm{crypto},\,\mathrm{rd}} -
B_{\mathrm{rd},\,\mathrm{crypto}}`, in percentage points of the DY table, positive when crypto
*receives* on net from rates + dollar. Each rolling value uses only the window's data (as-of;
no look-ahead); the full-sample values fit one VAR on all rows.

Windows (rows of each sampling): daily 200 (≈ 9.5 months), two-day 150 (≈ 14 months),
weekly 104 (2 years); each keeps at least 8 regression rows per coefficient of a 6-variable
VAR(2). The horizon H counts steps of the sampling (10 steps = 10 days, 20 days, 10 weeks).

:meth:`SpilloverHeadlineResult.placebo` shifts the crypto columns by ±1 day *before* sampling: a
headline that comes from the timing offset changes sign under such a shift, a real one keeps it.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from spillwatch._compat.warns import catch_warnings
from spillwatch._results import ResultBase, jsonable
from spillwatch._validation import MAX_HORIZON, MAX_LAGS, positive_int, span
from spillwatch.analytics.connectedness._blocks import CRYPTO, RATES_DOLLAR, resolve_groups
from spillwatch.analytics.connectedness._fevd import GeneralizedFEVD
from spillwatch.analytics.connectedness._sampling import (
    asynchrony,
    sampling_of,
    synchronous_changes,
)
from spillwatch.analytics.connectedness._spec import Connectedness
from spillwatch.analytics.connectedness._var import VAR
from spillwatch.exceptions import ConfigError, DataError, SingularWindowWarning

HEADLINE = "net spillover from rates + dollar to crypto"
UNIT = "pp of the DY table; > 0: crypto receives on net"


@dataclass(frozen=True)
class SpilloverHeadline:
    """Spec of the spillover headline (see the module docstring).

    Parameters
    ----------
    sampling : {"two_day", "weekly", "daily"}, default "two_day"
        The synchronous setting.
    window : int, optional
        Rolling window in rows of ``sampling``; default 150 (two-day), 104 (weekly), 200
        (daily).
    daily_window : int, default 200
        Rolling window of the daily setting.
    lags : int, default 2
    horizon : int, default 10
    groups : mapping of str to sequence of str, optional
        Blocks; must name ``"rates_dollar"`` and ``"crypto"``. Default: by asset block
        (:func:`~._blocks.default_groups`).
    """

    sampling: str = "two_day"
    window: int | None = None
    daily_window: int = 200
    lags: int = 2
    horizon: int = 10
    groups: tuple[tuple[str, tuple[str, ...]], ...] | None = field(default=None)

    def __post_init__(self) -> None:
        spec = sampling_of(self.sampling)
        object.__setattr__(self, "sampling", spec.name)
        if self.window is None:
            object.__setattr__(self, "window", spec.default_window)
        positive_int(self.window, name="window", minimum=self.lags + 2)
        positive_int(self.daily_window, name="daily_window", minimum=self.lags + 2)
        positive_int(self.lags, name="lags", maximum=MAX_LAGS)
        positive_int(self.horizon, name="horizon", maximum=MAX_HORIZON)
        if self.groups is not None and not isinstance(self.groups, tuple):
            object.__setattr__(self, "groups", _freeze(self.groups))

    @property
    def group_map(self) -> dict[str, list[str]] | None:
        """The groups as a dict (None: by asset block)."""
        return None if self.groups is None else {g: list(m) for g, m in self.groups}

    def _connectedness(self) -> Connectedness:
        # the blocks of :func:`synchronous_changes` already carry holidays to a common close;
        # a NaN left in one is a gap (part of the move lost), so its row is left out: merged,
        # the other assets' moves ran over two blocks against one of the gap's asset
        return Connectedness(model=VAR(lags=self.lags),
                             decomposition=GeneralizedFEVD(horizon=self.horizon),
                             on_singular="nan", incomplete="drop")

    def net_series(self, changes: pd.DataFrame, *, sampling: str, window: int
                   ) -> tuple[pd.Series, float, Any]:
        """Rolling and full-sample net spillover of one setting, and the rolling result."""
        frame = synchronous_changes(changes, sampling=sampling)
        complete = frame.dropna(how="any")
        if len(complete) < window:
            raise DataError(
                f"the {sampling.replace('_', '-')} setting has {len(complete)} complete rows "
                f"({span(complete.index)}), fewer than its window={window}; load a longer "
                "history or pass a smaller window",
                sampling=sampling,
            )
        spec = self._connectedness()
        roll = _quiet(lambda: spec.fit_rolling(frame, window=window))
        full = _quiet(lambda: spec.fit(frame))
        groups = self.group_map
        net = roll.blocks(groups).net_between(CRYPTO, RATES_DOLLAR)
        full_net = full.blocks(groups).net_between(CRYPTO, RATES_DOLLAR)
        return net.rename(sampling), float(full_net), roll

    def fit(self, changes: pd.DataFrame) -> SpilloverHeadlineResult:
        """Run both settings on a panel of daily changes.

        Raises
        ------
        ConfigError
            The columns do not form a rates + dollar and a crypto block.
        DataError
            Too few complete rows for a window.
        """
        cols = [str(c) for c in changes.columns]
        named = resolve_groups(cols, self.group_map)
        missing = [g for g in (RATES_DOLLAR, CRYPTO) if g not in named]
        if missing:
            raise ConfigError(
                f"the headline needs a {' and a '.join(map(repr, missing))} block; columns "
                f"{', '.join(cols)} give blocks {', '.join(map(repr, named))}. Add rates/dollar "
                "and crypto columns (e.g. ust10y_bp, usd_broad_pct, btc_pct) or pass groups=",
                parameter="groups",
            )
        sync, sync_full, sync_roll = self.net_series(changes, sampling=self.sampling,
                                                     window=int(self.window or 0))
        daily, daily_full, daily_roll = self.net_series(changes, sampling="daily",
                                                        window=self.daily_window)
        return SpilloverHeadlineResult(
            spec=self, changes=changes, synchronous=sync, daily=daily,
            synchronous_full=sync_full, daily_full=daily_full,
            synchronous_result=sync_roll, daily_result=daily_roll,
        )


def _freeze(groups: Mapping[str, Sequence[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((str(g), tuple(str(c) for c in members)) for g, members in groups.items())


def _quiet(fn: Callable[[], Any]) -> Any:
    """Run ``fn``; singular windows become NaN entries (listed in ``failures``), not warnings."""
    with catch_warnings():
        warnings.simplefilter("ignore", SingularWindowWarning)
        return fn()


class SpilloverHeadlineResult(ResultBase):
    """Net spillover from rates + dollar to crypto, synchronous and daily, side by side.

    Attributes
    ----------
    spec : SpilloverHeadline
    changes : DataFrame
        The daily changes it was computed from.
    synchronous, daily : Series
        Rolling net spillover (pp; > 0: crypto receives on net), by window end date.
    synchronous_full, daily_full : float
        Net spillover of one VAR on every row of each setting.
    synchronous_result, daily_result : RollingConnectednessResult
        The rolling connectedness behind each series (tables, TCI, failures).
    """

    title = "Spillover headline: net rates + dollar → crypto"

    def __init__(self, *, spec: SpilloverHeadline, changes: pd.DataFrame,
                 synchronous: pd.Series, daily: pd.Series, synchronous_full: float,
                 daily_full: float, synchronous_result: Any, daily_result: Any) -> None:
        self.spec = spec
        self.changes = changes
        self.synchronous = synchronous
        self.daily = daily
        self.synchronous_full = synchronous_full
        self.daily_full = daily_full
        self.synchronous_result = synchronous_result
        self.daily_result = daily_result

    # ------------------------------------------------------------------ derived numbers
    @property
    def sampling(self) -> str:
        """The synchronous setting's name (``"two_day"``, ``"weekly"`` or ``"daily"``)."""
        return str(self.spec.sampling)

    @cached_property
    def sampling_label(self) -> str:
        """What the synchronous setting is, in words."""
        return sampling_of(self.sampling).label

    @cached_property
    def sensitivity(self) -> pd.Series:
        """Synchronous minus daily net spillover on each synchronous date (pp).

        The two settings keep their own windows, lags and horizons in their own steps (two-day:
        150 readings = 300 days, 2 lags = 4 days, H = 20 days; daily: 200 days, 2 days, 10
        days), so the difference is how far the headline is from the standard daily table, not
        the asynchrony's effect alone.
        """
        daily = self.daily.reindex(self.synchronous.index)
        return (self.synchronous - daily).rename("synchronous - daily")

    @cached_property
    def asynchrony(self) -> dict[str, Any]:
        """Sampling hours of the columns and the offset's share of a step, per setting."""
        out = {s: asynchrony(self.changes, s) for s in ("daily", self.sampling)}
        return {"hours_utc": out["daily"]["hours_utc"],
                "max_offset_hours": out["daily"]["max_offset_hours"],
                "offset_share": {s: v["offset_share"] for s, v in out.items()}}

    @staticmethod
    def _latest(series: pd.Series) -> tuple[Any, float | None]:
        valid = series.dropna()
        if valid.empty:
            return None, None
        return valid.index[-1], float(valid.iloc[-1])

    @cached_property
    def latest(self) -> dict[str, Any]:
        """Latest synchronous and daily values, their dates, and the difference."""
        sd, sv = self._latest(self.synchronous)
        dd, dv = self._latest(self.daily)
        same = None if sd is None else self.daily.get(sd)
        diff = None if sv is None or same is None or not np.isfinite(same) else sv - float(same)
        return {"synchronous": sv, "synchronous_date": sd, "daily": dv, "daily_date": dd,
                "sensitivity": diff}

    def table(self) -> pd.DataFrame:
        """One row per setting: sampling, window, rows, latest, mean, full-sample net, share > 0."""
        rows = []
        shares = self.asynchrony["offset_share"]
        for name, series, full, res, window in (
            ("synchronous", self.synchronous, self.synchronous_full, self.synchronous_result,
             self.spec.window),
            ("daily", self.daily, self.daily_full, self.daily_result, self.spec.daily_window),
        ):
            setting = self.sampling if name == "synchronous" else "daily"
            date, value = self._latest(series)
            valid = series.dropna()
            rows.append({
                "setting": name,
                "sampling": setting,
                "window": window,
                "rows": len(res.data),
                "from": res.data.index[0],
                "to": res.data.index[-1],
                "latest_date": date,
                "latest_net": value,
                "mean_net": float(valid.mean()) if len(valid) else np.nan,
                "share_positive": float((valid > 0).mean()) if len(valid) else np.nan,
                "full_sample_net": full,
                "offset_share": shares.get(setting),
            })
        return pd.DataFrame(rows).set_index("setting")

    def to_frame(self) -> pd.DataFrame:
        """Tidy long frame: ``date``, ``setting`` (synchronous/daily), ``sampling``, ``net``."""
        parts = []
        for name, series, setting in (("synchronous", self.synchronous, self.sampling),
                                      ("daily", self.daily, "daily")):
            parts.append(pd.DataFrame({"date": series.index, "setting": name,
                                       "sampling": setting, "net": series.to_numpy()}))
        return pd.concat(parts, ignore_index=True)

    def to_dict(self) -> dict[str, Any]:
        table = self.table()
        sens = self.sensitivity.dropna()

        def setting(name: str, series: pd.Series) -> dict[str, Any]:
            row = table.loc[name]
            return {
                "sampling": row["sampling"],
                "window": int(row["window"]),
                "rows": int(row["rows"]),
                "from": jsonable(row["from"]),
                "to": jsonable(row["to"]),
                "latest": jsonable(row["latest_net"]),
                "latest_date": jsonable(row["latest_date"]),
                "mean": jsonable(row["mean_net"]),
                "share_positive": jsonable(row["share_positive"]),
                "full_sample": jsonable(row["full_sample_net"]),
                "series": {"date": jsonable(list(series.index)),
                           "value": jsonable(series.to_numpy())},
            }

        return {
            "title": self.title,
            "headline": HEADLINE,
            "unit": UNIT,
            "sampling": {"name": self.sampling, "label": self.sampling_label,
                         **jsonable(self.asynchrony)},
            "groups": {g: [self.synchronous_result.columns[i] for i in idx]
                       for g, idx in resolve_groups(self.synchronous_result.columns,
                                                    self.spec.group_map).items()},
            "lags": self.spec.lags,
            "horizon": self.spec.horizon,
            "synchronous": setting("synchronous", self.synchronous),
            "daily": setting("daily", self.daily),
            "sensitivity": {"latest": jsonable(self.latest["sensitivity"]),
                            "mean": jsonable(float(sens.mean()) if len(sens) else None)},
        }

    def _summary_lines(self) -> list[str]:
        t = self.table()
        lat = self.latest
        asy = self.asynchrony
        hours = ", ".join(f"{c} {h:g}:00" if h is not None else f"{c} ?"
                          for c, h in asy["hours_utc"].items())
        lines = [
            f"{self.title} ({UNIT})",
            f"  synchronous setting: {self.sampling_label}",
            f"  sampling hours UTC: {hours}",
        ]
        if asy["max_offset_hours"] is not None:
            share = asy["offset_share"]
            lines.append(
                f"  largest offset {asy['max_offset_hours']:g} h = "
                f"{100 * share['daily']:.0f}% of a daily change, "
                f"{100 * share[self.sampling]:.0f}% of a {self.sampling.replace('_', '-')} one"
            )
        show = t[["sampling", "window", "latest_date", "latest_net", "mean_net",
                  "full_sample_net", "share_positive"]].copy()
        show["latest_date"] = [jsonable(d) for d in show["latest_date"]]
        lines.append(show.round(2).to_string())
        if lat["sensitivity"] is not None:
            when = jsonable(lat["synchronous_date"])
            lines.append(f"  sensitivity (synchronous - daily) on {when}: "
                         f"{lat['sensitivity']:+.2f} pp (each setting with its own window, lags "
                         "and horizon: not the asynchrony's effect alone)")
        return lines

    def plot(self, kind: str | None = None) -> Any:
        """Both rolling series on one chart (plotly)."""
        from spillwatch.plotting import spillover as _plot

        return _plot.headline_comparison_figure(
            self, simulated=bool(self.changes.attrs.get("simulated", False)))

    # ------------------------------------------------------------------ placebo
    def placebo(self, shifts: Sequence[int] = (-1, 1)) -> pd.DataFrame:
        """Re-run both settings with the crypto columns shifted by ``shifts`` days.

        A shift of +1 pairs crypto's change of day *d - 1* with the others' change of day *d*
        (``DataFrame.shift`` on the daily rows, before sampling). The sign of a headline that
        comes from the sampling-time offset follows the shift; a real one keeps it.

        Returns
        -------
        DataFrame
            Rows (``shift_days``, ``setting``) for shift 0 and each of ``shifts``; columns
            ``full_sample_net``, ``mean_net``, ``latest_net`` and ``same_sign`` (of the
            full-sample net as at shift 0).
        """
        crypto = dict(resolve_groups(self.synchronous_result.columns, self.spec.group_map))
        names = [self.synchronous_result.columns[i] for i in crypto[CRYPTO]]
        rows = []
        base = {"synchronous": self.synchronous_full, "daily": self.daily_full}
        for shift in (0, *shifts):
            if shift == 0:
                runs = {"synchronous": (self.synchronous, self.synchronous_full),
                        "daily": (self.daily, self.daily_full)}
            else:
                moved = self.changes.copy()
                moved[names] = moved[names].shift(int(shift))
                s, sf, _ = self.spec.net_series(moved, sampling=self.sampling,
                                                window=int(self.spec.window or 0))
                d, df_, _ = self.spec.net_series(moved, sampling="daily",
                                                 window=self.spec.daily_window)
                runs = {"synchronous": (s, sf), "daily": (d, df_)}
            for name, (series, full) in runs.items():
                _, last = self._latest(series)
                rows.append({"shift_days": int(shift), "setting": name,
                             "full_sample_net": full, "mean_net": float(series.mean()),
                             "latest_net": last,
                             "same_sign": bool(np.sign(full) == np.sign(base[name]))})
        return pd.DataFrame(rows).set_index(["shift_days", "setting"])


def spillover_headline(
    changes: pd.DataFrame,
    *,
    sampling: str = "two_day",
    window: int | None = None,
    daily_window: int = 200,
    lags: int = 2,
    horizon: int = 10,
    groups: Mapping[str, Sequence[str]] | None = None,
) -> SpilloverHeadlineResult:
    """Net spillover from rates + dollar to crypto, on synchronous data and on raw daily data.

    Parameters
    ----------
    changes : DataFrame
        Daily changes of rates/dollar and crypto columns (``spillwatch.load(...)``), indexed by
        date; rows with a NaN are dropped per setting.
    sampling : {"two_day", "weekly", "daily"}, default "two_day"
        The synchronous setting (see :func:`synchronous_changes`).
    window : int, optional
        Its rolling window in rows (default 150 two-day / 104 weekly / 200 daily rows).
    daily_window : int, default 200
        Rolling window of the daily setting.
    lags, horizon : int, default 2, 10
        VAR order and forecast horizon (in steps of each setting).
    groups : mapping, optional
        ``{"rates_dollar": [...], "crypto": [...]}``; default by asset block.

    Returns
    -------
    SpilloverHeadlineResult

    Examples
    --------
    >>> import spillwatch as sw
    >>> from spillwatch.analytics.connectedness import spillover_headline
    >>> panel = sw.load("demo", assets=["ust10y", "usd_broad", "btc", "eth"])
    >>> res = spillover_headline(panel)
    >>> list(res.table().index), res.sampling
    (['synchronous', 'daily'], 'two_day')
    """
    spec = SpilloverHeadline(sampling=sampling, window=window, daily_window=daily_window,
                             lags=lags, horizon=horizon,
                             groups=None if groups is None else _freeze(groups))
    return spec.fit(changes)
