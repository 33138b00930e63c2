"""Foreign sell-off scenarios ('Japan sells, China follows'): identified shock, impact, Monte Carlo.

Front doors::

    import spillwatch as sw
    res = sw.scenario.run_preset("japan-china-coordinated", "spillwatch.duckdb", paths=20_000,
                                 seed=7, portfolio={"ust10y": 0.4, "spx": 0.3, "btc": 0.1})
    res.display_table(); print(res.explain()); res.var(0.99)   # the book's 99% VaR (USD)
    # (a dict gives weights of value_usd, $1m by default; a CSV or TOML file may give notionals)
    # or step by step, from a panel of changes (sized on the preset's fallback holdings):
    market = sw.scenario.fit_market(sw.load("spillwatch.duckdb"))   # once per panel (cached)
    res = sw.scenario.preset("japan-10pct").simulate(market, paths=20_000, seed=7,
                                                     portfolio={"ust10y": 1.0})
    res.portfolio({"btc": 1.0}).var(0.99)     # another book (weights of $1m), on the kept paths

The CLI prices its default $1m book (``spillwatch.service.scenarios.DEFAULT_BOOK``) and the
store's TIC month; a book is simulated only when given.

Modules (imports go one way, top to bottom):
:mod:`~spillwatch.scenarios.selloff` (spec, presets, seller parsing, closest preset),
:mod:`~spillwatch.scenarios.run` (the Monte Carlo front door: horizon, chunks, progress),
:mod:`~spillwatch.scenarios._results` and :mod:`~spillwatch.scenarios._format` (the result and
its text), :mod:`~spillwatch.scenarios._dask` and :mod:`~spillwatch.scenarios.simulate` (the
engine), :mod:`~spillwatch.scenarios.inputs` (panel and holdings from a source),
:mod:`~spillwatch.scenarios.propagation` (the fit), :mod:`~spillwatch.scenarios.identification`
(the sign-restricted SVAR), :mod:`~spillwatch.scenarios.impact` (literature-calibrated yield
impact), :mod:`~spillwatch.scenarios.portfolio` (P&L, VaR/ES).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from spillwatch.scenarios._format import (
    PROBABILITY_NOTE,
    TABLE_NOTE,
    assumed_signs,
    book_caveat,
    book_notes,
    joint_start,
)
from spillwatch.scenarios._results import ScenarioResult, compare
from spillwatch.scenarios.identification import (
    Bound,
    IdentificationResult,
    SignRestrictedSVAR,
    identify,
)
from spillwatch.scenarios.impact import ImpactModel
from spillwatch.scenarios.inputs import (
    FALLBACK_HOLDINGS_USD,
    holdings_from_source,
    market_inputs,
)
from spillwatch.scenarios.portfolio import Portfolio, PortfolioResult
from spillwatch.scenarios.propagation import DEFAULT_ASSETS, FittedMarket, fit_market
from spillwatch.scenarios.run import AFTER_SALE_DAYS, default_horizon
from spillwatch.scenarios.selloff import (
    PRESETS,
    PresetMatch,
    Seller,
    SelloffScenario,
    closest_preset,
    parse_seller,
    preset,
    selloff,
)
from spillwatch.scenarios.simulate import DEFAULT_EVENTS

__all__ = [
    "AFTER_SALE_DAYS",
    "DEFAULT_ASSETS",
    "DEFAULT_EVENTS",
    "FALLBACK_HOLDINGS_USD",
    "PRESETS",
    "PROBABILITY_NOTE",
    "TABLE_NOTE",
    "Bound",
    "FittedMarket",
    "IdentificationResult",
    "ImpactModel",
    "Portfolio",
    "PortfolioResult",
    "PresetMatch",
    "ScenarioResult",
    "Seller",
    "SelloffScenario",
    "SignRestrictedSVAR",
    "assumed_signs",
    "book_caveat",
    "book_notes",
    "closest_preset",
    "compare",
    "default_horizon",
    "fit_market",
    "holdings_from_source",
    "identify",
    "joint_start",
    "market_inputs",
    "parse_seller",
    "preset",
    "run_preset",
    "selloff",
]


def run_preset(preset_name: str, source_panel: Any, *, paths: int = 20_000, seed: int = 0,
               horizon: int | None = None, method: str = "t-copula", regime: str = "all",
               portfolio: Any = None, holdings_usd: Mapping[str, float] | None = None,
               **options: Any) -> ScenarioResult:
    """Fit (cached) and simulate a preset: the one call the dashboard and the report make.

    Parameters
    ----------
    preset_name : str
        One of :data:`~spillwatch.scenarios.selloff.PRESETS`.
    source_panel : DataFrame, MarketSource, Store, "demo" or path
        Changes panel, or a source to load it (and the TIC holdings) from.
    paths, seed : int
    horizon : int, optional
        Default: the end of the sale plus 20 business days.
    method : {"t-copula", "fhs"}
    regime : {"all"}
        Kept for compatibility (see :func:`fit_market`).
    portfolio : dict, Portfolio or path, optional
    holdings_usd : dict, optional
        Override the holdings the preset is sized on.
    **options
        Passed to :func:`~spillwatch.scenarios.run.simulate` (``progress``, ``chunk_size``...).

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
