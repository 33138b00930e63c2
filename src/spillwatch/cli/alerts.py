"""Alert commands: ``monitor`` (the loop) and ``alerts list | silence | test | facts | rules``."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from spillwatch.cli._common import (
    DataOpt,
    DbOpt,
    DemoOpt,
    JsonOpt,
    RulesOpt,
    command,
    console,
    emit,
    err,
    note_simulated,
    utc_instants,
)
from spillwatch.exceptions import ConfigError, SpillwatchError

if TYPE_CHECKING:
    import pandas as pd

#: Columns of the alert tables stored as JSON text.
JSON_COLUMNS = frozenset({"labels", "values", "matchers", "fingerprints", "payload"})


class _Rows:
    def __init__(self, frame: pd.DataFrame, title: str, extra: dict[str, Any] | None = None
                 ) -> None:
        self.frame, self.title, self.extra = frame, title, extra or {}

    def to_dict(self) -> dict[str, Any]:
        """The rows for ``--json``: times in UTC with their zone, JSON columns as objects.

        The store keeps naive UTC times: printed bare they read as local time (the API gives
        them their zone); labels, values and matchers are stored as JSON text.
        """
        import pandas as pd

        frame = self.frame.copy()
        for c in frame.columns:
            if pd.api.types.is_datetime64_any_dtype(frame[c]):
                t = frame[c].dt.tz_localize("UTC") if frame[c].dt.tz is None else frame[c]
                frame[c] = [None if pd.isna(v) else v.isoformat() for v in t]
            elif c in JSON_COLUMNS:
                frame[c] = [json.loads(v) if isinstance(v, str) else v for v in frame[c]]
        return {"title": self.title, **self.extra, "rows": frame.to_dict(orient="records")}

    def __rich__(self) -> Table:
        import pandas as pd

        t = Table(title=self.title)
        for c in self.frame.columns:
            t.add_column(str(c), overflow="fold")
        for row in utc_instants(self.frame).itertuples(index=False):
            t.add_row(*["" if (not isinstance(v, list | dict) and pd.isna(v)) else str(v)
                        for v in row])
        return t


def _rules(n: int) -> str:
    """``n`` rules, counted in words ("1 rule", "2 rules": a file of one read "1 rules")."""
    return f"{n} rule" if n == 1 else f"{n} rules"


def _db_path(db: Path | None) -> Path:
    from spillwatch.config import resolve_db_path

    return resolve_db_path(db)


def _admin(db: Path | None, rules: Path | None = None, *, write: bool = False) -> Any:
    from spillwatch.alerts.admin import AlertAdmin
    from spillwatch.store import Store

    path = _db_path(db)
    if not path.exists():
        raise SpillwatchError(f"no store at {path}; give the --db the monitor uses")
    return AlertAdmin(Store(path, read_only=not write), rules)


@contextmanager
def _monitor_source(demo: bool, data: Path | None, db: Path | None) -> Iterator[Any]:
    from spillwatch.alerts.monitor import MonitorLock
    from spillwatch.cli._common import market

    path = _db_path(db) if (db is not None or not (demo or data)) else None
    with MonitorLock(path) if path is not None else nullcontext(), \
            market(demo, data, path) as src:
        yield src, path


def _minute(col: pd.Series) -> pd.Series:
    import pandas as pd

    # stored UTC: printed bare it read as the reader's local time
    return pd.to_datetime(col).dt.strftime("%Y-%m-%d %H:%M UTC").fillna("")


def _num(v: Any, thresholds: tuple[float, ...] = (), refs: tuple[float, ...] = ()) -> str:
    """A value as the rules' summaries print it (``shown``).

    Four significant figures, a level of 10,000 or more whole, and the digits that keep its
    order against a rule's numbers.
    """
    if v is None:
        return ""
    if not isinstance(v, float):
        return str(v)
    from spillwatch.alerts.rules import shown
    return shown(v, thresholds, [r for r in refs if isinstance(r, float)])


def _not_met(rule: Any, e: Any) -> str:
    """'not met: custody.chg_4w_usd_bn = 66.6 (rule: <= -50)' for each condition.

    The threshold as the rule gives it (``threshold_text``; it was cut to four figures: a
    rule's 2433.41 read 2433), the value with the digits that keep its order against it.
    """
    from spillwatch.alerts.rules import threshold_text
    parts = []
    for c in rule.conditions:
        name, ref = c.resolve(e.key or "")
        v = e.values.get(name)
        thresholds, refs = c.against(e.key or "", e.values)
        target = threshold_text(c.value)
        back = e.values.get(ref) if ref else None
        # a fact without a value says so: "stress.signature =  (rule: == 'sell_america')" on
        # every evening before the broad dollar (h_sweep1)
        want = (f"{c.op} {ref} ("
                + ("no value" if back is None else
                   _num(back, (), (v,) if isinstance(v, float) else ())) + ")"
                if ref else f"{c.op} {target}")
        parts.append((f"{name}: no value" if v is None else
                      f"{name} = {_num(v, thresholds, refs)}") + f" (rule: {want})")
    return "not met: " + "; ".join(parts)


def _values(frame: pd.DataFrame) -> pd.Series:
    """Each alert's value as its summary prints it (the engine's text, against its rule).

    Cut to four figures here, without the rule, a value that fired ``custody.level > 2433``
    read 2433 where its summary said 2433.4. A state the engine wrote before it kept the
    text (an older store) prints four figures; a state without a value prints nothing (its
    note says why).
    """
    import pandas as pd

    # an alert without a value (a rule whose facts had none: the store lacks the asset, or
    # its input is stale) is a blank cell, as `alerts facts` prints one: the column read "nan"
    plain = frame["last_value"].map(lambda v: "" if v is None or pd.isna(v) else _num(v))
    if "value_text" not in frame:
        return plain
    return frame["value_text"].where(frame["value_text"].notna() & frame["last_value"].notna(),
                                     plain)


def _human_states(frame: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    labels = frame["labels"].map(json.loads)
    return pd.DataFrame({
        "rule": frame["rule"], "asset": labels.map(lambda d: d.get("asset", "")),
        "severity": labels.map(lambda d: d.get("severity", "")), "state": frame["state"],
        "since": _minute(frame["active_since"]), "value": _values(frame),
        "silenced": frame["silenced"].map(lambda b: "yes" if b else ""),
        # held back by a firing alert of a rule its own names in inhibited_by
        "inhibited_by": (frame["inhibited_by"].where(frame["state"] == "firing").fillna("")
                         if "inhibited_by" in frame else ""),
        "note": frame["note"].fillna("")})


def _human_outbox(frame: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame({
        "key": frame["idempotency_key"], "receiver": frame["receiver"],
        "status": frame["status"], "kind": frame["kind"], "group": frame["group_key"],
        "created": _minute(frame["created_at"]), "attempts": frame["attempts"],
        "next_attempt": _minute(frame["next_attempt_at"]).where(frame["status"] == "pending",
                                                                "")
        .where(frame["waits_for"].isna(), "after " + frame["waits_for"].fillna("")),
        "last_error": frame["last_error"].fillna("")})


def _parse_labels(labels: list[str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in labels or []:
        k, sep, v = item.partition("=")
        if not sep or not k:
            raise ConfigError(f"--label takes NAME=VALUE (e.g. asset=btc), got {item!r}")
        if k.strip() in out:   # a silence matches every label given: one value per name
            raise ConfigError(f"--label {k.strip()} given twice ({out[k.strip()]!r} and "
                              f"{v.strip()!r}); a silence matches one value per label, so "
                              "add one silence per value")
        out[k.strip()] = v.strip()
    return out


def register(app: typer.Typer) -> None:
    """Register ``monitor`` and the ``alerts`` group."""

    @app.command()
    @command
    def monitor(
        every: Annotated[str, typer.Option(help="Cycle interval: 30s, 15m, 1h, ...")] = "15m",
        rules: RulesOpt = None,
        once: Annotated[bool, typer.Option("--once", help="Run one cycle and exit.")] = False,
        max_cycles: Annotated[int | None, typer.Option(help="Stop after N cycles.")] = None,
        no_fetch: Annotated[bool, typer.Option("--no-fetch", help="Do not fetch live data.")]
        = False,
        demo: DemoOpt = False, data: DataOpt = None, db: DbOpt = None,
        json_out: JsonOpt = False,
    ) -> None:
        """Run fetch → analytics → rules → delivery every interval until stopped (SIGTERM).

        The monitor shares the store file: it connects for each step and releases the file
        between them, so `serve`, `report`, `stress`, `alerts list` and `alerts silence` work
        beside it on the same --db (a second monitor on the same store is refused). After a
        crash, restart it: undelivered notifications are retried with their original
        idempotency keys and delivered ones are never sent again.
        """
        from spillwatch.alerts.monitor import default_fetch, run_monitor
        from spillwatch.alerts.notify import build_notifiers
        from spillwatch.alerts.rules import load_rules, rules_reloader
        from spillwatch.alerts.schema import parse_duration

        try:
            interval = parse_duration(every)
        except ConfigError as exc:
            raise ConfigError(f"--every: {exc.message}") from None
        if interval.total_seconds() <= 0:
            raise ConfigError(f"--every must be positive; got {every!r}")
        if max_cycles is not None and max_cycles < 1:
            raise ConfigError(f"--max-cycles must be at least 1; got {max_cycles}")
        if once and max_cycles is not None:
            raise ConfigError("give --once or --max-cycles, not both")
        load_rules(rules)  # a bad rule file fails before the store is opened
        # the log's times in UTC, as the cycle lines and the store's (the machine's local time
        # stood beside them unlabelled: nine hours apart in Tokyo)
        stamp = logging.Formatter("%(asctime)s UTC %(levelname)s %(name)s: %(message)s")
        stamp.converter = time.gmtime
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(stamp)
        logging.basicConfig(level=logging.INFO, handlers=[handler])
        with _monitor_source(demo, data, db) as (src, path):
            # the file's rules + the API's, re-read each cycle (API edits apply at the next)
            reload = rules_reloader(rules, store=src.store)
            ruleset = reload()
            notifiers = build_notifiers(ruleset.receivers,
                                        stream=sys.stderr if json_out else None)
            fetch = None if (demo or data is not None or no_fetch) else default_fetch
            if fetch is None:
                err.print(f"monitor: no fetch ({'--no-fetch' if no_fetch else 'offline source'}"
                          f"); data: {src.label}")
            err.print(f"monitor: {_rules(len(ruleset.rules))} from {ruleset.path}, every {every}"
                      f"; store {path or 'in memory'}; pid {os.getpid()}")

            def show(rep: Any) -> None:
                if json_out:
                    sys.stdout.write(json.dumps(rep.to_dict()) + "\n")
                    sys.stdout.flush()

            n = run_monitor(src.store, rules=reload, notifiers=notifiers, every=interval,
                            fetch=fetch, max_cycles=1 if once else max_cycles, on_cycle=show)
        err.print(f"monitor: stopped cleanly after {n} cycle(s)")

    alerts_app = typer.Typer(help="Alert states, silences, rule checks and test notifications.",
                             no_args_is_help=True)
    app.add_typer(alerts_app, name="alerts")

    @alerts_app.command("list")
    @command
    def list_(
        all_: Annotated[bool, typer.Option("--all", help="Also inactive and resolved alerts.")]
        = False,
        transitions: Annotated[int, typer.Option(help="Show the last N transitions.")] = 0,
        outbox: Annotated[bool, typer.Option(help="Show the outbox (pending first).")] = False,
        silences: Annotated[bool, typer.Option(help="Show silences.")] = False,
        db: DbOpt = None, json_out: JsonOpt = False,
    ) -> None:
        """Alerts that are pending or firing (with --all: every alert), with their values."""
        views = [n for n, on in (("--outbox", outbox), ("--silences", silences),
                                 ("--transitions", bool(transitions))) if on]
        if all_:
            views.append("--all")
        if len(views) > 1:
            raise ConfigError(f"one view at a time: {', '.join(views)} (run the command once "
                              "per view)")
        if transitions < 0:
            raise ConfigError(f"--transitions is a number of transitions >= 1; got {transitions}")
        admin = _admin(db)
        note_simulated(admin.store, json_out)
        if outbox:
            frame, title = admin.outbox(), "outbox"
            if not json_out and not frame.empty:
                frame = _human_outbox(frame)
        elif silences:
            frame, title = admin.silences(active=False), "silences"
        elif transitions:
            frame, title = admin.transitions(transitions), f"last {transitions} transitions"
        else:
            frame = admin.states(every=all_)
            title = "alerts" if all_ else "pending and firing alerts"
            if not json_out and not frame.empty:
                frame = _human_states(frame)
        emit(_Rows(frame, title), json_out)

    @alerts_app.command("silence")
    @command
    def silence(
        rule: Annotated[str | None, typer.Argument(help="Rule name to silence.")] = None,
        label: Annotated[list[str] | None, typer.Option(
            "--label", help="NAME=VALUE label matcher (repeatable), e.g. asset=btc.")] = None,
        for_: Annotated[str, typer.Option("--for", help="How long: 30m, 4h, 2d.")] = "4h",
        comment: Annotated[str, typer.Option(help="Why.")] = "",
        expire: Annotated[str | None, typer.Option(help="End silence ID now instead.")] = None,
        rules: RulesOpt = None, db: DbOpt = None, json_out: JsonOpt = False,
    ) -> None:
        """Silence alerts of a rule (and/or labels) for a while, or end a silence.

        The rule name is checked against the rule file the monitor runs (`--rules`, as given
        to `monitor`) plus the rules added through the API.
        """
        from pydantic import ValidationError

        from spillwatch.alerts.schema import SilenceSpec

        admin = _admin(db, rules, write=True)
        if expire is not None:
            admin.expire_silence(expire)
            if json_out:
                emit({"expired": expire}, json_out)
            else:
                console(False).print(f"silence {expire} ended", highlight=False)
            return
        try:
            spec = SilenceSpec.model_validate({"rule": rule, "matchers": _parse_labels(label),
                                               "duration": for_, "comment": comment})
        except ValidationError as exc:
            err0 = exc.errors()[0]
            loc = [str(x) for x in err0["loc"]]
            # named as the command line takes them: the rule is the argument, a label --label
            # (it said "--rule: ..." and "--matchers.<name>.[key]: ...", options it has not)
            field = loc[0] if loc else ""
            if field == "rule":
                where = f"the rule name {rule!r}"
            elif field == "matchers" and len(loc) > 1:
                part = "name" if "[key]" in loc else "value"
                where = f"--label {loc[1]}=... (its {part})"
            else:
                where = {"duration": "--for", "comment": "--comment"}.get(field, "--label")
            raise ConfigError(f"{where}: "
                              f"{str(err0['msg']).removeprefix('Value error, ')}") from None
        item = admin.add_silence(spec, created_by=os.environ.get("USER", ""))
        if not json_out:
            target = f"{item['rule'] or ''} {item['matchers'] or ''}".strip()
            console(False).print(f"silenced {target} until {item['expires_at']} "
                                 f"(id {item['id']}; end it with --expire {item['id']})",
                                 highlight=False)
            return
        emit(item, json_out)

    @alerts_app.command("test")
    @command
    def test(
        rules: RulesOpt = None,
        send: Annotated[bool, typer.Option(
            "--send", help="Also send a test notification to every receiver, and its "
                           "resolution.")] = False,
        as_of: Annotated[str | None, typer.Option(
            "--as-of", help="Evaluate on the data as published by the evening of this date "
                            "(YYYY-MM-DD): each series from its release day, as the backtest "
                            "replays it (H.10 dollar on Monday, custody on Thursday, TIC ~7 "
                            "weeks late).")]
        = None,
        demo: DemoOpt = False, data: DataOpt = None, db: DbOpt = None,
        json_out: JsonOpt = False,
    ) -> None:
        """Check the rule file, evaluate every rule on the data now (dry run), optionally send."""
        import pandas as pd

        from spillwatch.alerts.backtest.replay import firing_on
        from spillwatch.alerts.facts import compute_facts, groups_named
        from spillwatch.alerts.monitor import system_clock
        from spillwatch.alerts.notify import build_notifiers
        from spillwatch.alerts.outbox import DeliveryError
        from spillwatch.alerts.rules import inhibitor, load_rules
        from spillwatch.alerts.schema import format_duration
        from spillwatch.cli._common import market, parse_date
        from spillwatch.service.workspace import Workspace

        now = system_clock()
        when = parse_date(as_of, "--as-of")
        held: dict[tuple[str, str], str] = {}
        waiting: dict[tuple[str, str], str] | None = None
        with market(demo, data, db, json_out, read_only=True) as src:
            ruleset = load_rules(rules, store=src.store)
            ws = Workspace(src)
            # only the groups the rules read (a file of stress rules waited for the spillover
            # and the foreign-demand gauge on every dry run)
            facts = compute_facts(ws, today=now.date(), as_of=when,
                                  **groups_named(ruleset.fact_names()))
            if when is not None:
                # a rule with a `for` of a day or more is pending on its first evenings: the
                # dry run said "yes" the evening stress.percentile first reached 90 under
                # `for = "3d"`, which the backtest (and the monitor) fired two evenings later
                slow = {r.name for r in ruleset.rules if r.for_ >= dt.timedelta(days=1)}
                kept = {r.name for r in ruleset.rules if r.keep_firing_for > dt.timedelta(0)}
                # one replay of the evening for both (it was run twice)
                firing = (firing_on(ws, ruleset, pd.Timestamp(when), slow | kept)
                          if slow | kept else {})
                held = {k: v for k, v in (firing or {}).items() if k[0] in kept}
                if slow:
                    waiting = (None if firing is None else
                               {k: v for k, v in firing.items() if k[0] in slow})
        rows: list[dict[str, Any]] = []
        told: list[tuple[Any, dict[str, str], dict[str, Any]]] = []
        for r in ruleset.rules:
            for e in r.evaluate(facts):
                # a rule that does not fire gets its conditions and values, not its alert text
                # (a 'fell {x}' summary over a rise reads wrong)
                text = (e.summary if e.active else e.reason if e.active is None
                        else _not_met(r, e))
                fire = {True: "yes", False: "no", None: "n/a"}[e.active]
                if (e.active and waiting is not None and r.for_ >= dt.timedelta(days=1)
                        and (r.name, e.key or "") not in waiting):
                    fire = "pending"
                    text = (f"pending that evening: fires once its conditions have held for "
                            f"{format_duration(r.for_)} (for); {text}")
                since = held.get((r.name, e.key or ""))
                if since is not None and not e.active:
                    # the monitor that evening still fired it: a dip under keep_firing_for
                    # (2025-04-14 read "stress_crisis: no" while the monitor fired it)
                    fire = "held"
                    text = (f"firing that evening, held by keep_firing_for "
                            f"({format_duration(r.keep_firing_for)}); {text}")
                rows.append({"rule": r.name, "asset": e.key or e.labels.get("asset", ""),
                             "would_fire": fire,
                             "value": e.value if json_out else e.value_text,
                             "summary": text})
                told.append((r, e.labels, rows[-1]))
        # a rule inhibited_by another that would fire too is held back, as the monitor holds
        # it (the dry run said "yes" of both the -8% rule and the coin's shock on one move)
        firing_now = [(r.name, labels) for r, labels, row in told
                      if row["would_fire"] in ("yes", "held")]
        for r, labels, row in told:
            by = (inhibitor(r, labels, firing_now)
                  if row["would_fire"] in ("yes", "held") else None)
            if by is not None:
                row["would_fire"] = "inhibited"
                row["summary"] = f"fires, not told: inhibited by {by}; {row['summary']}"
        sent: dict[str, str] = {}
        if send:
            notifiers = build_notifiers(ruleset.receivers,
                                        stream=sys.stderr if json_out else None)
            key = "sw-test-" + uuid.uuid4().hex[:12]
            payload: dict[str, Any] = {
                       "version": "1", "idempotency_key": key, "source": "spillwatch",
                       "status": "firing", "group_key": "rule=test", "common_labels":
                       {"rule": "test"}, "generated_at": now.isoformat() + "Z",
                       "data_as_of": facts.as_of, "simulated": facts.simulated,
                       "alerts": [{"status": "firing", "fingerprint": "test",
                                   "labels": {"rule": "test", "severity": "info"},
                                   "annotations": {"summary": "spillwatch test notification"},
                                   "starts_at": now.isoformat() + "Z", "ends_at": None,
                                   "value": None, "values": {}}]}
            # and at once its resolution, under the same fingerprint and group: a receiver that
            # opens an incident per firing alert (a pager, Alertmanager) kept the test open
            # for good
            done = {**payload, "idempotency_key": key + "-resolved", "status": "resolved",
                    "alerts": [{**payload["alerts"][0], "status": "resolved",
                                "ends_at": now.isoformat() + "Z",
                                "annotations": {"summary": "spillwatch test notification",
                                                "reason": "a test, resolved at once"}}]}
            from spillwatch._results import jsonable

            for name, n in notifiers.items():
                step = "firing"
                try:
                    n.send(jsonable(payload))
                    step = "resolved"
                    n.send(jsonable(done))
                    sent[name] = "ok"
                except DeliveryError as exc:
                    sent[name] = (f"failed: {exc}" if step == "firing" else
                                  f"failed to send the resolution (the firing test went): {exc}")
        extra = {"rules_file": ruleset.path, "data_as_of": facts.as_of,
                 "stress_as_of": facts.stress_as_of, "newest_series": facts.newest,
                 "simulated": facts.simulated, "notes": facts.notes, "sent": sent}
        console(json_out).print(f"{ruleset.path}: {_rules(len(ruleset.rules))} OK; "
                                f"{facts.dates_line()}"
                                f"{' (SIMULATED)' if facts.simulated else ''}")
        for name, status in sent.items():
            console(json_out).print(f"test notification to {name}: {status}")
        emit(_Rows(pd.DataFrame(rows), "rules on the data now (dry run)", extra), json_out)
        if any(v != "ok" for v in sent.values()):
            raise typer.Exit(code=1)

    @alerts_app.command("facts")
    @command
    def facts_cmd(
        patterns: Annotated[list[str] | None, typer.Argument(
            help="Fact names or patterns with * (e.g. 'usdjpy.*', '*.chg_1d_pct', "
                 "'stress.*'); default: every fact.", show_default=False)] = None,
        as_of: Annotated[str | None, typer.Option(
            "--as-of", help="The facts as the monitor read them on the evening of this date "
                            "(YYYY-MM-DD), each series from its release day.")] = None,
        demo: DemoOpt = False, data: DataOpt = None, db: DbOpt = None,
        json_out: JsonOpt = False,
    ) -> None:
        """List the facts a rule can name, with today's value, unit, date and why one is missing.

        A rule file names facts (`ust10y.chg_1d_bp`, `usdjpy.min_chg_1d_pct_5d`,
        `stress.regime`, `demand.stale_inputs`): here is each one a rule can name, or those
        the patterns match.
        """
        import fnmatch

        import pandas as pd

        from spillwatch.alerts.facts import compute_facts, fact_kind, groups_named
        from spillwatch.alerts.monitor import system_clock
        from spillwatch.cli._common import market, parse_date
        from spillwatch.service.workspace import Workspace

        when = parse_date(as_of, "--as-of")
        wanted = patterns or ["*"]
        # only the groups a pattern can name are computed: `facts 'btc.*'` waited for the
        # stress index, the spillover and the foreign-demand gauge (seconds) to list six numbers
        with market(demo, data, db, json_out, read_only=True) as src:
            facts = compute_facts(Workspace(src), today=system_clock().date(), as_of=when,
                                  **groups_named(wanted))
        # a past evening that lacks the asset a pattern names: when the store's figures of it
        # begin, as `alerts test` says (`alerts facts 'btc.*' --as-of 2004-04-02` said only "no
        # fact matches 'btc.*'" of a store whose bitcoin begins on 2018-01-01), and the full
        # list of that evening left them out without a word
        absent = {k: w for k, w in sorted(facts.absent.items())
                  if any(fnmatch.fnmatchcase(k, p.partition(".")[0]) for p in wanted)}
        rows = []
        for name, f in sorted(facts.facts.items()):
            if not any(fnmatch.fnmatchcase(name, p) for p in wanted):
                continue
            kind = fact_kind(name)
            rows.append({"fact": name,
                         "value": f.value if json_out else _num(f.value),
                         "unit": f.unit or kind.unit,
                         "date": None if f.as_of is None else f.as_of.isoformat(),
                         # a date or text: no threshold compares with it ("category"
                         # said it did, and a rule on it was refused)
                         "kind": ("text (summaries, renotify_on, ref)"
                                  if kind.kind == "category" and not kind.levels
                                  else kind.kind if not kind.levels
                                  else f"{kind.kind}: {' < '.join(kind.levels)}"
                                  if kind.kind == "ordered" else
                                  f"{kind.kind}: {', '.join(kind.levels)}"),
                         "note": f.reason or ("stale" if f.stale else "")})
        if not rows:
            why = [f"no data for series {k!r} {w}" for k, w in absent.items()]
            raise ConfigError(f"no fact matches {', '.join(map(repr, wanted))}"
                              + (f" ({'; '.join(why)})" if why else "")
                              + "; `spillwatch alerts facts` lists them all")
        extra = {"data_as_of": facts.as_of, "stress_as_of": facts.stress_as_of,
                 "newest_series": facts.newest, "simulated": facts.simulated,
                 "notes": facts.notes, "absent": absent}
        console(json_out).print(f"{len(rows)} facts; {facts.dates_line()}"
                                f"{' (SIMULATED)' if facts.simulated else ''}")
        if absent:
            console(json_out).print(
                f"not listed (the store's figures of {'them' if len(absent) > 1 else 'it'} "
                f"begin later; --json gives each one's first date): {', '.join(absent)}")
        emit(_Rows(pd.DataFrame(rows), "facts a rule can name", extra), json_out)

    @alerts_app.command("rules")
    @command
    def rules_cmd(rules: RulesOpt = None, json_out: JsonOpt = False) -> None:
        """Print the packaged default rule file, or check --rules FILE.

        With --json: the rules and receivers as parsed.
        """
        if rules is None and not json_out:    # the text alone: no rule language to load
            from spillwatch.alerts._packaged import default_rules_text

            sys.stdout.write(default_rules_text())
            return
        from spillwatch.alerts.rules import load_rules

        if json_out:
            emit(load_rules(rules), json_out)
            return
        rs = load_rules(rules)
        err.print(f"{rs.path}: {_rules(len(rs.rules))}, receivers: {', '.join(rs.receivers)}")
