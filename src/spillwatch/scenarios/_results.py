"""The result of a sell-off Monte Carlo: distributions per asset, probabilities, portfolio risk.

Terminal distributions, worst/best closes, probabilities and the portfolio's VaR/ES use **all**
paths (histograms of :data:`~spillwatch.scenarios.simulate.BINS` bins in ``asinh(x / s)``, so
quantiles are exact to about 1% of the noise sd near the centre and 1% of the value in the
tails; events are exact counts). Fan charts use the first ``keep_paths`` paths, kept whole.
Text and table formatting live in :mod:`spillwatch.scenarios._format`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

import spillwatch.scenarios._format as _format
from spillwatch._results import ResultBase, Summary, jsonable
from spillwatch.exceptions import ScenarioError
from spillwatch.scenarios._market import FittedMarket
from spillwatch.scenarios.impact import ImpactModel
from spillwatch.scenarios.portfolio import (
    Portfolio,
    PortfolioResult,
    bin_edges,
    hist_quantile,
    pnl,
)
from spillwatch.scenarios.simulate import (
    Accumulator,
    Event,
    Plan,
    model_share_se,
    model_variance_share,
)

QUANTILES: tuple[float, ...] = (0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99)
FAN_QUANTILES: tuple[float, ...] = (0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99)
#: Tail-loss thresholds per asset (native units: bp for yields, % simple return otherwise).
TAIL_LEVELS: dict[str, float] = {"ust2y": 50.0, "ust5y": 50.0, "ust10y": 50.0, "ust30y": 50.0,
                                 "usd_broad": 3.0, "usdjpy": 3.0, "gold": 5.0, "spx": 10.0,
                                 "btc": 20.0, "eth": 25.0, "trump": 30.0}


def _to_display(values: np.ndarray, is_yield: bool) -> np.ndarray:
    """Bp stay bp; log changes in percent become simple returns in percent."""
    return values if is_yield else 100.0 * np.expm1(values / 100.0)


def _from_display(value: float, is_yield: bool) -> float:
    return value if is_yield else 100.0 * float(np.log1p(value / 100.0))


def hist_cdf(counts: np.ndarray, lo: float, hi: float, x: float, scale: float | None) -> float:
    """Share of a histogram at or below ``x`` (linear within the bin in its coordinate)."""
    edges = bin_edges(len(counts), lo, hi, scale)
    total = counts.sum()
    if x <= edges[0]:
        return float(counts[0]) / total if x == edges[0] else 0.0
    if x >= edges[-1]:
        return 1.0
    j = int(np.searchsorted(edges, x, side="right") - 1)
    if scale is None:
        frac = (x - edges[j]) / (edges[j + 1] - edges[j])
    else:
        u = np.arcsinh(np.array([edges[j], x, edges[j + 1]]) / scale)
        frac = (u[1] - u[0]) / (u[2] - u[0])
    return float((counts[:j].sum() + frac * counts[j]) / total)


@dataclass(frozen=True, eq=False, init=False, repr=False)
class ScenarioResult(ResultBase):
    """Read-only result of :func:`~spillwatch.scenarios.run.simulate`.

    Attributes
    ----------
    scenario : SelloffScenario
    market : FittedMarket
    impact : ImpactModel
    paths : int
    horizon : int
    horizon_info : dict
        Horizon, default horizon, last day of selling, USD sold and sold within the horizon.
    seed : int
    backend : str
        ``"local"`` or the Dask scheduler used.
    """

    scenario: Any
    market: FittedMarket
    impact: ImpactModel
    plan: Plan
    acc: Accumulator
    events: tuple[Event, ...]
    portfolio_: Portfolio | None = None
    seed: int = 0
    backend: str = "local"
    horizon_info: dict[str, Any] | None = None
    title: str = "sell-off scenario"
    #: The published foreign selling beside the scenario's size (``with_observed``), or None.
    observed: dict[str, Any] | None = None
    #: Notes the service layer attaches (``with_notes``): a starting state not today's.
    notes: tuple[str, ...] = ()

    def __init__(self, *, scenario: Any, market: FittedMarket, impact: ImpactModel,
                 plan: Plan, acc: Accumulator, events: tuple[Event, ...],
                 portfolio: Portfolio | None, seed: int, backend: str,
                 horizon_info: dict[str, Any]) -> None:
        for k, v in (("scenario", scenario), ("market", market), ("impact", impact),
                     ("plan", plan), ("acc", acc), ("events", events), ("portfolio_", portfolio),
                     ("seed", seed), ("backend", backend), ("horizon_info", horizon_info),
                     ("title", "sell-off scenario"), ("observed", None), ("notes", ())):
            object.__setattr__(self, k, v)

    def with_observed(self, observed: dict[str, Any] | None) -> ScenarioResult:
        """Attach the published selling beside this result (what :attr:`observed` holds).

        Set by the service layer, which reads the foreign-demand gauge on the same data.
        """
        object.__setattr__(self, "observed", observed)
        return self

    def with_notes(self, notes: Sequence[str]) -> ScenarioResult:
        """Attach notes to read first (:meth:`warnings` lists them before its own).

        Set by the service layer, which knows the day the result is read on.
        """
        object.__setattr__(self, "notes", tuple(notes))
        return self

    @property
    def paths(self) -> int:
        """Number of simulated paths."""
        return self.acc.n

    @property
    def horizon(self) -> int:
        """Simulated business days."""
        return self.plan.horizon

    def _row(self, key: str, which: str = "terminal") -> tuple[np.ndarray, float, float, float]:
        i = self.market.index(key) + {"terminal": 0, "worst": 1, "best": 2}[which] * self.market.k
        return (self.acc.hist[i], float(self.plan.lo[i]), float(self.plan.hi[i]),
                float(self.plan.scale[i]))

    def quantiles(self, key: str, qs: Sequence[float] = QUANTILES, which: str = "terminal"
                  ) -> pd.Series:
        """Quantiles over all paths of the cumulative change of ``key`` at the horizon.

        ``which="worst"`` / ``"best"``: of its lowest / highest close within the horizon. Units:
        bp for yields, simple return in percent for the rest.
        """
        h, lo, hi, s = self._row(key, which)
        vals = hist_quantile(h, lo, hi, np.asarray(qs), s)
        vals = _to_display(vals, bool(self.market.is_yield[self.market.index(key)]))
        return pd.Series(vals, index=[f"q{q:g}" for q in qs], name=key)

    def probability(self, key: str, level: float, *, below: bool) -> float:
        """Probability that ``key`` closes at or beyond ``level`` at some day of the horizon.

        ``level`` in display units (bp for yields, % simple return otherwise); ``below=True``
        counts the lowest close, else the highest. From the worst/best histograms (all paths).
        """
        i = self.market.index(key)
        x = _from_display(level, bool(self.market.is_yield[i]))
        h, lo, hi, s = self._row(key, "worst" if below else "best")
        cdf = hist_cdf(h, lo, hi, x, s)
        return cdf if below else 1.0 - cdf

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

    @cached_property
    def _model_shares(self) -> tuple[np.ndarray, np.ndarray]:
        moments = self.acc.model_moments()
        if moments is None:
            return np.full(self.market.k, np.nan), np.full(self.market.k, np.nan)
        share = model_variance_share(moments)
        return share, model_share_se(moments, share)

    @property
    def model_share(self) -> pd.Series:
        """Share of each asset's variance at the horizon that is the models' disagreement.

        Each path draws one admissible model of the identified shock; the share is the
        variance of the models' expected moves over the total (the rest: market noise, jumps
        and the sale's drawn size), over all paths, in native units (bp, % log change):
        :func:`~spillwatch.scenarios.simulate.model_variance_share`. A large share is a spread
        the sample cannot narrow (which way the asset answers the shock), not market risk.
        NaN with too few paths for the models drawn.
        """
        return pd.Series(self._model_shares[0], index=list(self.market.assets),
                         name="model_share")

    @property
    def model_share_se(self) -> pd.Series:
        """Approximate standard error of :attr:`model_share` (its sampling error over paths)."""
        return pd.Series(self._model_shares[1], index=list(self.market.assets),
                         name="model_share_se")

    def worst_close(self, key: str, tail: float = 0.05) -> float:
        """The ``tail`` quantile of the worst close within the horizon, for a holder of ``key``.

        For a price the lowest close (its ``tail`` quantile); for a yield the highest (its
        ``1 - tail`` quantile: rising yields are the bondholder's loss).
        """
        if self.market.unit(self.market.index(key)) == "bp":
            return float(self.quantiles(key, (1.0 - tail,), "best").iloc[0])
        return float(self.quantiles(key, (tail,), "worst").iloc[0])

    def table(self) -> pd.DataFrame:
        """Per asset: unit, terminal quantiles and the 5% tail of the worst close for a holder.

        (:meth:`worst_close`: the lowest close of a price, the highest of a yield.)
        """
        rows = []
        for i, key in enumerate(self.market.assets):
            q = self.quantiles(key)
            unit = self.market.unit(i)
            share = float(self.model_share[key])
            se = float(self.model_share_se[key])
            rows.append({"asset": key, "unit": unit, **q.to_dict(),
                         "worst_q0.05": self.worst_close(key),
                         "model_share": None if np.isnan(share) else share,
                         "model_share_se": None if np.isnan(se) else se})
        return pd.DataFrame(rows).set_index("asset")

    def display_table(self) -> pd.DataFrame:
        """The formatted scenario table: strings with units and rounding (see ``_format``)."""
        return _format.scenario_table(self)

    @cached_property
    def probabilities(self) -> pd.Series:
        """Probability of each event over all paths (e.g. ``btc<-20%@10d``)."""
        return pd.Series(self.acc.events / self.paths,
                         index=[e.label(self.horizon) for e in self.events],
                         name="probability", dtype=float)

    @property
    def probabilities_se(self) -> pd.Series:
        r"""The Monte Carlo standard error of each of :attr:`probabilities`.

        :math:`\sqrt{p(1-p)/N}` over the :math:`N` equally weighted paths, the binomial's: at
        2,000 paths twelve seeds put P(btc<-20%@10d) as of 2025-04-09 between 0.096 and 0.121,
        sd 0.0069, the formula's 0.0069 (so the text prints three decimals and this beside
        them, not four).
        """
        p = self.probabilities
        return np.sqrt(p * (1.0 - p) / self.paths).rename("se")

    @cached_property
    def shock_direction(self) -> pd.Series:
        """Sign (+1/-1) of each asset's median cumulative response to the sale."""
        r = self.market.response_per_10bp()["q0.5"]
        return pd.Series(np.where(r.to_numpy() >= 0, 1, -1), index=r.index, name="direction")

    def tail_table(self, levels: dict[str, float] | None = None) -> pd.DataFrame:
        """Tail probabilities per asset at a threshold, within the horizon (all paths).

        Columns: the threshold, P(down beyond it), P(up beyond it), the direction the sale
        pushes the asset (median response) and P(beyond it in that direction). An asset whose
        response's 16%-84% band lies on both sides of zero reads "not measured" and no
        probability in it (gold read "down", p 0.446, from a median of -0.08% per 10 bp in a
        band of -1.39% to +1.42%: the warnings' "direction not measured").
        """
        levels = {**TAIL_LEVELS, **(levels or {})}
        loose = set(self.market.unmeasured_directions().index)
        rows = []
        for key in self.market.assets:
            lvl = levels.get(key)
            if lvl is None:
                continue
            down = self.probability(key, -lvl, below=True)
            up = self.probability(key, lvl, below=False)
            sign = int(self.shock_direction[key])
            if key in loose:
                way, p_way = "not measured", float("nan")
            else:
                way, p_way = ("up", up) if sign > 0 else ("down", down)
            rows.append({"asset": key, "unit": self.market.unit(self.market.index(key)),
                         "level": lvl, "p_down": down, "p_up": up,
                         "shock_direction": way, "p_shock_direction": p_way})
        return pd.DataFrame(rows).set_index("asset")

    @cached_property
    def _kept(self) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        return self.acc.kept_arrays()

    @property
    def kept_paths(self) -> np.ndarray:
        """Cumulative changes of the kept paths, shape (assets, days, paths), native units."""
        return self._kept[0]

    @property
    def kept_models(self) -> np.ndarray:
        """Admissible model drawn by each kept path (index into the fitted market's kernels)."""
        return self.acc.kept_models()

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

    def impact_fan(self, qs: Sequence[float] = FAN_QUANTILES, tenor: str = "ust5y"
                   ) -> pd.DataFrame:
        """Quantiles per day of the literature-calibrated impact (bp) over the kept paths.

        ``tenor="ust5y"``: Beltran et al.'s 5-year impact; ``"ust10y"``: the 10-year target
        the identified shock is scaled to (the 5-year impact times the 10-year's loading).
        """
        load = self.impact.loading(tenor) if tenor != "ust5y" else 1.0
        if load == 0.0:
            raise ScenarioError(f"{tenor!r} has no curve loading; use 'ust5y' or 'ust10y'")
        q = np.quantile(self._kept[1].astype(np.float64) * load, qs, axis=0).T
        frame = pd.DataFrame(np.vstack([np.zeros(len(qs)), q]),
                             columns=[f"q{v:g}" for v in qs])
        frame.index = pd.RangeIndex(0, self.horizon + 1, name="day")
        return frame

    @cached_property
    def _book(self) -> PortfolioResult:
        """The simulated portfolio's P&L (see :meth:`portfolio`), built once."""
        if self.portfolio_ is None:
            raise ScenarioError("no portfolio was simulated; pass positions, e.g. "
                                "result.portfolio({'btc': 0.5, 'ust10y': 0.5})")
        row = 3 * self.market.k
        # every path kept (the default up to 10,000 paths): its P&L exactly, not binned (at
        # 2,000 paths the 1% point fell on a bin edge and VaR repeated across seeds)
        exact = None
        if self.acc.kept and self.kept_paths.shape[2] == self.paths:
            exact = pnl(self.kept_paths[:, -1, :], self.portfolio_.vector(self.market.assets),
                        self.plan.log_assets, self.plan.years, self.plan.coupons,
                        self.plan.per_usd, self.plan.held, self.plan.forward)
        return PortfolioResult(self.portfolio_, self.scenario.name, self.paths,
                               samples=exact, hist=self.acc.hist[row],
                               lo=float(self.plan.lo[row]), hi=float(self.plan.hi[row]),
                               scale=float(self.plan.scale[row]), horizon_days=self.horizon)

    def portfolio(self, positions: Any = None) -> PortfolioResult:
        """P&L distribution of a portfolio.

        Without ``positions``: the portfolio given to ``simulate`` (every path's P&L when all
        were kept, else the histogram over all paths; built once).
        With positions (dict, Portfolio or file): computed exactly on the kept paths.
        """
        if positions is None:
            return self._book
        port = Portfolio.coerce(positions, self.market.assets)
        w = port.vector(self.market.assets)
        samples = pnl(self.kept_paths[:, -1, :], w, self.plan.log_assets, self.plan.years,
                      self.plan.coupons, self.plan.per_usd, self.plan.held, self.plan.forward)
        return PortfolioResult(port, self.scenario.name, samples.size, samples=samples,
                               horizon_days=self.horizon)

    def var(self, alpha: float = 0.99) -> float:
        """VaR of the simulated portfolio (see :meth:`portfolio`)."""
        return self.portfolio().var(alpha)

    def explain(self) -> Summary:
        """Identification, sample, bands per +10 bp of the 10-year and the impact's band."""
        return Summary(_format.explain(self))

    def warnings(self) -> list[str]:
        """What not to read literally.

        The service layer's :attr:`notes` (a starting state older than today, TIC holdings
        past their limit); a preset sized on the fallback holdings (no TIC in the data); a
        10-year target beyond the sample's largest rise; an asset whose 1%–99% range passes
        its own history; series past their staleness limit (:func:`_format.stale_assets`); a 99%
        tail resting on a handful of paths; assets whose direction in the sell-off the sample
        does not measure (:func:`_format.unmeasured_direction`).
        """
        few = None
        if self.paths * 0.01 < 5:    # --paths 1 printed a VaR and an ES from one path
            few = (f"{self.paths:,} path(s): the 99% quantiles, VaR and ES rest on "
                   f"{self.paths * 0.01:.2g} path(s) beyond them (not a tail estimate); run "
                   "--paths 500 or more")
        return [w for w in (*self.notes, _format.fallback_holdings(self),
                            _format.beyond_history(self), _format.beyond_history_assets(self),
                            _format.stale_assets(self), few,
                            _format.unmeasured_direction(self)) if w]

    def _summary_lines(self) -> list[str]:
        return _format.summary_lines(self)

    def __rich__(self) -> Any:
        """The summary with the formatted table as a rich table (rich imported lazily)."""
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        frame = self.display_table()
        table = Table(title=self.scenario.label())
        table.add_column("asset")
        for c in frame.columns:
            table.add_column(str(c), justify="right")
        for idx, row in frame.iterrows():
            table.add_row(str(idx), *[str(v) for v in row.to_numpy()])
        head = _format.summary_lines(self)
        cut = head.index("")                 # header lines come before the first blank line
        return Group(Text("\n".join(head[:cut])), table,
                     Text("\n".join(head[cut + 2:])))

    def _repr_html_(self) -> str:
        return f"<h4>{self.scenario.label()}</h4>" + self.display_table().to_html()

    def to_frame(self) -> pd.DataFrame:
        return self.table().reset_index()

    def to_dict(self) -> dict[str, Any]:
        return _format.to_dict(self, jsonable)

    def plot(self, kind: str | None = "fan", asset: str | None = None) -> Any:
        """``"fan"`` (every asset, or ``asset``), ``"impact"``, ``"pnl"`` or ``"responses"``."""
        from spillwatch.plotting import scenario as figs

        kind = kind or "fan"
        sim = bool(self.market.info.get("simulated", False))
        if kind == "fan":
            keys = [asset] if asset else list(self.market.assets)
            return figs.fan_chart({k: self.fan(k) for k in keys}, title=self.scenario.label(),
                                  units={k: self.market.unit(self.market.index(k))
                                         for k in keys}, simulated=sim,
                                  paths=(self.kept_paths.shape[2], self.paths))
        if kind == "impact":
            return figs.impact_chart(self.impact_fan(), title=self.scenario.label(),
                                     simulated=sim, target=self.impact_fan(tenor="ust10y"))
        if kind == "pnl":
            pr = self.portfolio()
            if pr.hist is None:
                raise ScenarioError("the P&L chart needs the simulated portfolio's histogram")
            return figs.pnl_chart(pr.hist, pr.lo, pr.hi, var99=pr.var(0.99),
                                  title=self.scenario.label(), simulated=sim, scale=pr.scale)
        if kind == "responses":
            return figs.response_chart(self.market.identification.responses(),
                                       title="Response per +10 bp of the 10-year "
                                             "(sell-America shock)", simulated=sim)
        raise ScenarioError(f"unknown plot kind {kind!r}; choose one of: 'fan', 'impact', "
                            "'pnl', 'responses'")


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
