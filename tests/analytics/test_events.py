"""Event studies: the shipped events file, a hand computation of abnormal returns, and errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import spillwatch as sw
from _event_market import synthetic_market
from spillwatch._changes import merge_incomplete_rows
from spillwatch.analytics.events import Event, EventStudy, event_study, load_events
from spillwatch.exceptions import ConfigError, DataError


@pytest.fixture(scope="module")
def panel(real_db):
    return sw.load(real_db, assets=["ust10y", "usd_broad", "spx", "btc", "eth", "trump"],
                   start="2019-01-01", end="2025-12-31")


def _synthetic(n=200, seed=5):
    return synthetic_market(n, seed)


def test_shipped_events():
    evs = load_events()
    ids = {e.id: e for e in evs}
    for eid, day in [("liberation_day_tariffs", "2025-04-02"), ("tariff_pause", "2025-04-09"),
                     ("japan_fm_remark", "2025-05-02"), ("japan_fm_walkback", "2025-05-04"),
                     ("lehman", "2008-09-15"), ("svb", "2023-03-10"),
                     ("yen_carry_unwind", "2024-08-05"), ("uk_mini_budget", "2022-09-23"),
                     ("boe_gilt_intervention", "2022-09-28"), ("covid_oil_crash", "2020-03-09"),
                     ("dash_for_cash", "2020-03-16")]:
        assert ids[eid].date == pd.Timestamp(day)
    assert [e.date for e in evs] == sorted(e.date for e in evs)


def test_hand_computation_on_synthetic_slice():
    df = _synthetic()
    ev = Event("x", df.index[150], "test")
    res = EventStudy(window=(-1, 2), estimation=60, gap=5, factors=("spx_pct",)).fit(
        df, [ev], series=["btc_pct"])
    # by hand: estimation rows 144-60 .. 143 (window starts at 149, gap 5), event rows 149..152
    est, evt = df.iloc[84:144], df.iloc[149:153]
    x = np.column_stack([np.ones(60), est["spx_pct"]])
    coef = np.linalg.lstsq(x, est["btc_pct"], rcond=None)[0]
    ar = evt["btc_pct"].to_numpy() - (coef[0] + coef[1] * evt["spx_pct"].to_numpy())
    got = res.ar.set_index("date")["ar"]
    np.testing.assert_allclose(got.to_numpy(), ar, atol=1e-12)
    row = res.car.iloc[0]
    assert row["car"] == pytest.approx(ar.sum(), abs=1e-12)
    # sub-windows: the full window gives the CAR; day 0 alone gives AR_0 and its t
    full = res.window_car(-1, 2).iloc[0]
    assert full["car"] == pytest.approx(row["car"]) and full["t"] == pytest.approx(row["t"])
    day0 = res.window_car(0, 0).iloc[0]
    assert day0["car"] == pytest.approx(ar[1], abs=1e-12)
    assert day0["t"] == pytest.approx(res.ar["t"].iloc[1], rel=1e-12)
    with pytest.raises(ConfigError, match="inside the event window"):
        res.window_car(-3, 0)
    assert row["est_start"] == df.index[84] and row["est_end"] == df.index[143]


@pytest.mark.realdata
def test_april_2025_against_hand_computation(panel):
    """Done-when: early-April 2025 abnormal returns re-computed by hand on a small slice."""
    res = event_study(panel, only=["liberation_day_tariffs"], window=(-1, 3), estimation=60,
                      gap=5, series=["btc_pct", "eth_pct", "trump_pct"])
    for col in ("btc_pct", "eth_pct", "trump_pct"):
        # a holiday of one market joins the next date with the others' moves of that day
        sub = merge_incomplete_rows(panel[[col, "spx_pct", "usd_broad_pct"]].dropna(how="all"))
        p0 = int(sub.index.searchsorted(pd.Timestamp("2025-04-02")))
        assert sub.index[p0] == pd.Timestamp("2025-04-02")
        est, evt = sub.iloc[max(0, p0 - 1 - 5 - 60):p0 - 1 - 5], sub.iloc[p0 - 1:p0 + 4]
        x = np.column_stack([np.ones(len(est)), est[["spx_pct", "usd_broad_pct"]]])
        xe = np.column_stack([np.ones(len(evt)), evt[["spx_pct", "usd_broad_pct"]]])
        b = np.linalg.solve(x.T @ x, x.T @ est[col].to_numpy())
        e = est[col].to_numpy() - x @ b
        s2 = e @ e / (len(est) - 3)
        ar = evt[col].to_numpy() - xe @ b
        v = s2 * (np.eye(len(evt)) + xe @ np.linalg.inv(x.T @ x) @ xe.T)
        got = res.ar[res.ar["series"] == col]
        assert list(got["date"]) == list(evt.index)
        np.testing.assert_allclose(got["ar"].to_numpy(), ar, atol=1e-10)
        np.testing.assert_allclose(got["t"].to_numpy(), ar / np.sqrt(np.diag(v)), rtol=1e-9)
        car = res.car.set_index("series").loc[col]
        assert car["car"] == pytest.approx(ar.sum(), abs=1e-10)
        assert car["t"] == pytest.approx(ar.sum() / np.sqrt(v.sum()), rel=1e-9)


@pytest.mark.realdata
def test_april_2025_real_moves(panel):
    res = event_study(panel, only=["liberation_day_tariffs", "tariff_pause"])
    assert res.failures.empty
    ar = res.ar.set_index(["event", "series", "date"])
    # the S&P 500 fell about 6% on 2025-04-04 (raw log return, percent)
    assert ar.loc[("liberation_day_tariffs", "usd_broad_pct", pd.Timestamp("2025-04-03")),
                  "ret"] < -1.0
    assert ar.loc[("tariff_pause", "spx_pct", pd.Timestamp("2025-04-09")), "ret"] > 8.0
    t = res.table()
    assert {"btc_pct", "eth_pct", "trump_pct"} <= set(t.loc["tariff_pause"].index)
    assert "liberation_day_tariffs" in str(res)


@pytest.mark.realdata
def test_weekend_event_moves_to_monday(panel):
    res = event_study(panel, only=["japan_fm_walkback"], series=["btc_pct"])
    assert res.car.iloc[0]["day0"] == pd.Timestamp("2025-05-05")


def test_errors_name_series_and_dates(tmp_path):
    df = _synthetic()
    late = Event("late", pd.Timestamp("2030-01-01"), "after the data")
    with pytest.raises(DataError, match=r"event 'late' \(2030-01-01\).*runs past the last date "
                                        r"of 'btc_pct'.*\(2024-10-04\)"):
        EventStudy(strict=True).fit(df, [late], series=["btc_pct"])
    early = Event("early", df.index[20], "too early")
    with pytest.raises(DataError, match=r"'btc_pct' \(with factors \['spx_pct'\]\) has 14 usable "
                                        r"days from 2024-01-01 to 2024-01-18"):
        EventStudy(strict=True).fit(df, [early], series=["btc_pct"])
    gappy = df.copy()
    gappy.loc["2024-06-03":"2024-06-14", "btc_pct"] = np.nan
    # the gap and the day that closes it are dropped (BTC's move over the gap is lost)
    with pytest.raises(DataError, match=r"missing dates around the event .*2024-05-31 to "
                                        r"2024-06-18"):
        EventStudy(strict=True).fit(gappy, [Event("g", pd.Timestamp("2024-06-12"), "gap")],
                                    series=["btc_pct"])
    # not strict: failures are data, and all-failed raises
    with pytest.raises(DataError, match="no event could be studied"):
        event_study(df, events=[late])
    ok = event_study(df, events=[late, Event("mid", df.index[150], "fine")])
    assert list(ok.failures["event"]) == ["late", "late"]


def test_event_file_errors(tmp_path):
    p = tmp_path / "ev.toml"
    p.write_text('[[event]]\nid = "a"\ndate = 2025-13-01\nname = "x"\n')
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_events(p)
    p.write_text('[[event]]\nid = "a"\ndate = "April 2"\nname = "x"\n')
    with pytest.raises(ConfigError, match="YYYY-MM-DD"):
        load_events(p)
    p.write_text('[[event]]\nid = "a"\nname = "x"\n')
    with pytest.raises(ConfigError, match="has no 'date'"):
        load_events(p)
    p.write_text('[[event]]\nid = "a"\ndate = 2025-01-01\nname = "x"\n' * 2)
    with pytest.raises(ConfigError, match="appears twice"):
        load_events(p)
    with pytest.raises(ConfigError, match="does not exist"):
        load_events(tmp_path / "nope.toml")
    p.write_text('[[event]]\nid = "a"\ndate = 2024-05-01\nname = "x"\n')
    assert load_events(p)[0].date == pd.Timestamp("2024-05-01")
    with pytest.raises(ConfigError, match="unknown event id"):
        event_study(_synthetic(), events=p, only=["b"])


def test_an_event_before_a_series_is_reported_as_before_its_start(rng):
    import pandas as pd

    from spillwatch.analytics.events import Event, event_study

    idx = pd.bdate_range("2024-01-01", periods=300, name="date")
    panel = pd.DataFrame({"spx_pct": rng.normal(0, 1, 300), "usd_broad_pct": rng.normal(0, 1, 300),
                          "btc_pct": rng.normal(0, 1, 300)}, index=idx)
    old = Event(id="old", date=pd.Timestamp("2008-09-15"), name="long before", kind="x", note="")
    late = Event(id="late", date=idx[250], name="in the data", kind="x", note="")
    with pytest.raises(DataError) as exc:        # neither can be studied: both reasons named
        event_study(panel, events=[old, late], window=(-1, 500), series=["btc_pct"],
                    factors=("spx_pct",))
    assert "'old' (2008-09-15): the window (-1, 500) starts before the first date" in str(
        exc.value)
    assert "'late' (2024-12-16): the window (-1, 500) runs past the last date" in str(exc.value)


def test_without_market_factors_the_study_says_it_is_a_constant_mean_one():
    df = _synthetic()[["btc_pct"]]
    evs = [Event("x", df.index[150], "test"), Event("early", df.index[3], "too early")]
    res = EventStudy(window=(-1, 2), estimation=100, min_estimation=40).fit(df, evs)
    text = str(res.summary())
    assert "none of the market factors (spx_pct, usd_broad_pct) is in the data: " \
           "constant-mean model" in " ".join(text.split())
    assert "estimated on 100 of 100 days" not in text          # full estimation: no remark
    assert "1 (event, series) pair(s) not covered by the data:" in text
    assert "early btc_pct: event 'early'" in " ".join(text.split())   # the reason, not '.failures'
    assert res.to_dict()["notes"] == ["none of the market factors (spx_pct, usd_broad_pct) is "
                                      "in the data: constant-mean model"]
    short = EventStudy(window=(-1, 2), estimation=120, min_estimation=40).fit(
        df, [Event("y", df.index[100], "test")])
    assert "(estimated on 94 of 120 days; its drift there, " in str(short.summary())


def test_a_holiday_of_the_factors_keeps_the_crypto_move_of_that_day():
    """FTX filed on Friday 2022-11-11, a US bond-market holiday but not an equity one; on
    Thanksgiving neither the S&P 500 nor the dollar trade while crypto does: the crypto move of
    such a day joins the next row (it was dropped, and the CAR missed it)."""
    idx = pd.bdate_range("2024-01-01", "2024-12-31", name="date")
    rng = np.random.default_rng(5)
    df = pd.DataFrame({"btc_pct": rng.normal(0, 3, len(idx)),
                       "spx_pct": rng.normal(0, 1, len(idx))}, index=idx)
    thanks = pd.Timestamp("2024-11-28")
    df.loc[thanks, "spx_pct"] = np.nan               # the S&P 500 closed
    df.loc[thanks, "btc_pct"] = -20.0                # crypto crashed that day
    res = event_study(df, events=[Event("t", thanks, "Thanksgiving crash")], window=(0, 1),
                      estimation=60, series=["btc_pct"])
    ar = res.ar.set_index("date")["ar"]
    assert ar.index[0] == pd.Timestamp("2024-11-29")         # day 0: the next common date
    assert ar.iloc[0] < -15                                   # the crash is in it


def test_an_event_with_its_time_has_day_0_per_series():
    # news at 16:15 New York (20:15 UTC in June): the S&P 500's 06-12 close (16:00) came
    # before it, bitcoin's 06-12 close (24:00 UTC) after it
    df = _synthetic(n=250)
    df["ust10y_bp"] = df["btc_pct"] * 0.3 + 0.1
    study = EventStudy(strict=True, window=(-1, 2))

    def day0(at: str) -> dict[str, pd.Timestamp]:
        ev = load_events_from(f'[[event]]\nid = "e"\ndate = {at}\nname = "n"\n')
        res = study.fit(df, ev, series=["btc_pct", "ust10y_bp"])
        return dict(zip(res.car["series"], res.car["day0"], strict=True))

    after_close = day0("2024-06-12T16:15:00-04:00")
    assert after_close == {"btc_pct": pd.Timestamp("2024-06-12"),
                           "ust10y_bp": pd.Timestamp("2024-06-13")}
    # 21:00 New York is 01:00 UTC on the 13th: past bitcoin's close of the 12th too
    late = day0("2024-06-12T21:00:00-04:00")
    assert late == {"btc_pct": pd.Timestamp("2024-06-13"), "ust10y_bp": pd.Timestamp("2024-06-13")}
    # winter: 15:30 New York is before the close (16:00 = 21:00 UTC), 16:30 after it
    assert day0("2024-11-13T15:30:00-05:00") == {"btc_pct": pd.Timestamp("2024-11-13"),
                                                 "ust10y_bp": pd.Timestamp("2024-11-13")}
    assert day0("2024-11-13T16:30:00-05:00") == {"btc_pct": pd.Timestamp("2024-11-13"),
                                                 "ust10y_bp": pd.Timestamp("2024-11-14")}
    # a date alone keeps day 0 on that date for every series
    assert day0("2024-06-12") == {"btc_pct": pd.Timestamp("2024-06-12"),
                                  "ust10y_bp": pd.Timestamp("2024-06-12")}


def load_events_from(text: str) -> list[Event]:
    import tempfile
    from pathlib import Path

    d = Path(tempfile.mkdtemp())
    p = d / "ev.toml"
    p.write_text(text, encoding="utf-8")
    return load_events(p)


@pytest.mark.parametrize("data, match", [
    # a time without its offset cannot say which close came after the news
    (b'[[event]]\nid = "a"\ndate = 2025-04-02T16:00:00\nname = "x"\n',
     r"ev.toml:1: event 'a' has the time 2025-04-02T16:00:00 without a UTC offset"),
    # errors name the line where the event starts
    (b'[[event]]\nid = "a"\ndate = 2025-01-02\nname = "x"\n\n[[event]]\nid = "b"\n'
     b'dat = 2025-01-03\nname = "y"\n', r"ev.toml:6: event #2 has no 'date'"),
    (b'[[event]]\nid = "a"\ndate = 2025-01-02\nname = "x"\nknd = "policy"\n',
     r"ev.toml:1: event #1 has the unknown key\(s\) 'knd'; an \[\[event\]\] holds id, date"),
    (b'[[event]]\nid = "a"\ndate = 2025-01-02\nname = ["x"]\n',
     r"ev.toml:1: event #1 has name = \['x'\]; it must be a string"),
    (b'[[event]]\nid = "a"\ndate = 2025-01-02\nname = "x"\n[[event]]\nid = "a"\n'
     b'date = 2025-01-03\nname = "y"\n', r"ev.toml:5: event id 'a' appears twice"),
    (b'[[event]]\nid = "a"\ndate = 2025-01-02\nname = "caf\xe9"\n',
     r"ev.toml:4: not UTF-8 text \(byte 0xe9\)"),
    ("[[event]]\nid = 'a'\n".encode("utf-16"), r"ev.toml:1: not UTF-8 text"),
])
def test_event_file_errors_name_the_line(tmp_path, data, match):
    p = tmp_path / "ev.toml"
    p.write_bytes(data)
    with pytest.raises(ConfigError, match=match):
        load_events(p)


def test_event_file_with_a_byte_order_mark_and_a_folder(tmp_path):
    p = tmp_path / "ev.toml"
    p.write_bytes(b'\xef\xbb\xbf[[event]]\nid = "a"\ndate = 2025-01-02\nname = "x"\n')
    assert load_events(p)[0].id == "a"
    with pytest.raises(ConfigError, match="is not a file"):
        load_events(tmp_path)


def test_a_window_holding_another_event_says_so():
    df = _synthetic(n=250)
    evs = [Event("first", df.index[200], "a"), Event("second", df.index[202], "b"),
           Event("far", df.index[230], "c")]
    res = EventStudy(window=(-3, 5)).fit(df, evs, series=["btc_pct"])
    ov = dict(zip(res.car["event"], res.car["overlaps"], strict=True))
    assert ov == {"first": "second", "second": "first", "far": ""}
    assert "window also holds second" in str(res)


def test_studying_one_event_still_names_the_others_in_its_window():
    df = _synthetic(n=250)
    evs = [Event("first", df.index[200], "a"), Event("second", df.index[202], "b")]
    res = event_study(df, events=evs, only=["first"], window=(-1, 5), series=["btc_pct"])
    assert res.car["overlaps"].tolist() == ["second"]


def test_the_estimation_window_leaves_out_the_other_events_windows():
    """An earlier event's window is not 'normal' days: it stays out of the estimation
    window, which reaches further back for as many clean days (SVB's held the gilt crisis and
    FTX, and its 10-year t was -3.36 for -4.03 without them)."""
    df = _synthetic(n=300)
    df.iloc[150:156, 1] += 8.0                        # the earlier event's move, not normal
    evs = [Event("early", df.index[151], "a"), Event("late", df.index[220], "b")]
    res = EventStudy(window=(-1, 4), estimation=100, gap=5, factors=("spx_pct",)).fit(
        df, evs, series=["btc_pct"])
    row = res.car.set_index("event").loc["late"]
    assert row["n_est"] == 100 and row["est_days_excluded"] == 6
    assert row["est_excludes"] == "early"
    # by hand: the 100 days before the gap (window starts at 219, gap 5) without 150..155
    keep = [i for i in range(214) if not 150 <= i <= 155][-100:]
    est, evt = df.iloc[keep], df.iloc[219:225]
    x = np.column_stack([np.ones(100), est["spx_pct"]])
    coef = np.linalg.lstsq(x, est["btc_pct"], rcond=None)[0]
    ar = evt["btc_pct"].to_numpy() - (coef[0] + coef[1] * evt["spx_pct"].to_numpy())
    assert row["car"] == pytest.approx(ar.sum(), abs=1e-12)
    assert pd.Timestamp(row["est_start"]) == df.index[keep[0]]
    # the earlier event's own estimation window has nothing to leave out
    first = res.car.set_index("event").loc["early"]
    assert first["est_days_excluded"] == 0 and first["est_excludes"] == ""
    assert "estimation skips 6 days of early" in str(res)


def test_overlaps_compare_each_event_s_day_0_not_its_calendar_date():
    """An event dated Sunday has its day 0 on Monday: a Tuesday event's window [-1, ..]
    starts on that Monday and holds it (it compared the Sunday date and said nothing)."""
    df = _synthetic(n=250)
    sunday = df.index[200] - pd.Timedelta(days=1)     # df.index[200] is a Monday
    assert sunday.day_of_week == 6
    evs = [Event("sunday", sunday, "a"), Event("tuesday", df.index[201], "b")]
    res = EventStudy(window=(-1, 5)).fit(df, evs, series=["btc_pct"])
    ov = dict(zip(res.car["event"], res.car["overlaps"], strict=True))
    assert ov == {"sunday": "tuesday", "tuesday": "sunday"}


def test_a_weekly_series_is_refused_as_not_daily():
    df = _synthetic(n=250)
    weekly = df["btc_pct"].copy()
    weekly[weekly.index.day_of_week != 2] = np.nan
    df["custody_chg_usd_bn"] = weekly
    res = EventStudy().fit(df, [Event("x", df.index[200], "a")],
                           series=["custody_chg_usd_bn", "btc_pct"])
    (reason,) = res.failures["reason"]
    assert "'custody_chg_usd_bn' is not a daily series (a value every 7 days" in reason
    assert res.car["series"].tolist() == ["btc_pct"]


def test_a_factor_is_measured_against_its_own_mean_and_the_mean_model_is_given():
    df = _synthetic(n=250)
    df["usd_broad_pct"] = np.random.default_rng(9).standard_normal(len(df))
    ev = Event("x", df.index[200], "a")
    res = EventStudy(window=(-1, 2), estimation=60, gap=5).fit(df, [ev])
    car = res.car.set_index("series")
    assert car.loc["spx_pct", "factors"] == "mean" and car.loc["usd_broad_pct", "factors"] == "mean"
    assert car.loc["btc_pct", "factors"] == "spx_pct,usd_broad_pct"
    est, evt = df.iloc[134:194], df.iloc[199:203]
    ar = evt["btc_pct"] - est["btc_pct"].mean()
    s2 = est["btc_pct"].var(ddof=1)
    assert car.loc["btc_pct", "car_mean_model"] == pytest.approx(ar.sum(), abs=1e-12)
    assert car.loc["btc_pct", "t_mean_model"] == pytest.approx(
        ar.sum() / np.sqrt(s2 * (4 + 16 / 60)), abs=1e-10)
    assert car.loc["spx_pct", "car"] == pytest.approx(
        (evt["spx_pct"] - est["spx_pct"].mean()).sum(), abs=1e-12)


def test_a_frozen_factor_is_left_out_not_every_series_failed():
    """The S&P 500 frozen for a year: every series of the 2025 events failed with "the
    factors are collinear or constant" and only the dollar was studied; a note said none of
    the factors was in the data."""
    rng = np.random.default_rng(8)
    df = _synthetic(300).assign(usd_broad_pct=rng.standard_normal(300) * 0.3)
    df["btc_pct"] += 0.8 * df["usd_broad_pct"]
    ev = Event("x", df.index[250], "test")
    frozen = df.copy()
    frozen.loc[:df.index[280], "spx_pct"] = 0.0
    res = EventStudy(window=(-1, 2), estimation=100, min_estimation=40).fit(frozen, [ev])
    assert set(res.failures["series"]) == {"spx_pct"}       # the frozen series itself only
    row = res.car.set_index("series").loc["btc_pct"]
    assert row["factors"] == "usd_broad_pct" and row["factors_dropped"] == "spx_pct"
    assert any(n.startswith("factor(s) spx_pct left out of ") for n in res.to_dict()["notes"])
    want = EventStudy(window=(-1, 2), estimation=100, min_estimation=40,
                      factors=("usd_broad_pct",)).fit(frozen[["btc_pct", "usd_broad_pct"]], [ev])
    assert row["car"] == pytest.approx(want.car.set_index("series").loc["btc_pct", "car"])


def test_a_short_estimation_window_s_drift_is_named_with_the_car(rng):
    """TRUMP's Liberation Day read CAR +6.38 where it fell 20.3%: its model was fitted on the
    43 days after its launch, which fell 3% a day, and that drift was taken as the expected
    move. The caveat now gives the drift beside the CAR, in the text and in the summary every
    interface shows (with the move itself)."""
    from spillwatch.service.events import summary

    idx = pd.bdate_range("2025-01-01", periods=70, name="date")
    token = np.full(len(idx), np.nan)
    token[5:58] = -3.0 + rng.normal(0, 1.0, 53)      # the launch's collapse
    token[58:61] = [-8.0, -6.0, -6.0]                # the event's fall
    panel = pd.DataFrame({"trump_pct": token}, index=idx)
    ev = Event("liberation_day_tariffs", idx[59], "tariffs")
    res = EventStudy(window=(-1, 1), estimation=120, gap=0, min_estimation=40).fit(panel, [ev])
    row = res.car.iloc[0]
    assert row["raw_sum"] == pytest.approx(-20.0)
    assert row["drift"] == pytest.approx(3 * np.mean(token[5:58]), rel=1e-9)
    assert row["car"] == pytest.approx(row["raw_sum"] - row["drift"])
    text = " ".join(str(res.summary()).split())
    assert (f"estimated on {int(row['n_est'])} of 120 days; its drift there, "
            f"{row['drift'] / 3:+.2f}% a day, is {row['drift']:+.2f}% of the expected move"
            ")") in text
    got = summary(res)["liberation_day_tariffs"]["trump_pct"]
    assert got["raw"] == pytest.approx(-20.0) and got["estimation_days"] == row["n_est"]
    assert got["note"].startswith(f"estimated on {int(row['n_est'])} of 120 days; its drift")


def test_events_after_the_evening_of_the_study_are_left_out_and_named():
    # a report replayed on 2020-03-16 listed 2025's tariffs among pairs that "run past the
    # last date": news nobody had on that evening
    df = _synthetic(n=250)
    evs = [Event("known", df.index[200], "a"), Event("later", df.index[240], "b")]
    evening = df.index[220]
    res = event_study(df.loc[:evening], events=evs, window=(-1, 5), series=["btc_pct"],
                      as_of=evening)
    assert res.car["event"].tolist() == ["known"] and res.failures.empty
    assert [e.id for e in res.later] == ["later"]
    note = f"1 event of the list comes after {evening.date()}"
    assert note in res.later_note() and note in str(res)
    assert res.to_dict()["later"] == [{"id": "later", "date": str(df.index[240].date())}]
    with pytest.raises(ConfigError, match=f"'later' .* comes after {evening.date()}"):
        event_study(df.loc[:evening], events=evs, only=["later"], series=["btc_pct"],
                    as_of=evening)
    with pytest.raises(DataError, match=r"every event of the list comes after .* \(the "
                                        r"first, known, on "):
        event_study(df.iloc[:100], events=evs, series=["btc_pct"], as_of=df.index[99])
    # without an evening every event is studied (the later one fails on the data)
    every = event_study(df.loc[:evening], events=evs, window=(-1, 5), series=["btc_pct"])
    assert every.later == [] and every.later_note() is None and len(every.failures) == 1


def test_the_car_chart_gives_basis_points_and_percent_their_own_axes():
    """The event chart drew a 10-year's CAR in bp and the S&P 500's in % on one axis titled
    "cumulative abnormal return": +12 bp read as twelve times +1%. Each unit has its own panel
    and axis, titled with it, and each trace sits on its unit's (a third unit gets a third)."""
    df = _synthetic()
    rng = np.random.default_rng(11)
    df["ust10y_bp"] = 5.0 * rng.standard_normal(len(df))
    df["wti_chg"] = rng.standard_normal(len(df))
    res = EventStudy(window=(-1, 2), estimation=60, gap=5, factors=("spx_pct",)).fit(
        df, [Event("x", df.index[150], "test")], series=["btc_pct", "ust10y_bp", "wti_chg"])
    fig = res.plot("x")
    on = {t.name: t.yaxis for t in fig.data}
    assert on == {"btc_pct (%)": "y", "ust10y_bp (bp)": "y2", "wti_chg (series units)": "y3"}
    lay = fig.layout
    assert lay.yaxis.title.text == "CAR (%)"
    assert lay.yaxis2.title.text == "CAR (bp)"
    assert lay.yaxis3.title.text == "CAR (series units)"
    # stacked panels, not overlaid: disjoint heights, the days' labels under the lowest
    doms = [tuple(lay[a].domain) for a in ("yaxis", "yaxis2", "yaxis3")]
    assert doms[0][0] > doms[1][1] and doms[1][0] > doms[2][1] and doms[2][0] == pytest.approx(0.0)
    assert doms[0][1] == pytest.approx(1.0) and lay.xaxis.anchor == "y3"
    # day 0 marked across all three panels
    assert any(s.x0 == 0 and s.yref == "paper" and (s.y0, s.y1) == (0, 1) for s in lay.shapes)
    # one unit: one axis
    one = EventStudy(window=(-1, 2), estimation=60, gap=5, factors=("spx_pct",)).fit(
        df, [Event("x", df.index[150], "test")], series=["btc_pct"]).plot("x")
    assert {t.yaxis for t in one.data} == {"y"} and "yaxis2" not in one.layout.to_plotly_json()
    assert one.layout.yaxis.title.text == "CAR (%)"


def test_a_long_event_title_is_wrapped_to_a_printed_page():
    """Plotly does not wrap a title: the report's event charts' 134-character titles ("'Liberation
    Day' reciprocal tariffs announced (2025-04-02 16:00 New York; day 0 = ...)") ran off an A4
    page. Each line now fits (markup not counted), the words and their order are kept, and the
    plot's top margin grows a line for each extra line."""
    import re

    from spillwatch.plotting.risk import event_figure
    from spillwatch.plotting.style import TITLE_LINE_CHARS

    df = _synthetic()
    ev = Event("x", df.index[150], "A very long name of an announcement that a desk would write "
               "out in full, with its venue and its hour")
    res = EventStudy(window=(-1, 2), estimation=60, gap=5, factors=("spx_pct",)).fit(
        df, [ev], series=["btc_pct"])
    raw = res.plot("x").layout.title.text
    fig = event_figure(res, "x")
    lines = fig.layout.title.text.split("<br>")
    assert len(lines) >= 2
    assert all(len(re.sub(r"<[^>]*>", "", ln)) <= TITLE_LINE_CHARS for ln in lines), lines
    assert " ".join(lines).split() == raw.split()
    assert fig.layout.margin.t == 50 + 18 * (len(lines) - 1)


def test_an_event_no_series_could_be_studied_on_has_no_empty_day_0_in_its_title():
    """The chart of an event every series failed on was titled "... (day 0 =  (the first close
    after it))": no date, and a clause about a close that does not exist."""
    df = _synthetic()
    ok = Event("ok", df.index[150], "studied")
    late = Event("late", df.index[-1] + pd.Timedelta(days=30), "after the data")
    res = EventStudy(window=(-1, 2), estimation=60, gap=5, factors=("spx_pct",)).fit(
        df, [ok, late], series=["btc_pct"])
    assert "late" in set(res.failures["event"])
    title = res.plot("late").layout.title.text
    assert title == "after the data (" + late.when + ")"
    assert "day 0 =" in res.plot("ok").layout.title.text


def test_a_factor_that_begins_after_the_estimation_window_is_left_out_and_named():
    """The broad dollar begins in 2006: every 10-year study before it was refused ("the window
    starts before the first date of 'ust10y_bp' with its factors (2006-01-03)", h_ep11),
    where the series and the S&P 500 printed. A factor beginning too late for the shortest
    estimation window is left out of that pair, named; one in time stays in."""
    df = _synthetic(n=300)
    df["usd_broad_pct"] = np.where(np.arange(300) >= 200, 0.1 * df["spx_pct"].to_numpy()
                                   + np.random.default_rng(9).standard_normal(300), np.nan)
    early, later = Event("early", df.index[150], "test"), Event("later", df.index[280], "test")
    res = EventStudy(window=(-1, 2), estimation=60, gap=5, min_estimation=40,
                     factors=("spx_pct", "usd_broad_pct")).fit(df, [early, later],
                                                              series=["btc_pct"])
    car = res.car.set_index("event")
    assert car.loc["early", "factors"] == "spx_pct"
    assert car.loc["early", "factors_late"] == "usd_broad_pct"
    assert car.loc["later", "factors"] == "spx_pct,usd_broad_pct"
    assert car.loc["later", "factors_late"] == ""
    # the early pair is the market model on the S&P 500 alone, by hand
    est, evt = df.iloc[84:144], df.iloc[149:153]
    x = np.column_stack([np.ones(60), est["spx_pct"]])
    coef = np.linalg.lstsq(x, est["btc_pct"], rcond=None)[0]
    ar = evt["btc_pct"].to_numpy() - (coef[0] + coef[1] * evt["spx_pct"].to_numpy())
    assert car.loc["early", "car"] == pytest.approx(ar.sum(), abs=1e-12)
    assert ("factor(s) usd_broad_pct left out of 1 (event, series) pair(s) whose estimation "
            "window comes before their first figures: early/btc_pct") in res.to_dict()["notes"]
