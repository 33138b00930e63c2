"""The result of the stress monitor: one row per date, the latest reading, the signals table."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from spillwatch._results import ResultBase, jsonable

if TYPE_CHECKING:
    from spillwatch.analytics.stress.index import StressIndex

#: Traffic-light cut-offs on an indicator's recursive percentile (amber, red).
LIGHT_PERCENTILES: tuple[float, float] = (80.0, 95.0)
#: Traffic-light cut-offs on an absolute scaled move |z| for signals outside the index.
LIGHT_Z: tuple[float, float] = (2.0, 3.0)

_SIGNAL_LABELS: dict[str, str] = {
    "ust10y_chg1_bp": "10y yield, 1-day change (bp)",
    "ust10y_chg5_bp": "10y yield, 5-day change (bp)",
    "ust10y_z1": "10y yield shock, 1-day (z)",
    "ust10y_z5": "10y yield shock, 5-day (z)",
    "ust30y_z1": "30y yield shock, 1-day (z)",
    "ust30y_z5": "30y yield shock, 5-day (z)",
    "ust2y_z1": "2y yield shock, 1-day (z)",
    "ust2y_z5": "2y yield shock, 5-day (z)",
    "curve_2s10s_chg5_bp": "2s10s curve, 5-day change (bp)",
    "curve_2s10s_z5": "2s10s curve move, 5-day (z)",
    "curve_10s30s_chg5_bp": "10s30s curve, 5-day change (bp)",
    "curve_10s30s_z5": "10s30s curve move, 5-day (z)",
    "rates_rvol_bp": "realised 10y volatility (bp/yr, MOVE proxy)",
    "move_idx": "MOVE index",
    "vix_idx": "VIX",
    "vix_z5": "VIX move, 5-day (z)",
    "usd_broad_chg5_pct": "broad dollar, 5-day change (%)",
    "usd_broad_z1": "broad dollar move, 1-day (z)",
    "usd_broad_z5": "broad dollar move, 5-day (z)",
    "usdjpy_z1": "USD/JPY move, 1-day (z)",
    "usdjpy_z5": "USD/JPY move, 5-day (z)",
    "usdcny_z1": "USD/CNY move, 1-day (z)",
    "usdcny_z5": "USD/CNY move, 5-day (z)",
    "usd_broad_rvol_pct": "realised broad-dollar volatility (%/yr)",
    "yield_dollar_corr": "10y–dollar correlation, 60 days",
    "spx_rvol_pct": "realised S&P 500 volatility (%/yr)",
    "spx_drawdown_pct": "S&P 500 drawdown from 1-year high (%)",
    "btc_drawdown_pct": "BTC drawdown from 3-month high (%)",
    "eth_drawdown_pct": "ETH drawdown from 3-month high (%)",
    "btc_rvol_pct": "realised BTC volatility (%/yr)",
    "eth_rvol_pct": "realised ETH volatility (%/yr)",
    "custody_chg_usd_bn": "foreign official custody, weekly change ($bn)",
    "term_premium_pct": "ACM 10y term premium (%)",
    "term_premium_z5": "term premium move, 5-day (z)",
}


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


@dataclass(frozen=True)
class StressResult(ResultBase):
    """Per-date stress index, percentile, regime, signature, sub-indices and signals.

    Attributes
    ----------
    spec : StressIndex
        The specification that produced it.
    frame : DataFrame
        One row per date (index ``date``), columns
        :data:`~spillwatch.analytics.stress.index.FRAME_COLUMNS`: ``stress`` (in [0, 1]),
        ``percentile`` (0–100, recursive), ``regime``, ``signature``, the sub-indices and the
        signals.
    indicators : DataFrame
        The recursive-ECDF values (0–1) of every indicator that enters the index.
    simulated : bool
        Whether the input was the simulated demo market.
    """

    spec: StressIndex
    frame: pd.DataFrame
    indicators: pd.DataFrame
    simulated: bool = False
    title: str = field(default="stress monitor", init=False)

    @cached_property
    def valid(self) -> pd.DataFrame:
        """Rows on which the index is defined."""
        return self.frame[self.frame["stress"].notna()]

    @property
    def stress(self) -> pd.Series:
        """The composite index (0–1)."""
        return self.frame["stress"]

    @property
    def regime(self) -> pd.Series:
        """The regime of every date."""
        return self.frame["regime"]

    @property
    def signature(self) -> pd.Series:
        """The yield–dollar signature of every date."""
        return self.frame["signature"]

    @cached_property
    def sell_america_days(self) -> pd.Series:
        """Boolean Series: dates whose signature is ``sell_america``."""
        return (self.frame["signature"] == "sell_america").rename("sell_america")

    @cached_property
    def subindices(self) -> pd.DataFrame:
        """The sub-indices (0–1) of every date."""
        from spillwatch.analytics.stress.index import SUBINDEX_COLUMNS

        return self.frame[list(SUBINDEX_COLUMNS)]

    @cached_property
    def signals(self) -> pd.DataFrame:
        """The signals of every date."""
        from spillwatch.analytics.stress.signals import SIGNAL_COLUMNS

        return self.frame[list(SIGNAL_COLUMNS)]

    def contributions(self) -> pd.DataFrame:
        r"""Each sub-index's share of the index: :math:`w_i s_i / \sum_j w_j s_j` × index.

        A readable split of the level (correlations are not split out); rows sum to the index.
        """
        sub = self.subindices
        n = sub.notna().sum(axis=1).replace(0, np.nan)
        ws = sub.div(n, axis=0)
        total = ws.sum(axis=1, min_count=1)
        return ws.div(total, axis=0).mul(self.frame["stress"], axis=0)

    def weekly_correlation(self, reference: pd.Series, *, freq: str = "W-FRI",
                           method: str = "pearson") -> tuple[float, int]:
        """Correlation of the weekly mean of the index with a weekly reference index.

        Parameters
        ----------
        reference : Series
            A weekly stress index dated at the week's end (e.g. the St. Louis Fed's STLFSI4,
            dated Friday).
        freq : str, default "W-FRI"
            Weeks ending on the reference's weekday.
        method : {"pearson", "spearman"}

        Returns
        -------
        (float, int)
            The correlation and the number of weeks both have.
        """
        weekly = self.frame["stress"].resample(freq).mean()
        ref = reference.dropna()
        ref = ref[ref.index.isin(weekly.index)]
        both = pd.DataFrame({"ours": weekly.reindex(ref.index), "ref": ref}).dropna()
        if len(both) < 3:
            return math.nan, len(both)
        return float(both["ours"].corr(both["ref"], method=method)), len(both)

    def _as_of(self, at: object = None) -> pd.Timestamp:
        frame = self.valid if len(self.valid) else self.frame
        if len(frame) == 0:
            from spillwatch.exceptions import DataError

            raise DataError("the stress index has no date yet (the panel is empty)")
        if at is None:
            return pd.Timestamp(frame.index[-1])
        when = frame.index[frame.index <= pd.Timestamp(at)]  # type: ignore[arg-type]
        if len(when) == 0:
            from spillwatch.exceptions import DataError

            raise DataError(f"no stress reading on or before {at}; the first is "
                            f"{frame.index[0].date()}")
        return pd.Timestamp(when[-1])

    def latest(self, at: object = None) -> dict[str, Any]:
        """The reading of the last date with a defined index (or the last on or before ``at``).

        Returns
        -------
        dict
            ``date`` (ISO string), ``stress``, ``percentile``, ``regime``, ``signature``,
            ``subindices`` (dict) and ``signals`` (dict); NaN becomes ``None``.
        """
        from spillwatch.analytics.stress.index import SUBINDEX_COLUMNS
        from spillwatch.analytics.stress.signals import SIGNAL_COLUMNS

        d = self._as_of(at)
        row = self.frame.loc[d]
        return jsonable({
            "date": d.date().isoformat(),
            "stress": row["stress"], "percentile": row["percentile"],
            "regime": row["regime"], "signature": row["signature"],
            "subindices": {k: row[k] for k in SUBINDEX_COLUMNS},
            "signals": {k: row[k] for k in SIGNAL_COLUMNS},
        })

    def signals_table(self, at: object = None) -> pd.DataFrame:
        """Today's signals with their recursive percentile and a traffic light.

        Returns
        -------
        DataFrame
            Indexed by signal column; columns ``signal`` (label), ``value``, ``percentile``
            (0–100 among the indicator's own history, where it enters the index), ``light``.
        """
        from spillwatch.analytics.stress.signals import SIGNAL_COLUMNS

        d = self._as_of(at)
        row = self.frame.loc[d]
        ind = self.indicators.loc[d] if d in self.indicators.index else pd.Series(dtype=float)
        rows = []
        for col in SIGNAL_COLUMNS:
            v = float(row[col])
            p = float(ind[col]) * 100.0 if col in ind.index else math.nan
            z = v if col.endswith(("_z1", "_z5")) else None
            rows.append({"name": col, "signal": _SIGNAL_LABELS.get(col, col), "value": v,
                         "percentile": p, "light": light(p, z) if math.isfinite(v) else ""})
        return pd.DataFrame(rows).set_index("name")

    def table(self) -> pd.DataFrame:
        """Today's signals table (see :meth:`signals_table`), signals without data left out."""
        t = self.signals_table()
        return t[t["value"].notna()]

    def to_frame(self) -> pd.DataFrame:
        """Tidy long frame: ``date, variable, value`` (numeric columns only)."""
        num = self.frame.drop(columns=["regime", "signature"])
        long = num.reset_index().melt(id_vars="date", var_name="variable", value_name="value")
        return long.dropna(subset=["value"]).reset_index(drop=True)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe: the latest reading and today's signals table."""
        return {"title": self.title, "simulated": self.simulated, "latest": self.latest(),
                "signals": jsonable(self.table().reset_index().to_dict(orient="records"))}

    def _summary_lines(self) -> list[str]:
        tag = " (SIMULATED)" if self.simulated else ""
        if not len(self.valid):
            return [f"{self.title}{tag}: no reading yet (burn-in)"]
        last = self.latest()
        subs = ", ".join(f"{k} {v:.2f}" for k, v in last["subindices"].items() if v is not None)
        pct = last["percentile"]
        pct_txt = f"percentile {pct:.0f}" if pct is not None else "percentile n/a"
        return [
            f"{self.title}{tag} as of {last['date']}: stress {last['stress']:.3f} "
            f"({pct_txt}, {last['regime'] or 'n/a'}); signature {last['signature']}",
            f"sub-indices: {subs}",
        ]

    @property
    def headline(self) -> str:
        """One line for run summaries."""
        return self._summary_lines()[0]

    def plot(self, kind: str | None = None) -> Any:
        """Plotly figure: ``"index"`` (default, regime shading), ``"contributions"``.

        plotly is imported lazily.
        """
        from spillwatch.plotting import stress as figs

        kinds = {"index": figs.stress_index, "contributions": figs.contributions}
        key = kind or "index"
        if key not in kinds:
            from spillwatch.exceptions import ConfigError

            raise ConfigError(f"unknown plot kind {key!r}; choose one of: "
                              f"{', '.join(repr(k) for k in kinds)}")
        return kinds[key](self, simulated=self.simulated)

    def __rich__(self) -> Any:
        from rich.console import Group
        from rich.table import Table

        t = Table(title="today's signals")
        for c in ("signal", "value", "percentile", "light"):
            t.add_column(c, justify="left" if c == "signal" else "right")
        colors = {"red": "bold red", "amber": "bold yellow", "green": "green"}
        for _, r in self.table().iterrows():
            lt = r["light"]
            pct = "" if not math.isfinite(r["percentile"]) else f"{r['percentile']:.0f}"
            t.add_row(r["signal"], f"{r['value']:,.2f}", pct,
                      f"[{colors[lt]}]{lt}[/]" if lt else "")
        return Group(*self._summary_lines(), t)
