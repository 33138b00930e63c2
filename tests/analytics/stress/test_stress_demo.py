"""The stress monitor on the demo market: front door, CLI, report section, result verbs."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

import spillwatch as sw
from spillwatch.analytics.stress import FRAME_COLUMNS, SUBINDEX_COLUMNS, StressResult, classify
from spillwatch.exceptions import ConfigError


@pytest.fixture(scope="module")
def demo_inputs():
    from spillwatch.analytics.stress import load_inputs

    return load_inputs("demo")


@pytest.fixture(scope="module")
def demo_result(demo_inputs):
    changes, levels = demo_inputs
    return sw.stress(changes, levels=levels)


def test_front_door_on_source_and_panel(demo_result):
    res = sw.stress("demo")
    assert isinstance(res, StressResult)
    assert res.simulated
    pd.testing.assert_frame_equal(res.frame, demo_result.frame)
    assert tuple(res.frame.columns) == FRAME_COLUMNS
    assert sw.Signature("sell_america") is sw.Signature.SELL_AMERICA
    assert sw.StressIndex().weights == (0.30, 0.15, 0.45, 0.10, 0.0)
    assert tuple(res.subindices.columns) == SUBINDEX_COLUMNS


def test_demo_sell_america_episode(demo_inputs, demo_result):
    changes, _ = demo_inputs
    window = demo_result.frame.loc["2026-08-10":"2026-08-25", "signature"]
    assert (window == "sell_america").sum() >= 3
    assert not window.isin(["dash_for_cash", "flight_to_quality"]).any()
    # the contract function reads the same signature as the index frame
    pd.testing.assert_series_equal(classify(changes).loc[window.index], window)
    assert demo_result.sell_america_days.loc["2026-08-10":"2026-08-25"].sum() >= 3


def test_result_verbs(demo_result):
    table = demo_result.table()
    assert {"signal", "value", "percentile", "light", "state", "last_observed"} <= set(
        table.columns)
    assert set(table["state"]) == {"available"}
    assert set(table["light"]) <= {"green", "amber", "red", ""}
    long = demo_result.to_frame()
    assert list(long.columns) == ["date", "variable", "value"]
    doc = demo_result.to_dict()
    json.dumps(doc)                                        # JSON-safe
    assert doc["latest"]["regime"] in {"calm", "elevated", "crisis"}
    assert "SIMULATED" in str(demo_result)
    contrib = demo_result.contributions().dropna()
    pd.testing.assert_series_equal(contrib.sum(axis=1),
                                   demo_result.frame["stress"].loc[contrib.index],
                                   check_names=False, atol=1e-12)
    assert list(contrib.columns) == list(SUBINDEX_COLUMNS)
    # the week-ago comparison reads the reading five business days before the headline date
    wk = demo_result.week_ago()
    head = pd.Timestamp(demo_result.latest()["date"])
    assert pd.Timestamp(wk["date"]) == head - pd.offsets.BDay(5)
    assert wk["percentile_change"] == pytest.approx(
        demo_result.latest()["percentile"] - wk["percentile"])


def test_plots(demo_result):
    from spillwatch.plotting.gauge import stress_gauge

    gauge = stress_gauge(demo_result, simulated=True)
    # the dial's week change is the headline's: the rounded difference of the two readings
    now, then = demo_result.latest()["percentile"], demo_result.week_ago()["percentile"]
    assert gauge.data[0].value - gauge.data[0].delta.reference == round(now - then)
    # the index as the headline prints it (the gauge said 0.06 where the report said 0.056)
    assert f"index {demo_result.latest()['stress']:.3f}," in gauge.layout.title.text
    assert "number" in gauge.data[0].mode
    # in the burn-in there is no percentile: the dial showed "0 pct", a calm reading
    from spillwatch.service import stress as service
    from spillwatch.service.workspace import Workspace

    early = service.stress(Workspace("demo"), end="2020-03-02")
    assert early.latest()["percentile"] is None
    dial = stress_gauge(early, simulated=True)
    assert dial.data[0].mode == "gauge"
    assert "percentile 2020-03-02 n/a (too little history to rank)" in (
        dial.layout.title.text.replace("<br>", " "))
    fig = demo_result.plot()
    assert "SIMULATED" in fig.layout.title.text
    assert len(fig.data) == 3                              # index + two regime shadings
    fig2 = demo_result.plot("contributions")
    assert len(fig2.data) >= 3
    with pytest.raises(ConfigError, match="unknown plot kind"):
        demo_result.plot("pie")


def test_cli_stress_writes_csv(tmp_path):
    from spillwatch.cli import app

    out = tmp_path / "stress.csv"
    res = CliRunner().invoke(app, ["stress", "--demo", "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["simulated"] is True and doc["latest"]["date"]
    frame = pd.read_csv(out)
    at = list(FRAME_COLUMNS).index(SUBINDEX_COLUMNS[-1]) + 1
    assert list(frame.columns) == ["date", "known_on", *FRAME_COLUMNS[:at],
                                   *(f"{g}_percentile" for g in SUBINDEX_COLUMNS),
                                   *FRAME_COLUMNS[at:]]
    assert (pd.to_datetime(frame["known_on"]) >= pd.to_datetime(frame["date"])).all()
    assert frame["signature"].isin(["sell_america", "dash_for_cash", "flight_to_quality",
                                    "none", "unavailable"]).all()
    assert (frame["signature"] != "unavailable").mean() > 0.8
    assert frame["date"].iloc[0] < frame["date"].iloc[-1]


def test_too_short_a_history_says_burn_in_not_missing_inputs():
    """251 days of every input: the summary said "the data have no input of the required
    block(s) rates, dollar" with both present, and the JSON's notes were empty."""
    ch = sw.load("demo").iloc[-251:]
    lv = sw.load("demo", transform="levels").loc[ch.index]
    res = sw.stress(ch, levels=lv)
    assert not len(res.valid)
    why = res.unread_reason()
    assert why.startswith("the required block(s) rates, dollar have no value yet") and \
        "(the burn-in), and the data hold 251 dates" in why, why
    assert why in str(res)
    bare = sw.stress(ch[["ust10y_bp"]], levels=lv[["ust10y_pct"]])
    assert bare.unread_reason().startswith("the data have no input of the required block(s) "
                                           "dollar")


def test_a_reading_without_a_percentile_says_why():
    """Data from 2025 read "Stress n/a (percentile n/a, index 0.069)" in ``run``'s headline:
    the index had 1 reading and its percentile needs 250; nothing said so."""
    ch = sw.load("demo").iloc[-400:]
    lv = sw.load("demo", transform="levels").loc[ch.index]
    res = sw.stress(ch, levels=lv)
    n = len(res.valid)
    assert 0 < n < 250 and res.latest()["percentile"] is None
    why = res.unranked_reason()
    assert why == (f"no percentile yet: a reading is ranked against at least 250 readings of "
                   f"the index, and these data give {n} (since {res.valid.index[0]:%Y-%m-%d})"
                   "; import a longer history")
    assert sw.stress(sw.load("demo"), levels=sw.load("demo", transform="levels")
                     ).unranked_reason() is None


def test_a_short_history_says_the_percentiles_rank_against_it():
    """Data from 2021 read SVB at percentile 78, "all history 77", calm (96 and crisis on the
    whole history), ranked against 2022 alone, and nothing said so."""
    ch, lv = sw.load("demo"), sw.load("demo", transform="levels")
    whole = sw.stress(ch, levels=lv)
    assert whole.short_history() is None                 # the demo's readings span 6+ years
    late = sw.stress(ch.iloc[-700:], levels=lv.iloc[-700:])
    note = late.short_history()
    first = late.valid.index[0]
    assert note.startswith("the percentiles rank this reading against ") and \
        f"(since {first:%Y-%m-%d}): 'all history' is that short history" in note, note


def test_the_dial_reads_the_whole_percentile_the_headline_prints():
    """The dial formatted the percentile to the nearest whole ("85 pct" for 84.64) over a
    headline and a regime line that read it rounded down ("percentile 84"): on the same card
    the trader read two numbers. It shows the whole percentile rounded down, and its change
    over the week is the headline's (the rounded difference of the two readings)."""
    import math

    from spillwatch.plotting.gauge import stress_gauge
    from spillwatch.service import stress as service
    from spillwatch.service.workspace import Workspace

    ws = Workspace("demo")
    res = service.stress(ws, end="2026-10-28")
    last = res.latest()
    pct, ref = last["percentile"], last["week_ago_percentile"]
    assert pct % 1 >= 0.5          # a reading where nearest and rounded down differ
    dial = stress_gauge(res, simulated=True).data[0]
    assert dial.value == math.floor(pct) == 84
    assert dial.number.valueformat == ".0f"
    assert dial.value - dial.delta.reference == round(pct - ref)
    # the headline's own formatting of the reading
    assert service.whole_percentile(pct) == f"{dial.value:.0f}"
