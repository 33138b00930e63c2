"""Rule and silence administration: the one core module the CLI and the API both call.

Rules of the rule file (``--rules``, ``$SPILLWATCH_RULES`` or the packaged defaults) are
read-only here; rules added through the API are validated by the rules parser together with the
file's rules and kept in the store table ``api_alert_rules`` (the monitor reads them too, see
:func:`spillwatch.alerts.rules.load_rules`). Silences and alert states live in the alerting
engine's tables (:class:`spillwatch.store.alerts.AlertTables`). Every method opens the store for
its own short transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from spillwatch.alerts.engine import Engine, add_silence, expire_silence, silenced
from spillwatch.alerts.rules import (
    STORE_RULES_DDL,
    RuleSet,
    parse_rules,
    read_rule_file,
    store_rules,
)
from spillwatch.alerts.schema import RuleSpec, SilenceSpec, format_duration
from spillwatch.exceptions import ConfigError
from spillwatch.store import Store
from spillwatch.store.alerts import AlertTables

if TYPE_CHECKING:  # facts load the analytics; the lifecycle only reads a FactSet
    from spillwatch.alerts.facts import FactSet



def _odd_values(matchers: dict[str, str], rules: tuple[Any, ...]) -> str | None:
    """Why a matcher's value matches no alert of ``rules`` (None when each can match).

    ``rule`` and ``severity`` take the rules' own; ``asset`` a watch-list key or a series id
    of the user's (``csv:MYFUND``: it may be imported later). Other labels are the rules' own
    labels, whose values are theirs.
    """
    from spillwatch import universe

    known: dict[str, set[str]] = {
        "rule": {r.name for r in rules}, "severity": {r.severity for r in rules}}
    for r in rules:
        for k, v in r.labels.items():
            known.setdefault(k, set()).add(str(v))
    for k, v in matchers.items():
        if k == "asset":
            # a rule of one series may set its own ``asset`` label (labels = {asset = "book"}):
            # its alerts carry that value
            if v not in universe.ASSETS and ":" not in v and v not in known.get("asset", ()):
                return (f"label asset={v!r}: no such asset; an alert's asset is a watch-list "
                        f"key ({', '.join(sorted(universe.ASSETS))}) or a series id of yours "
                        "('csv:MYFUND')")
        elif k in known and v not in known[k]:
            return (f"label {k}={v!r}: no alert carries it; the rules' values: "
                    f"{', '.join(sorted(known[k]))}")
    return None

class NotFound(ConfigError):
    """The rule, silence or alert a request names does not exist."""


class RuleConflict(ConfigError):
    """The rule would make the rule set invalid, or its name belongs to the rule file."""


def utcnow() -> dt.datetime:
    """The current UTC time (naive, like the store's timestamps)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _rule_dict(rule: Any, source: str) -> dict[str, Any]:
    return {**rule.to_dict(), "source": source}


def _text(v: Any) -> str:
    return v if isinstance(v, str) else ""


class AlertAdmin:
    """Rules, silences and alert states of one store.

    Parameters
    ----------
    store : Store
    rules_path : path, optional
        The rule file (default ``$SPILLWATCH_RULES``, else the packaged rules).
    """

    def __init__(self, store: Store, rules_path: str | Path | None = None) -> None:
        self.store = store
        self.rules_path = rules_path
        self._lock = threading.RLock()

    # -- rules ----------------------------------------------------------------------------------
    def _file_text(self) -> tuple[str, str]:
        # the monitor's own reader: a byte-order mark (editors write one) was "not valid TOML"
        # here while the monitor ran the file, so its rules could not be silenced
        return read_rule_file(self.rules_path)

    def api_rules(self) -> dict[str, str]:
        """Rules added through the API: TOML text by name."""
        return store_rules(self.store)

    def ruleset(self, extra: str = "", skip: str | None = None) -> RuleSet:
        """The effective rule set: the file's rules plus the API's (validated together)."""
        text, path = self._file_text()
        api = [t for n, t in self.api_rules().items() if n != skip]
        label = f"{path} + API rules" if api or extra else path
        return parse_rules("\n".join([text, *api, extra]), path=label)

    def rules(self) -> list[dict[str, Any]]:
        """Every rule, marked ``file`` or ``api``."""
        with self._lock:
            api = set(self.api_rules())
            rs = self.ruleset()
        return [_rule_dict(r, "api" if r.name in api else "file") for r in rs.rules]

    def add_rule(self, spec: RuleSpec) -> dict[str, Any]:
        """Add a rule, or replace the API rule of the same name (``replaced`` says which).

        Raises
        ------
        RuleConflict
            The rule is incomplete (:meth:`RuleSpec.check`), its name is a rule file's rule,
            or the rules parser refuses it.
        """
        try:
            spec.check()
        except ValueError as exc:
            raise RuleConflict(f"rule {spec.name!r}: {exc}") from None
        with self._lock:
            text, _ = self._file_text()
            if spec.name in {r.name for r in parse_rules(text).rules}:
                raise RuleConflict(f"rule {spec.name!r} is defined in the rule file; pick "
                                   "another name")
            try:
                rs = self.ruleset(extra=spec.toml(), skip=spec.name)
            except ConfigError as exc:
                raise RuleConflict(f"the rules parser refused this rule: {exc.message}"
                                   ) from None
            created = next((r for r in rs.rules if r.name == spec.name), None)
            replaced = spec.name in self.api_rules()
            with self.store.transaction() as con:
                con.execute(STORE_RULES_DDL)
                con.execute("INSERT OR REPLACE INTO api_alert_rules VALUES (?, ?, ?)",
                            [spec.name, spec.toml(), utcnow()])
        if created is None:  # a disabled rule is kept but not evaluated
            return {"name": spec.name, "conditions": [], "for_seconds": 0.0,
                    "severity": spec.severity or "", "summary": spec.summary, "source": "api",
                    "enabled": False, "replaced": replaced}
        return {**_rule_dict(created, "api"), "enabled": True, "replaced": replaced}

    def delete_rule(self, name: str) -> None:
        """Delete an API rule (the rule file's rules are edited in the file).

        Raises
        ------
        RuleConflict
            Another rule names it in ``inhibited_by``: the rules left would not parse (the
            monitor and the server could no longer load them).
        """
        with self._lock:
            if name not in self.api_rules():
                raise NotFound(f"no API rule {name!r} (rules of the rule file are changed in "
                               "the file)")
            held = [r.name for r in self.ruleset().rules
                    if any(x.rule == name for x in r.inhibited_by)]
            if held:
                raise RuleConflict(f"rule {name!r} is named in inhibited_by of "
                                   f"{', '.join(map(repr, held))}: edit or delete "
                                   f"{'that rule' if len(held) == 1 else 'those rules'} first")
            with self.store.transaction() as con:
                con.execute("DELETE FROM api_alert_rules WHERE name = ?", [name])

    # -- silences -------------------------------------------------------------------------------
    def silences(self, *, now: dt.datetime | None = None, active: bool = True) -> pd.DataFrame:
        """Silences (those not expired at ``now`` unless ``active=False``), newest first.

        ``state`` says which are ``active`` and which ``ended`` (the list of every silence
        mixed both without a word).
        """
        tables = AlertTables(self.store)
        at = now or utcnow()
        if not active:
            frame = tables.frame("alert_silences", order="created_at DESC")
        else:
            frame = tables.frame("alert_silences", where="expires_at > ?", params=[at],
                                 order="created_at DESC")
        ends = pd.to_datetime(frame["expires_at"]) if len(frame) else pd.Series(dtype=object)
        frame.insert(1, "state", np.where(ends > pd.Timestamp(at), "active", "ended")
                     if len(frame) else pd.Series(dtype=object))
        return frame

    def add_silence(self, spec: SilenceSpec, *, now: dt.datetime | None = None,
                    created_by: str = "") -> dict[str, Any]:
        """Silence a rule and/or label matchers for ``spec.duration``.

        Raises
        ------
        ConfigError
            Neither a rule nor a matcher (a silence matching everything is refused).
        NotFound
            The rule does not exist.
        """
        if spec.rule is None and not spec.matchers:
            raise ConfigError("name a rule or give label matchers (e.g. asset=btc); a silence "
                              "matching everything is refused")
        if spec.duration <= dt.timedelta(0):
            raise ConfigError("a silence lasts a positive duration, e.g. '4h'")
        now = now or utcnow()
        with self._lock:
            rules = self.ruleset().rules
            if spec.rule is not None:
                names = {r.name for r in rules}
                if spec.rule not in names:
                    raise NotFound(f"no rule {spec.rule!r}; rules: {', '.join(sorted(names))}")
                rules = tuple(r for r in rules if r.name == spec.rule)
            # a matcher no alert can carry silenced nothing while it said it was set (`asset`
            # on a rule of one series, a misspelt `assett`)
            carried = {"fingerprint"}.union(*(r.label_names for r in rules))
            odd = sorted(k for k in spec.matchers if k not in carried)
            if odd:
                whose = f"rule {spec.rule!r}" if spec.rule is not None else "any rule"
                raise ConfigError(f"no alert of {whose} carries the label "
                                  f"{', '.join(map(repr, odd))}; its alerts carry "
                                  f"{', '.join(sorted(carried))}")
            # a value no alert can carry silenced nothing as well (`asset=btcc`, a severity
            # or rule no rule has)
            bad = _odd_values(spec.matchers, rules)
            if bad:
                raise ConfigError(bad)
            sid = "sil-" + uuid.uuid4().hex[:12]
            add_silence(AlertTables(self.store), now=now, duration=spec.duration,
                        rule=spec.rule, matchers=dict(spec.matchers), comment=spec.comment,
                        created_by=created_by, silence_id=sid)
        return {"id": sid, "rule": spec.rule, "matchers": dict(spec.matchers),
                "duration": format_duration(spec.duration), "comment": spec.comment,
                "expires_at": (now + spec.duration).isoformat() + "Z"}

    def expire_silence(self, silence_id: str, *, now: dt.datetime | None = None) -> None:
        """End a silence now."""
        with self._lock:
            now = now or utcnow()
            was = expire_silence(AlertTables(self.store), silence_id, now=now)
            if was is None:
                raise NotFound(f"no silence {silence_id!r}")
            if was <= now:
                raise ConfigError(f"silence {silence_id!r} already ended at "
                                  f"{was:%Y-%m-%d %H:%M:%S} UTC")

    # -- states ---------------------------------------------------------------------------------
    def states(self, *, every: bool = False) -> pd.DataFrame:
        """Alert states: pending and firing (``every``: all), the most recently changed first."""
        tables = AlertTables(self.store)
        where = "" if every else "state IN ('pending', 'firing')"
        frame = tables.frame("alert_state", where=where, order="last_eval DESC, rule")
        if len(frame) and "silenced" in frame.columns:
            # silenced now, as the API says it (the stored flag is of the last evaluation:
            # up to a monitor interval late, and never on a store no monitor runs on)
            frame["silenced"] = self._silenced_now(frame)
        return frame

    def _silenced_now(self, frame: pd.DataFrame) -> list[bool]:
        """Whether each firing alert of ``frame`` is under a silence active now."""
        active = self.silences()
        # a silence of label matchers alone has no rule: NULL, which the frame gives as NaN
        # beside a silence that names one, and NaN matched no rule (`alerts list` and the API
        # said "not silenced" while the monitor held its notifications)
        now_silent = [(r["rule"] if isinstance(r["rule"], str) else None,
                       json.loads(r["matchers"] or "{}"))
                      for r in active.to_dict(orient="records")] if len(active) else []
        return [bool(r["state"] == "firing" and silenced(
                    now_silent, r["fingerprint"], json.loads(r.get("labels") or "{}")))
                for r in frame.to_dict(orient="records")]

    def transitions(self, n: int) -> pd.DataFrame:
        """The last ``n`` state transitions."""
        return AlertTables(self.store).frame("alert_transitions", order="id DESC").head(n)

    def outbox(self) -> pd.DataFrame:
        """Notifications to deliver and delivered: pending first, each part oldest first.

        ``waits_for`` names, for a pending row, the receiver's older pending row it is held
        behind (the deliverer keeps each receiver's order, :meth:`Outbox.deliver_due`): its own
        ``next_attempt_at`` may be past, but it is not tried before that row goes.
        """
        frame = AlertTables(self.store).frame(
            "alert_outbox", order="status = 'pending' DESC, created_at, idempotency_key")
        frame = frame.drop(columns=["payload"], errors="ignore")
        if "receiver" not in frame:
            return frame  # a store no monitor has run on
        head: dict[str, str] = {}
        waits: list[str | None] = []
        for key, receiver, status in zip(frame["idempotency_key"], frame["receiver"],
                                         frame["status"], strict=True):
            first = head.setdefault(receiver, key) if status == "pending" else key
            waits.append(None if first == key else first)
        frame["waits_for"] = pd.Series(waits, index=frame.index, dtype=object)
        return frame

    def alert_docs(self) -> dict[str, Any]:
        """Alert states other than inactive, as JSON-ready dicts (what the API lists)."""
        tables = AlertTables(self.store)
        frame = tables.frame("alert_state", where="state <> 'inactive'", order="last_eval DESC")
        every = tables.frame("alert_state")
        try:
            severity = {r.name: (r.severity, r.summary) for r in self.ruleset().rules}
            rules_error = None
        except ConfigError as exc:
            # a rule file mid-edit that no longer parses: the monitor runs its last good rules
            # and its alerts fire on, but the list of them was a 409 (the dashboard's alerts
            # card read "not available" while they were delivered); each state keeps its own
            # severity label
            severity, rules_error = {}, exc.message
        last = every["last_eval"].max() if len(every) else None
        # silenced now, not as of the last evaluation: a silence set through the API showed
        # "firing" until the monitor's next cycle (never, on a server that evaluates once)
        quiet_now = self._silenced_now(frame) if len(frame) else []
        out = []
        for r, quiet in zip(frame.to_dict(orient="records") if len(frame) else [], quiet_now,
                            strict=True):
            labels = json.loads(r.get("labels") or "{}")
            sev, summary = severity.get(r["rule"], (labels.get("severity", "warning"), ""))
            out.append({"rule": r["rule"], "state": r["state"], "severity": sev,
                        "labels": labels,
                        "since": r.get("active_since"), "fired_at": r.get("fired_at"),
                        "resolved_at": r.get("resolved_at"), "last_eval": r.get("last_eval"),
                        "value": r.get("last_value"),
                        # the value as its summary prints it (`alerts list`'s column)
                        "value_text": _text(r.get("value_text")) or None,
                        "note": r.get("note"),
                        "silenced": quiet,
                        # held back by a firing alert its rule names in inhibited_by (as of
                        # the last evaluation): recorded firing, not delivered
                        "inhibited_by": (_text(r.get("inhibited_by")) or None
                                         if r["state"] == "firing" else None),
                        # the reason it is not evaluated, else the summary as rendered (a
                        # firing alert's own: one kept firing notes since when it is held)
                        "summary": (_text(r.get("summary")) if r["state"] == "firing"
                                    else None) or _text(r.get("note"))
                        or _text(r.get("summary")) or summary})
        return {"alerts": out,
                "rules": (len(severity) if rules_error is None
                          else int(every["rule"].nunique()) if len(every) else 0),
                "evaluated_at": last if last is not None and pd.notna(last) else None,
                "rules_error": rules_error}

    def evaluate(self, facts: FactSet, now: dt.datetime | None = None) -> Any:
        """Evaluate the effective rules on ``facts`` and store the outcome (no delivery)."""
        with self._lock:
            return Engine(AlertTables(self.store), self.ruleset()).evaluate(facts,
                                                                             now or utcnow())
