r"""Treasury note and bond auctions: demand against the same tenor's recent auctions.

Each auction is compared with the trailing average of its own **class** (the remaining term
rounded up to whole years, so a 10-year reopening of 9 years 10 months is a 10-year auction and
a 2-year auction that reopens an old 5-year note is a 2-year auction) over the ``trailing``
previous auctions of that class:

.. math::

    d^{ind}_a = I_a - \bar I_{c(a)}, \qquad d^{btc}_a = B_a - \bar B_{c(a)}, \qquad
    d^{dlr}_a = D_a - \bar D_{c(a)}

with :math:`I` the indirect bidders' share of competitive accepted (the usual proxy for
foreign demand: foreign central banks bid through the New York Fed as indirect bidders),
:math:`B` the bid-to-cover ratio and :math:`D` the dealers' take-down (what primary dealers had
to absorb because end investors did not). Each deviation is scaled by its root mean square over
all auctions on earlier dates (all classes; recursive, at least ``scale_min`` of them):
:math:`z = d / \sqrt{\overline{d^2}}`.

**Weakness score and flag.** :math:`W_a = (-z^{ind}_a - z^{btc}_a + z^{dlr}_a) / 3`, large when
end investors (foreigners first) took less than usual, dealers more, and fewer bids covered the
offer. An auction is **weak** when :math:`W_a \ge` ``threshold`` (default 1: the three
deviations average one standard deviation against demand) and **strong** when
:math:`W_a \le -`\ ``threshold``.

What is *not* used: the **tail** (high yield minus the when-issued yield at the bidding
deadline), the market's usual verdict, needs the when-issued yield, which is not in the data.
``dispersion_bp`` = (high − median yield) × 100 is in the data and shown (``dispersion_dev_bp``
against the class average), but it measures how spread out the accepted bids were, which grows
with market volatility whatever the demand (the strong 10-year of 2025-04-09 had a wide one), so
it does not enter the score. Off-cycle issues of less than $1 bn (two $0.025 bn reopenings) are
excluded: their shares say nothing about demand.

Signals on the daily calendar: ``auction_weakness_28d`` and ``auction_indirect_dev_28d_pp``,
the means over the auctions of the last 28 days; ``auction_weak_28d``, how many of them were
weak; ``auction_<c>y_weakness``, the score of the latest auction of each class.

References
----------
Fleming, M. J. (2007), "Who buys Treasury securities at auction?", Federal Reserve Bank of New
York *Current Issues in Economics and Finance* 13(1) (bidder classes; indirect bidders include
foreign official accounts bidding through the New York Fed).
Lou, D., Yan, H. and Zhang, J. (2013), "Anticipated and repeated shocks in liquid markets",
*Review of Financial Studies* 26(8), 1891–1912 (dealers absorb supply at auctions).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

#: Auction classes (remaining term rounded up, years).
CLASSES: tuple[int, ...] = (2, 3, 5, 7, 10, 20, 30)
#: Columns of the per-auction table (:func:`auction_table`), after the input's own.
DERIVED_COLUMNS: tuple[str, ...] = (
    "class_years", "indirect_avg_pct", "btc_avg", "dealer_avg_pct", "dispersion_avg_bp",
    "indirect_dev_pp", "btc_dev", "dealer_dev_pp", "dispersion_dev_bp",
    "indirect_z", "btc_z", "dealer_z", "weakness", "weak", "strong", "excluded",
)
#: Daily columns of the rolling aggregates (:func:`auction_rolling`).
ROLLING_COLUMNS: tuple[str, ...] = ("auction_weakness_28d", "auction_indirect_dev_28d_pp",
                                    "auction_weak_28d")
#: Daily columns of the latest auction per class.
CLASS_COLUMNS: tuple[str, ...] = tuple(f"auction_{c}y_weakness" for c in CLASSES)
#: Smallest offering (USD bn) whose shares are read as demand.
MIN_SIZE_BN = 1.0
#: Days of the rolling window.
ROLLING_DAYS = 28
#: Days without any auction after which the auction record is taken as stopped (the longest
#: gap between note/bond auctions in 2015-2026 is 20 days): the rolling means end there.
AUCTION_FEED_STALE_DAYS = 21
#: Days a row of the rolling means is carried (one per business day: over a long weekend).
ROLLING_CARRY_DAYS = 4

_TERM = re.compile(r"(\d+)-Year(?:\s+(\d+)-Month)?")


def auction_class(term: object, tenor: object = None) -> float:
    """Remaining term rounded up to whole years (``"9-Year 10-Month"`` -> 10); NaN if unknown."""
    for text in (term, tenor):
        m = _TERM.search(str(text)) if text is not None else None
        if m:
            years, months = int(m.group(1)), int(m.group(2) or 0)
            return float(years + (1 if months > 0 else 0))
    return float("nan")


def _trailing_mean(values: pd.Series, groups: pd.Series, n: int, min_n: int) -> pd.Series:
    return values.groupby(groups).transform(
        lambda s: s.shift(1).rolling(n, min_periods=min_n).mean())


def _past_rms(dev: pd.Series, dates: pd.Series, min_n: int) -> pd.Series:
    """RMS of ``dev`` over auctions on strictly earlier dates (NaN before ``min_n``)."""
    ok = dev.notna()
    by_date = pd.DataFrame({"ss": (dev ** 2).where(ok, 0.0), "n": ok.astype(float),
                            "date": dates}).groupby("date")[["ss", "n"]].sum()
    prior = by_date.cumsum().shift(1).fillna(0.0)
    ss = dates.map(prior["ss"]).to_numpy(dtype=float)
    n = dates.map(prior["n"]).to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        rms = np.sqrt(ss / n)
    return pd.Series(np.where(n >= min_n, rms, np.nan), index=dev.index)


def auction_table(auctions: pd.DataFrame, *, trailing: int = 6, min_trailing: int = 3,
                  scale_min: int = 24, threshold: float = 1.0) -> pd.DataFrame:
    """One row per auction with its deviations, weakness score and flags (module docstring).

    Parameters
    ----------
    auctions : DataFrame
        One row per auction: ``date``, ``tenor``, ``term``, ``size_bn``, ``bid_to_cover``,
        ``dealer_pct``, ``direct_pct``, ``indirect_pct`` (and ``dispersion_bp`` if present).
    trailing : int, default 6
        Previous auctions of the class in the average (six months for a monthly tenor).
    min_trailing : int, default 3
        Previous auctions the average needs.
    scale_min : int, default 24
        Earlier auctions the recursive scale of each deviation needs.
    threshold : float, default 1.0
        Weakness score from which an auction is weak (and below minus which it is strong).

    Returns
    -------
    DataFrame
        The input's columns plus :data:`DERIVED_COLUMNS`, in date order.
    """
    a = auctions.sort_values("date", kind="stable").reset_index(drop=True).copy()
    if "dispersion_bp" not in a.columns:
        a["dispersion_bp"] = np.nan
    a["class_years"] = [auction_class(t, n) for t, n in zip(a["term"], a["tenor"], strict=True)]
    a["excluded"] = ~(a["size_bn"].astype(float) >= MIN_SIZE_BN)
    cols = {"indirect": "indirect_pct", "btc": "bid_to_cover", "dealer": "dealer_pct",
            "dispersion": "dispersion_bp"}
    use = a.loc[~a["excluded"]]
    for key, col in cols.items():
        avg = _trailing_mean(use[col].astype(float), use["class_years"], trailing, min_trailing)
        avg_name = {"indirect": "indirect_avg_pct", "btc": "btc_avg",
                    "dealer": "dealer_avg_pct", "dispersion": "dispersion_avg_bp"}[key]
        dev_name = {"indirect": "indirect_dev_pp", "btc": "btc_dev",
                    "dealer": "dealer_dev_pp", "dispersion": "dispersion_dev_bp"}[key]
        a[avg_name] = avg.reindex(a.index)
        a[dev_name] = a[col].astype(float) - a[avg_name]
    for key, dev_name in (("indirect", "indirect_dev_pp"), ("btc", "btc_dev"),
                          ("dealer", "dealer_dev_pp")):
        a[f"{key}_z"] = a[dev_name] / _past_rms(a[dev_name], a["date"], scale_min)
    a["weakness"] = (-a["indirect_z"] - a["btc_z"] + a["dealer_z"]) / 3.0
    a["weak"] = a["weakness"] >= threshold
    a["strong"] = a["weakness"] <= -threshold
    return a


def auction_rolling(table: pd.DataFrame) -> pd.DataFrame:
    """Means over the auctions of the last 28 days, one row per business day.

    Each day's window is the auctions dated in ``(d - 28 days, d]``: the window rolls on the
    days between auctions too (read only at auction dates and carried, a 'last 28 days' mean
    could hold an auction up to 55 days old). Days from the first auction to
    :data:`AUCTION_FEED_STALE_DAYS` after the last: later, the record has stopped and an empty
    window would read as "no auction", not as unknown (the rows ran 27 days past the last
    auction and were carried 28 more: a 55-day-old 3-year auction led a critical alert).

    Returns
    -------
    DataFrame
        Indexed by date, columns :data:`ROLLING_COLUMNS` (NaN on days whose window holds no
        scored auction).
    """
    t = table[table["weakness"].notna()]
    if t.empty:
        return pd.DataFrame(columns=list(ROLLING_COLUMNS), dtype="float64")
    by = t.groupby("date").agg(w=("weakness", "sum"), i=("indirect_dev_pp", "sum"),
                               k=("weak", "sum"), n=("weakness", "size"))
    cum = np.vstack([np.zeros(4), by.cumsum().to_numpy(dtype=float)])
    dates = by.index.to_numpy(dtype="datetime64[ns]")
    span = np.timedelta64(ROLLING_DAYS, "D")
    days = pd.bdate_range(by.index[0], by.index[-1] + pd.Timedelta(days=AUCTION_FEED_STALE_DAYS),
                          name="date")
    d = days.to_numpy(dtype="datetime64[ns]")
    hi = np.searchsorted(dates, d, side="right")          # auctions on or before d
    lo = np.searchsorted(dates, d - span, side="right")   # ... and on or before d - 28 days
    win = cum[hi] - cum[lo]
    n = win[:, 3]
    with np.errstate(invalid="ignore", divide="ignore"):
        out = pd.DataFrame({"auction_weakness_28d": np.where(n > 0, win[:, 0] / n, np.nan),
                            "auction_indirect_dev_28d_pp": np.where(n > 0, win[:, 1] / n,
                                                                    np.nan),
                            "auction_weak_28d": np.where(n > 0, win[:, 2], np.nan)},
                           index=days)
    return out


def auction_by_class(table: pd.DataFrame) -> dict[int, pd.DataFrame]:
    """Per class, the weakness score of each of its auctions (indexed by date)."""
    out: dict[int, pd.DataFrame] = {}
    for c in CLASSES:
        t = table[(table["class_years"] == c) & ~table["excluded"]]
        s = t.groupby("date")["weakness"].last()
        out[c] = s.to_frame(f"auction_{c}y_weakness").astype("float64")
    return out
