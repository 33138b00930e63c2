"""Early-warning scorecard: the monitor replayed over history and scored against episodes.

Front door (the CLI ``backtest`` command, the report's section and the dashboard's
``/api/backtest`` all call it, so they show the same numbers)::

    from spillwatch.alerts.backtest import backtest
    res = backtest(ws)                      # Workspace on ../shared/data
    res.lead_table()                        # per episode: spillwatch vs each official index
    res.table()                             # hit rate, lead, false alarms, AUROC per signal
    res.replay.record                       # the index, regime, signature the monitor read
    res.replay.firings                      # every rule firing, with its summary

Modules: :mod:`.replay` (the monitor on every business day, in one pass; :mod:`._stress`,
:mod:`._facts`, :mod:`._rules`, :mod:`.lifecycle`), :mod:`.vintage` (the data as published by
a date: the truncated reference), :mod:`.episodes` (the dated episodes, TOML),
:mod:`.scores` (lead, hit rate, false alarms, AUROC); the official indices as released are
:mod:`spillwatch.service.backtest`.

This sits in the alerts layer (it evaluates alert rules on the monitor's facts), above the
service layer; :mod:`spillwatch.service.backtest` holds the part the service layer owns (the
official indices and their signal rule).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from spillwatch.alerts.backtest._results import INTERVALS_LINE, METHOD, BacktestResult
from spillwatch.alerts.backtest.episodes import (
    KINDS,
    Episode,
    EpisodeSet,
    load_episodes,
    parse_episodes,
)
from spillwatch.alerts.backtest.lifecycle import ACTIVE, INACTIVE, firing_spans
from spillwatch.alerts.backtest.replay import Replay, replay, replay_days
from spillwatch.alerts.backtest.scores import ScoreSpec, Signal, auroc, score
from spillwatch.alerts.backtest.vintage import VintageSource
from spillwatch.alerts.facts import groups_named
from spillwatch.alerts.rules import Rule, RuleSet, load_rules, store_rules
from spillwatch.exceptions import DataError
from spillwatch.service import backtest as official
from spillwatch.service.workspace import Workspace

__all__ = ["INTERVALS_LINE", "KINDS", "METHOD", "BacktestResult", "Episode", "EpisodeSet",
           "Replay", "ScoreSpec", "Signal", "VintageSource", "auroc", "backtest", "firing_spans",
           "load_episodes", "parse_episodes", "replay", "score", "signals"]

#: The signal the official indices are measured against: spillwatch's index at the percentile
#: each official index's own signal is taken at (one number: the two were written apart).
HEADLINE = "spillwatch"
HEADLINE_PCT = official.THRESHOLD_PCT


def _health_rule(rule: Rule) -> bool:
    """A rule that watches the data feeds, not the market.

    Its facts: ``*.stale_bdays``, ``*.days_past_limit``, the gauge's ``demand.stale_inputs``.
    """
    feed = (".stale_bdays", ".days_past_limit", ".stale_inputs")
    return all(c.fact.endswith(feed) and (c.ref is None or c.ref.endswith(feed))
               for c in rule.conditions)


def signals(rp: Replay, rules: RuleSet, ws: Workspace) -> tuple[list[Signal], dict[str, str],
                                                               list[str]]:
    """The scored signals of a replay: the index, each market rule, each official index.

    Returns
    -------
    (signals, not_scored, comparators_missing)
    """
    dates = rp.dates
    pct = rp.record["percentile"].to_numpy(dtype=float)
    on = np.where(np.isnan(pct), np.nan, (pct >= HEADLINE_PCT).astype(float))
    out = [Signal(HEADLINE, f"spillwatch index ≥ p{HEADLINE_PCT:.0f}", "index", on, pct)]
    # the trailing year before the first replay day too: a replay from --start reads the
    # same threshold as one that started earlier (its burn-in was restarting at --start)
    level = rp.record["stress"]
    # (an empty warm-up left out of the concatenation: pandas 2.2 warns of its dtype)
    both = level if rp.warmup.empty else pd.concat([rp.warmup, level])
    rule1y = official.threshold_signal(both.dropna())
    on1y = rule1y["signal"].reindex(dates).to_numpy(dtype=float)
    out.append(Signal(f"{HEADLINE}_1y", "spillwatch index > 1y p90", "index", on1y,
                      level.to_numpy(dtype=float)))
    not_scored: dict[str, str] = {}
    for rule in rules.rules:
        if _health_rule(rule):
            not_scored[rule.name] = ("a data-health rule (it watches how long each series went "
                                     "without a new point, not the market)")
            continue
        mine = [x for x in rp.instances if x.rule.name == rule.name]
        firing = np.zeros(len(dates), dtype=bool)
        known = np.zeros(len(dates), dtype=bool)
        for inst in mine:
            f = rp.firing[(rule.name, inst.key)]
            firing |= f
            known |= np.isin(inst.active, (ACTIVE, INACTIVE)) | f
        out.append(Signal(f"rule:{rule.name}", f"rule {rule.name}", "rule",
                          np.where(known, firing.astype(float), np.nan)))
    comps = official.comparators(ws)
    missing = [official.comparator_labels()[k] for k in official.COMPARATORS if k not in comps]
    for key, c in comps.items():
        got = c.on(dates)
        out.append(Signal(key, c.label, "comparator", got["signal"].to_numpy(dtype=float),
                          got["score"].to_numpy(dtype=float),
                          observed=got["observed"].to_numpy(dtype="datetime64[ns]"),
                          readable=c.readable()))
    for key, c in official.benchmarks(ws).items():
        got = c.on(dates)
        out.append(Signal(key, c.label, "benchmark", got["signal"].to_numpy(dtype=float),
                          got["score"].to_numpy(dtype=float), readable=c.readable()))
    return out, not_scored, missing


def backtest(ws: Workspace, *, start: object = None, end: object = None,
             rules: RuleSet | str | Path | None = None,
             episodes: EpisodeSet | str | Path | None = None,
             spec: ScoreSpec | None = None) -> BacktestResult:
    """Replay the monitor over history and score it against dated episodes (memoised).

    Parameters
    ----------
    ws : Workspace
    start, end : date-like, optional
        Replay days (default 1990-01-01, or the first 10-year yield, to the data's last date).
    rules : RuleSet or path, optional
        The rule file (default ``$SPILLWATCH_RULES``, else the packaged defaults) plus, as the
        monitor runs them, the rules added through the API to the workspace's store; a
        ``RuleSet`` is replayed as given.
    episodes : EpisodeSet or path, optional
        The episodes (default: the packaged file).
    spec : ScoreSpec, optional
        Windows and horizons of the scores.

    Returns
    -------
    BacktestResult

    Raises
    ------
    DataError
        The data lack the 10-year yield.
    ConfigError
        A bad rule or episode file (with ``file:line``), or ``end`` before ``start``.
    """
    # the monitor's rules: the file's and those added through the API, as the monitor and
    # `alerts test` load them (the replay read the file alone, so a desk's rule added on the
    # server fired in `alerts test --as-of` and was missing from the scorecard)
    api = {} if isinstance(rules, RuleSet) else store_rules(ws.store)
    rule_set = rules if isinstance(rules, RuleSet) else load_rules(rules, store=ws.store)
    episode_set = episodes if isinstance(episodes, EpisodeSet) else load_episodes(episodes)
    spec = spec or ScoreSpec()
    key = ("backtest", _day(start), _day(end), rule_set.path, tuple(sorted(api.items())),
           id(rule_set) if isinstance(rules, RuleSet) else None, episode_set.path,
           id(episode_set) if isinstance(episodes, EpisodeSet) else None, spec)

    def run() -> BacktestResult:
        # the episodes begun by the replay's last day: a replay as of 2019 listed 2020-2025's
        # by name (and drew them on its lead-time chart), news from its future. The replay's
        # days are known before it runs, so a scorecard with nothing to score is refused
        # without replaying (`backtest --end 1990-01-05` replayed its days, building the whole
        # history's demand gauge, about 10 s, to say so)
        last = replay_days(ws, start, end)[-1]
        known = EpisodeSet(tuple(e for e in episode_set if e.trigger <= last), episode_set.path)
        if not len(known):
            # a replay of 1990-01-02 stopped on a KeyError deep in the scores
            first = min(episode_set, key=lambda e: e.trigger, default=None)
            raise DataError(
                f"no stress episode of {_named(episode_set.path)} begins by "
                f"{last.date()}, the replay's last day"
                + (f" (the first, {first.name}, on {first.trigger.date()})" if first else "")
                + ": the scorecard has nothing to score yet")
        # the fact groups its rules read (a file of stress rules replayed the spillover and the
        # foreign-demand gauge for nothing); the scores read the rules' firings and the index
        rp = replay(ws, rule_set, start=start, end=end,
                    read=groups_named(rule_set.fact_names()))
        sigs, not_scored, missing = signals(rp, rule_set, ws)
        card = score(rp.dates, sigs, known, headline=HEADLINE, spec=spec)
        notes = episode_notes(episode_set, known, card, rp.dates, HEADLINE)
        notes += never_evaluated(sigs, rp.dates)
        if card.interval_note:     # which of the intervals line's two cases this replay is
            notes.append(card.interval_note)
        return BacktestResult(rp, known, sigs, card, HEADLINE, rule_set.path,
                              known.path, not_scored, missing, ws.simulated, notes)

    return ws.memo(key, run)


def never_evaluated(sigs: list[Signal], dates: pd.DatetimeIndex) -> list[str]:
    """A note naming the rules that were never evaluated on any day replayed (``[]``: none).

    Such a rule covers no episode: on a store without custody, MOF or auction files its row
    of the scores read "0/0" and "n/a" throughout, in the CLI, ``--json``, the API and the
    report, without a word of why.
    """
    never = [s.label.removeprefix("rule ") for s in sigs
             if s.kind == "rule" and not np.isfinite(s.on).any()]
    if not never:
        return []
    one = len(never) == 1
    return [f"{'rule' if one else 'rules'} {', '.join(never)}: never evaluated on the "
            f"{len(dates):,} days replayed (none of {'its' if one else 'their'} facts has a "
            "value on any of them: an input not in the data, or none published by "
            f"{dates[-1].date()}), so scored on no episode"]


def _names(eps: list[Episode], shown: int = 4) -> str:
    out = ", ".join(e.name for e in eps[:shown])
    return out + (f" and {len(eps) - shown} more" if len(eps) > shown else "")


def episode_notes(listed: EpisodeSet, known: EpisodeSet, card: Any, dates: pd.DatetimeIndex,
                  headline: str) -> list[str]:
    """What the scorecard could not score, and episodes that share their days.

    An episode begun after the replay's last day is left out of the list (news from its
    future) and one whose window the replay cuts is not covered: both were left without a
    word (a file of seven episodes read "6 episodes", a replay of 2004-2006 "hit rate n/a of
    0" for all seven it listed). Two episodes whose trigger-to-peak spans overlap can be hit
    by one alert, which the hit rate then counts twice (a copy of lehman_2008 under another
    name read 4 hits of 4 where there were 3 distinct episodes).
    """
    notes: list[str] = []
    later = [e for e in listed if e.trigger > dates[-1]]
    if later and not listed.path.startswith("<"):
        # counted, not named: a replay to a past evening does not list its future (the
        # packaged list's later episodes go without a word, as before)
        notes.append(f"{len(later)} episode(s) of {listed.path} begin after the replay's "
                     f"last day, {dates[-1].date()}: not scored")
    leads = card.leads[card.leads["signal"] == headline].set_index("episode")
    missing = [e for e in known if not bool(leads.loc[e.name, "covered"])]
    if missing:
        first, last = np.datetime64(dates[0].date(), "D"), np.datetime64(dates[-1].date(), "D")
        opens: list[Episode] = []
        closes: list[Episode] = []
        dark: list[Episode] = []
        for e in missing:
            lo = np.busday_offset(np.datetime64(e.trigger.date(), "D"), -card.spec.pre,
                                  roll="forward")
            hi = np.busday_offset(np.datetime64(e.peak.date(), "D"), card.spec.post,
                                  roll="forward")
            (opens if lo < first else closes if hi > last else dark).append(e)
        parts = [f"{len(opens)} whose window opens before the replay's first day, "
                 f"{dates[0].date()} ({_names(opens)})" if opens else "",
                 f"{len(closes)} whose window closes after its last day, {dates[-1].date()} "
                 f"({_names(closes)})" if closes else "",
                 f"{len(dark)} without a reading of the index in the window ({_names(dark)})"
                 if dark else ""]
        notes.append(f"spillwatch's index scores {len(known) - len(missing)} of the "
                     f"{len(known)} episodes listed; not scored: "
                     + "; ".join(p for p in parts if p))
    # two episodes the replay does not score share no alert of it (a replay of 90 days named
    # the 2020 and 2022 pairs)
    eps = [e for e in known if e not in missing]

    def window_opens(e: Episode) -> pd.Timestamp:
        """The first day of ``e``'s window, where an alert that hits it can start."""
        return pd.Timestamp(np.busday_offset(np.datetime64(e.trigger.date(), "D"),
                                             -card.spec.pre, roll="forward"))

    for i, a in enumerate(eps):
        for b in eps[i + 1:]:
            if b.trigger <= a.peak and a.trigger <= b.peak:
                same = a.trigger == b.trigger and a.peak == b.peak
                how = ("have the same trigger and peak" if same else
                       f"overlap ({a.trigger.date()} to {a.peak.date()} and "
                       f"{b.trigger.date()} to {b.peak.date()})")
            elif window_opens(b) <= a.peak and window_opens(a) <= b.peak:
                # an alert in effect at the earlier peak and on through the later one's window
                # is the hit of both (uk_ldi_2022 and ftx_2022: one alert from 2022-08-26,
                # ftx's "already on"), though their spans do not overlap
                first, then = (a, b) if a.peak <= b.peak else (b, a)
                how = (f"are within one window of each other ({then.name}'s opens "
                       f"{window_opens(then).date()}, {card.spec.pre} business days before its "
                       f"trigger, by {first.name}'s peak on {first.peak.date()})")
            else:
                continue
            notes.append(f"episodes {a.name} and {b.name} {how}: one alert can be the hit of "
                         "both, and the hit rate counts them as two episodes")
    return notes


def _day(value: Any) -> str | None:
    return None if value is None else str(pd.Timestamp(value).date())


def _named(path: str) -> str:
    """An episode file's path, or what the packaged list is called."""
    return "the packaged list" if path.startswith("<") else path
