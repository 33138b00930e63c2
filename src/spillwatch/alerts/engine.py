"""The alert lifecycle: evaluate rules, move alerts through their states, decide what to notify.

States and transitions follow Prometheus alerting rules and Alertmanager [1]_ [2]_ (and Grafana's
alert states):

* ``inactive`` → ``pending`` when the rule's conditions first hold; → ``firing`` directly when
  the rule's ``for`` is zero;
* ``pending`` → ``firing`` once the conditions have held for ``for``; ``pending`` → ``inactive``
  when they stop holding before that;
* ``firing`` → ``resolved`` when they stop holding, or, with the rule's ``keep_firing_for``
  (Prometheus's field of that name), once they have not held for that long: an alert that fired
  stays firing through a dip below its threshold (a 20-day change hovering at 50 bp fired and
  resolved four times in six weeks of the 2013 taper tantrum), keeping the summary and values of
  the last evaluation on which the conditions held, its ``note`` saying since when they have
  not (a notification sent during the hold carries that note, ``annotations.held``, and the
  evening's own reading, ``annotations.now``); ``resolved`` → ``pending``/``firing`` when they
  hold again.

A rule whose facts are unavailable (an input past its staleness limit, a series gone, an analysis
that cannot be computed) cannot say that its condition holds: a firing alert **resolves** and a
pending one drops, with the reason in ``alert_state.note`` and in the resolved notification's
``annotations.reason`` (as a Prometheus alert resolves when its series goes stale). An alert kept
firing on an input that stopped updating re-sent "firing/critical" with ``n/a`` values for
weeks. The notification keeps the summary of the last evaluation that had values.

Every alert instance has a **fingerprint**: a hash of its rule name and labels (de-duplication,
as in Alertmanager). Alerts are **grouped** by the rule's ``group_by`` labels; a group sends one
notification per receiver when an alert in it starts firing, when one resolves, or when
``repeat_interval`` has passed since the group's last notification was delivered while something
is still firing (a repeat is not queued while the previous one is still undelivered). A firing
alert matched by an unexpired **silence** is left out of notifications, and so is one
**inhibited** by a firing alert of a rule its own names in ``inhibited_by`` with the same
``equal`` labels (Alertmanager's inhibition [2]_): when the inhibiting alert resolves first,
the one it held back is news and is sent.

Everything a cycle decides (states, transitions with their values, group bookkeeping and the new
outbox rows) is written in **one transaction**: a process killed mid-cycle leaves the store as
it was before the cycle, so a restart neither loses nor repeats a decision.

References
----------
.. [1] Prometheus documentation, "Alerting rules" (``for``, pending and firing states).
.. [2] Prometheus Alertmanager documentation, "Configuration" (``group_by``,
   ``repeat_interval``, silences, ``inhibit_rules``) and "Notification template reference"
   (the webhook payload).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import duckdb

from spillwatch._results import jsonable
from spillwatch.alerts.outbox import Outbox
from spillwatch.alerts.rules import Evaluation, Rule, RuleSet, inhibitor
from spillwatch.alerts.schema import format_duration
from spillwatch.exceptions import ConfigError
from spillwatch.store.alerts import AlertTables

if TYPE_CHECKING:  # facts load the analytics; the lifecycle only reads a FactSet
    from spillwatch.alerts.facts import FactSet

log = logging.getLogger(__name__)


def fingerprint(rule: str, labels: dict[str, str]) -> str:
    """Stable id of an alert instance: a hash of its rule name and sorted labels."""
    raw = json.dumps({"rule": rule, "labels": dict(sorted(labels.items()))}, sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def group_key(rule: Rule, labels: dict[str, str]) -> str:
    """The notification group of an alert: its values of the rule's ``group_by`` labels."""
    return ",".join(f"{k}={labels.get(k, '')}" for k in rule.group_by)


def _told(text: str) -> dict[str, str | None]:
    """What a group's receiver was last told fires: fingerprint -> its renotify_on observation.

    (Stores written before ``renotify_on`` hold a list of fingerprints: no observation known.)
    """
    told = json.loads(text)
    return dict.fromkeys(told) if isinstance(told, list) else told


#: Prefix of a fingerprint the receiver was told fires and that fired on under a silence when
#: the group's later notification left it out (its resolution is still owed).
HUSHED = "silenced:"


def _fingerprints(told: dict[str, str | None]) -> set[str]:
    """Every alert a group's receiver was told fires (silenced since or not)."""
    return {fp.removeprefix(HUSHED) for fp in told}


def _to_naive(t: dt.datetime) -> dt.datetime:
    return t.astimezone(dt.UTC).replace(tzinfo=None) if t.tzinfo else t


def _iso(t: dt.datetime | None) -> str | None:
    return None if t is None else t.replace(microsecond=0).isoformat() + "Z"


@dataclass
class Transition:
    """One state change of one alert."""

    fingerprint: str
    rule: str
    labels: dict[str, str]
    from_state: str
    to_state: str
    at: dt.datetime
    value: Any
    values: dict[str, Any]
    reason: str | None = None


@dataclass
class EvaluationReport:
    """What one evaluation did."""

    at: dt.datetime
    evaluations: list[Evaluation] = field(default_factory=list)
    transitions: list[Transition] = field(default_factory=list)
    enqueued: list[str] = field(default_factory=list)
    firing: int = 0
    unavailable: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return jsonable({
            "at": _iso(self.at), "firing": self.firing, "enqueued": self.enqueued,
            "unavailable": self.unavailable,
            "transitions": [{"rule": t.rule, "fingerprint": t.fingerprint, "labels": t.labels,
                             "from": t.from_state, "to": t.to_state, "value": t.value}
                            for t in self.transitions],
            "evaluations": [{"rule": e.rule, "labels": e.labels, "active": e.active,
                             "value": e.value, "summary": e.summary, "reason": e.reason}
                            for e in self.evaluations]})


# -- silences -----------------------------------------------------------------------------------
def add_silence(tables: AlertTables, *, now: dt.datetime, duration: dt.timedelta,
                rule: str | None = None, matchers: dict[str, str] | None = None,
                comment: str = "", created_by: str = "", silence_id: str | None = None) -> str:
    """Store a silence until ``now + duration`` and return its id.

    A silence matches an alert when ``rule`` (if given) is the alert's rule and every matcher
    equals the alert's label (``fingerprint`` matches the alert's fingerprint).
    """
    if rule is None and not matchers:
        raise ConfigError("a silence needs a rule name or at least one label matcher "
                          "(e.g. asset=btc); a silence matching everything is refused")
    if duration <= dt.timedelta(0):
        raise ConfigError(f"a silence needs a positive duration, got {duration}")
    sid = silence_id or "sil-" + uuid.uuid4().hex[:12]
    now = _to_naive(now)
    with tables.transaction() as con:
        con.execute("INSERT INTO alert_silences VALUES (?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (id) DO NOTHING",
                    [sid, rule, json.dumps(matchers or {}, sort_keys=True), now, now + duration,
                     comment, created_by])
    return sid


def expire_silence(tables: AlertTables, silence_id: str, *, now: dt.datetime
                   ) -> dt.datetime | None:
    """End a silence now; return when it was to end (``None``: no such silence)."""
    with tables.transaction() as con:
        rows = con.execute("SELECT expires_at FROM alert_silences WHERE id = ?",
                           [silence_id]).fetchall()
        con.execute("UPDATE alert_silences SET expires_at = least(expires_at, ?) WHERE id = ?",
                    [_to_naive(now), silence_id])
    return rows[0][0] if rows else None


def silenced(silences: list[tuple[str | None, dict[str, str]]], fp: str,
             labels: dict[str, str]) -> bool:
    """Whether an alert (fingerprint ``fp``, ``labels``) matches one of ``silences``."""
    for rule, matchers in silences:
        if rule is not None and labels.get("rule") != rule:
            continue
        if all((fp if k == "fingerprint" else labels.get(k)) == v for k, v in matchers.items()):
            return True
    return False


def _order(st: dict[str, Any]) -> tuple[str, str, str]:
    return st["rule"], st["labels"].get("asset", ""), st["fingerprint"]


# -- the engine ---------------------------------------------------------------------------------
class Engine:
    """Evaluate a :class:`RuleSet` against facts and persist the lifecycle (see module doc).

    Parameters
    ----------
    tables : AlertTables
    rules : RuleSet
    outbox : Outbox, optional
        Where notifications are enqueued (default one on ``tables``).
    """

    def __init__(self, tables: AlertTables, rules: RuleSet, outbox: Outbox | None = None
                 ) -> None:
        self.tables = tables
        self.rules = rules
        self.outbox = outbox or Outbox(tables)
        self._by_name = {r.name: r for r in rules.rules}

    def evaluate(self, facts: FactSet, now: dt.datetime) -> EvaluationReport:
        """Evaluate every rule at ``now`` and store the outcome in one transaction."""
        now = _to_naive(now)
        rep = EvaluationReport(at=now)
        evals: list[tuple[Rule, Evaluation]] = []
        for r in self.rules.rules:
            for e in r.evaluate(facts):
                evals.append((r, e))
                rep.evaluations.append(e)
                if e.active is None:
                    rep.unavailable[e.rule + (f"[{e.key}]" if e.key else "")] = e.reason or ""
        with self.tables.transaction() as con:
            self._apply(con, evals, facts, now, rep)
        return rep

    def _apply(self, con: duckdb.DuckDBPyConnection, evals: list[tuple[Rule, Evaluation]],
               facts: FactSet, now: dt.datetime, rep: EvaluationReport) -> None:
        cols = ["fingerprint", "rule", "labels", "group_key", "state", "active_since",
                "fired_at", "resolved_at", "last_eval", "last_value", "values", "note",
                "silenced", "summary", "cleared_since", "inhibited_by", "value_text"]
        quoted = ", ".join('"' + c + '"' for c in cols)
        rows = con.execute(f"SELECT {quoted} FROM alert_state").fetchall()
        states: dict[str, dict[str, Any]] = {r[0]: dict(zip(cols, r, strict=True)) for r in rows}
        for st in states.values():
            st["labels"] = json.loads(st["labels"])
        silences = [(r[0], json.loads(r[1])) for r in con.execute(
            "SELECT rule, matchers FROM alert_silences WHERE expires_at > ?", [now]).fetchall()]
        seen: set[str] = set()
        summaries: dict[str, str] = {}
        for rule, e in evals:
            fp = fingerprint(rule.name, e.labels)
            seen.add(fp)
            summaries[fp] = e.summary      # (the last summary when the facts are unavailable)
            if fp not in states:
                states[fp] = {"fingerprint": fp, "rule": rule.name, "labels": e.labels,
                              "state": "inactive", "active_since": None, "fired_at": None,
                              "resolved_at": None, "last_value": None, "values": "{}",
                              "note": None, "silenced": False, "summary": None,
                              "cleared_since": None, "value_text": None}
            st = states[fp]
            st["group_key"] = group_key(rule, e.labels)  # follows an edited group_by
            st["last_eval"] = now
            if e.active is None:
                # said once when the reason appears or changes, not every cycle it stands
                log.log(logging.DEBUG if st["note"] == e.reason else logging.INFO,
                        "rule %s%s not evaluated: %s", e.rule,
                        f" [{e.key}]" if e.key else "",
                        # a '*' rule's H.10 instance's reason begins so itself ("not
                        # evaluated: not evaluated: spx.chg_1d_pct and ...")
                        str(e.reason).removeprefix("not evaluated: "))
            st["note"] = e.reason
            if e.active is None:
                # unknown is not "holds": the alert stops, keeping its last summary and values
                summaries[fp] = st["summary"] or e.summary
                self._step(st, rule, False, now, e, rep)
                continue
            if self._kept(st, rule, e.active, now):
                # held by keep_firing_for: the alert goes on saying what made it fire
                summaries[fp] = st["summary"] or e.summary
                st["note"] = (f"conditions not met since {_iso(st['cleared_since'])}; kept "
                              f"firing for {format_duration(rule.keep_firing_for)} "
                              f"(keep_firing_for)")
                # ... and a repeat sent during the hold says so, with the evening's reading:
                # it re-told "10-year yield +57 bp over 5 business days to 4.48%" for a week
                # as that evening's data, the 10-year back at 4.35% (+9 bp)
                st["_now"] = e.summary
                continue
            fired_text = st["summary"] if st["state"] == "firing" else None
            st["summary"] = e.summary
            st["_news"] = e.news
            st["values"] = json.dumps(jsonable(e.values), sort_keys=True)
            st["last_value"] = e.value if isinstance(e.value, int | float) else None
            st["value_text"] = e.value_text if st["last_value"] is not None else None
            self._step(st, rule, e.active, now, e, rep)
            if st.get("_changed") == ("firing", "resolved") and fired_text:
                # the resolved notice says what fired, and then the reading that ended it:
                # it said "resolved: was TRUMP +5.0% on 2026-12-04" of a -25% crash alert
                summaries[fp] = st["summary"] = fired_text
                st["_now"] = e.summary
        # alerts whose instance vanished (a series left the store, the rule was removed)
        for fp, st in states.items():
            if fp in seen:
                continue
            rule_obj = self._by_name.get(st["rule"])
            if st["state"] in ("pending", "firing"):
                why = "rule removed" if rule_obj is None else "no longer evaluated"
                ev = Evaluation(st["rule"], "", st["labels"], False, None, {}, why)
                if rule_obj is None:      # the resolved notice says why
                    st["note"] = why
                self._step(st, rule_obj, False, now, ev, rep)
        # an alert whose rule is inhibited_by another while that one fires is held back as a
        # silenced one is (recorded firing, not delivered; told when the inhibition ends)
        firing_now = [(st["rule"], st["labels"]) for st in states.values()
                      if st["state"] == "firing"]
        for fp, st in states.items():
            rule_obj = self._by_name.get(st["rule"])
            st["inhibited_by"] = (inhibitor(rule_obj, st["labels"], firing_now)
                                  if st["state"] == "firing" and rule_obj is not None else None)
            st["silenced"] = st["state"] == "firing" and (
                silenced(silences, fp, st["labels"]) or st["inhibited_by"] is not None)
        rep.firing = sum(st["state"] == "firing" for st in states.values())
        for st in states.values():
            if st["state"] != "firing":
                st["cleared_since"] = None
            con.execute(
                f"INSERT OR REPLACE INTO alert_state ({quoted}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [st["fingerprint"], st["rule"], json.dumps(st["labels"], sort_keys=True),
                 st["group_key"], st["state"], st["active_since"], st["fired_at"],
                 st["resolved_at"], st.get("last_eval"), st["last_value"], st["values"],
                 st["note"], st["silenced"], st.get("summary"), st.get("cleared_since"),
                 st.get("inhibited_by"), st.get("value_text")])
        for t in rep.transitions:
            tid = con.execute("SELECT nextval('alert_transition_ids')").fetchall()[0][0]
            con.execute("INSERT INTO alert_transitions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [tid, t.fingerprint, t.rule, json.dumps(t.labels, sort_keys=True),
                         t.from_state, t.to_state, t.at,
                         t.value if isinstance(t.value, int | float) else None,
                         json.dumps(jsonable(t.values), sort_keys=True), t.reason])
        self._notify(con, states, summaries, facts, now, rep)

    @staticmethod
    def _kept(st: dict[str, Any], rule: Rule, active: bool | None, now: dt.datetime) -> bool:
        """Whether a firing alert whose conditions were measured not to hold stays firing.

        It does while they have not held for less than the rule's ``keep_firing_for``
        (counted from the first evaluation on which they did not); conditions that hold again
        clear the count. An unavailable fact (``active`` None) is not held.
        """
        if active or st["state"] != "firing":
            st["cleared_since"] = None
            return False
        if active is None or rule.keep_firing_for <= dt.timedelta(0):
            return False
        if st.get("cleared_since") is None:
            st["cleared_since"] = now
        return now - st["cleared_since"] < rule.keep_firing_for

    def _step(self, st: dict[str, Any], rule: Rule | None, active: bool, now: dt.datetime,
              e: Evaluation, rep: EvaluationReport) -> None:
        old = st["state"]
        new = old
        if active:
            if old in ("inactive", "resolved"):
                st["active_since"] = now
                st["resolved_at"] = None
                new = "firing" if rule is not None and rule.for_ <= dt.timedelta(0) else "pending"
            elif old == "pending" and rule is not None and now - st["active_since"] >= rule.for_:
                new = "firing"
            if new == "firing" and old != "firing":
                st["fired_at"] = now
        else:
            if old == "pending":
                new = "inactive"
                st["active_since"] = None
            elif old == "firing":
                new = "resolved"
                st["resolved_at"] = now
        if new != old:
            st["state"] = new
            st["_changed"] = (old, new)
            rep.transitions.append(Transition(st["fingerprint"], st["rule"], st["labels"], old,
                                              new, now, e.value, dict(e.values), e.reason))
            log.info("alert %s %s: %s -> %s (%s)", st["rule"], st["labels"].get("asset", ""),
                     old, new, e.summary or e.reason or "")

    def _notify(self, con: duckdb.DuckDBPyConnection, states: dict[str, dict[str, Any]],
                summaries: dict[str, str], facts: FactSet, now: dt.datetime,
                rep: EvaluationReport) -> None:
        groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        book = {(r[0], r[1]): (r[2], _told(r[3])) for r in con.execute(
            "SELECT group_key, receiver, last_sent_at, last_firing FROM alert_groups").fetchall()}
        for st in states.values():
            rule = self._by_name.get(st["rule"])
            just_resolved = st.get("_changed", ("", ""))[1] == "resolved"
            if rule is None:
                # the rule was deleted while its alert fired: the receivers that were told it
                # fired are told it resolved (and why), as Alertmanager resolves an alert no
                # rule sends any more; the desk's last word was "firing, critical"
                if just_resolved:
                    for (gk, recv), (_, told) in book.items():
                        if gk == st["group_key"] and st["fingerprint"] in _fingerprints(told):
                            groups[(gk, recv)].append(st)
                continue
            relevant = st["state"] == "firing" or just_resolved
            if not relevant:
                continue
            targets = {(st["group_key"], recv) for recv in rule.receivers}
            if just_resolved:
                # every group and receiver told it fires is owed its resolution, also one the
                # rule no longer routes it to (a receiver dropped from the rule, a changed
                # group_by, while it fired): its last word stayed "firing"
                targets |= {key for key, (_, told) in book.items()
                            if st["fingerprint"] in _fingerprints(told)}
            for target in sorted(targets):
                groups[target].append(st)
        undelivered = set(con.execute("SELECT DISTINCT group_key, receiver FROM alert_outbox "
                                      "WHERE status = 'pending'").fetchall())
        for (gk, recv), members in sorted(groups.items()):
            last_sent, last_firing = book.get((gk, recv), (None, {}))
            firing = sorted((m for m in members if m["state"] == "firing" and not m["silenced"]),
                            key=_order)
            resolved = sorted((m for m in members if m["state"] == "resolved"
                               and m["fingerprint"] in _fingerprints(last_firing)
                               and getattr(self._by_name.get(m["rule"]), "send_resolved",
                                           True)), key=_order)
            # an alert held by keep_firing_for carries no observation of its own (its
            # conditions do not hold): it keeps the one the receiver was told, or a repeat
            # sent during the hold wiped it and the next new observation was not news
            fps = {m["fingerprint"]: m.get("_news") if "_news" in m
                   else last_firing.get(m["fingerprint"]) for m in firing}
            # a rule's renotify_on fact with a new observation (a later weak auction) is news
            # like a new alert; an observation not known on either side is not
            news = any(last_firing.get(fp) is not None and tok is not None
                       and tok != last_firing[fp] for fp, tok in fps.items())
            repeat = min((r.repeat_interval for m in members
                          if (r := self._by_name.get(m["rule"])) is not None),
                         default=dt.timedelta(days=3650))
            # a repeat waits while the group's previous notification is still undelivered
            due = bool(fps.keys() - last_firing.keys()) or news or bool(resolved) or (
                bool(firing) and (gk, recv) not in undelivered
                and (last_sent is None or now - last_sent >= repeat))
            if due:
                key = self.outbox.enqueue(
                    con, group_key=gk, receiver=recv,
                    alerts=[self._alert_doc(m, summaries) for m in firing + resolved],
                    now=now, facts=facts)
                rep.enqueued.append(key)
                last_sent = now
            # what the receiver was last told fires changes only with a notification: a cycle
            # that sent nothing (an alert silenced after it fired) wrote the silenced set over
            # it, and the resolution was then never sent (the desk's last word stayed
            # "firing, critical")
            gone = {m["fingerprint"] for m in members if m["state"] == "resolved"}
            kept = {fp: fps.get(fp) if tok is None else tok
                    for fp, tok in last_firing.items() if fp.removeprefix(HUSHED) not in gone}
            # a notification tells the receiver of the unsilenced alerts; one it was told of
            # before and that still fires under a silence stays told (another alert of the
            # group sent meanwhile dropped it, and its resolution was then never sent)
            # (kept under HUSHED: not part of the notification, so its silence ending is
            # news to the group, as in Alertmanager)
            hushed = {m["fingerprint"] for m in members
                      if m["state"] == "firing" and m["silenced"]}
            # an alert told here that fires on under another routing (its rule's receivers or
            # group_by edited while it fired) is no member of this group: it stays told, or
            # a notification of another alert of the group dropped it and its resolution never
            # came here (the desk's last word on it stayed "firing")
            ours = {m["fingerprint"] for m in members}
            away = {fp: tok for fp, tok in kept.items() if fp.removeprefix(HUSHED) not in ours}
            told = ({**away, **{HUSHED + fp.removeprefix(HUSHED): None for fp in kept
                                if fp.removeprefix(HUSHED) in hushed}, **fps} if due else kept)
            con.execute("INSERT OR REPLACE INTO alert_groups VALUES (?, ?, ?, ?)",
                        [gk, recv, last_sent, json.dumps(told, sort_keys=True)])

    def _alert_doc(self, st: dict[str, Any], summaries: dict[str, str]) -> dict[str, Any]:
        rule = self._by_name.get(st["rule"])          # None: a rule deleted while it fired
        firing = st["state"] == "firing"
        annotations = {"summary": summaries.get(
            st["fingerprint"], rule.summary if rule is not None else (st.get("summary") or ""))}
        if not firing and st.get("note"):
            annotations["reason"] = f"no longer evaluated: {st['note']}"
        if firing and st.get("_now"):
            # held by keep_firing_for: the summary is what made it fire, not the evening's
            annotations["held"] = str(st.get("note") or "")
        if st.get("_now"):
            annotations["now"] = st["_now"]
        return {
            "status": "firing" if firing else "resolved",
            "fingerprint": st["fingerprint"],
            "labels": dict(st["labels"]),
            "annotations": annotations,
            "starts_at": _iso(st["fired_at"]),
            "ends_at": None if firing else _iso(st["resolved_at"]),
            "value": st["last_value"],
            "values": json.loads(st["values"] or "{}"),
        }
