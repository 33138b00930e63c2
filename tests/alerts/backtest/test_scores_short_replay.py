"""A replay of under two years (two one-year blocks) gives its AUROCs and gaps no interval (h_ep15),
nor does one that scores a single episode's run-up (h_data1).

`spillwatch backtest --start 2025-03-01 --end 2025-05-30` on ../shared/data printed "AUROC(20)
0.458 [0.46, 0.46]" and, against the St. Louis Fed's index, "spillwatch's minus its -0.317
[-0.317, -0.317]": 65 days are one block of the year-long block bootstrap, every resample is
the replay itself turned round, and a zero-width interval that excludes 0 read as a difference
measured exactly. The AUROC and the gap themselves are still given.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from spillwatch.alerts.backtest import Signal, parse_episodes, score
from spillwatch.alerts.backtest.scores import BLOCK_BDAYS, MIN_BLOCKS, MIN_EPISODES


def _card(n: int, episodes: int = 1):
    dates = pd.bdate_range("2025-01-02", periods=n, name="date")
    # the last episode 30 days before the end, the others a year apart before it
    peaks = [n - 30 - BLOCK_BDAYS * k for k in range(episodes)]
    eps = parse_episodes("".join(
        f'[[episode]]\nname = "e{k}"\ntrigger = {dates[p - 5].date()}\n'
        f'peak = {dates[p].date()}\nkind = "rates"\n' for k, p in enumerate(peaks)))
    idx = np.arange(n)
    rng = np.random.default_rng(5)
    good = sum(np.exp(-np.abs(idx - (p - 5)) / 6.0) for p in peaks) + rng.normal(0, 0.2, n)
    weak = rng.normal(0, 1.0, n)
    sigs = [Signal("sw", "sw", "index", (good > 0.6).astype(float), good),
            Signal("c", "c", "comparator", (weak > 1.3).astype(float), weak)]
    return score(dates, sigs, eps, headline="sw").summary


def test_a_replay_of_one_block_has_no_interval():
    s = _card(65)
    assert 0.5 < s.loc["sw", "auroc_common_20"] <= 1.0
    assert np.isnan(s.loc["sw", "auroc_common_20_lo"]) and np.isnan(
        s.loc["sw", "auroc_common_20_hi"])
    gap = s.loc["c"]
    assert gap["auroc_common_20_gap"] == s.loc["sw", "auroc_common_20"] - s.loc[
        "c", "auroc_common_20"]
    assert np.isnan(gap["auroc_common_20_gap_lo"]) and np.isnan(gap["auroc_common_20_gap_hi"])
    # a day short of two blocks has none (a year and a week read a gap's interval nearly as
    # thin); two blocks have one
    assert np.isnan(_card(MIN_BLOCKS * BLOCK_BDAYS - 1, 2).loc["sw", "auroc_common_20_lo"])
    longer = _card(MIN_BLOCKS * BLOCK_BDAYS, 2).loc["sw"]
    assert longer["auroc_common_20_lo"] < longer["auroc_common_20"] \
        < longer["auroc_common_20_hi"]


def test_a_replay_of_one_episode_s_run_up_has_no_interval():
    """Three years of data scored one episode "0.847 [0.736, 0.938]" (h_data1): resampling the
    years around one run-up shows how the calm days vary, not how another episode would score.
    The AUROC is still given; with a second episode the interval is back."""
    one = _card(3 * BLOCK_BDAYS, 1)
    assert 0.5 < one.loc["sw", "auroc_common_20"] <= 1.0
    assert np.isnan(one.loc["sw", "auroc_common_20_lo"])
    assert np.isnan(one.loc["c", "auroc_common_20_gap_lo"])
    assert one.loc["sw", "hit_rate_lo"] < 0.5                     # Wilson's over one episode
    two = _card(3 * BLOCK_BDAYS, MIN_EPISODES).loc["sw"]
    assert two["auroc_common_20_lo"] < two["auroc_common_20"] < two["auroc_common_20_hi"]


def test_run_ups_on_the_same_days_are_one_episode_s():
    """Peaks a few days apart (2022: Terra's 05-27, the inflation shock's 06-14, Celsius'
    06-18) score the same run-up days, the days between them the first one's recovery: the
    replay scores one run-up, and gives no interval (it counted three, h_verify36)."""
    n = 3 * BLOCK_BDAYS
    dates = pd.bdate_range("2025-01-02", periods=n, name="date")
    peaks = [n - 200, n - 196, n - 192]
    eps = parse_episodes("".join(
        f'[[episode]]\nname = "e{k}"\ntrigger = {dates[p - 2].date()}\n'
        f'peak = {dates[p].date()}\nkind = "rates"\n' for k, p in enumerate(peaks)))
    idx = np.arange(n)
    rng = np.random.default_rng(5)
    good = np.exp(-np.abs(idx - (peaks[0] - 5)) / 6.0) + rng.normal(0, 0.2, n)
    sigs = [Signal("sw", "sw", "index", (good > 0.6).astype(float), good)]
    s = score(dates, sigs, eps, headline="sw").summary.loc["sw"]
    assert 0.5 < s["auroc_common_20"] <= 1.0
    assert np.isnan(s["auroc_common_20_lo"]) and np.isnan(s["auroc_common_20_hi"])
    # the same peaks a run-up apart are three episodes' run-ups: an interval
    far = [n - 200, n - 100, n - 30]
    eps = parse_episodes("".join(
        f'[[episode]]\nname = "e{k}"\ntrigger = {dates[p - 2].date()}\n'
        f'peak = {dates[p].date()}\nkind = "rates"\n' for k, p in enumerate(far)))
    good = sum(np.exp(-np.abs(idx - (p - 5)) / 6.0) for p in far) + rng.normal(0, 0.2, n)
    sigs = [Signal("sw", "sw", "index", (good > 0.6).astype(float), good)]
    s = score(dates, sigs, eps, headline="sw").summary.loc["sw"]
    assert s["auroc_common_20_lo"] < s["auroc_common_20"] < s["auroc_common_20_hi"]


def _note(n: int, episodes: int) -> str | None:
    dates = pd.bdate_range("2025-01-02", periods=n, name="date")
    peaks = [n - 30 - BLOCK_BDAYS * k for k in range(episodes)]
    eps = parse_episodes("".join(
        f'[[episode]]\nname = "e{k}"\ntrigger = {dates[p - 5].date()}\n'
        f'peak = {dates[p].date()}\nkind = "rates"\n' for k, p in enumerate(peaks)))
    good = np.random.default_rng(5).normal(0, 1.0, n)
    sigs = [Signal("sw", "sw", "index", (good > 1.0).astype(float), good)]
    return score(dates, sigs, eps, headline="sw").interval_note


def test_the_scorecard_says_which_rule_withheld_the_interval():
    """The intervals line named both cases; which one a replay was, no output said
    (h_verify36): the note the text, the report and the JSON's notes carry."""
    assert _note(65, 1) == ("no AUROC interval: the replay's 65 business days are under 2 "
                            "one-year blocks (522 days)")
    assert _note(3 * BLOCK_BDAYS, 1) == (
        "no AUROC interval: the replay scores the run-up of 1 episode (days 20 business days "
        "or fewer before a peak, on the common days), under 2")
    assert _note(3 * BLOCK_BDAYS, MIN_EPISODES) is None
    # two blocks exactly are not under two: a single run-up is what withholds it there
    assert _note(MIN_BLOCKS * BLOCK_BDAYS, 1) == (
        "no AUROC interval: the replay scores the run-up of 1 episode (days 20 business days "
        "or fewer before a peak, on the common days), under 2")


def _two_episodes(unscored: slice) -> tuple[pd.Series, str | None]:
    """Three years, two episodes a year apart; spillwatch's index without a score on the days
    ``unscored`` counts back from the second peak (``slice(20, 0)``: its whole run-up)."""
    n = 3 * BLOCK_BDAYS
    dates = pd.bdate_range("2025-01-02", periods=n, name="date")
    peaks = [n - 30 - BLOCK_BDAYS, n - 30]
    eps = parse_episodes("".join(
        f'[[episode]]\nname = "e{k}"\ntrigger = {dates[p - 5].date()}\n'
        f'peak = {dates[p].date()}\nkind = "rates"\n' for k, p in enumerate(peaks)))
    idx = np.arange(n)
    good = sum(np.exp(-np.abs(idx - (p - 5)) / 6.0) for p in peaks) + np.random.default_rng(
        5).normal(0, 0.2, n)
    good[peaks[1] - unscored.start:peaks[1] - unscored.stop] = np.nan
    sigs = [Signal("sw", "sw", "index", (good > 0.6).astype(float), good)]
    card = score(dates, sigs, eps, headline="sw")
    return card.summary.loc["sw"], card.interval_note


def test_a_run_up_is_counted_on_the_days_the_auroc_scores():
    """The run-ups are counted on the days the AUROC of the longest horizon scores (the common
    days, up to 20 business days before a peak), as :data:`MIN_EPISODES` reads them (h_mut30:
    counting on the shortest horizon's 5 days, or on days without a score, passed every test)."""
    # the second run-up without a score on its last 5 days: still scored on 15, two run-ups
    s, note = _two_episodes(slice(5, 0))
    assert note is None
    assert s["auroc_common_20_lo"] < s["auroc_common_20"] < s["auroc_common_20_hi"]
    # ... without a score on any of its 20: the AUROC scores one run-up, and has no interval
    s, note = _two_episodes(slice(20, 0))
    assert 0.5 < s["auroc_common_20"] <= 1.0 and np.isnan(s["auroc_common_20_lo"])
    assert note == ("no AUROC interval: the replay scores the run-up of 1 episode (days 20 "
                    "business days or fewer before a peak, on the common days), under 2")
    # ... with a score on its first day alone (20 business days before the peak): two run-ups
    s, note = _two_episodes(slice(19, 0))
    assert note is None and s["auroc_common_20_lo"] < s["auroc_common_20_hi"]
