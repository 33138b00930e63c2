"""The result of a sell-off Monte Carlo: distributions per asset, probabilities, portfolio risk.

Terminal distributions, probabilities and the portfolio's VaR/ES use **all** paths (histograms of
:data:`~spillwatch.scenarios.simulate.BINS` bins over ±14 horizon standard deviations plus the
largest impact, so quantiles are exact to a small fraction of a standard deviation, and
probabilities are exact counts). Fan charts and the correlation checks use the first
``keep_paths`` paths, kept whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from spillwatch._results import ResultBase, jsonable
from spillwatch.exceptions import ScenarioError
from spillwatch.scenarios.impact import ImpactModel
from spillwatch.scenarios.portfolio import Portfolio, PortfolioResult, hist_quantile, pnl
from spillwatch.scenarios.propagation import FittedMarket
from spillwatch.scenarios.selloff import SelloffScenario
from spillwatch.scenarios.simulate import Accumulator, Event, Plan

QUANTILES: tuple[float, ...] = (0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99)
FAN_QUANTILES: tuple[float, ...] = (0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99)


def _to_display(values: np.ndarray, is_yield: bool) -> np.ndarray:
    """Bp stay bp; log changes in percent become simple returns in percent."""
    return values if is_yield else 100.0 * np.expm1(values / 100.0)


@dataclass(frozen=True, eq=False, init=False)
class ScenarioResult(ResultBase):
    """Read-only result of :func:`~spillwatch.scenarios.simulate.simulate`.

    Attributes
    ----------
    scenario : SelloffScenario
    market : FittedMarket
    impact : ImpactModel
    paths : int
    horizon : int
    seed : int
    backend : str
        ``"local"`` or the Dask scheduler used.
    """

    scenario: SelloffScenario
    market: FittedMarket
    impact: ImpactModel
    plan: Plan
    acc: Accumulator
    events: tuple[Event, ...]
    portfolio_: Portfolio | None = None
    seed: int = 0
    backend: str = "local"
    title: str = "sell-off scenario"

    def __init__(self, *, scenario: SelloffScenario, market: FittedMarket, impact: ImpactModel,
                 plan: Plan, acc: Accumulator, events: tuple[Event, ...],
                 portfolio: Portfolio | None, seed: int, backend: str) -> None:
        for k, v in (("scenario", scenario), ("market", market), ("impact", impact),
                     ("plan", plan), ("acc", acc), ("events", events), ("portfolio_", portfolio),
                     ("seed", seed), ("backend", backend), ("title", "sell-off scenario")):
            object.__setattr__(self, k, v)

    @property
    def paths(self) -> int:
        """Number of simulated paths."""
        return self.acc.n

    @property
    def horizon(self) -> int:
        """Simulated business days."""
        return self.plan.horizon

    def _row(self, key: str, which: str = "terminal") -> tuple[np.ndarray, float, float]:
        i = self.market.index(key) + {"terminal": 0, "worst": 1, "best": 2}[which] * self.market.k
        return self.acc.hist[i], float(self.plan.lo[i]), float(self.plan.hi[i])

    def quantiles(self, key: str, qs: Sequence[float] = QUANTILES, which: str = "terminal"
                  ) -> pd.Series:
        """Quantiles over all paths of the cumulative change of ``key`` at the horizon.

        ``which="worst"`` / ``"best"``: of its lowest / highest close within the horizon. Units:
        bp for yields, simple return in percent for the rest.
        """
        h, lo, hi = self._row(key, which)
        vals = hist_quantile(h, lo, hi, np.asarray(qs))
        vals = _to_display(vals, bool(self.market.is_yield[self.market.index(key)]))
        return pd.Series(vals, index=[f"q{q:g}" for q in qs], name=key)

    @cached_property
    def moments(self) -> pd.DataFrame:
        """Exact mean and sd over all paths of each asset's terminal cumulative change (native)."""
        tot = self.acc.totals()
        rows = len(tot) // 2
        n = self.paths
        mean = tot[:rows] / n
        var = np.maximum(tot[rows:] / n - mean**2, 0.0) * n / max(n - 1, 1)
        k = self.market.k
        return pd.DataFrame({"mean": mean[:k], "sd": np.sqrt(var[:k])},
                            index=list(self.market.assets))

    def table(self) -> pd.DataFrame:
        rows = []
        for i, key in enumerate(self.market.assets):
            q = self.quantiles(key)
            unit = "bp" if self.market.is_yield[i] else "%"
            rows.append({"asset": key, "unit": unit, **q.to_dict(),
                         "worst_q0.05": float(self.quantiles(key, (0.05,), "worst").iloc[0])})
        return pd.DataFrame(rows).set_index("asset")

    @cached_property
    def probabilities(self) -> pd.Series:
        """Probability of each event over all paths (e.g. ``btc<-20%@10d``)."""
        return pd.Series(self.acc.events / self.paths, index=[e.text for e in self.events],
                         name="probability", dtype=float)

    @cached_property
    def _kept(self) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        return self.acc.kept_arrays()

    @property
    def kept_paths(self) -> np.ndarray:
        """Cumulative changes of the kept paths, shape (assets, days, paths), native units."""
        return self._kept[0]

    def fan(self, key: str, qs: Sequence[float] = FAN_QUANTILES) -> pd.DataFrame:
        """Quantiles per day of ``key``'s cumulative change over the kept paths (display units)."""
        i = self.market.index(key)
        x = self.kept_paths[i].astype(np.float64)
        q = np.quantile(x, qs, axis=1).T
        q = _to_display(q, bool(self.market.is_yield[i]))
        frame = pd.DataFrame(q, columns=[f"q{v:g}" for v in qs])
        frame = pd.concat([pd.DataFrame([[0.0] * len(qs)], columns=frame.columns), frame])
        frame.index = pd.RangeIndex(0, self.horizon + 1, name="day")
        return frame

    def impact_fan(self, qs: Sequence[float] = FAN_QUANTILES) -> pd.DataFrame:
        """Quantiles per day of the 5-year yield impact (bp) over the kept paths."""
        q = np.quantile(self._kept[1].astype(np.float64), qs, axis=0).T
        frame = pd.DataFrame(np.vstack([np.zeros(len(qs)), q]),
                             columns=[f"q{v:g}" for v in qs])
        frame.index = pd.RangeIndex(0, self.horizon + 1, name="day")
        return frame

    def portfolio(self, positions: Any = None) -> PortfolioResult:
        """P&L distribution of a portfolio.

        Without ``positions``: the portfolio given to ``simulate`` (histogram over all paths).
        With positions (dict, Portfolio or file): computed exactly on the kept paths.
        """
        if positions is None:
            if self.portfolio_ is None:
                raise ScenarioError("no portfolio was simulated; pass positions, e.g. "
                                    "result.portfolio({'btc': 0.5, 'ust10y': 0.5})")
            row = 3 * self.market.k
            return PortfolioResult(self.portfolio_, self.scenario.name, self.paths,
                                   hist=self.acc.hist[row], lo=float(self.plan.lo[row]),
                                   hi=float(self.plan.hi[row]))
        port = Portfolio.coerce(positions, self.market.assets)
        w = port.vector(self.market.assets)
        samples = pnl(self.kept_paths[:, -1, :], w, self.plan.log_assets, self.plan.duration)
        return PortfolioResult(port, self.scenario.name, samples.size, samples=samples)

    def var(self, alpha: float = 0.99) -> float:
        """VaR of the simulated portfolio (see :meth:`portfolio`)."""
        return self.portfolio().var(alpha)

    def _summary_lines(self) -> list[str]:
        lines = [f"{self.scenario.label()} — {self.paths:,} paths × {self.horizon} days, "
                 f"{self.market.method}, regime {self.market.regime}, seed {self.seed}",
                 f"holdings: {self.scenario.holdings_source}",
                 f"5y impact at day {self.horizon} (median, bp): "
                 f"{self.impact_fan().iloc[-1]['q0.5']:.1f}",
                 self.table().round(2).to_string(), "", "probabilities:",
                 self.probabilities.round(4).to_string()]
        if self.portfolio_ is not None:
            lines += ["", str(self.portfolio().summary())]
        return lines

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "title": self.title, "scenario": self.scenario.name, "label": self.scenario.label(),
            "sellers": [{"country": s.country, "amount_usd": s.amount_usd, "weeks": s.weeks,
                         "start_weeks": s.start_weeks} for s in self.scenario.sellers],
            "holdings_source": self.scenario.holdings_source,
            "paths": self.paths, "horizon_days": self.horizon, "seed": self.seed,
            "method": self.market.method, "regime": self.market.regime,
            "backend": self.backend, "fit": self.market.info,
            "table": jsonable(self.table()),
            "probabilities": jsonable(self.probabilities),
            "impact_5y_bp": jsonable(self.impact_fan()),
            "fan": {k: jsonable(self.fan(k)) for k in self.market.assets},
        }
        if self.portfolio_ is not None:
            out["portfolio"] = self.portfolio().to_dict()
        return out

    def plot(self, kind: str | None = "fan", asset: str | None = None) -> Any:
        """``"fan"`` (every asset, or ``asset``), ``"impact"`` or ``"pnl"`` (plotly, lazy)."""
        from spillwatch.plotting import scenario as figs

        kind = kind or "fan"
        sim = bool(self.market.info.get("simulated", False))
        if kind == "fan":
            keys = [asset] if asset else list(self.market.assets)
            return figs.fan_chart({k: self.fan(k) for k in keys}, title=self.scenario.label(),
                                  units={k: "bp" if self.market.is_yield[self.market.index(k)]
                                         else "%" for k in keys}, simulated=sim)
        if kind == "impact":
            return figs.impact_chart(self.impact_fan(), title=self.scenario.label(),
                                     simulated=sim)
        if kind == "pnl":
            pr = self.portfolio()
            return figs.pnl_chart(pr.hist, pr.lo, pr.hi, var99=pr.var(0.99),
                                  title=self.scenario.label(), simulated=sim)
        raise ScenarioError(f"unknown plot kind {kind!r}; choose one of: 'fan', 'impact', 'pnl'")


def compare(results: Sequence[ScenarioResult], key: str | None = None,
            qs: Sequence[float] = QUANTILES) -> pd.DataFrame:
    """Quantiles of several scenarios side by side (``key``: an asset, default the portfolio).

    Rows are quantiles, columns scenario names.
    """
    cols = {}
    for r in results:
        if key is None:
            cols[r.scenario.name] = r.portfolio().quantiles(qs)
        else:
            cols[r.scenario.name] = r.quantiles(key, qs)
    return pd.DataFrame(cols)
