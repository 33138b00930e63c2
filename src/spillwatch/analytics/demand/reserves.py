r"""China's official reserves (SAFE) and TIC holdings of Treasuries by holder (monthly).

**China** (SAFE, official foreign-exchange reserves at month end, 100 million USD; published
about the 7th of the next month, ``safe:*``). The change includes valuation effects (a weaker
dollar lifts the dollar value of euro and yen assets) besides sales; months SAFE's record lacks
(2015-10, 2017-10, 2019, 2024-12 in the shared data) make the changes that span them missing.
Signals in **billions of US dollars**: ``china_reserves_usd_bn``, ``china_reserves_chg1_usd_bn``
and ``china_reserves_chg1_z`` (the 1-month change standardised by the previous ``window``
months, past only).

**TIC** (Treasury International Capital, "Major Foreign Holders of Treasury Securities", month
end, USD bn; published about seven weeks after the month, ``tic:*``). For each holder of
:data:`TIC_HOLDERS`: ``tic_<holder>_usd_bn``, ``tic_<holder>_chg1_usd_bn``,
``tic_<holder>_chg3_usd_bn``; for Japan and mainland China also ``tic_<holder>_chg1_z``. TIC
attributes holdings by the country of the custodian, so Belgium, Luxembourg and the UK hold
part of China's and other countries' Treasuries; Japan's line mixes official and private
holders.
"""

from __future__ import annotations

import pandas as pd

from spillwatch.analytics._recursive import past_zscore

#: Holders whose TIC lines become signals.
TIC_HOLDERS: tuple[str, ...] = ("japan", "china_mainland", "united_kingdom", "belgium",
                                "cayman_islands", "foreign_official", "grand_total")
#: Holders that also get a z-score of the monthly change.
TIC_Z_HOLDERS: tuple[str, ...] = ("japan", "china_mainland")
CHINA_COLUMNS: tuple[str, ...] = ("china_reserves_usd_bn", "china_reserves_chg1_usd_bn",
                                  "china_reserves_chg1_z")
TIC_COLUMNS: tuple[str, ...] = tuple(
    c for h in TIC_HOLDERS for c in (
        f"tic_{h}_usd_bn", f"tic_{h}_chg1_usd_bn", f"tic_{h}_chg3_usd_bn",
        *((f"tic_{h}_chg1_z",) if h in TIC_Z_HOLDERS else ())))


def monthly_calendar(x: pd.DataFrame | pd.Series) -> pd.DatetimeIndex:
    """Every month end from the first to the last date of ``x``."""
    if len(x) == 0:
        return pd.DatetimeIndex([], name="date")
    first = x.index[0] + pd.offsets.MonthEnd(0)
    last = x.index[-1] + pd.offsets.MonthEnd(0)
    return pd.date_range(first, last, freq="ME", name="date")


def _to_month_end(x: pd.Series) -> pd.Series:
    s = x.copy()
    s.index = pd.DatetimeIndex(s.index) + pd.offsets.MonthEnd(0)
    return s[~s.index.duplicated(keep="last")]


def china_signals(reserves_usd100m: pd.Series, *, window: int = 36,
                  min_obs: int = 12) -> pd.DataFrame:
    """Monthly China reserve signals (module docstring).

    Parameters
    ----------
    reserves_usd100m : Series
        SAFE reserves at month end, 100 million USD.
    window, min_obs : int
        Months of the z-score yardstick, and how many it needs.

    Returns
    -------
    DataFrame
        Indexed by month end (months SAFE reported), columns :data:`CHINA_COLUMNS`.
    """
    s = _to_month_end(reserves_usd100m / 10.0)
    lvl = s.reindex(monthly_calendar(s))
    out = pd.DataFrame(index=lvl.index)
    out["china_reserves_usd_bn"] = lvl
    out["china_reserves_chg1_usd_bn"] = lvl - lvl.shift(1)
    out["china_reserves_chg1_z"] = past_zscore(out["china_reserves_chg1_usd_bn"], window=window,
                                               min_obs=min_obs)
    return out[lvl.notna()]


def tic_signals(tic: pd.DataFrame, *, window: int = 36, min_obs: int = 12) -> pd.DataFrame:
    """Monthly TIC signals by holder (module docstring); NaN for holders the input lacks.

    Returns
    -------
    DataFrame
        Indexed by month end, columns :data:`TIC_COLUMNS`.
    """
    cal = monthly_calendar(tic)
    out = pd.DataFrame(index=cal)
    for h in TIC_HOLDERS:
        col = f"{h}_usd_bn"
        lvl = (_to_month_end(tic[col]).reindex(cal) if col in tic.columns
               else pd.Series(float("nan"), index=cal))
        out[f"tic_{h}_usd_bn"] = lvl
        out[f"tic_{h}_chg1_usd_bn"] = lvl - lvl.shift(1)
        out[f"tic_{h}_chg3_usd_bn"] = lvl - lvl.shift(3)
        if h in TIC_Z_HOLDERS:
            out[f"tic_{h}_chg1_z"] = past_zscore(out[f"tic_{h}_chg1_usd_bn"], window=window,
                                                 min_obs=min_obs)
    keep = tic.notna().any(axis=1)
    rows = _to_month_end(keep).reindex(cal, fill_value=False).astype(bool)
    return out[rows.to_numpy()][list(TIC_COLUMNS)]
