"""Inputs of a scenario run read from a data source: the changes panel and TIC holdings.

Holdings, against which amounts are checked and percentages resolved, come from the latest TIC
"Major Foreign Holders" figures in the store (assets ``tic_japan``, ``tic_china``, ``tic_uk``),
or from :data:`FALLBACK_HOLDINGS_USD` (the article's spring-2025 figures).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from spillwatch.scenarios.portfolio import TENOR_YEARS
from spillwatch.scenarios.propagation import DEFAULT_ASSETS, YieldLevels

#: Country -> asset key of its TIC holdings.
COUNTRIES: dict[str, str] = {"japan": "tic_japan", "china": "tic_china", "uk": "tic_uk"}
#: Holdings used when the store has no TIC data (USD), round figures of spring 2025: Japan
#: $1.13tn (the article's; TIC end-March 1,130.8bn, end-April 1,134.5bn), China $0.76tn and the
#: UK $0.78tn (TIC end-March 765.4bn and 779.3bn; end-April 743.6bn and 807.7bn).
FALLBACK_HOLDINGS_USD: dict[str, float] = {"japan": 1.13e12, "china": 0.76e12, "uk": 0.78e12}
FALLBACK_LABEL = "fallback (spring 2025)"


def latest_holdings(levels: Any) -> dict[str, float]:
    """Latest TIC holdings (USD) per country from a levels panel (``tic_japan_usd_bn`` ...).

    Countries absent from the panel are left out.
    """
    out: dict[str, float] = {}
    if levels is None:
        return out
    for country, key in COUNTRIES.items():
        col = f"{key}_usd_bn"
        if col in getattr(levels, "columns", ()):
            s = levels[col].dropna()
            if len(s):
                out[country] = float(s.iloc[-1]) * 1e9
    return out


def tic_label(levels: Any, got: dict[str, float]) -> str:
    """``"TIC, month of 2024-03"``: the newest month of the holdings used.

    TIC reports month ends; on a business-day panel March 2024 sits on Friday the 29th, which
    the label once gave as if it were the report's date.
    """
    last = max(levels[f"{COUNTRIES[c]}_usd_bn"].dropna().index[-1] for c in got)
    return f"TIC, month of {last:%Y-%m}"


#: Added to the label of TIC holdings read as of a past evening (a vintage of the store).
REVISED = " (the stored table's figures, revised since their release)"


def as_published(found: tuple[dict[str, float], str], source: Any
                 ) -> tuple[dict[str, float], str]:
    """``found`` with its label saying the figures are revised when ``source`` is a vintage.

    A replay reads each TIC month from its release day, but the store keeps Treasury's
    latest figures (a year's are revised each spring): a scenario as of 2025-04-09 sized
    Japan's 10% on January's revised $1,079bn without a word (``demand`` said so).
    """
    holdings, label = found
    if getattr(source, "known_by", None) is not None and label.startswith("TIC"):
        return holdings, label + REVISED
    return found


def holdings_of(series: Mapping[str, pd.Series]) -> tuple[dict[str, float], str] | None:
    """Latest TIC holdings and their label from raw level series keyed by asset (``tic_japan``).

    Each month's figure on its own month end: on a business-day panel a month ending on a
    weekend (July 2022) had no row, the month before was carried to its last business day, and
    the label named the newer month over the older figure. ``None`` without any.
    """
    lv = pd.DataFrame({f"{k}_usd_bn": s.dropna() for k, s in series.items()
                       if k in COUNTRIES.values()})
    got = latest_holdings(lv)
    return (got, tic_label(lv, got)) if got else None


def holdings_from_source(source: Any) -> tuple[dict[str, float], str]:
    """Latest TIC holdings from a market source (or store, folder...), with a label.

    Falls back to :data:`FALLBACK_HOLDINGS_USD` when the source has no TIC data.
    """
    if source is None:
        return dict(FALLBACK_HOLDINGS_USD), FALLBACK_LABEL
    from spillwatch.data.panel import resolve_sources
    from spillwatch.data.source import open_source

    src = open_source(source)
    try:
        keys = list(resolve_sources(src.store, list(COUNTRIES.values()), explicit=False))
        if not keys:
            return dict(FALLBACK_HOLDINGS_USD), FALLBACK_LABEL
        found = holdings_of(src.read_series(keys, explicit=False).series)
    finally:
        src.close()
    return (as_published(found, src) if found is not None
            else (dict(FALLBACK_HOLDINGS_USD), FALLBACK_LABEL))


def market_inputs(source: Any, assets: tuple[str, ...] = DEFAULT_ASSETS
                  ) -> tuple[pd.DataFrame, dict[str, float], str]:
    """Return (changes panel, holdings, holdings label) from a source or a panel.

    ``source`` may be a changes panel (holdings then fall back to the spring-2025 figures), a
    :class:`~spillwatch.data.source.MarketSource`, a store, ``"demo"`` or a data folder.
    """
    if isinstance(source, pd.DataFrame):
        return source, dict(FALLBACK_HOLDINGS_USD), FALLBACK_LABEL
    from spillwatch.data.panel import resolve_sources
    from spillwatch.data.source import open_source

    src = open_source(source)
    try:
        have = list(resolve_sources(src.store, list(assets), explicit=False))
        panel = src.panel(assets=have, transform="changes")
        panel.attrs["simulated"] = src.simulated
        tenors = [k for k in have if k in TENOR_YEARS]
        if tenors:   # each Treasury of a book is a par bond at its yield on the first day
            panel.attrs["levels"] = YieldLevels(src.panel(assets=tenors, transform="levels"))
        holdings, label = holdings_from_source(src)
    finally:
        src.close()
    return panel, holdings, label
