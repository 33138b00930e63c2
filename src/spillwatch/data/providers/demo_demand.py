r"""Foreign demand in the demo market: custody, Japan's flows and interventions, auctions, rates.

The simulated inputs of the foreign-demand gauge (:mod:`spillwatch.analytics.demand`), written by
:func:`spillwatch.data.providers.demo.write_demo` under the **same store ids and units as the real
data** (:mod:`spillwatch.data.providers.shared`), each named "... (simulated)" in the catalog:

===================================  =========================  ===============================
store id / event table               frequency                  unit
===================================  =========================  ===============================
``fred:WMTSECL1``                    Wednesdays                 USD bn (as the importer stores)
``mof:weekly_assets_ltdebt_acq``,    weeks ending Saturday      100 million yen (``_jpy100m``;
``..._disp``, ``..._net_jpy100m``                               ``acq − disp = net`` exactly)
``safe:cn_fx_reserves_usd100m``      month ends                 100 million USD
``mof:jgb_10y``                      business days              percent
``boj:tona_pct``                     business days              percent
``fred:SOFR``, ``fred:DGS3MO``       business days              percent
``fred:DGS10``, ``fred:DEXJPUS``     business days              percent, yen per dollar: the
                                                                demo's own 10-year yield and
                                                                yen rate under the ids the gauge
                                                                reads (hedge, dollar amounts)
events ``auctions``                  2/3/5/7/10/20/30-year      ``size_bn`` USD bn, yields %,
                                     calendar                   shares % of competitive
events ``fx_interventions``          operation days             ``amount_jpy_bn`` billion yen
===================================  =========================  ===============================

Calibration (measured by :func:`calibrate_demand` on ``../shared/data``)
-------------------------------------------------------------------------
Window: 2021-01-04 to 2025-06-30 (the market calibration's), except the intervention rule, which
reads MOF's record since 2010 (18 operations in 9 clusters). Levels start at the last real value
of the window, like the markets. Figures are in :data:`CALIBRATION` (a test recomputes them).

* **Custody** (H.4.1, Wednesdays): level 2,875.5 bn (2025-06-25); weekly change mean −0.79 bn,
  std 12.79 bn, Student-t dof 6.0 (no autocorrelation: lag-1 −0.005). Its weekly correlation
  with the dollar (0.08) and the 10-year yield (0.10) is small and left out.
* **Japan's weekly net purchases of foreign bonds** (MOF, 100 million yen): mean 480, std
  10,281, dof 6.6, AR(1) 0.125; gross flow :math:`(acq + disp)/2` mean 91,551 with a log-AR(1)
  (std 0.266, persistence 0.26). ``acq = gross + net/2``, ``disp = acq − net``.
* **Interventions** (MOF): the rule of the record since 2010. Every yen-*support* cluster
  (``sell_USD_buy_JPY``; 2022-09-22 … 2026-04-30) started with USDJPY within 2.59 % (log) of its
  250-day high and at least 9.59 % above its 250-day low; every yen-*weakening* cluster
  (``sell_JPY_buy_USD``, 2010–2011) within 3.06 % of its 250-day low and at least 8.71 % below
  its high. On such a day a cluster starts with probability 5/848 (support) or 4/551
  (weakening) — the clusters per eligible day of the record — at least 20 business days after
  the last one; each operation is followed by another 1–2 business days later with
  probability 0.5 (10 operations in 5 clusters; 8 in 4). Amounts are lognormal (log-mean
  7.981, log-std 0.784, i.e. median ¥2.9 tn, for support; 6.715 and 1.453 for weakening). The
  operation moves the yen that day: −0.249 % USDJPY per ¥1 tn (support), +0.492 % (weakening),
  the least-squares slopes of the H.10 rate's change on the amounts. Custody falls by 0.643 times
  the dollars sold over the next two Wednesdays: the median over the five yen-support clusters
  since 2022 of custody's change over the two Wednesdays after the cluster per dollar sold
  (3.38, 0.64, 0.48, 0.12, 0.79; custody also moves with other holders' flows).
* **Auctions** (one row each; sizes of 2025 H1: 2y 69, 3y 58, 5y 70, 7y 44, 10y 42 new / 39
  reopened, 20y 16/13, 30y 25/22 USD bn; 10, 20 and 30-year new in Feb/May/Aug/Nov, reopened the
  two months after). Per class, the window's means of the indirect share, bid-to-cover, dealer
  share and dispersion (e.g. 10-year: 67.1 %, 2.49, 15.3 %, 6.8 bp) and the standard deviations
  of their deviations from the class's six previous auctions (10-year: 6.18 pp, 0.108, 4.36 pp,
  1.51 bp). A one-factor *demand* model reproduces their correlations (loadings 0.76, 0.82,
  −0.90, −0.53, principal-axis fit; measured correlations 0.60 indirect/bid-to-cover, −0.75
  indirect/dealer, −0.71 bid-to-cover/dealer). Level noise is the deviation std over
  :math:`\sqrt{7/6}` (a deviation from a six-auction mean has 7/6 of the variance). Demand
  leans against the 10-year change of the day (correlation −0.2; measured weakness/10-year
  correlation 0.196). Dispersion scales with the market's common volatility factor. The high
  yield is the simulated par yield of the remaining maturity (linear in maturity between the 2,
  10 and 30-year) plus 0.5 bp per unit of weak demand (the when-issued yield, and so the real
  tail, is not in the data: an assumption). Direct = 100 − indirect − dealer.
* **China's reserves** (SAFE, month end, 100 million USD): level 33,174 (2025-06); monthly
  change = 51 − 182 × (the broad dollar's monthly change, %) + noise of std 180 (the dollar
  explains the valuation of the non-dollar reserves: correlation −0.85).
* **JGB 10-year**: level 1.462 % (2025-06-30); daily change std 2.32 bp, t dof 2.3 (floored at
  4); correlation 0.35 with the previous New York day's 10-year Treasury change (Tokyo closes
  first); reverts to its start like the Treasury yields.
* **Short rates**: policy rates move at 8 meetings a year by a stylised rule (an assumption):
  the Fed moves 25 bp (50 bp when the gap exceeds 75 bp) toward the simulated 2-year yield when
  they are 25 bp apart (2-year − SOFR averaged 0.05 pp, std 0.86, in the window), floor 0.05 %;
  the BoJ (policy rate 0.5 % at the start) hikes 25 bp when the 10-year JGB is 1.25 pp above its
  policy rate (10-year JGB − TONA before the hikes of the record: 0.81–1.96) and cuts when it is
  within 0.5 pp. SOFR = Fed level (start 4.45 %) + iid noise (daily change std 1.65 bp outside
  policy moves); TONA = BoJ level − 0.023 (TONA 0.477 % under the 0.5 % policy rate) + iid noise
  (0.55 bp); the 3-month bill = SOFR level + 0.165 + 0.153 × (2-year − SOFR) + AR(1) noise
  (std 0.204 pp, persistence 0.954), the window's regression.

The planted 'sell America' episode (:data:`spillwatch.data.providers.demo.SELL_AMERICA`) is one
story in every input: custody falls an extra :data:`EPISODE_CUSTODY_BN` each Wednesday of the
episode (the record's worst weeks: −76, −38, −32 bn), Japan's investors sell
:data:`EPISODE_MOF_NET` (−¥2.5 tn) more in each week that overlaps it (the week to 2025-04-05:
−¥2.57 tn), every auction in it meets demand :data:`EPISODE_AUCTION_DEMAND` standard deviations
short (low indirect share and bid-to-cover, a high dealer take-down: a tail), and MOF sells
dollars for yen on its 3rd and 5th business days (¥5.9 tn and ¥3.9 tn, the 2024-04-29/05-01
cluster), funded partly out of custody. China's reserves, driven by the dollar's valuation,
*rise* as the dollar falls. Everything is drawn from ``numpy`` generators seeded by the demo's
seed, so a seed gives the same inputs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

#: Calibration window (the market calibration's).
WINDOW = ("2021-01-04", "2025-06-30")
#: Start of MOF's record that the intervention rule reads.
INTERVENTION_SINCE = "2010-01-01"

#: Figures measured by :func:`calibrate_demand` on ``../shared/data`` (see the module docstring).
CALIBRATION: dict[str, float] = {
    "custody_start_bn": 2875.504, "custody_chg_mean_bn": -0.790, "custody_chg_std_bn": 12.788,
    "custody_chg_dof": 6.03,
    "mof_net_mean": 480.4, "mof_net_std": 10280.7, "mof_net_dof": 6.57, "mof_net_ac1": 0.125,
    "mof_gross_mean": 91551.1, "mof_gross_log_std": 0.266, "mof_gross_log_ac1": 0.261,
    "iv_support_near": 0.0259, "iv_support_far": 0.0959, "iv_support_hazard": 5 / 848,
    "iv_support_follow": 0.5, "iv_support_log_mean": 7.981, "iv_support_log_std": 0.784,
    "iv_support_impact_pct_per_tn": -0.249,
    "iv_weaken_near": 0.0306, "iv_weaken_far": 0.0871, "iv_weaken_hazard": 4 / 551,
    "iv_weaken_follow": 0.5, "iv_weaken_log_mean": 6.715, "iv_weaken_log_std": 1.453,
    "iv_weaken_impact_pct_per_tn": 0.492, "custody_funding_share": 0.643,
    "auction_loading_indirect_pct": 0.764, "auction_loading_bid_to_cover": 0.821,
    "auction_loading_dealer_pct": -0.901, "auction_loading_dispersion_bp": -0.535,
    "auction_weakness_corr_10y": 0.196,
    "china_start": 33174.22, "china_alpha": 50.95, "china_beta": -181.55,
    "china_resid_std": 179.5,
    "jgb_start": 1.462, "jgb_chg_std_bp": 2.321, "jgb_chg_dof": 2.35, "jgb_ust_lag_corr": 0.352,
    "tona_start": 0.477, "tona_noise_chg_std": 0.0055,
    "sofr_start": 4.45, "sofr_noise_chg_std": 0.0165,
    "bill_icpt": 0.165, "bill_slope": 0.153, "bill_resid_std": 0.204, "bill_resid_ac1": 0.954,
    "ust2y_sofr_mean": 0.048,
}
#: Auction classes (remaining term in whole years) and their window means and deviation stds:
#: class -> (indirect %, bid-to-cover, dealer %, dispersion bp) means, then the stds.
AUCTION_MEANS: dict[int, tuple[float, float, float, float]] = {
    2: (61.53, 2.619, 18.69, 4.95), 3: (60.82, 2.558, 20.91, 5.30),
    5: (65.56, 2.419, 16.56, 6.35), 7: (66.20, 2.489, 14.51, 6.26),
    10: (67.14, 2.488, 15.33, 6.85), 20: (67.70, 2.549, 14.12, 6.56),
    30: (66.47, 2.372, 14.84, 7.19),
}
AUCTION_DEV_STD: dict[int, tuple[float, float, float, float]] = {
    2: (7.15, 0.150, 4.70, 1.15), 3: (5.96, 0.133, 4.07, 1.18),
    5: (4.79, 0.089, 3.45, 1.08), 7: (6.80, 0.121, 4.74, 1.29),
    10: (6.18, 0.108, 4.36, 1.51), 20: (5.00, 0.149, 4.38, 1.71),
    30: (4.64, 0.098, 3.61, 1.93),
}
#: Offering sizes (USD bn) of 2025 H1: class -> (new issue, reopening).
AUCTION_SIZES: dict[int, tuple[float, float]] = {
    2: (69.0, 69.0), 3: (58.0, 58.0), 5: (70.0, 70.0), 7: (44.0, 44.0), 10: (42.0, 39.0),
    20: (16.0, 13.0), 30: (25.0, 22.0),
}
#: Months in which the 10, 20 and 30-year are new issues (reopened the two months after).
REFUNDING_MONTHS = (2, 5, 8, 11)
#: Correlation of an auction's demand with minus the 10-year change of its day.
AUCTION_MARKET_RHO = 0.2
#: High-yield premium (bp) per standard deviation of weak demand (assumption).
AUCTION_TAIL_BP = 0.5
#: Business days between two intervention clusters, at least.
INTERVENTION_COOLDOWN = 20
#: The rule's look-back (business days) for the yen's high and low.
INTERVENTION_LOOKBACK = 250
#: Policy meetings (months) and the weekday/week of the decision (Fed: 3rd Wednesday; BoJ: 3rd
#: Friday), the new level applying from the next business day.
FOMC_MONTHS = (1, 3, 5, 6, 7, 9, 10, 12)
BOJ_MONTHS = (1, 3, 4, 6, 7, 9, 10, 12)
FED_FLOOR = 0.05
BOJ_HIKE_SPREAD = 1.25
BOJ_CUT_SPREAD = 0.5
BOJ_START = 0.5
DOF_FLOOR = 4.0
JGB_MEAN_REVERSION = 0.004

# The planted episode, in each input.
EPISODE_CUSTODY_BN = -30.0
EPISODE_MOF_NET = -25_000.0
EPISODE_AUCTION_DEMAND = -3.0
#: (business day of the episode, amount in ¥bn) of MOF's planted yen-support operations.
EPISODE_INTERVENTIONS: tuple[tuple[int, float], ...] = ((2, 5900.0), (4, 3900.0))

#: Catalog entries of the simulated series: id -> (name, unit, frequency, block, positive).
CATALOG: dict[str, tuple[str, str, str, str, bool]] = {
    "fred:WMTSECL1": ("NY Fed custody holdings of Treasuries for foreign official accounts",
                      "usd_bn", "weekly", "holdings", True),
    "mof:weekly_assets_ltdebt_acq_jpy100m": (
        "MOF weekly: Japanese residents' purchases of foreign long-term bonds", "jpy100m",
        "weekly", "holdings", True),
    "mof:weekly_assets_ltdebt_disp_jpy100m": (
        "MOF weekly: Japanese residents' sales of foreign long-term bonds", "jpy100m",
        "weekly", "holdings", True),
    "mof:weekly_assets_ltdebt_net_jpy100m": (
        "MOF weekly: Japanese residents' net purchases of foreign long-term bonds", "jpy100m",
        "weekly", "holdings", False),
    "safe:cn_fx_reserves_usd100m": ("China official FX reserves (SAFE)", "usd100m", "monthly",
                                    "holdings", True),
    "mof:jgb_10y": ("JGB 10-year benchmark yield (MOF)", "pct", "daily", "rates", False),
    "boj:tona_pct": ("BoJ uncollateralised overnight call rate (TONA)", "pct", "daily", "rates",
                     False),
    "fred:SOFR": ("Secured Overnight Financing Rate", "pct", "daily", "rates", False),
    "fred:DGS3MO": ("US Treasury 3m yield", "pct", "daily", "rates", False),
    "fred:DGS10": ("US Treasury 10y par yield (the demo's 10-year)", "pct", "daily", "rates",
                   False),
    "fred:DEXJPUS": ("Yen per US dollar (the demo's USDJPY)", "jpy", "daily", "dollar", True),
}

_TERM = re.compile(r"(\d+)-Year(?:\s+(\d+)-Month)?")


@dataclass(frozen=True, eq=False)
class DemandDemo:
    """The simulated foreign-demand inputs.

    Attributes
    ----------
    series : dict of str to Series
        Store series id -> values indexed by date (ids and units of :data:`CATALOG`).
    auctions : DataFrame
        One row per auction, the columns of the store's ``auctions`` event table.
    interventions : DataFrame
        One row per operation, the columns of the ``fx_interventions`` event table.
    episode : tuple of Timestamp or None
        The planted episode's first and last dates.
    """

    series: dict[str, pd.Series]
    auctions: pd.DataFrame
    interventions: pd.DataFrame
    episode: tuple[pd.Timestamp, pd.Timestamp] | None = None


def _rng(seed: int, stream: int) -> np.random.Generator:
    return np.random.default_rng((seed, 17, stream))


def _t(rng: np.random.Generator, dof: float, size: int | tuple[int, ...]) -> np.ndarray:
    """Student-t draws scaled to unit variance (dof floored at :data:`DOF_FLOOR`)."""
    nu = max(dof, DOF_FLOOR)
    return rng.standard_t(nu, size) / np.sqrt(nu / (nu - 2.0))


# -- interventions (they move the yen, so the market simulation calls this) ----------------------

def plant_interventions(usdjpy_pct: np.ndarray, dates: pd.DatetimeIndex, *, start_level: float,
                        seed: int, episode: slice | None = None
                        ) -> tuple[np.ndarray, pd.DataFrame]:
    """MOF's operations by the record's rule, plus the planted ones; the yen moves on their days.

    Parameters
    ----------
    usdjpy_pct : ndarray
        Daily USDJPY log changes in percent (the market simulation's), one per date.
    dates : DatetimeIndex
        Business dates.
    start_level : float
        USDJPY before the first change.
    seed : int
    episode : slice, optional
        Positions of the planted episode: its operations (:data:`EPISODE_INTERVENTIONS`) are
        added and the rule stays silent within :data:`INTERVENTION_COOLDOWN` days of it.

    Returns
    -------
    (ndarray, DataFrame)
        The changes with each operation's move added, and one row per operation
        (``intervention_date``, ``currency_pair``, ``direction``, ``amount_jpy_bn``).
    """
    cal = CALIBRATION
    rng = _rng(seed, 1)
    n = len(usdjpy_pct)
    x = np.asarray(usdjpy_pct, dtype=float).copy()
    planted: dict[int, tuple[str, float]] = {}
    quiet = np.zeros(n, dtype=bool)
    if episode is not None:
        for day, amount in EPISODE_INTERVENTIONS:
            pos = episode.start + day
            if 0 <= pos < n and pos < episode.stop:
                planted[pos] = ("support", amount)
        quiet[max(episode.start - INTERVENTION_COOLDOWN, 0):
              min(episode.stop + INTERVENTION_COOLDOWN, n)] = True
    # one pre-drawn uniform per day per decision keeps the draws independent of the path
    u_start, u_follow, u_gap = rng.random(n), rng.random(n), rng.random(n)
    z_amount = rng.standard_normal(n)
    level = np.empty(n)
    cur = np.log(start_level)
    last_cluster = -10**9
    pending: tuple[int, str] | None = None  # (day of the follow-up, kind)
    rows: list[tuple[pd.Timestamp, str, float]] = []
    for t in range(n):
        kind = None
        if t in planted:
            kind, amount = planted[t]
        elif pending is not None and pending[0] == t:
            kind = pending[1]
        elif t >= INTERVENTION_LOOKBACK and not quiet[t] and \
                t - last_cluster > INTERVENTION_COOLDOWN:
            past = level[t - INTERVENTION_LOOKBACK:t]
            hi, lo, now = past.max(), past.min(), cur
            if now >= hi - cal["iv_support_near"] and now - lo >= cal["iv_support_far"] and \
                    u_start[t] < cal["iv_support_hazard"]:
                kind = "support"
            elif now <= lo + cal["iv_weaken_near"] and hi - now >= cal["iv_weaken_far"] and \
                    u_start[t] < cal["iv_weaken_hazard"]:
                kind = "weaken"
            if kind is not None:
                last_cluster = t
        if kind is not None:
            if t not in planted:
                amount = float(np.exp(cal[f"iv_{kind}_log_mean"]
                                      + cal[f"iv_{kind}_log_std"] * z_amount[t]))
            amount = round(amount, 1)
            x[t] += cal[f"iv_{kind}_impact_pct_per_tn"] * amount / 1000.0
            rows.append((dates[t], kind, amount))
            pending = None
            if t not in planted and u_follow[t] < cal[f"iv_{kind}_follow"]:
                pending = (t + (1 if u_gap[t] < 0.5 else 2), kind)
        cur = cur + x[t] / 100.0
        level[t] = cur
    ops = pd.DataFrame({
        "intervention_date": pd.DatetimeIndex([r[0] for r in rows]),
        "currency_pair": "USD/JPY",
        "direction": ["sell_USD_buy_JPY" if r[1] == "support" else "sell_JPY_buy_USD"
                      for r in rows],
        "amount_jpy_bn": np.array([r[2] for r in rows], dtype=float),
    })
    return x, ops


# -- the weekly and monthly inputs ---------------------------------------------------------------

def _days(dates: pd.DatetimeIndex, weekday: int) -> pd.DatetimeIndex:
    """Every ``weekday`` (0 = Monday) from the first to the last of ``dates``."""
    every = pd.date_range(dates[0], dates[-1], freq="D")
    return every[every.day_of_week == weekday]


def _custody(dates: pd.DatetimeIndex, ops: pd.DataFrame, usdjpy: pd.Series, *, seed: int,
             episode: tuple[pd.Timestamp, pd.Timestamp] | None) -> pd.Series:
    cal = CALIBRATION
    rng = _rng(seed, 2)
    weds = _days(dates, 2)
    chg = cal["custody_chg_mean_bn"] + cal["custody_chg_std_bn"] * _t(
        rng, cal["custody_chg_dof"], len(weds))
    if episode is not None:
        chg[(weds >= episode[0]) & (weds <= episode[1])] += EPISODE_CUSTODY_BN
    for _, op in ops.iterrows():
        sign = -1.0 if op["direction"].startswith("sell_USD") else 1.0
        fx = float(usdjpy.asof(op["intervention_date"]))
        usd_bn = op["amount_jpy_bn"] / fx
        nxt = np.flatnonzero(weds > op["intervention_date"])[:2]
        chg[nxt] += sign * cal["custody_funding_share"] * usd_bn / 2.0
    chg[0] = 0.0
    return pd.Series(cal["custody_start_bn"] + np.cumsum(chg), index=weds)


def _mof_weekly(dates: pd.DatetimeIndex, *, seed: int,
                episode: tuple[pd.Timestamp, pd.Timestamp] | None) -> dict[str, pd.Series]:
    cal = CALIBRATION
    rng = _rng(seed, 3)
    sats = _days(dates, 5)
    n = len(sats)
    phi, sd = cal["mof_net_ac1"], cal["mof_net_std"]
    e = _t(rng, cal["mof_net_dof"], n) * sd * np.sqrt(1.0 - phi**2)
    net = np.empty(n)
    prev = 0.0
    for t in range(n):
        prev = phi * prev + e[t]
        net[t] = prev
    net += cal["mof_net_mean"]
    if episode is not None:
        # weeks (Sunday to Saturday) that overlap the episode
        overlap = (sats >= episode[0]) & (sats - pd.Timedelta(days=6) <= episode[1])
        net[overlap] += EPISODE_MOF_NET
    gphi, gsd = cal["mof_gross_log_ac1"], cal["mof_gross_log_std"]
    ge = rng.standard_normal(n) * gsd * np.sqrt(1.0 - gphi**2)
    lg = np.empty(n)
    prev = 0.0
    for t in range(n):
        prev = gphi * prev + ge[t]
        lg[t] = prev
    gross = cal["mof_gross_mean"] * np.exp(lg - gsd**2 / 2.0)
    net_i = np.round(net)
    gross = np.maximum(gross, np.abs(net_i) / 2.0 + 1000.0)
    acq = np.round(gross + net_i / 2.0)
    disp = acq - net_i
    return {"mof:weekly_assets_ltdebt_acq_jpy100m": pd.Series(acq, index=sats),
            "mof:weekly_assets_ltdebt_disp_jpy100m": pd.Series(disp, index=sats),
            "mof:weekly_assets_ltdebt_net_jpy100m": pd.Series(net_i, index=sats)}


def _china(dates: pd.DatetimeIndex, usd_broad: pd.Series, *, seed: int) -> pd.Series:
    cal = CALIBRATION
    rng = _rng(seed, 4)
    ends = pd.date_range(dates[0], dates[-1], freq="ME")
    if len(ends) == 0:
        return pd.Series(dtype=float)
    dollar = np.log(usd_broad).resample("ME").last().reindex(ends)
    move = 100.0 * dollar.diff().fillna(0.0).to_numpy()
    chg = cal["china_alpha"] + cal["china_beta"] * move + cal["china_resid_std"] * \
        rng.standard_normal(len(ends))
    chg[0] = 0.0
    return pd.Series(np.round(cal["china_start"] + np.cumsum(chg), 2), index=ends)


# -- daily rates ---------------------------------------------------------------------------------

def _meetings(dates: pd.DatetimeIndex, months: tuple[int, ...], weekday: int
              ) -> set[pd.Timestamp]:
    """The third ``weekday`` of each meeting month within ``dates``."""
    out = set()
    for day in _days(dates, weekday):
        if day.month in months and 15 <= day.day <= 21:
            out.add(day)
    return out


def _policy(dates: pd.DatetimeIndex, meetings: set[pd.Timestamp], start: float,
            target: np.ndarray, rule: str) -> np.ndarray:
    out = np.empty(len(dates))
    cur = start
    decided = None
    for t, day in enumerate(dates):
        if decided is not None:
            cur, decided = decided, None
        out[t] = cur
        if day in meetings:
            gap = target[t] - cur
            if rule == "fed":
                if abs(gap) >= 0.25:
                    step = 0.5 if abs(gap) >= 0.75 else 0.25
                    decided = max(cur + np.sign(gap) * step, FED_FLOOR)
            elif gap >= BOJ_HIKE_SPREAD:
                decided = cur + 0.25
            elif gap <= BOJ_CUT_SPREAD and cur >= 0.25:
                decided = cur - 0.25
    return out


def _rates(levels: pd.DataFrame, *, seed: int, ust10y_std_bp: float) -> dict[str, pd.Series]:
    cal = CALIBRATION
    rng = _rng(seed, 5)
    dates = pd.DatetimeIndex(levels.index)
    n = len(dates)
    ust10 = levels["ust10y"].to_numpy()
    d10 = np.diff(ust10, prepend=ust10[0]) * 100.0
    # JGB 10y: follows the previous New York day's 10-year change (Tokyo closes first)
    rho, sd = cal["jgb_ust_lag_corr"], cal["jgb_chg_std_bp"]
    prev_z = np.concatenate([[0.0], d10[:-1] / ust10y_std_bp])
    dj = sd * (rho * prev_z + np.sqrt(1.0 - rho**2) * _t(rng, cal["jgb_chg_dof"], n))
    jgb = np.empty(n)
    cur = cal["jgb_start"]
    for t in range(n):
        cur = cur + dj[t] / 100.0 - JGB_MEAN_REVERSION * (cur - cal["jgb_start"])
        jgb[t] = cur
    fed = _policy(dates, _meetings(dates, FOMC_MONTHS, 2), cal["sofr_start"],
                  levels["ust2y"].to_numpy(), "fed")
    boj = _policy(dates, _meetings(dates, BOJ_MONTHS, 4), BOJ_START, jgb, "boj")
    tona_spread = cal["tona_start"] - BOJ_START
    sofr = fed + cal["sofr_noise_chg_std"] / np.sqrt(2.0) * rng.standard_normal(n)
    tona = boj + tona_spread + cal["tona_noise_chg_std"] / np.sqrt(2.0) * rng.standard_normal(n)
    phi, rsd = cal["bill_resid_ac1"], cal["bill_resid_std"]
    e = rng.standard_normal(n) * rsd * np.sqrt(1.0 - phi**2)
    res = np.empty(n)
    prev = 0.0
    for t in range(n):
        prev = phi * prev + e[t]
        res[t] = prev
    bill = fed + cal["bill_icpt"] + cal["bill_slope"] * (levels["ust2y"].to_numpy() - fed) + res
    return {"mof:jgb_10y": pd.Series(np.round(jgb, 3), index=dates),
            "boj:tona_pct": pd.Series(np.round(tona, 3), index=dates),
            "fred:SOFR": pd.Series(np.round(sofr, 2), index=dates),
            "fred:DGS3MO": pd.Series(np.round(bill, 2), index=dates)}


# -- auctions ------------------------------------------------------------------------------------

def _first_weekday_on_or_after(year: int, month: int, day: int, weekday: int) -> pd.Timestamp:
    d = pd.Timestamp(year, month, day)
    return d + pd.Timedelta(days=(weekday - d.day_of_week) % 7)


def auction_calendar(start: object, end: object) -> pd.DataFrame:
    """The usual note and bond calendar between two dates (one row per auction).

    3, 10 and 30-year on the Tuesday to Thursday after the 6th; 20-year on the Wednesday after
    the 16th; 2, 5 and 7-year on the Tuesday to Thursday after the 22nd. The 10, 20 and 30-year
    are new in :data:`REFUNDING_MONTHS` and reopened (remaining term one and two months shorter)
    in the two months after.

    Returns
    -------
    DataFrame
        ``auction_date``, ``cusip`` (simulated ids ``SIM<years>Y<yymm of issue>``), ``tenor``,
        ``term``, ``reopening``, ``security_type``, ``size_bn``, ``class_years``.
    """
    lo, hi = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    rows = []
    for m in pd.period_range(lo, hi, freq="M"):
        y, mo = m.year, m.month
        early = _first_weekday_on_or_after(y, mo, 6, 1)
        late = _first_weekday_on_or_after(y, mo, 22, 1)
        plan = [(3, early), (10, early + pd.Timedelta(days=1)),
                (30, early + pd.Timedelta(days=2)),
                (20, _first_weekday_on_or_after(y, mo, 16, 2)),
                (2, late), (5, late + pd.Timedelta(days=1)), (7, late + pd.Timedelta(days=2))]
        for years, day in plan:
            if not lo <= day <= hi:
                continue
            age = 0
            if years >= 10:
                age = next(k for k in range(3) if (mo - k - 1) % 12 + 1 in REFUNDING_MONTHS)
            issue = m - age
            term = f"{years}-Year" if age == 0 else f"{years - 1}-Year {12 - age}-Month"
            rows.append({
                "auction_date": day, "cusip": f"SIM{years}Y{issue.strftime('%y%m')}",
                "tenor": f"{years}-Year", "term": term, "reopening": age > 0,
                "security_type": "Bond" if years >= 20 else "Note",
                "size_bn": AUCTION_SIZES[years][1 if age else 0], "class_years": years})
    return pd.DataFrame(rows).sort_values(["auction_date", "class_years"], kind="stable"
                                          ).reset_index(drop=True)


def _par_yield(levels: pd.DataFrame, day: pd.Timestamp, years: float) -> float:
    row = levels.loc[:day].iloc[-1]
    knots = np.array([2.0, 10.0, 30.0])
    vals = np.array([row["ust2y"], row["ust10y"], row["ust30y"]])
    return float(np.interp(years, knots, vals))


def _auctions(levels: pd.DataFrame, changes: pd.DataFrame, volatility: pd.Series, *,
              seed: int, episode: tuple[pd.Timestamp, pd.Timestamp] | None,
              ust10y_std_bp: float) -> pd.DataFrame:
    cal = CALIBRATION
    rng = _rng(seed, 6)
    dates = pd.DatetimeIndex(levels.index)
    table = auction_calendar(dates[0], dates[-1])
    table = table[table["auction_date"].isin(dates)].reset_index(drop=True)
    n = len(table)
    if n == 0:
        return table.drop(columns="class_years")
    lam = np.array([cal["auction_loading_indirect_pct"], cal["auction_loading_bid_to_cover"],
                    cal["auction_loading_dealer_pct"], cal["auction_loading_dispersion_bp"]])
    day_move = changes["ust10y"].reindex(table["auction_date"]).to_numpy() / ust10y_std_bp
    demand = (-AUCTION_MARKET_RHO * np.clip(day_move, -4.0, 4.0)
              + np.sqrt(1.0 - AUCTION_MARKET_RHO**2) * rng.standard_normal(n))
    if episode is not None:
        inside = ((table["auction_date"] >= episode[0]) & (table["auction_date"] <= episode[1]))
        demand = np.where(inside.to_numpy(), EPISODE_AUCTION_DEMAND + 0.3 * demand, demand)
    idio = rng.standard_normal((n, 4)) * np.sqrt(1.0 - lam**2)
    unit = (demand[:, None] * lam[None, :] + idio) / np.sqrt(7.0 / 6.0)
    cls = table["class_years"].to_numpy()
    mean = np.array([AUCTION_MEANS[c] for c in cls])
    sd = np.array([AUCTION_DEV_STD[c] for c in cls])
    x = mean + sd * unit
    vol = volatility.reindex(table["auction_date"]).to_numpy()
    indirect = np.clip(x[:, 0], 25.0, 92.0)
    dealer = np.clip(x[:, 2], 1.0, 60.0)
    direct = 100.0 - indirect - dealer
    short = direct < 1.0
    dealer = np.where(short, dealer - (1.0 - direct), dealer)
    direct = 100.0 - indirect - dealer
    dispersion = np.maximum(mean[:, 3] * vol + sd[:, 3] * unit[:, 3], 0.5)
    market = np.array([_par_yield(levels, d, c) for d, c in
                       zip(table["auction_date"], cls, strict=True)])
    high = np.round(market + AUCTION_TAIL_BP / 100.0 * np.maximum(-demand, 0.0), 3)
    out = table.drop(columns="class_years")
    out["high_yield"] = high
    out["median_yield"] = np.round(high - np.round(dispersion, 1) / 100.0, 3)
    out["bid_to_cover"] = np.round(np.maximum(x[:, 1], 1.2), 2)
    out["dealer_pct"] = dealer
    out["direct_pct"] = direct
    out["indirect_pct"] = indirect
    out["dispersion_bp"] = np.round((out["high_yield"] - out["median_yield"]) * 100.0, 1)
    return out


# -- the front door ------------------------------------------------------------------------------

def simulate_demand(changes: pd.DataFrame, levels: pd.DataFrame, *, seed: int,
                    episode: tuple[pd.Timestamp, pd.Timestamp] | None = None,
                    volatility: pd.Series | None = None,
                    interventions: pd.DataFrame | None = None,
                    ust10y_std_bp: float | None = None) -> DemandDemo:
    """Simulate the foreign-demand inputs on top of a simulated market.

    Parameters
    ----------
    changes, levels : DataFrame
        The market's business-day changes and levels by asset key (same index; at least
        ``ust2y``, ``ust10y``, ``ust30y``, ``usd_broad``, ``usdjpy``), as
        :func:`spillwatch.data.providers.demo.simulate_changes` makes them.
    seed : int
    episode : (Timestamp, Timestamp), optional
        First and last dates of the planted episode (none planted when ``None``).
    volatility : Series, optional
        The market's common volatility factor by date (default 1: constant).
    interventions : DataFrame, optional
        MOF's operations (:func:`plant_interventions`; default none).
    ust10y_std_bp : float, optional
        Daily std of the 10-year change that standardises it (default its sample std).

    Returns
    -------
    DemandDemo
    """
    dates = pd.DatetimeIndex(changes.index)
    ops = interventions if interventions is not None else pd.DataFrame(
        {"intervention_date": pd.DatetimeIndex([]), "currency_pair": pd.Series(dtype=object),
         "direction": pd.Series(dtype=object), "amount_jpy_bn": pd.Series(dtype=float)})
    vol = volatility if volatility is not None else pd.Series(1.0, index=dates)
    std10 = float(changes["ust10y"].std()) if ust10y_std_bp is None else float(ust10y_std_bp)
    series: dict[str, pd.Series] = {}
    series["fred:WMTSECL1"] = _custody(dates, ops, levels["usdjpy"], seed=seed, episode=episode)
    series.update(_mof_weekly(dates, seed=seed, episode=episode))
    series["safe:cn_fx_reserves_usd100m"] = _china(dates, levels["usd_broad"], seed=seed)
    series.update(_rates(levels, seed=seed, ust10y_std_bp=std10))
    series["fred:DGS10"] = levels["ust10y"].round(4)
    series["fred:DEXJPUS"] = levels["usdjpy"].round(4)
    auctions = _auctions(levels, changes, vol, seed=seed, episode=episode, ust10y_std_bp=std10)
    return DemandDemo({k: v.rename(k) for k, v in series.items()}, auctions,
                      ops.reset_index(drop=True), episode)


# -- calibration ---------------------------------------------------------------------------------

def _read(root: Path, rel: str) -> pd.DataFrame:
    return pd.read_csv(root / rel, parse_dates=["date"]).set_index("date").sort_index()


def _class(term: object) -> int:
    m = _TERM.search(str(term))
    if m is None:
        return -1
    return int(m.group(1)) + (1 if m.group(2) and int(m.group(2)) > 0 else 0)


def _auction_deviations(root: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Auctions of at least $1 bn and their deviations from the class's six previous ones."""
    au = pd.read_csv(root / "auctions/ust_auctions_notes_bonds.csv", parse_dates=["date"])
    au = au[au["size_bn"] >= 1.0].sort_values("date", kind="stable").reset_index(drop=True)
    au["cls"] = [_class(t) for t in au["term"]]
    dev = pd.DataFrame(index=au.index)
    for col in ("indirect_pct", "bid_to_cover", "dealer_pct", "dispersion_bp"):
        avg = au.groupby("cls")[col].transform(
            lambda s: s.shift(1).rolling(6, min_periods=3).mean())
        dev[col] = au[col] - avg
    return au, dev


def _one_factor(corr: np.ndarray, iterations: int = 500) -> np.ndarray:
    """Principal-axis loadings of a one-factor model of a correlation matrix."""
    h2 = np.full(len(corr), 0.6)
    lam = np.zeros(len(corr))
    for _ in range(iterations):
        r = corr.copy()
        np.fill_diagonal(r, h2)
        w, v = np.linalg.eigh(r)
        lam = v[:, -1] * np.sqrt(max(w[-1], 0.0))
        h2 = lam**2
    return lam if lam[0] > 0 else -lam


def calibrate_demand(root: str | Path, *, window: tuple[str, str] = WINDOW
                     ) -> dict[str, float]:
    """Measure the calibration figures on the shared real-data folder ``root``.

    The figures of :data:`CALIBRATION`, :data:`AUCTION_MEANS` and :data:`AUCTION_DEV_STD`.

    Returns
    -------
    dict
        The keys of :data:`CALIBRATION`, plus ``auction_mean_<c>y_<column>`` and
        ``auction_dev_std_<c>y_<column>`` per auction class.
    """
    root = Path(root)
    lo, hi = window
    out: dict[str, float] = {}
    c = _read(root, "fred/WMTSECL1.csv")["WMTSECL1"]
    c = c[c > 0].loc[lo:hi] / 1000.0
    d = c.diff().dropna()
    out.update(custody_start_bn=float(c.iloc[-1]), custody_chg_mean_bn=float(d.mean()),
               custody_chg_std_bn=float(d.std()),
               custody_chg_dof=float(stats.t.fit(d.to_numpy())[0]))
    m = _read(root, "holdings/mof_weekly_intl_securities.csv").loc[lo:hi]
    net = m["assets_ltdebt_net_jpy100m"].astype(float)
    gross = np.log((m["assets_ltdebt_acq_jpy100m"] + m["assets_ltdebt_disp_jpy100m"]) / 2.0)
    out.update(mof_net_mean=float(net.mean()), mof_net_std=float(net.std()),
               mof_net_dof=float(stats.t.fit(net.to_numpy())[0]),
               mof_net_ac1=float(net.autocorr()), mof_gross_mean=float(np.exp(gross).mean()),
               mof_gross_log_std=float(gross.std()), mof_gross_log_ac1=float(gross.autocorr()))
    _calibrate_interventions(root, out)
    au, dev = _auction_deviations(root)
    inw = ((au["date"] >= lo) & (au["date"] <= hi)).to_numpy()
    dv, aw = dev[inw], au[inw]
    lam = _one_factor(dv.corr().to_numpy())
    for i, col in enumerate(dv.columns):
        out[f"auction_loading_{col}"] = float(lam[i])
    for cls, g in aw.groupby("cls"):
        for col in dv.columns:
            out[f"auction_mean_{cls}y_{col}"] = float(g[col].mean())
            out[f"auction_dev_std_{cls}y_{col}"] = float(dv.loc[g.index, col].std())
    du = _read(root, "fred/DGS10.csv")["DGS10"].dropna().diff() * 100.0
    z = dv / np.sqrt((dv**2).mean())
    weak = (-z["indirect_pct"] - z["bid_to_cover"] + z["dealer_pct"]) / 3.0
    pair = pd.DataFrame({"w": weak.to_numpy(),
                         "du": du.reindex(aw["date"]).to_numpy()}).dropna()
    out["auction_weakness_corr_10y"] = float(pair.corr().iloc[0, 1])
    cn = _read(root, "holdings/china_fx_reserves_safe.csv")["cn_fx_reserves_usd100m"]
    usd = np.log(_read(root, "fred/DTWEXBGS.csv")["DTWEXBGS"].dropna().resample("ME").last())
    f = pd.DataFrame({"d": cn.resample("ME").last().diff(),
                      "u": usd.diff() * 100.0}).loc[lo:hi].dropna()
    beta, alpha = np.polyfit(f["u"], f["d"], 1)
    out.update(china_start=float(cn.loc[:hi].iloc[-1]), china_alpha=float(alpha),
               china_beta=float(beta),
               china_resid_std=float((f["d"] - alpha - beta * f["u"]).std()))
    j = _read(root, "japan/jgb_yields_mof.csv")["jgb_10y"].dropna().loc[lo:hi]
    dj = j.diff().dropna() * 100.0
    both = pd.concat([dj, du.shift(1)], axis=1, join="inner").dropna()
    out.update(jgb_start=float(j.iloc[-1]), jgb_chg_std_bp=float(dj.std()),
               jgb_chg_dof=float(stats.t.fit(dj.to_numpy())[0]),
               jgb_ust_lag_corr=float(both.corr().iloc[0, 1]))
    tona = _read(root, "japan/tona.csv")["tona_pct"].dropna().loc[lo:hi]
    dt = tona.diff().dropna()
    out.update(tona_start=float(tona.iloc[-1]),
               tona_noise_chg_std=float(dt[dt.abs() < 0.05].std()))
    sofr = _read(root, "fred/SOFR.csv")["SOFR"].dropna().loc[lo:hi]
    ds = sofr.diff().dropna()
    out.update(sofr_start=float(sofr.iloc[-1]),
               sofr_noise_chg_std=float(ds[ds.abs() < 0.2].std()))
    fr = pd.concat([sofr, _read(root, "fred/DGS3MO.csv")["DGS3MO"].dropna(),
                    _read(root, "fred/DGS2.csv")["DGS2"].dropna()], axis=1, join="inner").dropna()
    gap, spread = fr["DGS2"] - fr["SOFR"], fr["DGS3MO"] - fr["SOFR"]
    slope, icpt = np.polyfit(gap, spread, 1)
    res = spread - icpt - slope * gap
    out.update(bill_icpt=float(icpt), bill_slope=float(slope), bill_resid_std=float(res.std()),
               bill_resid_ac1=float(res.autocorr()), ust2y_sofr_mean=float(gap.mean()))
    return out


def _calibrate_interventions(root: Path, out: dict[str, float]) -> None:
    fx = _read(root, "fred/DEXJPUS.csv")["DEXJPUS"].dropna()
    jp = np.log(fx)
    hi = jp.rolling(INTERVENTION_LOOKBACK).max()
    lo = jp.rolling(INTERVENTION_LOOKBACK).min()
    iv = _read(root, "holdings/mof_fx_intervention_daily.csv").loc[INTERVENTION_SINCE:]
    for kind, direction in (("support", "sell_USD_buy_JPY"), ("weaken", "sell_JPY_buy_USD")):
        ops = iv[iv["direction"] == direction]
        days = ops.index
        starts = pd.DatetimeIndex([t for i, t in enumerate(days)
                                   if i == 0 or (t - days[i - 1]).days > 10])
        lvl = jp.reindex(starts, method="ffill")
        h = hi.reindex(starts, method="ffill")
        low = lo.reindex(starts, method="ffill")
        if kind == "support":
            near, far = float((h - lvl).max()), float((lvl - low).min())
            eligible = (jp >= hi - near) & (jp - lo >= far)
        else:
            near, far = float((lvl - low).max()), float((h - lvl).min())
            eligible = (jp <= lo + near) & (hi - jp >= far)
        amount = ops["amount_jpy_bn"].astype(float)
        moved = (jp.diff() * 100.0).reindex(days).dropna()
        a = amount.reindex(moved.index) / 1000.0
        out.update({
            f"iv_{kind}_near": near, f"iv_{kind}_far": far,
            f"iv_{kind}_hazard": len(starts) / float(eligible.loc[INTERVENTION_SINCE:].sum()),
            f"iv_{kind}_follow": 1.0 - len(starts) / float(len(ops)),
            f"iv_{kind}_log_mean": float(np.log(amount).mean()),
            f"iv_{kind}_log_std": float(np.log(amount).std()),
            f"iv_{kind}_impact_pct_per_tn": float((a * moved).sum() / (a * a).sum()),
        })
    # custody's change over the two Wednesdays after each yen-support cluster, per dollar sold
    custody = _read(root, "fred/WMTSECL1.csv")["WMTSECL1"]
    custody = custody[custody > 0] / 1000.0
    ops = iv[iv["direction"] == "sell_USD_buy_JPY"].copy()
    ops["usd_bn"] = ops["amount_jpy_bn"] / fx.reindex(ops.index, method="ffill").to_numpy()
    cluster = (ops.index.to_series().diff().dt.days > 10).cumsum()
    ratios = []
    for _, g in ops.groupby(cluster.to_numpy()):
        after = custody.diff()[custody.index > g.index.max()].iloc[:2]
        if len(after) == 2:
            ratios.append(-float(after.sum()) / float(g["usd_bn"].sum()))
    out["custody_funding_share"] = float(np.median(ratios))


def catalog_entry(series_id: str) -> tuple[str, str, str, str, bool]:
    """Catalog fields (name ending "(simulated)", unit, frequency, block, positive) of an id."""
    name, unit, freq, block, positive = CATALOG[series_id]
    return f"{name} (simulated)", unit, freq, block, positive

