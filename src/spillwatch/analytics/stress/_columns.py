"""Column names of the stress monitor's per-date frame, and the input-state labels.

A module of constants only, so that the result class, the specification and the signal code can
all import it without importing each other (no import cycles, not even through
``TYPE_CHECKING``).
"""

from __future__ import annotations

from typing import Final

#: Head columns of :attr:`StressResult.frame`.
STRESS: Final = "stress"
PERCENTILE: Final = "percentile"
PERCENTILE_LONGRUN: Final = "percentile_longrun"
REGIME: Final = "regime"
#: The inputs of the yield–dollar signature (keys of the reading's ``inputs``).
SIGNATURE_LEGS: tuple[str, ...] = ("ust10y", "usd_broad")
SIGNATURE: Final = "signature"
SIGNATURE_5D: Final = "signature_5d"
STALE_INPUTS: Final = "stale_inputs"
HEAD_COLUMNS: tuple[str, ...] = (STRESS, PERCENTILE, PERCENTILE_LONGRUN, REGIME, SIGNATURE,
                                 SIGNATURE_5D, STALE_INPUTS)

#: Sub-index columns (segments of the composite).
RATES: Final = "rates"
DOLLAR: Final = "dollar"
EQUITY_VOL: Final = "equity_vol"
CREDIT: Final = "credit"
CRYPTO: Final = "crypto"
SUBINDEX_COLUMNS: tuple[str, ...] = (RATES, DOLLAR, EQUITY_VOL, CREDIT, CRYPTO)

#: Every signal column, in output order (definitions in :mod:`.signals`).
SIGNAL_COLUMNS: tuple[str, ...] = (
    "ust10y_chg1_bp", "ust10y_chg5_bp", "ust10y_z1", "ust10y_z5", "ust30y_z1", "ust30y_z5",
    "ust2y_z1", "ust2y_z5", "ust10y_vol5_bp", "ust2y_vol5_bp", "ust30y_vol5_bp",
    "curve_2s10s_chg5_bp", "curve_2s10s_z5", "curve_10s30s_chg5_bp", "curve_10s30s_z5",
    "rates_rvol_bp", "move_idx", "vix_idx", "vix_z5",
    "usd_broad_chg5_pct", "usd_broad_z1", "usd_broad_z5", "usd_broad_vol5_pct",
    "usdjpy_z1", "usdjpy_z5", "usdjpy_vol5_pct", "usdcny_z1", "usdcny_z5",
    "usd_broad_rvol_pct", "yield_dollar_corr",
    "spx_rvol_pct", "spx_vol5_pct", "spx_drawdown_pct",
    "ig_oas_pct", "hy_oas_pct", "ig_oas_z5", "hy_oas_z5",
    "btc_drawdown_pct", "eth_drawdown_pct", "btc_rvol_pct", "eth_rvol_pct",
    "custody_chg_usd_bn", "custody_chg_pct", "term_premium_pct", "term_premium_z5",
)

#: Every column of the per-date frame, in order (what ``spillwatch stress --out`` writes).
FRAME_COLUMNS: tuple[str, ...] = (*HEAD_COLUMNS, *SUBINDEX_COLUMNS, *SIGNAL_COLUMNS)

#: Names the alerts engine reads.
UST10Y_CHG5_BP: Final = "ust10y_chg5_bp"
USD_BROAD_CHG5_PCT: Final = "usd_broad_chg5_pct"

#: State of an input on a date: it reported within its staleness limit, it reported before but
#: not within the limit, or it has not reported at all (absent from the data or not started).
FRESH: Final = "fresh"
STALE: Final = "stale"
MISSING: Final = "missing"
INPUT_STATES: tuple[str, ...] = (FRESH, STALE, MISSING)

#: State of a signal, sub-index or headline value on a date (what rule facts read).
AVAILABLE: Final = "available"
FACT_STATES: tuple[str, ...] = (AVAILABLE, STALE, MISSING)

#: Human-readable label of every signal (tables, report, dashboard).
SIGNAL_LABELS: dict[str, str] = {
    "ust10y_chg1_bp": "10y yield, 1-day change (bp)",
    "ust10y_chg5_bp": "10y yield, 5-day change (bp)",
    "ust10y_z1": "10y yield shock, 1-day (z)",
    "ust10y_z5": "10y yield shock, 5-day (z)",
    "ust30y_z1": "30y yield shock, 1-day (z)",
    "ust30y_z5": "30y yield shock, 5-day (z)",
    "ust2y_z1": "2y yield shock, 1-day (z)",
    "ust2y_z5": "2y yield shock, 5-day (z)",
    "ust10y_vol5_bp": "10y yield, mean daily move over a week (bp)",
    "ust2y_vol5_bp": "2y yield, mean daily move over a week (bp)",
    "ust30y_vol5_bp": "30y yield, mean daily move over a week (bp)",
    "curve_2s10s_chg5_bp": "2s10s curve, 5-day change (bp)",
    "curve_2s10s_z5": "2s10s curve move, 5-day (z)",
    "curve_10s30s_chg5_bp": "10s30s curve, 5-day change (bp)",
    "curve_10s30s_z5": "10s30s curve move, 5-day (z)",
    "rates_rvol_bp": "realised 10y volatility (bp/yr, MOVE proxy)",
    "move_idx": "MOVE index",
    "vix_idx": "VIX",
    "vix_z5": "VIX move, 5-day (z)",
    "usd_broad_chg5_pct": "broad dollar, 5-day log change (%)",
    "usd_broad_z1": "broad dollar move, 1-day (z)",
    "usd_broad_z5": "broad dollar move, 5-day (z)",
    "usd_broad_vol5_pct": "broad dollar, mean daily move over a week (%)",
    "usdjpy_z1": "USD/JPY move, 1-day (z)",
    "usdjpy_z5": "USD/JPY move, 5-day (z)",
    "usdjpy_vol5_pct": "USD/JPY, mean daily move over a week (%)",
    "usdcny_z1": "USD/CNY move, 1-day (z)",
    "usdcny_z5": "USD/CNY move, 5-day (z)",
    "usd_broad_rvol_pct": "realised broad-dollar volatility (%/yr)",
    "yield_dollar_corr": "10y–dollar correlation, 60 days",
    "spx_rvol_pct": "realised S&P 500 volatility (%/yr)",
    "spx_vol5_pct": "S&P 500, mean daily move over a week (%)",
    "spx_drawdown_pct": "S&P 500 drawdown from 1-year high (%)",
    "ig_oas_pct": "investment-grade spread (OAS, %)",
    "hy_oas_pct": "high-yield spread (OAS, %)",
    "ig_oas_z5": "investment-grade spread move, 5-day (z)",
    "hy_oas_z5": "high-yield spread move, 5-day (z)",
    "btc_drawdown_pct": "BTC drawdown from 3-month high (%; weekday closes)",
    "eth_drawdown_pct": "ETH drawdown from 3-month high (%; weekday closes)",
    "btc_rvol_pct": "realised BTC volatility (%/yr; weekday closes ×√252)",
    "eth_rvol_pct": "realised ETH volatility (%/yr; weekday closes ×√252)",
    "custody_chg_usd_bn": "foreign official custody, weekly change ($bn)",
    "custody_chg_pct": "foreign official custody, weekly change (%)",
    "term_premium_pct": "ACM 10y term premium (%)",
    "term_premium_z5": "term premium move, 5-day (z)",
}
