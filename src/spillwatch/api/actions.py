"""The API's actions beyond the cached views: the panel, scenario runs and the alerts store.

Each capability is reached through its own front door; when its module is not importable the
action raises :class:`~spillwatch.api.views.Unavailable` (HTTP 503 with the reason).
"""

from __future__ import annotations

import functools
import json
import logging
import threading
from collections import OrderedDict
from typing import Annotated, Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from spillwatch._results import jsonable
from spillwatch.api import schemas
from spillwatch.api.views import (
    Unavailable,
    ViewContext,
    Views,
    capability,
    figure_model,
    frame_model,
)
from spillwatch.data.source import MarketSource
from spillwatch.exceptions import SpillwatchError

log = logging.getLogger(__name__)


class NotFound(Exception):
    """The item a request names does not exist (HTTP 404)."""


class UnknownPreset(NotFound):
    """The scenario preset does not exist (HTTP 404)."""


@functools.cache
def plotly_js() -> bytes:
    """plotly.js as bundled with the installed plotly package (served locally, never a CDN)."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs().encode("utf-8")


# -- panel ----------------------------------------------------------------------------------------

def panel_model(frame: pd.DataFrame, transform: str, simulated: bool) -> schemas.PanelOut:
    """The panel as a :class:`~spillwatch.api.schemas.PanelOut`."""
    out = frame.copy()
    out.index = [str(d.date()) for d in out.index]
    return schemas.PanelOut(transform=transform, simulated=simulated, frame=frame_model(out))


def panel_view(ctx: ViewContext, transform: str) -> schemas.PanelOut:
    """The whole panel of ``transform`` (cached per data version)."""
    frame = ctx.report.changes if transform == "changes" else ctx.report.levels
    return panel_model(frame, transform, ctx.simulated)


# -- scenarios ------------------------------------------------------------------------------------

def _scenarios() -> Any:
    return capability("spillwatch.scenarios", "the scenario engine")


def preset_names() -> dict[str, str]:
    """Preset name → its label (what it sells, over how long), sized on the fallback holdings."""
    mod = _scenarios()
    presets = getattr(mod, "PRESETS", None)
    if not presets:
        raise Unavailable("the scenario engine has no presets in this build")
    out: dict[str, str] = {}
    for name in presets:
        try:
            label = mod.preset(name, dict(mod.FALLBACK_HOLDINGS_USD), "fallback").label()
        except Exception:  # a label is a nicety; the preset still runs
            label = name
        out[str(name)] = str(label)
    return out


def presets_view(_ctx: ViewContext) -> schemas.PresetList:
    """The presets the server can run (unavailable while their fan chart cannot be drawn)."""
    capability("spillwatch.plotting.scenario", "the scenario fan chart")
    return schemas.PresetList(presets=[schemas.PresetInfo(name=k, description=v)
                                       for k, v in preset_names().items()])


def fan_figure(result: Any) -> Any:
    """The fan chart of a scenario result (drawn by ``spillwatch.plotting.scenario``)."""
    try:
        return result.plot("fan")
    except ImportError as exc:
        raise Unavailable(f"the scenario figures are not available in this build ({exc})"
                          ) from None


class ScenarioRunner:
    """Run presets on the current panel; keep the last few results (per data version)."""

    def __init__(self, views: Views, *, keep: int = 32) -> None:
        self.views = views
        self.keep = keep
        self._cache: OrderedDict[tuple[str, str, int, int], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def run(self, preset: str, paths: int, seed: int) -> bytes:
        """Run ``preset`` with ``paths`` Monte Carlo paths and ``seed``; return the JSON body."""
        names = preset_names()
        if preset not in names:
            raise UnknownPreset(f"unknown preset {preset!r}; choose one of: "
                                + ", ".join(names))
        ctx = self.views.context()
        key = (ctx.version, preset, paths, seed)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        mod = _scenarios()
        try:
            result = mod.run_preset(preset, self.views.source, paths=paths, seed=seed)
        except SpillwatchError as exc:
            raise Unavailable(f"the scenario could not be run on these data: {exc}") from None
        body = schemas.ScenarioOut(
            preset=preset, paths=paths, seed=seed, result=jsonable(result.to_dict()),
            figure=figure_model(fan_figure(result)),
        ).model_dump_json().encode()
        with self._lock:
            self._cache[key] = body
            while len(self._cache) > self.keep:
                self._cache.popitem(last=False)
        return body


# -- alerts ---------------------------------------------------------------------------------------

_NAME = r"^[A-Za-z0-9_-]{1,64}$"
#: Durations as the rules parser reads them (days, hours, minutes, seconds, in that order).
_DURATION = r"^(\d{1,3}d|\d{1,3}h|\d{1,4}m|\d{1,5}s|\d{1,3}d\d{1,2}h|\d{1,2}h\d{1,2}m)$"


class RuleConflict(Exception):
    """The rule would make the rule set invalid, or clashes with a rule file's rule (HTTP 409)."""


class RuleIn(BaseModel):
    """An alert rule: ``fact op value`` held for ``for`` (see ``alerts/default_rules.toml``)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: str = Field(pattern=_NAME)
    fact: str = Field(pattern=r"^[a-z0-9_]{1,40}\.[a-z0-9_]{1,60}$",
                      description="Fact name, e.g. 'stress.percentile', 'btc.chg_5d_pct'.")
    op: Literal[">", ">=", "<", "<=", "==", "!="]
    value: float | Annotated[str, Field(pattern=r"^[a-z_]{1,32}$")] = Field(
        description="Threshold: a number, or a label such as 'elevated' or 'sell_america'.")
    for_: str = Field(default="0m", alias="for", pattern=_DURATION)
    severity: Literal["info", "warning", "critical"] = "warning"
    summary: str = Field(default="", max_length=300)

    def toml(self) -> str:
        """The rule as a ``[[rule]]`` table of the rules file format."""
        value = json.dumps(self.value) if isinstance(self.value, str) else repr(
            float(self.value))
        return "\n".join([
            "[[rule]]", f"name = {json.dumps(self.name)}", f"fact = {json.dumps(self.fact)}",
            f"op = {json.dumps(self.op)}", f"value = {value}", f"for = {json.dumps(self.for_)}",
            f"severity = {json.dumps(self.severity)}", f"summary = {json.dumps(self.summary)}",
            ""])


class SilenceIn(BaseModel):
    """A silence: alerts of ``rule`` are not delivered for ``duration``."""

    model_config = ConfigDict(extra="forbid")

    rule: str = Field(pattern=_NAME, description="Rule name to silence.")
    duration: str = Field(pattern=_DURATION, description="How long, e.g. '4h', '1d'.")
    comment: str = Field(default="", max_length=300)


def _rule_dict(rule: Any, source: str) -> dict[str, Any]:
    return {"name": rule.name, "conditions": [str(c) for c in rule.conditions],
            "for_seconds": rule.for_.total_seconds(), "severity": rule.severity,
            "summary": rule.summary, "source": source}


class AlertsBackend:
    """Rules, silences and alert states in the source's store, through the alerting engine.

    Rules of the rule file (``$SPILLWATCH_RULES`` or the packaged defaults) are read-only here;
    rules added through the API are validated by the rules parser together with the file's rules
    and kept in the store table ``api_alert_rules``. Silences and alert states live in the
    alerting engine's tables (:class:`spillwatch.store.alerts.AlertTables`).

    Parameters
    ----------
    source : MarketSource
    evaluate : bool
        Evaluate the rules once per data version (the demo market has no monitor running, so
        the server evaluates them itself to fill the alerts list).
    """

    def __init__(self, source: MarketSource, *, evaluate: bool = False) -> None:
        self.source = source
        self.evaluate = evaluate
        self._lock = threading.RLock()
        self._evaluated: str | None = None

    def _mods(self) -> tuple[Any, Any, Any]:
        rules = capability("spillwatch.alerts.rules", "alerting")
        engine = capability("spillwatch.alerts.engine", "alerting")
        tables = capability("spillwatch.store.alerts", "alerting")
        return rules, engine, tables

    def _tables(self) -> Any:
        return self._mods()[2].AlertTables(self.source.store)

    def status(self) -> schemas.ViewStatus:
        """Whether alerting is available."""
        try:
            self._mods()
        except Unavailable as exc:
            return schemas.ViewStatus(available=False, reason=exc.reason)
        return schemas.ViewStatus(available=True)

    # rules -------------------------------------------------------------------------------------
    def _api_rules(self) -> dict[str, str]:
        # the same table the monitor reads through ``alerts.rules.load_rules(store=...)``
        return dict(self._mods()[0].store_rules(self.source.store))

    def _file_text(self) -> tuple[str, str]:
        import os

        rules = self._mods()[0]
        path = os.environ.get(rules.RULES_ENV)
        if path:
            from pathlib import Path

            return Path(path).expanduser().read_text("utf-8"), path
        return rules.default_rules_text(), "<default rules>"

    def ruleset(self, extra: str = "", skip: str | None = None) -> Any:
        """The effective rule set: the file's rules plus the API's (validated together)."""
        rules = self._mods()[0]
        text, path = self._file_text()
        api = [t for n, t in self._api_rules().items() if n != skip]
        return rules.parse_rules("\n".join([text, *api, extra]), path=f"{path} + API rules")

    def rules(self) -> bytes:
        """Every rule, marked ``file`` or ``api``."""
        with self._lock:
            api = set(self._api_rules())
            rs = self.ruleset()
        rows = [_rule_dict(r, "api" if r.name in api else "file") for r in rs.rules]
        return json.dumps({"rules": jsonable(rows)}).encode()

    def add_rule(self, rule: RuleIn) -> bytes:
        """Add a rule (or replace an API rule of the same name)."""
        from spillwatch.exceptions import ConfigError

        with self._lock:
            api = self._api_rules()
            text, _ = self._file_text()
            try:
                file_names = {r.name for r in self._mods()[0].parse_rules(text).rules}
            except ConfigError as exc:
                raise Unavailable(f"the rule file does not parse: {exc}") from None
            if rule.name in file_names:
                raise RuleConflict(f"rule {rule.name!r} is defined in the rule file; pick "
                                   "another name")
            try:
                rs = self.ruleset(extra=rule.toml(), skip=rule.name)
            except ConfigError as exc:
                raise RuleConflict(f"the rules parser refused this rule: {exc}") from None
            with self.source.store.transaction() as con:
                con.execute("INSERT OR REPLACE INTO api_alert_rules VALUES (?, ?, now())",
                            [rule.name, rule.toml()])
            self._evaluated = None
            created = next(r for r in rs.rules if r.name == rule.name)
            log.info("rule %s added through the API (%d API rules)", rule.name, len(api) + 1)
        return schemas.Created(id=rule.name, item=jsonable(_rule_dict(created, "api"))
                               ).model_dump_json().encode()

    def delete_rule(self, rule_id: str) -> bytes:
        """Delete an API rule (the rule file's rules are edited in the file)."""
        with self._lock:
            if rule_id not in self._api_rules():
                raise NotFound(f"no API rule {rule_id!r} (rules of the rule file are changed "
                               "in the file)")
            with self.source.store.transaction() as con:
                con.execute("DELETE FROM api_alert_rules WHERE name = ?", [rule_id])
        return schemas.Deleted(id=rule_id, deleted=True).model_dump_json().encode()

    # silences ----------------------------------------------------------------------------------
    def silences(self) -> bytes:
        """Silences that have not expired."""
        frame = self._tables().frame("alert_silences", where="expires_at > ?",
                                     params=[_utcnow()], order="created_at DESC")
        rows = frame.to_dict(orient="records") if len(frame) else []
        for r in rows:
            r["matchers"] = json.loads(r.get("matchers") or "{}")
        return json.dumps({"silences": jsonable(rows)}).encode()

    def add_silence(self, silence: SilenceIn) -> bytes:
        """Silence a rule for a while."""
        rules, engine, _ = self._mods()
        with self._lock:
            names = {r.name for r in self.ruleset().rules}
            if silence.rule not in names:
                raise NotFound(f"no rule {silence.rule!r}; rules: {', '.join(sorted(names))}")
            sid = engine.add_silence(self._tables(), now=_utcnow(),
                                     duration=rules.parse_duration(silence.duration),
                                     rule=silence.rule, comment=silence.comment,
                                     created_by="api")
        item = {"id": sid, "rule": silence.rule, "duration": silence.duration,
                "comment": silence.comment}
        return schemas.Created(id=sid, item=item).model_dump_json().encode()

    def delete_silence(self, silence_id: str) -> bytes:
        """End a silence now."""
        engine = self._mods()[1]
        with self._lock:
            if not engine.expire_silence(self._tables(), silence_id, now=_utcnow()):
                raise NotFound(f"no silence {silence_id!r}")
        return schemas.Deleted(id=silence_id, deleted=True).model_dump_json().encode()

    # alert states ------------------------------------------------------------------------------
    def _evaluate(self, version: str) -> None:
        if not self.evaluate or self._evaluated == version:
            return
        engine = self._mods()[1]
        facts = capability("spillwatch.alerts.facts", "alerting")
        now = _utcnow()
        fs = facts.compute_facts(self.source.store, today=now.date())
        engine.Engine(self._tables(), self.ruleset()).evaluate(fs, now)
        self._evaluated = version

    def alerts(self, version: str = "") -> bytes:
        """Alert states (pending, firing, resolved), the most recently changed first."""
        with self._lock:
            self._evaluate(version)
            tables = self._tables()
            frame = tables.frame("alert_state", where="state <> 'inactive'",
                                 order="last_eval DESC")
            every = tables.frame("alert_state")
            severity = {r.name: (r.severity, r.summary) for r in self.ruleset().rules}
        last = every["last_eval"].max() if len(every) else None
        rows = frame.to_dict(orient="records") if len(frame) else []
        out = []
        for r in rows:
            sev, summary = severity.get(r["rule"], ("warning", ""))
            out.append({"rule": r["rule"], "state": r["state"], "severity": sev,
                        "labels": json.loads(r.get("labels") or "{}"),
                        "since": r.get("active_since"), "fired_at": r.get("fired_at"),
                        "resolved_at": r.get("resolved_at"), "last_eval": r.get("last_eval"),
                        "value": r.get("last_value"), "note": r.get("note"),
                        "silenced": bool(r.get("silenced")),
                        "summary": r.get("note") or summary})
        return json.dumps({"alerts": jsonable(out), "rules": len(severity),
                           "evaluated_at": jsonable(last) if last is not None and pd.notna(last)
                           else None}).encode()


def _utcnow() -> Any:
    import datetime as dt

    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
