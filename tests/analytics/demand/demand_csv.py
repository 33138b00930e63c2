"""Test helpers: DemandInputs from the CSVs of ../shared/data with plain pandas, and a
synthetic auction record."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from spillwatch.analytics.demand.inputs import DemandInputs


def _col(path: Path, column: str | None = None) -> pd.Series:
    f = pd.read_csv(path, parse_dates=["date"], index_col="date")
    return f[column] if column else f.iloc[:, 0]


def load_demand_inputs(root: Path) -> DemandInputs:
    """Every input of the monitor from the shared data folder, as the publishers print them."""
    d = Path(root)
    weekly = pd.read_csv(d / "holdings/mof_weekly_intl_securities.csv", parse_dates=["date"],
                         index_col="date")
    return DemandInputs(
        custody=_col(d / "fred/WMTSECL1.csv"),
        mof_weekly=weekly,
        interventions=pd.read_csv(d / "holdings/mof_fx_intervention_daily.csv",
                                  parse_dates=["date"]),
        auctions=pd.read_csv(d / "auctions/ust_auctions_notes_bonds.csv", parse_dates=["date"]),
        ust10y=_col(d / "fred/DGS10.csv"),
        jgb10y=_col(d / "japan/jgb_yields_mof.csv", "jgb_10y"),
        sofr=_col(d / "fred/SOFR.csv"),
        dgs3mo=_col(d / "fred/DGS3MO.csv"),
        tona=_col(d / "japan/tona.csv"),
        ir3tib=_col(d / "fred/IR3TIB01JPM156N.csv"),
        china_reserves=_col(d / "holdings/china_fx_reserves_safe.csv"),
        tic=pd.read_csv(d / "tic/major_foreign_holders.csv", parse_dates=["date"],
                        index_col="date"),
        usdjpy=_col(d / "fred/DEXJPUS.csv"),
        usd_broad=_col(d / "fred/DTWEXBGS.csv"),
        mof_monthly=pd.read_csv(d / "holdings/mof_monthly_ltbond_netpurchase_by_investor.csv",
                                parse_dates=["date"], index_col="date"),
    )


def synthetic_auctions(n: int, rng) -> pd.DataFrame:
    """``n`` weekly 10-year auctions of $40bn with noisy bid-to-cover and bidder shares."""
    dates = pd.bdate_range("2020-01-06", periods=n, freq="7D")
    return pd.DataFrame({
        "date": dates, "tenor": "10-Year", "term": "10-Year", "size_bn": 40.0,
        "bid_to_cover": 2.5 + 0.1 * rng.standard_normal(n),
        "indirect_pct": 65 + 3 * rng.standard_normal(n),
        "dealer_pct": 15 + 2 * rng.standard_normal(n), "direct_pct": 20.0,
        "dispersion_bp": 5.0})
