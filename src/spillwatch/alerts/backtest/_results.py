"""The scorecard's result: the replay, the episodes and every signal's scores."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from spillwatch._results import ResultBase, jsonable
from spillwatch.alerts.backtest.episodes import EpisodeSet
from spillwatch.alerts.backtest.replay import Replay
from spillwatch.alerts.backtest.scores import (
    Scorecard,
    Signal,
    headline_figures,
    signed_days,
)
from spillwatch.exceptions import ConfigError
from spillwatch.service.backtest import THRESHOLD_PCT, TRAILING_DAYS

#: The method and its limits, in one paragraph (report, dashboard, JSON).
METHOD = (
    "The monitor is replayed on every business day, on that evening's data: each series is seen"
    " only from its publication date (spillwatch.timing: H.15 the next day, H.10 the following "
    "Monday, custody holdings on Thursday, TIC about seven weeks after the month, crypto the "
    "same day), and the facts, the rules and the alert lifecycle are the monitor's own, "
    "computed in one pass and checked against truncated runs of the monitor on sampled days. "
    "spillwatch's index signals when its recursive percentile reaches 90 (the same index above "
    "its own trailing one-year 90th percentile is shown too); each official index signals when "
    "its value, as released (STLFSI4 on the Thursday after its Friday, the OFR FSI two business"
    " days after, the ECB CISS on the Monday after its week), exceeds its own trailing one-year"
    " 90th percentile. An episode's window runs from 20 business days before its trigger to 5 "
    "after its peak; its first alert is the onset of the alert in effect at the peak (a run of "
    "on days, off spells of up to 5 business days not breaking it, with an on day among the 5 "
    "business days to the peak; a signal already on when the window opens counts from the "
    "window's first day; an alert that went quiet more than 5 business days before the peak "
    "is not a lead), and without one the first onset after the peak, a late alert. Lead times "
    "are business days from that first alert to the peak; a hit is a first alert on or before "
    "the peak; false alarms are alerts starting on calm days "
    "(outside every episode's window extended by three months after its peak); the AUROC "
    "scores each reading for a peak within the next 5 or 20 business days: spillwatch's "
    "recursive percentile and each official index's own, as released (age-weighted, half-life "
    "two years), so both are ranked alike. Limits: the episodes "
    "are labelled after the fact (their peaks by the VIX, the MOVE or bitcoin's low), so the "
    "scores measure agreement with those labels, and the VIX and the MOVE are inputs of the "
    "index: each is scored alone by the index's own rule (its own recursive percentile ≥ 90: "
    "'VIX alone', 'MOVE alone'), which shows how much of the record those inputs already "
    "hold; stored values are today's vintage on both "
    "sides (revisions are not undone: the official indices are re-estimated, and so is the ACM "
    "term premium among spillwatch's inputs, so neither side is read exactly as it stood), and "
    "some were first published after the evenings they are read on, their earlier values "
    "back-cast: the St. Louis Fed's index in 2010 (STLFSI4, the version stored, in November "
    "2022), the ACM term premium in May 2014 (a download of its "
    "estimates since 1961), the OFR FSI in October 2017; the "
    "comparators cover fewer episodes (OFR FSI from 2000, ECB CISS from 2015), so compare them "
    "on the common days too; the monitor's daily signature needs the dollar of the day, which "
    "H.10 publishes a week later, so rules on it rarely fire in real time.")


#: How the bracketed 95% intervals are made (the text output and the report).
INTERVALS_LINE = (
    "intervals in brackets are 95%: an AUROC's and a gap's by resampling years of replay days "
    "(days before a peak are one episode's, not independent draws), a hit rate's Wilson's over "
    "the episodes, a median lead's by resampling episodes; a gap whose interval holds 0 is no "
    "measured difference; a replay of under two years (two of the one-year blocks), or one "
    "that scores the run-up of a single episode, gives its AUROCs and gaps no interval")
#: The scoring rules in one line (the text output; ``method`` in JSON has them in full).
RULES_LINE = (
    "scored: spillwatch signals at its recursive percentile ≥ 90, each official index above its"
    " own trailing one-year 90th percentile as released; an episode's window runs 20 business "
    "days before its trigger to 5 after its peak; the lead is to the peak (labelled after the "
    "fact by the VIX, MOVE or bitcoin, both inputs of the index: compare the rows 'VIX alone' "
    "and 'MOVE alone'), a hit an alert in effect by the peak, a false alarm an alert starting "
    "outside every window extended 60 business days")


@dataclass(frozen=True, repr=False)
class BacktestResult(ResultBase):
    """The monitor replayed over history and scored against dated episodes.

    Attributes
    ----------
    replay : Replay
        What the monitor saw and did each business day.
    episodes : EpisodeSet
    signals : list of Signal
        spillwatch's index, each scored rule, each official index.
    card : Scorecard
    headline : str
        The signal the comparators are measured against.
    rules_path, episodes_path : str
    not_scored : dict
        Rules left out of the scores, with the reason (data-health rules).
    comparators_missing : list of str
        Official indices the data lack.
    simulated : bool
    """

    replay: Replay
    episodes: EpisodeSet
    signals: list[Signal]
    card: Scorecard
    headline: str
    rules_path: str
    episodes_path: str
    not_scored: dict[str, str] = field(default_factory=dict)
    comparators_missing: list[str] = field(default_factory=list)
    simulated: bool = False
    notes: list[str] = field(default_factory=list)
    title: str = field(default="early-warning scorecard", init=False)

    # ------------------------------------------------------------------ tables
    @cached_property
    def labels(self) -> dict[str, str]:
        """Signal key -> label."""
        return {s.key: s.label for s in self.signals}

    @cached_property
    def comparator_keys(self) -> list[str]:
        """The official indices scored."""
        return [s.key for s in self.signals if s.kind == "comparator"]

    def lead_table(self) -> pd.DataFrame:
        """Per episode: each index's lead and spillwatch's lead over each official index.

        Leads are business days before the peak; spillwatch's lead over an index is positive
        when spillwatch alerted first.
        """
        leads = self.card.leads
        keys = [self.headline, *self.comparator_keys]
        wide = leads[leads["signal"].isin(keys)].pivot(index="episode", columns="signal",
                                                       values="lead_bdays")
        first = leads[leads["signal"].isin(keys)].pivot(index="episode", columns="signal",
                                                        values="first_alert")
        covered = leads[leads["signal"].isin(keys)].pivot(index="episode", columns="signal",
                                                          values="covered")
        ep = self.episodes.frame().set_index("name")
        out = pd.DataFrame(index=ep.index)
        out["kind"] = ep["kind"]
        out["trigger"] = ep["trigger"]
        out["peak"] = ep["peak"]
        for k in keys:
            out[f"{k}_first"] = first.get(k)
            out[f"{k}_lead"] = wide.get(k)
            out[f"{k}_covered"] = covered.get(k)
        vs = self.card.versus.pivot(index="episode", columns="comparator", values="lead_bdays")
        for c in self.comparator_keys:
            out[f"vs_{c}"] = vs.get(c)
        out.index.name = "episode"
        return out

    def table(self) -> pd.DataFrame:
        """The scores of every signal (hit rate, median lead, false alarms, AUROC)."""
        cols = ["label", "kind", "covered", "hits", "hit_rate", "hit_rate_chance", "on_share",
                "calm_on_share", "median_lead_bdays", "false_alarms_per_year"]
        cols += [c for c in self.card.summary.columns if c.startswith("auroc_")]
        return self.card.summary[cols]

    def to_frame(self) -> pd.DataFrame:
        """Tidy leads: one row per (episode, signal)."""
        return self.card.leads.copy()

    @cached_property
    def headline_figures(self) -> dict[str, Any]:
        """Median lead vs each official index, and the AUROC (N=20) and false alarms of each."""
        out: dict[str, Any] = {}
        summ = self.card.summary
        # the leads as the scorecard computes them (one place: scores.headline_figures): all
        # episodes both signalled, those both alerted by the peak, and by observation date
        leads = headline_figures(self.card, self.labels)
        for c in self.comparator_keys:
            for key, empty in ((f"median_lead_vs_{c}_bdays", None), (f"episodes_vs_{c}", 0),
                               (f"median_lead_vs_{c}_ci95_bdays", None),
                               (f"earlier_than_{c}", 0), (f"later_than_{c}", 0),
                               (f"sign_test_p_vs_{c}", None),
                               (f"median_lead_vs_{c}_both_hit_bdays", None),
                               (f"episodes_both_hit_vs_{c}", 0),
                               (f"median_lead_vs_{c}_observed_bdays", None)):
                out[key] = leads.get(key, empty)
        benchmarks = [s.key for s in self.signals if s.kind == "benchmark"]
        for k in [self.headline, f"{self.headline}_1y", *self.comparator_keys, *benchmarks]:
            if k in summ.index:
                r = summ.loc[k]
                out[f"auroc20_{k}"] = r["auroc_20"]
                out[f"auroc20_common_{k}"] = r["auroc_common_20"]
                # 95% intervals (block bootstrap: scores' module docstring)
                out[f"auroc20_common_{k}_ci95"] = _pair(r["auroc_common_20_lo"],
                                                        r["auroc_common_20_hi"])
                if k != self.headline:
                    out[f"auroc20_common_gap_{k}"] = r["auroc_common_20_gap"]
                    out[f"auroc20_common_gap_{k}_ci95"] = _pair(r["auroc_common_20_gap_lo"],
                                                                r["auroc_common_20_gap_hi"])
                out[f"hit_rate_{k}_ci95"] = _pair(r["hit_rate_lo"], r["hit_rate_hi"])
                out[f"false_alarms_per_year_{k}"] = r["false_alarms_per_year"]
        out["replay_seconds"] = self.replay.seconds.get("total")
        return jsonable(out)

    @cached_property
    def inhibition(self) -> dict[str, dict[str, Any]]:
        """Per rule whose firings another held back: how many were told, late or never.

        ``firings`` (all of the rule's in the replay), ``never_told`` (held back from the
        moment it fired until it resolved: the monitor recorded it and sent nothing),
        ``told_late`` (held back at first, told when its inhibitors stopped firing:
        :func:`~.lifecycle.told_at`) and ``by`` (the inhibitors).
        The scores count every firing: a rule's record is its own.
        """
        f = self.replay.firings
        out: dict[str, dict[str, Any]] = {}
        for rule, g in f.groupby("rule", sort=True):
            held = g[g["inhibited_by"].notna()]
            if not len(held):
                continue
            out[str(rule)] = {"firings": len(g), "never_told": int(held["told"].isna().sum()),
                              "told_late": int(held["told"].notna().sum()),
                              "by": sorted({str(x) for x in held["inhibited_by"]})}
        return out

    def inhibition_lines(self) -> list[str]:
        """One sentence per rule in :attr:`inhibition`."""
        return [f"{rule}: {d['never_told']} of its {d['firings']} firings were held back for "
                f"their whole span by {', '.join(d['by'])} (recorded, never told)"
                + (f", {d['told_late']} told once it resolved" if d["told_late"] else "")
                + "; the scores count all of them"
                for rule, d in self.inhibition.items()]

    # ------------------------------------------------------------------ JSON
    def to_dict(self) -> dict[str, Any]:
        """JSON-safe: every episode with each signal's lead, the scores, the firings."""
        leads = self.card.leads.set_index(["episode", "signal"])
        vs = self.card.versus.set_index(["episode", "comparator"])
        episodes = []
        for e in self.episodes:
            item: dict[str, Any] = e.to_dict()
            def one(key: str, name: str = e.name) -> dict[str, Any]:
                r = leads.loc[(name, key)]
                return {"covered": bool(r["covered"]), "first_alert": r["first_alert"],
                        "lead_bdays": r["lead_bdays"], "hit": bool(r["hit"]),
                        "lead_trigger_bdays": r["lead_trigger_bdays"],
                        "already_on": bool(r["already_on"])}
            item["spillwatch"] = one(self.headline)
            item["comparators"] = {}
            for c in self.comparator_keys:
                d = one(c)
                d["spillwatch_lead_bdays"] = vs.loc[(e.name, c), "lead_bdays"]
                item["comparators"][c] = d
            item["signals"] = {s.key: one(s.key) for s in self.signals
                               if s.key not in (self.headline, *self.comparator_keys)}
            episodes.append(item)
        summ = self.card.summary.reset_index().to_dict(orient="records")
        firings = self.replay.firings
        scored = firings[~firings["rule"].isin(list(self.not_scored))]
        health = firings[firings["rule"].isin(list(self.not_scored))]
        return jsonable({
            "title": self.title, "simulated": self.simulated,
            "settings": {"start": self.replay.dates[0], "end": self.replay.dates[-1],
                         "days": len(self.replay.dates), "rules": self.rules_path,
                         "episodes": self.episodes_path, "headline": self.headline,
                         "window_pre_bdays": self.card.spec.pre,
                         "window_post_bdays": self.card.spec.post,
                         "recovery_bdays": self.card.spec.recovery,
                         "gap_bdays": self.card.spec.gap,
                         "horizons_bdays": list(self.card.spec.horizons),
                         # the official indices' signal rule (service.backtest)
                         "official_pct": THRESHOLD_PCT,
                         "official_trailing_days": TRAILING_DAYS},
            "headline": self.headline_figures,
            "signals": {s.key: {"label": s.label, "kind": s.kind,
                                **({} if s.kind not in ("comparator", "benchmark") else
                                   {"readable": None if s.readable is None else
                                    [str(s.readable[0].date()), str(s.readable[1].date())]})}
                        for s in self.signals},
            "episodes": episodes,
            "scores": summ,
            "firings": scored.to_dict(orient="records"),
            "firings_not_scored": {r: {"count": len(g), "first": g["fired"].min(),
                                       "last": g["fired"].max()}
                                   for r, g in health.groupby("rule")},
            "not_scored": dict(self.not_scored),
            "inhibition": self.inhibition,
            "comparators_missing": list(self.comparators_missing),
            # what the scorecard could not score, and episodes that share their days
            "notes": list(self.notes),
            "replay": {"seconds": self.replay.seconds, "notes": list(self.replay.notes),
                       "fallback_days": self.replay.fallback.to_dict(orient="records")},
            "method": METHOD,
        })

    def _unread(self, key: str) -> str:
        """Why a signal has no reading on any replay day: its readings' span against the days.

        An official index's or benchmark's span is its own (its data as released, after its
        threshold's trailing year); the replay's are ``--start`` to ``--end``.
        """
        sig = next((s for s in self.signals if s.key == key), None)
        d = self.replay.dates
        days = f"the replay runs {d[0].date()} to {d[-1].date()}"
        if sig is None or sig.kind not in ("comparator", "benchmark"):
            return "its data begin later or end earlier"
        if sig.readable is None:
            return f"its data hold no reading with a signal; {days}"
        first, last = sig.readable
        return (f"its readings, as released, run {first.date()} to {last.date()}; {days}")

    # ------------------------------------------------------------------ text
    def _summary_lines(self) -> list[str]:
        tag = " (SIMULATED)" if self.simulated else ""
        d = self.replay.dates
        lines = [f"{self.title}{tag}: {len(d)} business days {d[0].date()} to {d[-1].date()}, "
                 f"{len(self.episodes)} episodes, replay {self.replay.seconds['total']:.1f} s"]
        lines += [f"note: {n}" for n in self.replay.notes]
        lines += [f"note: {n}" for n in self.notes]
        h = self.headline_figures
        for c in self.comparator_keys:
            m = h.get(f"median_lead_vs_{c}_bdays")
            if m is not None:
                o = h.get(f"median_lead_vs_{c}_observed_bdays")
                b = h.get(f"median_lead_vs_{c}_both_hit_bdays")
                ci = h.get(f"median_lead_vs_{c}_ci95_bdays")
                p = h.get(f"sign_test_p_vs_{c}")
                lines.append(f"median lead of spillwatch over {self.labels[c]}: "
                             f"{signed_days(m)} business days ({h[f'episodes_vs_{c}']} "
                             "episodes where both signalled, late alerts included"
                             + ("" if ci is None else
                                f"; 95% interval {signed_days(ci[0])} to "
                                f"{signed_days(ci[1])}")
                             + ("" if p is None else
                                f"; earlier in {h[f'earlier_than_{c}']}, later in "
                                f"{h[f'later_than_{c}']}: sign test p {p:.2f}") + ")"
                             + ("" if b is None else
                                f"; {signed_days(b)} over the "
                                f"{h[f'episodes_both_hit_vs_{c}']} both alerted by the peak")
                             + ("" if o is None else
                                f"; {signed_days(o)} with its alerts dated by observation "
                                "(the rest is its publication lag)"))
        benchmarks = [s.key for s in self.signals if s.kind == "benchmark"]
        for k in [self.headline, f"{self.headline}_1y", *self.comparator_keys, *benchmarks]:
            if k in self.card.summary.index:
                r = self.card.summary.loc[k]
                if pd.isna(r["on_share"]):     # not one replay day with a reading
                    lines.append(f"{self.labels.get(k, r['label'])}: no reading on any replay "
                                 f"day ({self._unread(k)}): not scored")
                    continue
                # the AUROC of the days every index has a score: the comparable one
                gap = ("" if k == self.headline or pd.isna(r["auroc_common_20_gap"]) else
                       f"; spillwatch's minus its {r['auroc_common_20_gap']:+.3f}"
                       f"{_ci(r['auroc_common_20_gap_lo'], r['auroc_common_20_gap_hi'], _signed)}")
                lines.append(f"{self.labels.get(k, r['label'])}: hit rate {_pct(r['hit_rate'])} of "
                             f"{int(r['covered'])}{_ci(r['hit_rate_lo'], r['hit_rate_hi'], _pct)}"
                             f", AUROC(20) {_num(r['auroc_common_20'], '{:.3f}')}"
                             f"{_ci(r['auroc_common_20_lo'], r['auroc_common_20_hi'])} on "
                             f"the common days{gap} ({_num(r['auroc_20'], '{:.3f}')} on its "
                             "own), " + _false_alarms(r))
                if r["hits"]:
                    fresh = int(r["hits"]) - int(r["hits_already_on"])
                    lead = r["median_lead_trigger_bdays"]
                    on = int(r["hits_already_on"])
                    lines.append(
                        f"  of its {int(r['hits'])} hits, {on} {'was' if on == 1 else 'were'} "
                        f"already on when the window opened; of the other {fresh}, "
                        f"{int(r['hits_before_trigger'])} started before the trigger day"
                        + (f" (median lead to the trigger {signed_days(lead)} business days; "
                           "+: before it)" if fresh else ""))
        lines += self.inhibition_lines()
        lines.append(INTERVALS_LINE)
        lines.append(RULES_LINE)
        return lines

    def __rich__(self) -> Any:
        from rich.console import Group
        from rich.table import Table

        lt = self.lead_table()
        keys = [self.headline, *self.comparator_keys]
        t = Table(title="lead time to the peak (business days; first alert date)")
        for c in ["episode", "kind", "peak", *[self.labels[k] for k in keys]]:
            t.add_column(c, justify="left" if c in ("episode", "kind") else "right")
        for name, r in lt.iterrows():
            cells = []
            for k in keys:
                if not r.get(f"{k}_covered"):
                    cells.append("n/a")
                elif pd.isna(r.get(f"{k}_lead")):
                    cells.append("missed")
                else:
                    cells.append(f"{r[f'{k}_lead']:+.0f} ({pd.Timestamp(r[f'{k}_first']).date()})")
            t.add_row(str(name), str(r["kind"]), str(pd.Timestamp(r["peak"]).date()), *cells)
        s = Table(title="scores")
        for c in ("signal", "hit rate", "by chance", "days on", "median lead",
                  "false alarms/yr", "AUROC 5", "AUROC 20", "AUROC 20 (common days)"):
            s.add_column(c, justify="left" if c == "signal" else "right")
        for k, r in self.card.summary.iterrows():
            s.add_row(str(r["label"]), f"{_pct(r['hit_rate'])} of {int(r['covered'])}"
                      f"{_ci(r['hit_rate_lo'], r['hit_rate_hi'], _pct)}",
                      _pct(r["hit_rate_chance"]), _pct(r["on_share"]),
                      _days(r["median_lead_bdays"]),
                      _num(r["false_alarms_per_year"]) if pd.notna(r["false_alarms_per_year"])
                      else f"{int(r['false_alarms'])} in {float(r['calm_years']):.2f}y",
                      _num(r["auroc_5"]),
                      _num(r["auroc_20"]), f"{_num(r['auroc_common_20'])}"
                      f"{_ci(r['auroc_common_20_lo'], r['auroc_common_20_hi'])}")
            del k
        return Group(*self._summary_lines(), t, s)

    def plot(self, kind: str | None = None) -> Any:
        """Plotly figure: ``"timeline"`` (default), ``"leads"`` or ``"scores"``."""
        from spillwatch.plotting import backtest as figs

        kinds = {"timeline": figs.timeline, "leads": figs.leads, "scores": figs.scores}
        key = kind or "timeline"
        if key not in kinds:
            raise ConfigError(f"unknown plot kind {key!r}; choose one of: "
                              f"{', '.join(repr(k) for k in kinds)}")
        return kinds[key](self.figure_data(), simulated=self.simulated)

    def open_episodes(self) -> pd.Series:
        """Whether each episode's window is still open on the replay's last day, by name.

        The window is its peak plus the scoring's days after it; while it is open the peak is
        not known (an ``--as-of`` report of 2020-03-16 marked that day as the COVID episode's
        peak).
        """
        eps = self.episodes.frame()
        last = pd.Timestamp(self.replay.dates[-1])
        ends = [pd.Timestamp(np.busday_offset(np.datetime64(pd.Timestamp(p).date(), "D"),
                                              self.card.spec.post, roll="forward"))
                for p in eps["peak"]]
        return pd.Series([e > last for e in ends], index=pd.Index(eps["name"]), dtype=bool)

    def figure_data(self) -> dict[str, Any]:
        """Plain data the figures draw (the plotting layer cannot import alerts).

        An episode still open on the replay's last day is drawn up to that day, without its
        peak (:meth:`open_episodes`).
        """
        rec = self.replay.record
        on = {s.key: pd.Series(s.on, index=self.replay.dates) for s in self.signals}
        eps = self.episodes.frame().copy()
        still = self.open_episodes().to_numpy()
        last = pd.Timestamp(self.replay.dates[-1])
        eps["open"] = still
        eps.loc[still, "peak"] = [min(pd.Timestamp(p), last) for p in eps.loc[still, "peak"]]
        return {"record": rec, "on": on, "labels": self.labels,
                "kinds": {s.key: s.kind for s in self.signals},
                "headline": self.headline, "comparators": self.comparator_keys,
                "episodes": eps, "lead_table": self.lead_table(),
                "summary": self.card.summary}


def _pct(v: Any) -> str:
    return "n/a" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{100 * v:.0f}%"


def _days(v: Any) -> str:
    return "n/a" if v is None or (isinstance(v, float) and math.isnan(v)) else signed_days(v)


def _ci(lo: Any, hi: Any, fmt: Callable[[Any], str] | None = None) -> str:
    """`` [0.63, 0.78]``: a 95% interval as printed after its figure ('' when undefined)."""
    if lo is None or hi is None or pd.isna(lo) or pd.isna(hi):
        return ""
    f = fmt or (lambda v: f"{v:.2f}")
    return f" [{f(lo)}, {f(hi)}]"


def _signed(v: Any) -> str:
    """An AUROC gap's bound as printed: ``+0.013``."""
    return f"{v:+.3f}"


def _pair(lo: Any, hi: Any) -> list[float] | None:
    """An interval for JSON: ``[lo, hi]``, or None when undefined (as a median lead's)."""
    return None if pd.isna(lo) or pd.isna(hi) else [float(lo), float(hi)]


def _num(v: Any, fmt: str = "{:.2f}") -> str:
    if v is None or (isinstance(v, float | np.floating) and math.isnan(v)):
        return "n/a"
    return fmt.format(v)


def _false_alarms(r: Any) -> str:
    """'false alarms 2.98/yr', or the count and the calm time when too short for a rate."""
    if pd.notna(r["false_alarms_per_year"]):
        return f"false alarms {_num(r['false_alarms_per_year'])}/yr"
    return (f"{int(r['false_alarms'])} false alarm(s) in {float(r['calm_years']):.2f} calm "
            "years (too little calm time for a yearly rate)")
