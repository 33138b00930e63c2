"""The scorecard says which episodes it could not score and which share their days."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from spillwatch.alerts.backtest import backtest
from spillwatch.alerts.backtest.replay import replay_days
from spillwatch.alerts.rules import default_rules_text, parse_rules
from spillwatch.cli import app
from spillwatch.exceptions import DataError
from spillwatch.service.workspace import Workspace

RULES = parse_rules(default_rules_text(), path="<default rules>")


def _episode(name: str, trigger: pd.Timestamp, peak: pd.Timestamp) -> str:
    return (f'[[episode]]\nname = "{name}"\ntrigger = {trigger.date()}\n'
            f'peak = {peak.date()}\nkind = "equity"\n\n')


@pytest.fixture(scope="module")
def days(lagged_db):
    """The business days a replay of the whole market runs on (``replay_days``, which the
    replay takes them from: a whole backtest was run here only to read them)."""
    ws = Workspace(str(lagged_db))
    try:
        return replay_days(ws)
    finally:
        ws.close()


@pytest.mark.slow
def test_episodes_not_scored_and_overlapping_are_named(lagged_db, days, tmp_path):
    """A file with an episode after the data, one cut by --start and the same episode under
    two names read "N episodes" and "hit rate ... of 2" without a word: the later episode
    vanished, the cut one printed "n/a", and one alert counted as two hits."""
    d = days
    text = (_episode("cut_by_start", d[300], d[305])
            + _episode("mid", d[600], d[610]) + _episode("mid_copy", d[600], d[610])
            + _episode("after_the_data", d[-1] + pd.Timedelta(days=60),
                       d[-1] + pd.Timedelta(days=70)))
    p = tmp_path / "eps.toml"
    p.write_text(text)
    ws = Workspace(str(lagged_db))
    try:
        res = backtest(ws, rules=RULES, start=d[310], episodes=p)
    finally:
        ws.close()
    notes = " | ".join(res.notes)
    assert f"1 episode(s) of {p} begin after the replay's last day" in notes
    assert "after_the_data" not in notes            # counted, not named
    assert "scores 2 of the 3 episodes listed" in notes
    assert "window opens before the replay's first day" in notes and "cut_by_start" in notes
    assert "episodes mid and mid_copy have the same trigger and peak" in notes
    assert res.to_dict()["notes"] == res.notes
    assert all(f"note: {n}" in res.summary() for n in res.notes)


@pytest.mark.slow
def test_a_comparator_without_a_reading_says_so(lagged_db, days):
    """A window before an official index's first signal (its trailing year needs half a year
    of history) printed "0 false alarm(s) in 0.00 calm years (too little calm time for a
    yearly rate)": the reason is that it has no reading at all. (On this market the window
    also stopped on an IndexError: custody is 0, not reported, through it.)"""
    out = CliRunner().invoke(app, ["backtest", "--db", str(lagged_db), "--start",
                                   str(days[0].date()), "--end", str(days[60].date())],
                             env={"COLUMNS": "400"})
    assert out.exit_code == 0, out.output
    text = " ".join(out.output.split())
    # and says when it has readings, against the replay's days (it said "its data begin later
    # or end earlier", which left a trader to find out which and when)
    from spillwatch.service.backtest import comparators

    with Workspace(str(lagged_db)) as ws:
        fsi = comparators(ws)["stlfsi4"]
    first, last = fsi.readable()
    every = pd.date_range(first - pd.Timedelta(days=1), last + pd.Timedelta(days=1))
    read = fsi.on(every)["signal"].notna()
    assert not read.iloc[0] and read.iloc[1] and read.iloc[-2] and not read.iloc[-1]
    assert first > days[60]
    assert (f"St. Louis Fed STLFSI4: no reading on any replay day (its readings, as released, "
            f"run {first.date()} to {last.date()}; the replay runs {days[0].date()} to "
            f"{days[60].date()}): not scored") in text
    assert "0.00 calm years" not in text
    # and why its AUROCs have no interval, in the text and the JSON's notes (h_mut30: a
    # backtest that dropped the scorecard's note passed every test)
    why = ("no AUROC interval: the replay's 61 business days are under 2 one-year blocks "
           "(522 days)")
    assert f"note: {why}" in text
    doc = CliRunner().invoke(app, ["backtest", "--db", str(lagged_db), "--start",
                                   str(days[0].date()), "--end", str(days[60].date()), "--json"])
    assert json.loads(doc.stdout)["signals"]["stlfsi4"]["readable"] == [str(first.date()),
                                                                       str(last.date())]
    assert why in json.loads(doc.stdout)["notes"]
    # the VIX's and the MOVE's own spans too (benchmarks, scored as the index is: h_mut14)
    from spillwatch.service.backtest import benchmarks

    with Workspace(str(lagged_db)) as ws:
        bench = {k: c.readable() for k, c in benchmarks(ws).items()}
    signals = json.loads(doc.stdout)["signals"]
    assert bench and all(r is not None for r in bench.values())
    for k, r in bench.items():
        assert signals[k]["readable"] == [str(r[0].date()), str(r[1].date())], k


def test_a_scorecard_with_nothing_to_score_is_refused_before_the_replay(lagged_db, days,
                                                                         tmp_path):
    """`backtest --end 1990-01-05` replayed its days (on ../shared/data building the whole
    history's foreign-demand gauge, about 10 s) before saying that no episode begins by then:
    the replay's days are known before it runs, and the refusal needs nothing else."""
    d = days
    p = tmp_path / "later.toml"
    p.write_text(_episode("later", d[200], d[210]) + _episode("latest", d[400], d[420]))
    ws = Workspace(str(lagged_db))
    try:
        with pytest.raises(DataError) as err:
            backtest(ws, rules=RULES, end=d[150], episodes=p)
        built = sum(ws.builds.values())
    finally:
        ws.close()
    assert str(err.value) == (f"no stress episode of {p} begins by {d[150].date()}, the "
                              f"replay's last day (the first, later, on {d[200].date()}): the "
                              "scorecard has nothing to score yet")
    assert built == 0, "the refused scorecard replayed the monitor"
