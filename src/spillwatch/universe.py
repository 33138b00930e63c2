"""The watch list: every asset spillwatch knows, where its data come from, how it is transformed.

An :class:`Asset` names one market quantity (the 10-year yield, the broad dollar, bitcoin) and lists
the store series that carry it, best first (``sources``). Series ids in the store are
``"<provider>:<symbol>"``, e.g. ``"fred:DGS10"``, ``"treasury:yield_10y_pct"``,
``"binance:BTCUSDT"``. Sources of one asset measure the same quantity and are spliced: the first
source wins on a date both have, later ones fill the dates it lacks.

Panel columns carry their unit (see :func:`column`):

==============  =====================  ==========================================
kind            level column           change column
==============  =====================  ==========================================
``yield``       ``ust10y_pct``         ``ust10y_bp``  (first difference, basis points)
``spread``      ``ig_oas_pct``         ``ig_oas_bp``
``price``       ``btc_usd``            ``btc_pct``    (log return, percent)
``index``       ``vix_idx``            ``vix_pct``    (log return, percent)
``fx``          ``usdjpy_jpy``         ``usdjpy_pct`` (log return, percent)
``stress``      ``stlfsi_idx``         ``stlfsi_chg`` (first difference, index points)
``holdings``    ``tic_japan_usd_bn``   ``tic_japan_chg_usd_bn``
==============  =====================  ==========================================
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from spillwatch.exceptions import ConfigError
from spillwatch.timing import Timing, timing_for

Kind = Literal["yield", "spread", "price", "signed_price", "index", "fx", "stress", "holdings"]
Frequency = Literal["daily", "weekly", "monthly"]


class AssetBlock(enum.StrEnum):
    """The group an asset belongs to (used for sub-indices and connectedness blocks)."""

    RATES = "rates"
    DOLLAR = "dollar"
    EQUITY_VOL = "equity_vol"
    COMMODITY = "commodity"
    CRYPTO = "crypto"
    CREDIT = "credit"
    HOLDINGS = "holdings"
    STRESS = "stress"
    USER = "user"


# kind -> (change suffix, whether change is a log return, whether values must be > 0)
_KIND_RULES: dict[str, tuple[str, bool, bool]] = {
    "yield": ("bp", False, False),
    "spread": ("bp", False, False),
    "price": ("pct", True, True),
    "signed_price": ("chg", False, False),
    "index": ("pct", True, True),
    "fx": ("pct", True, True),
    "stress": ("chg", False, False),
    "holdings": ("chg_usd_bn", False, False),
}


@dataclass(frozen=True)
class Asset:
    """One quantity on the watch list.

    Attributes
    ----------
    key : str
        Short name used in panel columns (``"ust10y"``).
    name : str
        Human-readable name.
    block : AssetBlock
        The group it belongs to.
    kind : str
        How it is transformed and checked (see the module table).
    unit : str
        Unit suffix of the level column (``"pct"``, ``"usd"``, ``"idx"``, ``"jpy"`` ...).
    sources : tuple of str
        Store series ids carrying it, best first.
    frequency : str
        ``"daily"``, ``"weekly"`` or ``"monthly"``.
    calendar : str
        ``"business"`` for markets closed at weekends, ``"every_day"`` for crypto.
    """

    key: str
    name: str
    block: AssetBlock
    kind: Kind
    unit: str
    sources: tuple[str, ...]
    frequency: Frequency = "daily"
    calendar: Literal["business", "every_day"] = "business"
    column_base: str = ""

    @property
    def timing(self) -> Timing:
        """Sampling time, release rule and staleness limit of its first source on its calendar."""
        return timing_for(self.sources[0], self.calendar)

    @property
    def level_column(self) -> str:
        """Name of the level column, e.g. ``"ust10y_pct"``."""
        return f"{self.column_base or self.key}_{self.unit}"

    @property
    def change_column(self) -> str:
        """Name of the change column, e.g. ``"ust10y_bp"`` or ``"btc_pct"``."""
        return f"{self.column_base or self.key}_{_KIND_RULES[self.kind][0]}"

    @property
    def log_change(self) -> bool:
        """Whether changes are log returns (in percent) rather than first differences."""
        return _KIND_RULES[self.kind][1]

    @property
    def positive(self) -> bool:
        """Whether a value at or below zero is impossible (and so quarantined)."""
        return _KIND_RULES[self.kind][2]


def _ust(tenor: str, fred_id: str, treasury_col: str) -> Asset:
    return Asset(
        key=f"ust{tenor}",
        name=f"US Treasury {tenor} par yield",
        block=AssetBlock.RATES,
        kind="yield",
        unit="pct",
        sources=(f"fred:{fred_id}", f"treasury:{treasury_col}"),
    )


_TENORS = [
    ("1m", "DGS1MO", "yield_1m_pct"),
    ("3m", "DGS3MO", "yield_3m_pct"),
    ("6m", "DGS6MO", "yield_6m_pct"),
    ("1y", "DGS1", "yield_1y_pct"),
    ("2y", "DGS2", "yield_2y_pct"),
    ("5y", "DGS5", "yield_5y_pct"),
    ("7y", "DGS7", "yield_7y_pct"),
    ("10y", "DGS10", "yield_10y_pct"),
    ("20y", "DGS20", "yield_20y_pct"),
    ("30y", "DGS30", "yield_30y_pct"),
]

#: Tenors of the par curve, in years, keyed by asset key (for curve charts).
CURVE_TENORS: dict[str, float] = {
    "ust1m": 1 / 12,
    "ust3m": 0.25,
    "ust6m": 0.5,
    "ust1y": 1.0,
    "ust2y": 2.0,
    "ust5y": 5.0,
    "ust7y": 7.0,
    "ust10y": 10.0,
    "ust20y": 20.0,
    "ust30y": 30.0,
}

_ASSET_LIST: list[Asset] = [
    *(_ust(t, f, c) for t, f, c in _TENORS),
    Asset("usd_broad", "Nominal broad US dollar index", AssetBlock.DOLLAR, "index", "idx",
          ("fred:DTWEXBGS",)),
    Asset("usdjpy", "Yen per US dollar", AssetBlock.DOLLAR, "fx", "jpy", ("fred:DEXJPUS",)),
    Asset("usdcny", "Yuan per US dollar", AssetBlock.DOLLAR, "fx", "cny", ("fred:DEXCHUS",)),
    Asset("gold", "Spot gold", AssetBlock.COMMODITY, "price", "usd", ("mt:XAUUSD",)),
    Asset("paxg", "PAX Gold token", AssetBlock.COMMODITY, "price", "usd", ("binance:PAXGUSDT",),
          calendar="every_day"),
    Asset("wti", "WTI crude spot (can be negative)", AssetBlock.COMMODITY, "signed_price", "usd",
          ("fred:DCOILWTICO",)),
    Asset("spx", "S&P 500", AssetBlock.EQUITY_VOL, "index", "idx",
          ("fred:SP500", "yahoo:sp500_close")),
    Asset("vix", "CBOE VIX", AssetBlock.EQUITY_VOL, "index", "idx", ("fred:VIXCLS",)),
    Asset("move", "ICE BofAML MOVE index", AssetBlock.RATES, "index", "idx",
          ("ice:move_index_bbg", "ice:move_index_gf")),
    Asset("ig_oas", "US corporate IG option-adjusted spread", AssetBlock.CREDIT, "spread", "pct",
          ("fred:BAMLC0A0CM",)),
    Asset("hy_oas", "US high-yield option-adjusted spread", AssetBlock.CREDIT, "spread", "pct",
          ("fred:BAMLH0A0HYM2",)),
    Asset("term_premium", "ACM 10-year term premium", AssetBlock.RATES, "yield", "pct",
          ("nyfed:acm_term_premium_10y_pct", "fred:THREEFYTP10")),
    Asset("breakeven10y", "10-year breakeven inflation", AssetBlock.RATES, "yield", "pct",
          ("fred:T10YIE",)),
    Asset("btc", "Bitcoin", AssetBlock.CRYPTO, "price", "usd",
          ("binance:BTCUSDT", "coingecko:bitcoin"), calendar="every_day"),
    Asset("eth", "Ether", AssetBlock.CRYPTO, "price", "usd",
          ("binance:ETHUSDT", "coingecko:ethereum"), calendar="every_day"),
    Asset("trump", "Official Trump memecoin", AssetBlock.CRYPTO, "price", "usd",
          ("binance:TRUMPUSDT", "coingecko:official-trump"), calendar="every_day"),
    Asset("ofr_fsi", "OFR Financial Stress Index", AssetBlock.STRESS, "stress", "idx",
          ("ofr:ofr_fsi",)),
    Asset("stlfsi", "St. Louis Fed Financial Stress Index", AssetBlock.STRESS, "stress", "idx",
          ("fred:STLFSI4",), frequency="weekly"),
    # ``ofr:ciss``: where imports of ../shared/data before the ECB provider mapping put it
    Asset("ecb_ciss", "ECB Composite Indicator of Systemic Stress (euro area)",
          AssetBlock.STRESS, "stress", "idx", ("ecb:ciss", "ofr:ciss")),
    Asset("anfci", "Chicago Fed adjusted NFCI", AssetBlock.STRESS, "stress", "idx",
          ("fred:ANFCI",), frequency="weekly"),
    Asset("custody", "NY Fed custody holdings of Treasuries for foreign official accounts",
          AssetBlock.HOLDINGS, "holdings", "usd_bn", ("fred:WMTSECL1",), frequency="weekly"),
    Asset("tic_japan", "Japan's holdings of Treasuries (TIC)", AssetBlock.HOLDINGS, "holdings",
          "usd_bn", ("tic:japan_usd_bn",), frequency="monthly"),
    Asset("tic_china", "China's holdings of Treasuries (TIC)", AssetBlock.HOLDINGS, "holdings",
          "usd_bn", ("tic:china_mainland_usd_bn",), frequency="monthly"),
    Asset("tic_uk", "United Kingdom's holdings of Treasuries (TIC)", AssetBlock.HOLDINGS,
          "holdings", "usd_bn", ("tic:united_kingdom_usd_bn",), frequency="monthly"),
    Asset("tic_total", "All foreign holdings of Treasuries (TIC)", AssetBlock.HOLDINGS,
          "holdings", "usd_bn", ("tic:grand_total_usd_bn",), frequency="monthly"),
    Asset("tic_official", "Foreign official holdings of Treasuries (TIC)", AssetBlock.HOLDINGS,
          "holdings", "usd_bn", ("tic:foreign_official_usd_bn",), frequency="monthly"),
]

#: Every asset by key.
ASSETS: dict[str, Asset] = {a.key: a for a in _ASSET_LIST}

#: The default watch list of the panel (daily markets the article names).
WATCHLIST: tuple[str, ...] = (
    "ust2y", "ust5y", "ust10y", "ust30y", "usd_broad", "usdjpy", "usdcny", "gold", "spx", "vix",
    "move", "btc", "eth", "trump",
)

#: The assets the demo market simulates.
DEMO_ASSETS: tuple[str, ...] = (
    "ust2y", "ust10y", "ust30y", "usd_broad", "usdjpy", "gold", "spx", "vix", "btc", "eth",
    "trump",
)


def asset(key: str) -> Asset:
    """Return the asset ``key``; an unknown key lists the valid ones."""
    try:
        return ASSETS[key]
    except KeyError:
        raise ConfigError(
            f"unknown asset {key!r}; choose one of: {', '.join(sorted(ASSETS))}", asset=key
        ) from None


def asset_of_series(series_id: str) -> Asset | None:
    """The watch-list asset a store series feeds (``binance:BTCUSDT`` → btc), or ``None``."""
    return next((a for a in ASSETS.values() if series_id in a.sources), None)


def resolve(key: str, extra: Mapping[str, Asset] | None = None) -> Asset:
    """The asset ``key``: a series of the user's in ``extra``, else a watch-list asset."""
    if extra and key in extra:
        return extra[key]
    return asset(key)


def column(key: str, transform: Literal["levels", "changes"] = "changes") -> str:
    """Return the panel column of asset ``key`` (``"ust10y"`` → ``"ust10y_bp"`` for changes)."""
    a = asset(key)
    return a.level_column if transform == "levels" else a.change_column


def asset_of_column(col: str) -> Asset:
    """Return the asset behind a panel column name (level or change)."""
    a = watchlist_asset_of_column(col)
    if a is None:
        raise ConfigError(f"column {col!r} is not a panel column of any known asset",
                          column=col)
    return a


def watchlist_asset_of_column(col: str) -> Asset | None:
    """The watch-list asset behind a panel column, or ``None`` (a series of the user's)."""
    return next((a for a in ASSETS.values() if col in (a.level_column, a.change_column)),
                None)


def is_percent(unit: str | None) -> bool:
    """Whether a series' unit says percent ("pct", "percent" or "%", in any case and spacing).

    A series of the user's in percent and not ``positive`` is a yield: its changes are in bp,
    its VaR is read on its rises, and the import checks it for tenfold slips.
    """
    return (unit or "").strip().lower() in ("pct", "percent", "%")


def is_basis_points(unit: str | None) -> bool:
    """Whether a series' unit says basis points ("bp", "bps", "basis points", in any case).

    A series of the user's in basis points changes by differences in bp, as a yield in percent
    does: its VaR is read on its rises (``unit = "bps"`` read it on its falls where ``"bp"``
    read it on its rises: 8.0 bp against 21.0 for the same closes).
    """
    u = re.sub(r"[^a-z0-9]+", "_", (unit or "").strip().lower()).strip("_")
    return u in ("bp", "bps", "basis_point", "basis_points")


def series_asset(series_id: str, *, name: str = "", unit: str = "",
                 positive: bool = False, frequency: Frequency = "daily") -> Asset:
    """An asset made of one store series of the user's (an imported CSV column).

    The key is the series id itself (``"csv:MYFUND"``); panel columns are its sanitised form
    with the unit of the change (``csv_myfund_pct``). A series whose values must be positive
    (a price: ``positive``) changes by log returns in percent; one quoted in percent (a yield
    or a rate: unit ``pct``) by first differences in basis points; anything else by first
    differences in its own unit.
    """
    if ":" not in series_id:
        raise ConfigError(f"{series_id!r} is neither an asset key nor a series id "
                          "('provider:symbol'); choose one of: " + ", ".join(sorted(ASSETS)),
                          asset=series_id)
    base = re.sub(r"[^a-z0-9]+", "_", series_id.lower()).strip("_")
    # the importer reads "%", "Percent" and "PCT" as percent (PERCENT_UNITS, any case): so
    # does the asset, or a yield given with unit = "%" had its VaR read on its falls
    u = (unit or "").strip().lower()
    kind: Kind = "price" if positive else ("yield" if is_percent(u) else "signed_price")
    lvl_unit = "pct" if u == "%" else (re.sub(r"[^a-z0-9]+", "_", u or "lvl").strip("_")
                                        or "lvl")
    return Asset(key=series_id, name=name or series_id, block=AssetBlock.USER, kind=kind,
                 unit=lvl_unit, sources=(series_id,), frequency=frequency, column_base=base)


def demo_series_id(key: str) -> str:
    """Store series id of the simulated demo version of asset ``key``."""
    return f"demo:{key}"
