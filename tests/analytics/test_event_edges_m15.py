"""The event study's edges (h_mut15, mutation round 15): each test kills a mutant no test saw.

Day 0 of news at the close itself, a timed event after the data, the window's first and
last rows, the calendar gaps of exactly ``max_gap_days``, the other events' windows on the
first date / at the window's last day / wholly in the gap, exactly ``min_estimation`` days,
collinear factors, the mean model's drift, the AR of day 0 and the spec's own limits.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from _event_market import synthetic_market
from spillwatch.analytics.events import Event, EventStudy
from spillwatch.exceptions import ConfigError, DataError


def _synthetic(n=250, seed=5):
    return synthetic_market(n, seed)


def _timed(at: str) -> Event:
    ts = pd.Timestamp(at).tz_convert("UTC")
    return Event("e", pd.Timestamp(ts.tz_convert("America/New_York").date()), "n", at=ts)


def test_news_at_the_very_close_is_day_0_of_the_next_date():
    """A close sampled at the instant of the news does not hold it (``>``, not ``>=``)."""
    df = _synthetic()
    df["ust10y_bp"] = df["btc_pct"] * 0.3 + 0.1
    res = EventStudy(strict=True, window=(-1, 2)).fit(
        df, [_timed("2024-06-12T16:00:00-04:00")], series=["ust10y_bp"])
    assert res.car.iloc[0]["day0"] == pd.Timestamp("2024-06-13")


def test_a_timed_event_after_the_data_runs_past_its_end():
    df = _synthetic()
    with pytest.raises(DataError, match=r"runs past the last date of 'btc_pct'"):
        EventStudy(strict=True).fit(df, [_timed("2030-01-02T10:00:00-05:00")],
                                    series=["btc_pct"])


def test_an_event_on_the_first_date_or_just_before_it_starts_before_the_data():
    df = _synthetic()
    # window (-1, 2) on the first date: day -1 is before the data
    with pytest.raises(DataError, match=r"starts before the first date of 'btc_pct'"):
        EventStudy(strict=True, window=(-1, 2)).fit(df, [Event("a", df.index[0], "n")],
                                                    series=["btc_pct"])
    # the Saturday before the first Monday, window (0, 2): dated before the data
    sat = df.index[0] - pd.Timedelta(days=2)
    with pytest.raises(DataError, match=r"starts before the first date of 'btc_pct'"):
        EventStudy(strict=True, window=(0, 2)).fit(df, [Event("a", sat, "n")],
                                                   series=["btc_pct"])


def test_a_window_ending_on_the_last_date_is_studied_and_one_past_it_is_not():
    df = _synthetic()
    n = len(df)
    ok = EventStudy(strict=True, window=(-1, 4)).fit(df, [Event("a", df.index[n - 5], "n")],
                                                     series=["btc_pct"])
    assert ok.car.iloc[0]["window_end"] == df.index[-1]
    with pytest.raises(DataError, match=r"runs past the last date of 'btc_pct'"):
        EventStudy(strict=True, window=(-1, 5)).fit(df, [Event("a", df.index[n - 5], "n")],
                                                    series=["btc_pct"])


def _holed(drop: list[str]) -> pd.DataFrame:
    df = _synthetic()
    return df.drop(pd.DatetimeIndex(drop))


def test_a_gap_of_exactly_max_gap_days_is_accepted_and_one_more_is_not():
    # Wednesday 2024-06-12 to Friday 06-14 missing: the Wednesday's day 0 is Monday 06-17,
    # five calendar days on (accepted); a Tuesday's is six (refused)
    df = _holed(["2024-06-12", "2024-06-13", "2024-06-14"])
    study = EventStudy(strict=True, window=(0, 3), factors=("spx_pct",))
    res = study.fit(df, [Event("w", pd.Timestamp("2024-06-12"), "n")], series=["btc_pct"])
    assert res.car.iloc[0]["day0"] == pd.Timestamp("2024-06-17")
    df2 = _holed(["2024-06-11", "2024-06-12", "2024-06-13", "2024-06-14"])
    with pytest.raises(DataError, match=r"missing dates around the event"):
        study.fit(df2, [Event("t", pd.Timestamp("2024-06-11"), "n")], series=["btc_pct"])
    # inside the window: Wednesday to Monday (5 days) accepted, Tuesday to Monday refused
    inside = EventStudy(strict=True, window=(-1, 3), factors=("spx_pct",))
    df3 = _holed(["2024-06-13", "2024-06-14"])
    res = inside.fit(df3, [Event("m", pd.Timestamp("2024-06-17"), "n")], series=["btc_pct"])
    assert res.car.iloc[0]["window_start"] == pd.Timestamp("2024-06-12")
    df4 = _holed(["2024-06-12", "2024-06-13", "2024-06-14"])
    with pytest.raises(DataError, match=r"2024-06-11 to 2024-06-17"):
        inside.fit(df4, [Event("m", pd.Timestamp("2024-06-17"), "n")], series=["btc_pct"])


def test_an_other_event_on_the_first_date_stays_out_of_the_estimation_window():
    df = _synthetic(n=200)
    evs = [Event("first", df.index[0], "a"), Event("main", df.index[150], "b")]
    res = EventStudy(window=(-1, 4), estimation=200, min_estimation=40,
                     factors=("spx_pct",)).fit(df, evs, series=["btc_pct"])
    row = res.car.set_index("event").loc["main"]
    # estimation rows 0 .. 143 (window from 149, gap 5) without the first event's 0 .. 4
    assert row["n_est"] == 139
    assert pd.Timestamp(row["est_start"]) == df.index[5]


def test_an_other_event_on_the_window_s_last_day_overlaps_it():
    df = _synthetic()
    evs = [Event("a", df.index[150], "a"), Event("b", df.index[155], "b")]
    res = EventStudy(window=(-1, 5), factors=("spx_pct",)).fit(df, evs, series=["btc_pct"])
    ov = dict(zip(res.car["event"], res.car["overlaps"], strict=True))
    assert ov["a"] == "b"


def test_an_other_event_whose_window_lies_in_the_gap_is_not_named_as_excluded():
    df = _synthetic()
    # main window from row 199, estimation up to row 193 (gap 5); the other's window is
    # rows 194 .. 199: none of its days is an estimation day
    evs = [Event("other", df.index[195], "a"), Event("main", df.index[200], "b")]
    res = EventStudy(window=(-1, 4), estimation=100, factors=("spx_pct",)).fit(
        df, evs, series=["btc_pct"])
    row = res.car.set_index("event").loc["main"]
    assert row["est_excludes"] == "" and row["est_days_excluded"] == 0
    assert row["n_est"] == 100 and pd.Timestamp(row["est_end"]) == df.index[193]


def test_exactly_min_estimation_days_are_enough():
    df = _synthetic()
    # day 0 at row 46, window from 45, gap 5: rows 0 .. 39, forty days
    res = EventStudy(strict=True, window=(-1, 2), estimation=120, min_estimation=40,
                     factors=("spx_pct",)).fit(df, [Event("a", df.index[46], "n")],
                                               series=["btc_pct"])
    assert res.car.iloc[0]["n_est"] == 40
    with pytest.raises(DataError, match=r"has 40 usable days"):
        EventStudy(strict=True, window=(-1, 2), estimation=120, min_estimation=41,
                   factors=("spx_pct",)).fit(df, [Event("a", df.index[46], "n")],
                                             series=["btc_pct"])


def test_of_two_collinear_factors_the_later_is_dropped_and_named():
    df = _synthetic()
    df["usd_broad_pct"] = 2.0 * df["spx_pct"]
    res = EventStudy(strict=True, window=(-1, 2), estimation=60).fit(
        df, [Event("a", df.index[150], "n")], series=["btc_pct"])
    row = res.car.iloc[0]
    assert row["factors"] == "spx_pct" and row["factors_dropped"] == "usd_broad_pct"
    # the same CAR as the one-factor model, by hand
    est, evt = df.iloc[84:144], df.iloc[149:153]
    x = np.column_stack([np.ones(60), est["spx_pct"]])
    coef = np.linalg.lstsq(x, est["btc_pct"], rcond=None)[0]
    ar = evt["btc_pct"].to_numpy() - (coef[0] + coef[1] * evt["spx_pct"].to_numpy())
    assert row["car"] == pytest.approx(ar.sum(), abs=1e-10)


def test_the_mean_model_s_drift_and_the_ar_of_day_0():
    df = _synthetic()
    res = EventStudy(strict=True, window=(-1, 2), estimation=60, factors=("spx_pct",)).fit(
        df, [Event("a", df.index[150], "n")], series=["btc_pct"])
    row = res.car.iloc[0]
    est = df.iloc[84:144]
    # the constant-mean model's expected move over the 4 days: 4 x the estimation mean
    assert row["drift_mean_model"] == pytest.approx(4 * est["btc_pct"].mean(), rel=1e-12)
    ar0 = res.ar.set_index("rel_day").loc[0, "ar"]
    assert row["ar_day0"] == pytest.approx(ar0, abs=1e-14)
    assert res.ar.set_index("rel_day").loc[0, "date"] == df.index[150]
    # a window starting on day 0 has its AR of day 0 too (its first)
    res0 = EventStudy(strict=True, window=(0, 2), estimation=60, factors=("spx_pct",)).fit(
        df, [Event("a", df.index[150], "n")], series=["btc_pct"])
    assert res0.car.iloc[0]["ar_day0"] == pytest.approx(res0.ar["ar"].iloc[0], abs=1e-14)


def test_a_weekly_series_of_three_values_is_refused_as_not_daily():
    df = _synthetic()
    df["wk_pct"] = np.nan
    df.loc[df.index[[100, 105, 110]], "wk_pct"] = [1.0, -2.0, 0.5]
    with pytest.raises(DataError, match=r"'wk_pct' is not a daily series \(a value every 7"):
        EventStudy(strict=True).fit(df, [Event("a", df.index[105], "n")], series=["wk_pct"])


def test_the_spec_s_limits():
    EventStudy(window=(0, 0))                   # day 0 alone is a window
    EventStudy(gap=0)
    EventStudy(estimation=60, min_estimation=60)
    EventStudy(min_estimation=5)                # two factors: 3 coefficients + 2 df
    with pytest.raises(ConfigError, match=r"gap must be >= 0"):
        EventStudy(gap=-1)
    with pytest.raises(ConfigError, match=r"min_estimation must be at least 5 days"):
        EventStudy(min_estimation=4)
    with pytest.raises(ConfigError, match=r"min_estimation must be at least 4 days"):
        EventStudy(min_estimation=3, factors=("spx_pct",))


def test_a_sub_window_s_p_is_two_sided_student_t_on_the_estimation_df():
    df = _synthetic()
    res = EventStudy(strict=True, window=(-1, 2), estimation=60, factors=("spx_pct",)).fit(
        df, [Event("a", df.index[150], "n")], series=["btc_pct"])
    sub = res.window_car(0, 1).iloc[0]
    ar = res.ar.set_index("rel_day")["ar"]
    v = res.car.iloc[0]["vcov"][1:3, 1:3]
    t = (ar[0] + ar[1]) / np.sqrt(v.sum())
    assert sub["t"] == pytest.approx(t, rel=1e-12)
    assert sub["p"] == pytest.approx(2 * stats.t.sf(abs(t), 58), rel=1e-12)   # 60 - 2


def test_a_factor_s_own_mean_model_row_is_marked_and_no_study_wide_mean_note():
    df = _synthetic()
    res = EventStudy(strict=True, window=(-1, 2), estimation=60, factors=("spx_pct",)).fit(
        df, [Event("a", df.index[150], "n")], series=["btc_pct", "spx_pct"])
    assert dict(zip(res.car["series"], res.car["factors"], strict=True)) == {
        "btc_pct": "spx_pct", "spx_pct": "mean"}
    text = str(res)
    assert "constant-mean model" not in text and "none of the market factors" not in text
    spx = [ln for ln in text.splitlines() if ln.strip().startswith("spx_pct")]
    btc = [ln for ln in text.splitlines() if ln.strip().startswith("btc_pct")]
    assert "constant mean" in spx[0] and "constant mean" not in btc[0]


def test_a_study_of_the_factors_alone_does_not_say_they_are_missing():
    """``events --assets spx`` on the real store said "none of the market factors (spx_pct,
    usd_broad_pct) is in the data: constant-mean model" with both in the data: a factor is
    measured against its own mean by design, so only the other series can tell (h_num1)."""
    df = _synthetic()
    df["usd_broad_pct"] = df["btc_pct"] * 0.1 + df["spx_pct"] * 0.2
    res = EventStudy(strict=True, window=(-1, 2), estimation=60).fit(
        df, [Event("a", df.index[150], "n")], series=["spx_pct", "usd_broad_pct"])
    assert res.car["factors"].tolist() == ["mean", "mean"]
    assert res.to_dict()["notes"] == []
    # without the factors in the data, another series' mean model is still said
    alone = EventStudy(strict=True, window=(-1, 2), estimation=60).fit(
        df[["btc_pct"]], [Event("a", df.index[150], "n")])
    assert alone.to_dict()["notes"] == ["none of the market factors (spx_pct, usd_broad_pct) "
                                        "is in the data: constant-mean model"]


@pytest.mark.parametrize("n_late, more", [(8, None), (9, "... 1 more (--json lists every one)")])
def test_the_text_lists_eight_failures_and_counts_the_rest(n_late, more):
    df = _synthetic()
    late = [Event(f"late{i}", pd.Timestamp("2030-01-01") + pd.Timedelta(days=i), "n")
            for i in range(n_late)]
    res = EventStudy(window=(-1, 2), estimation=60, factors=("spx_pct",)).fit(
        df, [Event("ok", df.index[150], "n"), *late], series=["btc_pct"])
    lines = str(res).splitlines()
    head = lines.index(f"{n_late} (event, series) pair(s) not covered by the data:")
    listed = [ln for ln in lines[head + 1:] if ln.startswith("   late")]
    assert len(listed) == 8
    assert (lines[-1] == f"   {more}") if more else lines[-1].startswith("   late")
