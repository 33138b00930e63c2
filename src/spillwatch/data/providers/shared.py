"""The layout of the shared real-data folder (``../shared/data``).

It says which provider, frequency and catalog entry each file's columns get, and which files are
events rather than series.

Series ids follow the publisher, so that the live providers later write to the same series:

==============================================  ==========================================
file                                            series ids
==============================================  ==========================================
``fred/DGS10.csv``                              ``fred:DGS10`` (every fred/ file alike)
``fred/WMTSECL1.csv``                           ``fred:WMTSECL1`` in **billions** (FRED:
                                                millions); its zeros before 2007-07 are
                                                quarantined (:mod:`spillwatch.data.rules`)
``crypto/BTCUSDT.csv``                          ``binance:BTCUSDT``
``treasury/par_yield_curve.csv``                ``treasury:yield_10y_pct`` ...
``holdings/mof_weekly_intl_securities.csv``     ``mof:weekly_assets_ltdebt_net_jpy100m`` ...
                                                (``period_start`` is checked, not stored)
``holdings/mof_monthly_ltbond_...csv``          ``mof:monthly_ltbonds_total_jpy_tn`` ...
``holdings/china_fx_reserves_safe.csv``         ``safe:cn_fx_reserves_usd100m``
``holdings/mof_fx_intervention_daily.csv``      events: table ``fx_interventions``
``auctions/ust_auctions_notes_bonds.csv``       events: table ``auctions``
``japan/jgb_yields_mof.csv``                    ``mof:jgb_1y`` ... ``mof:jgb_40y``
``japan/tona.csv``                              ``boj:tona_pct``
``stress/ofr_fsi.csv``, ``ecb_ciss_daily.csv``  ``ofr:ofr_fsi`` ..., ``ecb:ciss``
``reference/dy2012.csv``                        ``dy2012:SP500`` ... (dataset as provider)
``reference/connectedness_r/<name>.csv``        ``<name>:TCI`` (one dataset per file)
==============================================  ==========================================

Files not in :data:`FILES` but inside a known folder get the folder's provider (a file of
``reference/`` or below it: its own name as provider); anything else is imported as a generic
CSV.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from spillwatch import universe
from spillwatch.data.providers.csvfile import SeriesSpec
from spillwatch.data.rules import SCALE


@dataclass(frozen=True)
class FileLayout:
    """How one file of the shared data set maps to the store.

    Attributes
    ----------
    provider : str
        Provider part of the series ids (empty: the file's name, for reference datasets).
    frequency : str
        Frequency of its series.
    description : str
        Added to the catalog names.
    prefix : str
        Prefix of the symbols (``"weekly_"`` → ``mof:weekly_<column>``).
    events : str or None
        Name of the event table when the file's rows are events, not series.
    period_columns : tuple of str
        Text-date columns giving the start of each row's period (checked, not stored).
    block : str
        Catalog block of its series (``"holdings"``, ``"rates"``, ...).
    unit : str
        Unit of its series when the column name does not carry one.
    """

    provider: str
    frequency: str = "daily"
    description: str = ""
    prefix: str = ""
    events: str | None = None
    period_columns: tuple[str, ...] = ()
    block: str = ""
    unit: str = ""


#: Folder → layout for files not listed in :data:`FILES`.
FOLDERS: dict[str, FileLayout] = {
    "fred": FileLayout("fred"),
    "crypto": FileLayout("binance", description="Binance spot daily close (UTC)"),
    "gold": FileLayout("mt", description="spot gold, broker MetaTrader feed"),
    "equity": FileLayout("yahoo"),
    "treasury": FileLayout("treasury"),
    "tic": FileLayout("tic", "monthly", "TIC major foreign holders"),
    "stress": FileLayout("ofr"),
    "rates_vol": FileLayout("ice"),
    "reference": FileLayout("", description="reference dataset"),
    # the R package's TCI on acg2020's monthly changes: one reading a month
    "connectedness_r": FileLayout("", "monthly", "R ConnectednessApproach output"),
    "holdings": FileLayout("mof", block="holdings"),
    "japan": FileLayout("mof", block="rates"),
    "auctions": FileLayout("auction", events="auctions"),
}

#: Files whose layout differs from their folder's.
FILES: dict[str, FileLayout] = {
    "fred/STLFSI4.csv": FileLayout("fred", "weekly"),
    "fred/ANFCI.csv": FileLayout("fred", "weekly"),
    "fred/WMTSECL1.csv": FileLayout("fred", "weekly", "Fed custody for foreign official"),
    "fred/IR3TIB01JPM156N.csv": FileLayout("fred", "monthly", "Japan 3-month interbank, OECD",
                                           unit="pct"),
    "fred/SOFR.csv": FileLayout("fred", "daily", "Secured Overnight Financing Rate",
                                unit="pct"),
    "fred/DFII10.csv": FileLayout("fred", "daily", "10-year TIPS real yield", unit="pct"),
    "fred/CBBTCUSD.csv": FileLayout("fred", "daily", "Coinbase bitcoin (FRED)"),
    # the token's traded amounts, not prices: the folder's "daily close" named them one
    "crypto/TRUMPUSDT_volume.csv": FileLayout("binance", "daily",
                                              "Binance spot daily volume (UTC day)"),
    "treasury/par_yield_curve.csv": FileLayout("treasury", "daily", "Treasury par yield curve"),
    "treasury/acm_term_premium_10y.csv": FileLayout("nyfed", "daily", "ACM term premium"),
    "stress/ofr_fsi.csv": FileLayout("ofr", "daily", "OFR Financial Stress Index"),
    "stress/ecb_ciss_daily.csv": FileLayout("ecb", "daily", "ECB CISS, euro area", unit="idx",
                                            block="stress"),
    "rates_vol/move.csv": FileLayout("ice", "daily", "MOVE index"),
    "reference/dy2012.csv": FileLayout("dy2012", "daily", "Diebold-Yilmaz (2012) volatilities"),
    "reference/acg2020.csv": FileLayout("acg2020", "monthly", "ACG (2020) FX changes"),
    "tic/major_foreign_holders.csv": FileLayout("tic", "monthly", "TIC major foreign holders"),
    "holdings/mof_weekly_intl_securities.csv": FileLayout(
        "mof", "weekly", "MOF weekly portfolio flows, week to Saturday", prefix="weekly_",
        period_columns=("period_start",), block="holdings"),
    "holdings/mof_monthly_ltbond_netpurchase_by_investor.csv": FileLayout(
        "mof", "monthly", "MOF monthly net purchases of foreign long-term bonds",
        prefix="monthly_", block="holdings"),
    "holdings/china_fx_reserves_safe.csv": FileLayout(
        "safe", "monthly", "China official FX reserves (SAFE)", block="holdings"),
    "holdings/mof_fx_intervention_daily.csv": FileLayout(
        "mof", "daily", "MOF FX interventions", events="fx_interventions"),
    "japan/jgb_yields_mof.csv": FileLayout("mof", "daily", "JGB benchmark yield (MOF)",
                                           unit="pct", block="rates"),
    "japan/tona.csv": FileLayout("boj", "daily", "BoJ uncollateralised overnight call rate",
                                 block="rates"),
    "auctions/ust_auctions_notes_bonds.csv": FileLayout(
        "auction", "daily", "Treasury note and bond auctions", events="auctions"),
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
    """Return the layout of a shared-data file, or ``None`` when it is not one.

    A file is of the shared layout when it sits in a known folder directly under ``root`` (or,
    for ``reference/``, anywhere below it), or matches a :data:`FILES` entry.
    """
    resolved = path.resolve()
    parts = resolved.parts
    rel = "/".join(parts[-2:])
    if rel in FILES:
        return FILES[rel]
    if root is not None:
        try:  # the path inside the folder as listed, then as resolved
            inside = path.relative_to(root).parts
        except ValueError:
            try:
                inside = resolved.relative_to(root.resolve()).parts
            except ValueError:
                return None
        found = _inside(inside)
        own = root.resolve().name
        if found is None and (own in FOLDERS or own == "reference"):
            # the folder given is itself a known one (`import data/fred`): same ids as
            # importing its parent or one of its files
            found = _inside((own, *inside))
        return found
    folder = parts[-2] if len(parts) >= 2 else ""
    return FOLDERS.get(folder)


def _inside(inside: tuple[str, ...]) -> FileLayout | None:
    """Layout of a file at ``inside`` (path parts) below the shared-data root."""
    if len(inside) >= 3 and inside[0] == "reference":
        # a known sub-folder keeps its own layout, as when its file is imported alone
        return FOLDERS.get(inside[-2], FOLDERS["reference"])
    if len(inside) != 2:
        return None
    return FOLDERS.get(inside[0])


def publisher_providers() -> frozenset[str]:
    """Providers whose series the shared layout or the watch list names (not a user's own)."""
    names = {lay.provider for lay in (*FOLDERS.values(), *FILES.values()) if lay.provider}
    names |= {sid.partition(":")[0] for a in universe.ASSETS.values() for sid in a.sources}
    return frozenset(names)


def provider_of(path: Path, layout: FileLayout) -> str:
    """The provider of a file's series: the layout's, or the file's name for a dataset."""
    return layout.provider or path.stem


def column_specs(path: Path, layout: FileLayout, columns: list[str]) -> dict[str, SeriesSpec]:
    """Return the catalog entry of every value column of a shared-data file."""
    by_source = _asset_by_source()
    provider = provider_of(path, layout)
    specs: dict[str, SeriesSpec] = {}
    for col in columns:
        symbol = f"{layout.prefix}{col}"
        sid = f"{provider}:{symbol}"
        a = by_source.get(sid)
        if a is not None:
            specs[col] = SeriesSpec(sid, a.name, a.unit, layout.frequency, a.block.value,
                                    provider, symbol, a.positive)
            continue
        unit, positive = _EXTRA.get(sid, _unit_from_name(col))
        unit = unit or layout.unit
        block = layout.block or ("holdings" if provider == "tic" else (
            "reference" if provider in {"dy2012", "acg2020"} or path.parent.name ==
            "connectedness_r" else "other"))
        name = f"{col} ({layout.description})" if layout.description else col
        specs[col] = SeriesSpec(sid, name, unit, layout.frequency, block, provider, symbol,
                                positive)
    return specs


def fred_spec(symbol: str) -> SeriesSpec:
    """The catalog entry of FRED's ``symbol``, as the import of ``fred/<symbol>.csv`` makes it.

    The FRED provider registers its series with it, so a fetch and an import write one entry:
    a fetch over an imported store rewrote ``fred:CBBTCUSD`` from a price in dollars to a
    unitless level (its VaR 8.01 % became 5,849.23) and ``DFII10``, ``T10Y2Y`` from percent to
    no unit (their changes in bp became changes in points).
    """
    rel = f"fred/{symbol}.csv"
    return column_specs(Path(rel), FILES.get(rel, FOLDERS["fred"]), [symbol])[symbol]


def column_scales(path: Path, layout: FileLayout, columns: list[str]) -> dict[str, float]:
    """Column → factor from the published to the stored unit (see :data:`rules.SCALE`)."""
    provider = provider_of(path, layout)
    out = {}
    for col in columns:
        sid = f"{provider}:{layout.prefix}{col}"
        if sid in SCALE:
            out[col] = SCALE[sid][0]
    return out


def _unit_from_name(col: str) -> tuple[str, bool]:
    for suffix in ("_usd_bn", "_usd100m", "_jpy100m", "_jpy_tn", "_jpy_bn", "_pct", "_usd"):
        if col.endswith(suffix):
            return suffix[1:], False
    if col.startswith("jgb_"):
        return "pct", False
    return "", False
