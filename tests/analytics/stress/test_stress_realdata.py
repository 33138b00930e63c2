"""The stress monitor on the real data in ../shared/data: staleness, episodes, calibration,
signature, agreement with published stress indices, no look-ahead."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spillwatch.analytics.stress import (
    FRAME_COLUMNS,
    INDICATORS,
    SIGNAL_COLUMNS,
    SUBINDEX_COLUMNS,
    compute,
    load_inputs,
)
from spillwatch.analytics.stress.signals import SIGNAL_INPUTS

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def inputs(real_db):
    """Changes and levels of the monitor's assets, loaded once (from the session's store of
    ../shared/data)."""
    return load_inputs(real_db)


@pytest.fixture(scope="module")
def result(inputs):
    changes, levels = inputs
    return compute(changes, levels)


def _ref(shared_data, rel: str, col: str) -> pd.Series:
    s = pd.read_csv(shared_data / rel, index_col="date", parse_dates=True)[col].dropna()
    s.index = s.index.as_unit("ns")
    return s


def _frame(result) -> pd.DataFrame:
    f = result.frame.copy()
    f.index = pd.DatetimeIndex(f.index).as_unit("ns")
    return f


# ---------------------------------------------------------------- staleness
def test_no_value_uses_an_input_past_its_staleness_limit(result):
    """Property over every date: a signal, an indicator rank, a sub-index or the index has a
    value only where every input it reads is within its staleness limit."""
    fresh = {k: (result.availability[k] == "fresh").to_numpy() for k in result.availability}
    f = result.frame
    for col in SIGNAL_COLUMNS:
        ok = np.logical_and.reduce([fresh[k] for k in SIGNAL_INPUTS[col]])
        assert not (f[col].notna().to_numpy() & ~ok).any(), col
        if col in result.indicators:
            assert not (result.indicators[col].notna().to_numpy() & ~ok).any(), col
    for group, members in INDICATORS.items():
        # a sub-index is the mean of the ranks present, and only fresh ranks are present
        ranks = result.indicators[[n for n, _ in members]]
        mean = ranks.mean(axis=1)
        np.testing.assert_allclose(f[group].to_numpy(), mean.where(f[group].notna()).to_numpy(),
                                   rtol=0, atol=1e-12)
    published = f["stress"].notna().to_numpy()
    assert not (published & ~fresh["ust10y"]).any()
    for group in result.spec.require:
        assert not (published & f[group].isna().to_numpy()).any(), group
    # the rule-fact states agree with the values on every date
    states = result.state_frame
    for col in states.columns:
        has = (f[col] != "unavailable") if col.startswith("signature") else f[col].notna()
        assert ((states[col] == "available").to_numpy() == has.to_numpy()).all(), col


def test_a_stale_input_does_not_leak_into_its_sub_index(inputs, result):
    """Perturbing the broad dollar's last report changes nothing on the dates it is stale."""
    changes, levels = inputs
    ch, lv = changes.copy(), levels.copy()
    last = ch["usd_broad_pct"].last_valid_index()                 # 2025-12-26
    ch.loc[last, "usd_broad_pct"] += 5.0
    lv.loc[last, "usd_broad_idx"] *= 1.05
    bumped = compute(ch, lv).frame
    stale = result.availability["usd_broad"] == "stale"
    rows = stale[stale].index
    assert len(rows) > 100 and result.frame.loc[rows, "dollar"].notna().any()
    cols = ["dollar", *SIGNAL_COLUMNS]
    pd.testing.assert_frame_equal(bumped.loc[rows, cols], result.frame.loc[rows, cols])


def test_2026_rows_list_the_stale_inputs(result):
    f = _frame(result)
    y2026 = f.loc["2026"]
    # the S&P 500 last printed 2025-12-31, the dollar 2025-12-26 (limits 6 and 13 days)
    assert y2026.loc["2026-01-07":, "stale_inputs"].str.contains("spx").all()
    assert y2026.loc["2026-01-09":, "stale_inputs"].str.contains("usd_broad").all()
    assert y2026.loc["2026-01-07":, "stress"].isna().all()
    # nothing is published after the last 10-year print (2026-07-22)
    assert f.loc["2026-07-23":, "stress"].isna().all()
    assert f.loc["2026-07-29":, "stale_inputs"].str.contains("ust10y").all()
    last = set(f["stale_inputs"].iloc[-1].split(","))
    assert {"usd_broad", "usdjpy", "spx", "vix", "btc", "eth", "ig_oas", "hy_oas",
            "custody", "ust10y"} <= last


def test_latest_reports_its_date_and_the_stale_inputs(result):
    last = result.latest()
    assert last["date"] == "2026-01-06"                 # the last date with fresh equity data
    assert last["as_of"] == "2026-08-21" and not last["fresh"] and last["age_days"] == 227
    assert {"usd_broad", "spx", "btc"} <= set(last["stale"])
    assert last["inputs"]["usd_broad"]["last"] == "2025-12-26"
    assert last["inputs"]["ust10y"]["last"] == "2026-07-22"
    assert last["inputs"]["move"]["state"] == "fresh"
    assert last["week_ago_date"] == "2025-12-30"        # 5 business days before 2026-01-06
    # rule facts: the reading is months old, so every stress fact is in the stale state
    assert set(result.fact_states().values()) == {"stale"}
    at = result.latest("2025-04-11")
    assert at["date"] == "2025-04-11" and at["signature"] == "sell_america" and at["fresh"]
    # 10y: 4.01% on 2025-04-04 -> 4.48% on 2025-04-11 (README known facts)
    assert at["signals"]["ust10y_chg5_bp"] == pytest.approx(47.0, abs=0.5)
    assert at["regime"] in {"elevated", "crisis"}
    assert result.fact_states("2025-04-11")["signature"] == "available"


# ---------------------------------------------------------------- episodes and calibration
NAMED = ["2008-10-10", "2011-08-08", "2015-08-24", "2018-02-05", "2018-12-24", "2020-03-16",
         "2022-09-28", "2023-03-13", "2024-08-05", "2025-04-08"]
# other well-known episodes (windows, inclusive): the index is not tuned to them
OTHER = {
    "1987 crash": ("1987-10-15", "1987-10-30"),
    "LTCM": ("1998-08-24", "1998-10-16"),
    "9/11": ("2001-09-11", "2001-09-28"),
    "euro crisis / US downgrade": ("2011-08-01", "2011-08-31"),
    "Brexit vote": ("2016-06-23", "2016-07-01"),
    "Russia invades Ukraine": ("2022-02-24", "2022-03-15"),
    "FTX": ("2022-11-07", "2022-11-18"),
}


@pytest.mark.parametrize("day", NAMED)
def test_named_episode_reaches_the_top_decile(result, day):
    t = pd.Timestamp(day)
    window = _frame(result).loc[t - pd.Timedelta(days=7):t + pd.Timedelta(days=7)]
    assert window["percentile"].max() >= 90.0, (day, window["percentile"].max())
    assert window["regime"].isin(["elevated", "crisis"]).any()


@pytest.mark.parametrize("name", list(OTHER))
def test_other_episode_reaches_the_top_decile(result, name):
    a, b = OTHER[name]
    assert _frame(result).loc[a:b, "percentile"].max() >= 90.0, name


def test_lehman_is_a_sustained_crisis(result):
    window = _frame(result).loc["2008-10-01":"2008-10-31"]
    assert (window["percentile"] >= 90).mean() > 0.8
    assert (window["regime"] == "crisis").mean() > 0.5


def test_calibration_and_calm(result):
    f = _frame(result)
    share = (f.loc["1990":, "percentile"].dropna() >= 90).mean()
    assert 0.08 <= share <= 0.12, share
    assert f.loc["2017-04-01":"2017-09-30", "percentile"].median() <= 60
    assert f.loc["2019-10-01":"2019-12-31", "percentile"].median() <= 60


# ---------------------------------------------------------------- signature
def test_signature_april_2025_sell_america(result):
    week = _frame(result).loc["2025-04-07":"2025-04-11", "signature"]
    assert (week == "sell_america").sum() >= 3
    assert week.loc["2025-04-10"] == week.loc["2025-04-11"] == "sell_america"


def test_signature_march_2020_dash_for_cash(inputs, result):
    f = _frame(result)
    window = f.loc["2020-03-09":"2020-03-18", "signature"]
    assert (window == "dash_for_cash").mean() >= 0.6
    assert not (window == "sell_america").any()
    # never flight to quality (or sell America) on a day the 10y and the dollar both rose by
    # more than half a standard deviation, whatever the volatility window (20..500 days)
    changes, _ = inputs
    for w in (20, 60, 250, 500):
        z = {c: changes[c] / changes[c].dropna().rolling(w, min_periods=w // 2).std().shift(1)
             .reindex(changes.index) for c in ("ust10y_bp", "usd_broad_pct")}
        both_up = ((z["ust10y_bp"] > 0.5) & (z["usd_broad_pct"] > 0.5)).reindex(
            result.frame.index).to_numpy()
        sig = result.frame["signature"].to_numpy()
        assert not (np.isin(sig, ["flight_to_quality", "sell_america"]) & both_up).any(), w


def test_signature_is_unavailable_without_a_dollar(result):
    f = result.frame
    no_dollar = f.index < pd.Timestamp("2006-01-03")       # DTWEXBGS starts 2006-01-02
    assert (f.loc[no_dollar, "signature"] == "unavailable").all()
    assert (f.loc["2026-01-09":, "signature"] == "unavailable").all()


# ---------------------------------------------------------------- published stress indices
def test_agrees_with_stlfsi_and_ofr(shared_data, result):
    f = _frame(result)
    stl = _ref(shared_data, "fred/STLFSI4.csv", "STLFSI4").loc["1994":"2025"]
    fri = f["stress"][f.index.day_of_week == 4]
    both = pd.concat([fri, stl], axis=1, join="inner").dropna()
    rho_stl = both.corr().iloc[0, 1]
    ofr = _ref(shared_data, "stress/ofr_fsi.csv", "ofr_fsi")
    rho_ofr = pd.concat([f["stress"], ofr], axis=1, join="inner").dropna().corr().iloc[0, 1]
    ecb = _ref(shared_data, "stress/ecb_ciss_daily.csv", "ciss")
    rho_ecb = pd.concat([f["stress"], ecb], axis=1, join="inner").dropna().corr().iloc[0, 1]
    print(f"STLFSI4 (Friday, {len(both)} weeks) {rho_stl:.3f}; OFR FSI (daily) {rho_ofr:.3f}; "
          f"ECB CISS (daily, euro area) {rho_ecb:.3f}")
    assert len(both) > 1500
    assert rho_stl >= 0.7 and rho_ofr >= 0.7
    # the result's own helper: Friday value, and the week's mean
    rho_last, weeks = result.weekly_correlation(stl, how="last")
    assert rho_last == pytest.approx(rho_stl, abs=0.01) and weeks > 1500


# ---------------------------------------------------------------- no look-ahead
@pytest.mark.parametrize("cut", ["2008-10-15", "2020-03-16", "2025-04-09"])
def test_no_look_ahead(inputs, result, cut):
    """The monitor computed on data cut at day t agrees, up to t, with the full history."""
    changes, levels = inputs
    part = compute(changes.loc[:cut], levels.loc[:cut])
    full = result.frame.loc[:cut]
    assert len(part.frame) == len(full)
    num = [c for c in FRAME_COLUMNS
           if c not in ("regime", "signature", "signature_5d", "stale_inputs")]
    # rounding only: the same operations on a prefix
    np.testing.assert_allclose(part.frame[num].to_numpy(dtype=float),
                               full[num].to_numpy(dtype=float), rtol=1e-9, atol=1e-12,
                               equal_nan=True)
    for c in ("regime", "signature", "signature_5d", "stale_inputs"):
        pd.testing.assert_series_equal(part.frame[c], full[c])


def test_columns_and_sub_indices(result):
    assert tuple(result.frame.columns) == FRAME_COLUMNS
    assert tuple(result.subindices.columns) == SUBINDEX_COLUMNS
    # credit starts with the ICE BofA spreads (1996-12-31) plus the burn-in
    assert result.frame.loc[:"1997-06-30", "credit"].isna().all()
    assert result.frame.loc["2000", "credit"].notna().all()


def test_regime_reads_the_level_against_all_history_too(inputs, result):
    """Read against the last two years alone, spring 2009 and late summer 2011 read 'calm'
    with the VIX above 35 (58 of 347 such days), and jolts after quiet spells 'crisis'. The
    regime is 'crisis' from the index's long-run top 5% on (held while it stays in the top 10%:
    the exit band) and never 'calm' when either rank is 80 or more (regimes.py)."""
    f = result.frame.dropna(subset=["regime"])
    p, q = f["percentile"], f["percentile_longrun"]
    crisis, calm = f["regime"] == "crisis", f["regime"] == "calm"
    assert (crisis[q >= 95]).all() and (q[crisis] >= 90).all()
    assert not calm[(p >= 80) | (q >= 80)].any()
    assert (calm[(p < 70) & (q < 70)]).all()
    _, levels = inputs
    vix = levels["vix_idx"].reindex(f.index)
    high = vix >= 35
    calm = (f.loc[high, "regime"] == "calm").mean()
    assert high.sum() > 300 and calm < 0.06, calm         # measured 15 of 347 (4.3%)
    share = (f["regime"] == "crisis").mean()
    assert 0.03 < share < 0.09, share      # measured 5.6% of the days, 7.4% with the band


def test_the_contributions_chart_says_which_sub_index_has_no_data(result):
    """Credit's inputs (the OAS spreads) are stale from 2026-01-06: its band was drawn as
    zero to the end, as if credit were calm."""
    from spillwatch.plotting.stress import contributions

    fig = contributions(result)
    notes = " ".join(a.text for a in fig.layout.annotations).replace("<br>", " ")
    assert "no data, drawn as no contribution (not as calm): credit since 2026-01-06" in notes
    credit = next(tr for tr in fig.data if tr.name == "credit")
    assert credit.customdata[-1] == "no data" and credit.y[-1] == 0


@pytest.mark.slow
def test_the_yield_dollar_correlation_is_read_on_fridays(real_db):
    """As of a Friday the H.10 dollar's last print is a week old (fresh by its 13 days); the
    correlation ending on it was blanked by the 10-year's 6-day limit: the 'sell America'
    correlation left the signals table on 51 Fridays of 2024 and a rule on it resolved."""
    from spillwatch.alerts.backtest.vintage import vintage_workspace
    from spillwatch.data.source import open_source
    from spillwatch.service.stress import stress
    from spillwatch.service.workspace import Workspace

    with open_source(real_db, read_only=True) as src:
        ws = Workspace(src)
        got = {}
        for day in ("2025-04-10", "2025-04-11", "2024-06-14"):
            res = stress(vintage_workspace(ws, pd.Timestamp(day).date()), end=day)
            got[day] = res.latest()
    thu, fri = got["2025-04-10"], got["2025-04-11"]
    assert fri["inputs"]["usd_broad"]["state"] == "fresh"
    assert fri["signals"]["yield_dollar_corr"] is not None
    assert fri["signals"]["yield_dollar_corr"] == thu["signals"]["yield_dollar_corr"]
    assert got["2024-06-14"]["signals"]["yield_dollar_corr"] is not None


def test_the_five_day_signature_reads_only_days_both_legs_report(real_db, result):
    """On 2024-03-14 the 10-year's five days to that evening (+20 bp) met the dollar's five
    days to the Friday before (-0.84%, H.10 out on Mondays) and `signature_5d` said
    "sell_america" while the day signature was unavailable; the finished row reads otherwise."""
    from spillwatch.alerts.backtest.vintage import vintage_workspace
    from spillwatch.analytics.stress.signature import classify_scores
    from spillwatch.data.source import open_source
    from spillwatch.service.stress import stress
    from spillwatch.service.workspace import Workspace

    with open_source(real_db, read_only=True) as src:
        ws = Workspace(src)
        got = {d: stress(vintage_workspace(ws, pd.Timestamp(d).date()), end=d)
               for d in ("2024-03-14", "2022-06-01")}
    for d, res in got.items():
        last = res.latest()
        assert last["signature"] == "unavailable" and last["signature_5d"] == "unavailable", d
        waited = pd.Timestamp(last["signature_waiting"]["usd_broad"])
        row = res.frame.loc[waited]             # the dollar's last day reads as it did
        assert row["signature_5d"] != "unavailable"
        assert last["signature_5d_last"] == row["signature_5d"]
        assert last["signature_5d_last_date"] == f"{waited:%Y-%m-%d}"
    # on the full history: the five-day view wherever both legs report, and only there
    f = _frame(result)
    both = f["usd_broad_z5"].notna() & f["ust10y_z5"].notna()
    want = pd.Series(classify_scores(f["ust10y_z5"].to_numpy(), f["usd_broad_z5"].to_numpy()),
                     index=f.index)
    avail = f["signature_5d"] != "unavailable"
    assert (f.loc[avail, "signature_5d"] == want[avail]).all()
    assert avail.sum() > 0.9 * both.sum()
    seen = result.last_observed
    printed = pd.Series(True, index=f.index)
    for leg in ("ust10y", "usd_broad"):
        printed &= pd.to_datetime(seen[leg]).to_numpy() == seen.index.to_numpy()
    assert not (avail & ~printed.to_numpy()).any()
    assert (avail | ~printed.to_numpy() | ~both).all()
