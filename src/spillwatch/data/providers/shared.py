"""The layout of the shared real-data folder (``../shared/data``).

It says which provider, frequency and catalog entry each file's columns get.

Series ids follow the publisher: ``fred/DGS10.csv`` → ``fred:DGS10``, ``crypto/BTCUSDT.csv`` →
``binance:BTCUSDT``, ``treasury/par_yield_curve.csv`` → ``treasury:yield_10y_pct``, and so on, so
that the live providers later write to the same series. Files not in :data:`FILES` but inside a
known folder get the folder's provider; anything else is imported as a generic CSV.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from spillwatch import universe
from spillwatch.data.providers.csvfile import SeriesSpec


@dataclass(frozen=True)
class FileLayout:
    """How one file of the shared data set maps to store series."""

    provider: str
    frequency: str = "daily"
    description: str = ""


#: Folder → provider for files not listed in :data:`FILES`.
FOLDERS: dict[str, FileLayout] = {
    "fred": FileLayout("fred"),
    "crypto": FileLayout("binance", description="Binance spot daily close (UTC)"),
    "gold": FileLayout("mt", description="spot gold, broker MetaTrader feed"),
    "equity": FileLayout("yahoo"),
    "treasury": FileLayout("treasury"),
    "tic": FileLayout("tic", "monthly", "TIC major foreign holders"),
    "stress": FileLayout("ofr"),
    "rates_vol": FileLayout("ice"),
    "reference": FileLayout("reference"),
}

#: Files whose provider or frequency differ from their folder's.
FILES: dict[str, FileLayout] = {
    "fred/STLFSI4.csv": FileLayout("fred", "weekly"),
    "fred/ANFCI.csv": FileLayout("fred", "weekly"),
    "fred/CBBTCUSD.csv": FileLayout("fred", "daily", "Coinbase bitcoin (FRED)"),
    "treasury/par_yield_curve.csv": FileLayout("treasury", "daily", "Treasury par yield curve"),
    "treasury/acm_term_premium_10y.csv": FileLayout("nyfed", "daily", "ACM term premium"),
    "stress/ofr_fsi.csv": FileLayout("ofr", "daily", "OFR Financial Stress Index"),
    "stress/ecb_ciss_daily.csv": FileLayout("ecb", "daily", "ECB CISS, euro area"),
    "rates_vol/move.csv": FileLayout("ice", "daily", "MOVE index"),
    "reference/dy2012.csv": FileLayout("dy2012", "daily", "Diebold-Yilmaz (2012) volatilities"),
    "reference/acg2020.csv": FileLayout("acg2020", "monthly", "ACG (2020) FX changes"),
    "tic/major_foreign_holders.csv": FileLayout("tic", "monthly", "TIC major foreign holders"),
}

# Units and positivity of columns that are not on the watch list.
_EXTRA: dict[str, tuple[str, bool]] = {
    "fred:CBBTCUSD": ("usd", True),
    "fred:T10Y2Y": ("pct", False),
    "binance:TRUMPUSDT_volume_base": ("trump", False),
    "binance:TRUMPUSDT_volume_quote": ("usdt", False),
    "yahoo:sp500_volume_shares": ("shares", False),
}


def _asset_by_source() -> dict[str, universe.Asset]:
    out: dict[str, universe.Asset] = {}
    for a in universe.ASSETS.values():
        for sid in a.sources:
            out.setdefault(sid, a)
    return out


def layout_of(path: Path, root: Path | None = None) -> FileLayout | None:
    """Return the layout of a shared-data file, or ``None`` when it is not one."""
    parts = path.resolve().parts
    rel = "/".join(parts[-2:])
    if rel in FILES:
        return FILES[rel]
    folder = parts[-2] if len(parts) >= 2 else ""
    if root is not None and path.resolve().parent.parent != root.resolve():
        return None
    return FOLDERS.get(folder)


def column_specs(path: Path, layout: FileLayout, columns: list[str]) -> dict[str, SeriesSpec]:
    """Return the catalog entry of every value column of a shared-data file."""
    by_source = _asset_by_source()
    specs: dict[str, SeriesSpec] = {}
    for col in columns:
        sid = f"{layout.provider}:{col}"
        a = by_source.get(sid)
        if a is not None:
            specs[col] = SeriesSpec(sid, a.name, a.unit, layout.frequency, a.block.value,
                                    layout.provider, col, a.positive)
            continue
        unit, positive = _EXTRA.get(sid, _unit_from_name(col))
        block = "holdings" if layout.provider == "tic" else (
            "reference" if layout.provider in {"dy2012", "acg2020"} else "other")
        name = f"{col} ({layout.description})" if layout.description else col
        specs[col] = SeriesSpec(sid, name, unit, layout.frequency, block, layout.provider, col,
                                positive)
    return specs


def _unit_from_name(col: str) -> tuple[str, bool]:
    for suffix in ("_usd_bn", "_pct", "_usd"):
        if col.endswith(suffix):
            return suffix[1:], False
    return "", False
