"""The API's actions beyond the cached views: the panel, scenario runs and the alerts store.

Scenarios run through the service layer (:mod:`spillwatch.service.scenarios`), alert rules and
silences through :class:`spillwatch.alerts.admin.AlertAdmin` — the same code the CLI calls.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
from collections import OrderedDict

import pandas as pd

from spillwatch._results import jsonable
from spillwatch.alerts.admin import AlertAdmin, NotFound, RuleConflict
from spillwatch.alerts.facts import compute_facts
from spillwatch.alerts.schema import RuleSpec, SilenceSpec
from spillwatch.api import schemas
from spillwatch.api.views import Unavailable, ViewContext, Views, figure_model, frame_model
from spillwatch.data.source import MarketSource
from spillwatch.exceptions import SpillwatchError
from spillwatch.scenarios import FALLBACK_HOLDINGS_USD, PRESETS, preset
from spillwatch.service import scenarios as scenario_service

log = logging.getLogger(__name__)

__all__ = ["AlertsBackend", "NotFound", "RuleConflict", "ScenarioRunner", "UnknownPreset",
           "panel_model", "panel_view", "plotly_js", "presets_view"]


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


def panel_frame(ctx: ViewContext, transform: str) -> pd.DataFrame:
    """The watch-list panel of ``transform`` (built once per data version)."""
    ws = ctx.workspace
    try:
        return ws.panel(transform="levels" if transform == "levels" else "changes")
    except SpillwatchError as exc:
        raise Unavailable(exc.message) from None


def panel_view(ctx: ViewContext, transform: str) -> schemas.PanelOut:
    """The whole panel of ``transform`` (cached per data version)."""
    return panel_model(panel_frame(ctx, transform), transform, ctx.simulated)


# -- scenarios ------------------------------------------------------------------------------------

def preset_names() -> dict[str, str]:
    """Preset name → its label (what it sells, over how long), sized on the fallback holdings."""
    return {str(name): str(preset(name, dict(FALLBACK_HOLDINGS_USD), "fallback").label())
            for name in PRESETS}


def presets_view(_ctx: ViewContext) -> schemas.PresetList:
    """The presets the server can run."""
    return schemas.PresetList(presets=[schemas.PresetInfo(name=k, description=v)
                                       for k, v in preset_names().items()])


class ScenarioRunner:
    """Run presets on the current workspace; keep the last few results (per data version)."""

    def __init__(self, views: Views, *, keep: int = 32) -> None:
        self.views = views
        self.keep = keep
        self._cache: OrderedDict[tuple[str, str, int, int], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def run(self, name: str, paths: int, seed: int) -> bytes:
        """Run preset ``name`` with ``paths`` Monte Carlo paths and ``seed``; the JSON body."""
        if name not in PRESETS:
            raise UnknownPreset(f"unknown preset {name!r}; choose one of: "
                                + ", ".join(PRESETS))
        ctx = self.views.context()
        key = (ctx.version, name, paths, seed)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        ws = ctx.workspace
        try:
            spec = scenario_service.scenario_spec(ws, name=name)
            result = scenario_service.run(ws, spec, paths=paths, seed=seed)
        except SpillwatchError as exc:
            raise Unavailable(f"the scenario could not be run on these data: {exc}") from None
        body = schemas.ScenarioOut(
            preset=name, paths=paths, seed=seed, result=jsonable(result.to_dict()),
            figure=figure_model(result.plot("fan")),
        ).model_dump_json().encode()
        with self._lock:
            self._cache[key] = body
            while len(self._cache) > self.keep:
                self._cache.popitem(last=False)
        return body


# -- alerts ---------------------------------------------------------------------------------------

class AlertsBackend:
    """The API's alert endpoints over :class:`~spillwatch.alerts.admin.AlertAdmin`.

    Parameters
    ----------
    source : MarketSource
    evaluate : bool
        Evaluate the rules once per data version (the demo market has no monitor running, so
        the server evaluates them itself to fill the alerts list).
    """

    def __init__(self, source: MarketSource, *, evaluate: bool = False) -> None:
        self.source = source
        self.admin = AlertAdmin(source.store)
        self.evaluate = evaluate
        self._evaluated: str | None = None
        self._lock = threading.Lock()

    def rules(self) -> bytes:
        """Every rule, marked ``file`` or ``api``."""
        return json.dumps({"rules": jsonable(self.admin.rules())}).encode()

    def add_rule(self, rule: RuleSpec) -> bytes:
        """Add a rule (or replace an API rule of the same name)."""
        item = self.admin.add_rule(rule)
        with self._lock:
            self._evaluated = None
        log.info("rule %s added through the API", rule.name)
        return schemas.Created(id=rule.name, item=jsonable(item)).model_dump_json().encode()

    def delete_rule(self, rule_id: str) -> bytes:
        """Delete an API rule."""
        self.admin.delete_rule(rule_id)
        return schemas.Deleted(id=rule_id, deleted=True).model_dump_json().encode()

    def silences(self) -> bytes:
        """Silences that have not expired."""
        frame = self.admin.silences()
        rows = frame.to_dict(orient="records") if len(frame) else []
        for r in rows:
            r["matchers"] = json.loads(r.get("matchers") or "{}")
        return json.dumps({"silences": jsonable(rows)}).encode()

    def add_silence(self, silence: SilenceSpec) -> bytes:
        """Silence a rule (and/or labels) for a while."""
        item = self.admin.add_silence(silence, created_by="api")
        return schemas.Created(id=item["id"], item=jsonable(item)).model_dump_json().encode()

    def delete_silence(self, silence_id: str) -> bytes:
        """End a silence now."""
        self.admin.expire_silence(silence_id)
        return schemas.Deleted(id=silence_id, deleted=True).model_dump_json().encode()

    def alerts(self, ctx: ViewContext | None = None) -> bytes:
        """Alert states (pending, firing, resolved), the most recently changed first."""
        if self.evaluate and ctx is not None:
            with self._lock:
                if self._evaluated != ctx.version:
                    self.admin.evaluate(compute_facts(ctx.workspace))
                    self._evaluated = ctx.version
        return json.dumps(jsonable(self.admin.alert_docs())).encode()


