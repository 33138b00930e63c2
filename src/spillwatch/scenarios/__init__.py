"""Foreign sell-off scenarios ('Japan sells, China follows'): impact, propagation, Monte Carlo.

Front doors::

    import spillwatch as sw
    sc = sw.scenario.selloff(seller="japan", amount_usd=100e9, weeks=4)
    res = sc.simulate(sw.scenario.fit_market(panel), paths=100_000, seed=7)
    res.portfolio({"btc": 0.5, "ust10y_future": -0.2}).var(0.99)
    res = sw.scenario.run_preset("japan-china-coordinated", panel, paths=20_000, seed=7)

Modules: :mod:`~spillwatch.scenarios.selloff` (spec, presets, seller parsing),
:mod:`~spillwatch.scenarios.impact` (literature-calibrated yield impact),
:mod:`~spillwatch.scenarios.propagation` (the fitted joint model),
:mod:`~spillwatch.scenarios.simulate` (chunked Monte Carlo; Dask in ``_dask``),
:mod:`~spillwatch.scenarios.portfolio` (P&L, VaR/ES).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from spillwatch.scenarios._results import ScenarioResult, compare
from spillwatch.scenarios.impact import ImpactModel
from spillwatch.scenarios.portfolio import Portfolio, PortfolioResult
from spillwatch.scenarios.propagation import DEFAULT_ASSETS, FittedMarket, fit_market
from spillwatch.scenarios.selloff import (
    FALLBACK_HOLDINGS_USD,
    PRESETS,
    Seller,
    SelloffScenario,
    holdings_from_source,
    parse_seller,
    preset,
    selloff,
)
from spillwatch.scenarios.simulate import DEFAULT_EVENTS

__all__ = [
    "DEFAULT_ASSETS",
    "DEFAULT_EVENTS",
    "FALLBACK_HOLDINGS_USD",
    "PRESETS",
    "FittedMarket",
    "ImpactModel",
    "Portfolio",
    "PortfolioResult",
    "ScenarioResult",
    "Seller",
    "SelloffScenario",
    "compare",
    "fit_market",
    "holdings_from_source",
    "market_inputs",
    "parse_seller",
    "preset",
    "run_preset",
    "selloff",
]


def market_inputs(source: Any, assets: tuple[str, ...] = DEFAULT_ASSETS
                  ) -> tuple[pd.DataFrame, dict[str, float], str]:
    """Return (changes panel, holdings, holdings label) from a source or a panel.

    ``source`` may be a changes panel (holdings then fall back to the spring-2025 figures), a
    :class:`~spillwatch.data.source.MarketSource`, a store, ``"demo"`` or a data folder.
    """
    if isinstance(source, pd.DataFrame):
        return source, dict(FALLBACK_HOLDINGS_USD), "fallback (spring 2025)"
    from spillwatch.data.panel import resolve_sources
    from spillwatch.data.source import open_source

    src = open_source(source)
    try:
        have = list(resolve_sources(src.store, list(assets), explicit=False))
        panel = src.panel(assets=have, transform="changes")
        panel.attrs["simulated"] = src.simulated
        holdings, label = holdings_from_source(src)
    finally:
        src.close()
    return panel, holdings, label


def run_preset(preset_name: str, source_panel: Any, *, paths: int = 20_000, seed: int = 0,
               horizon: int = 20, method: str = "t-copula", regime: str = "all",
               portfolio: Any = None, holdings_usd: Mapping[str, float] | None = None,
               **options: Any) -> ScenarioResult:
    """Fit (cached) and simulate a preset: the one call the dashboard and the report make.

    Parameters
    ----------
    preset_name : str
        One of :data:`~spillwatch.scenarios.selloff.PRESETS`.
    source_panel : DataFrame, MarketSource, Store, "demo" or path
        Changes panel, or a source to load it (and the TIC holdings) from.
    paths, seed, horizon : int
    method : {"t-copula", "fhs", "var"}
    regime : {"all", "sell_america"}
    portfolio : dict, Portfolio or path, optional
    holdings_usd : dict, optional
        Override the holdings the preset is sized on.
    **options
        Passed to :func:`~spillwatch.scenarios.simulate.simulate`.

    Returns
    -------
    ScenarioResult
    """
    panel, held, label = market_inputs(source_panel)
    if holdings_usd:
        held, label = {**held, **holdings_usd}, "given"
    sc = preset(preset_name, held, label)
    market = fit_market(panel, method=method, regime=regime)  # type: ignore[arg-type]
    market.info["simulated"] = bool(panel.attrs.get("simulated", False))
    return sc.simulate(market, paths=paths, seed=seed, horizon=horizon, portfolio=portfolio,
                    **options)
