"""The API's actions beyond the cached views: the panel, scenario runs and the alerts store.

Each capability is reached through its own front door; when its module is not importable the
action raises :class:`~spillwatch.api.views.Unavailable` (HTTP 503 with the reason).
"""

from __future__ import annotations

import functools
import json
import threading
from collections import OrderedDict
from typing import Annotated, Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from spillwatch.analytics._results import jsonable
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
    capability("spillwatch.report.figures.scenario", "the scenario fan chart")
    return schemas.PresetList(presets=[schemas.PresetInfo(name=k, description=v)
                                       for k, v in preset_names().items()])


def fan_figure(result: Any) -> Any:
    """The fan chart of a scenario result (drawn by ``spillwatch.report.figures.scenario``)."""
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

_NAME = r"^[A-Za-z0-9_.:-]{1,64}$"
_DURATION = r"^(\d+[smhdw]){1,4}$"


class RuleIn(BaseModel):
    """An alert rule: ``fact op value`` held for ``for`` (see ``alerts/default_rules.toml``)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: str = Field(pattern=_NAME)
    fact: str = Field(pattern=r"^[a-z0-9_]{1,40}(\.[a-z0-9_]{1,60}){1,3}$",
                      description="Fact name, e.g. 'stress.percentile', 'btc.chg_5d_pct'.")
    op: Literal[">", ">=", "<", "<=", "==", "!="]
    value: float | Annotated[str, Field(pattern=r"^[a-z_]{1,32}$")]
    for_: str = Field(default="0m", alias="for", pattern=_DURATION)
    severity: Literal["info", "warning", "critical"] = "warning"
    summary: str | None = Field(default=None, max_length=300)


class SilenceIn(BaseModel):
    """A silence: alerts of ``rule`` are not delivered for ``duration``."""

    model_config = ConfigDict(extra="forbid")

    rule: str = Field(pattern=_NAME, description="Rule name to silence.")
    duration: str = Field(pattern=_DURATION, description="How long, e.g. '4h', '1d'.")
    comment: str = Field(default="", max_length=300)


class AlertsBackend:
    """Rules, silences and alert states, kept by the alerting engine in the source's store."""

    def __init__(self, source: MarketSource) -> None:
        self.source = source
        self._lock = threading.Lock()

    def _store(self) -> Any:
        mod = capability("spillwatch.alerts.store", "alerting")
        return mod.AlertStore(self.source.store)

    def status(self) -> schemas.ViewStatus:
        """Whether alerting is available."""
        try:
            self._store()
        except Unavailable as exc:
            return schemas.ViewStatus(available=False, reason=exc.reason)
        return schemas.ViewStatus(available=True)

    @staticmethod
    def _dump(key: str, rows: Any) -> bytes:
        return json.dumps({key: jsonable(list(rows))}).encode()

    def alerts(self) -> bytes:
        """Alert states, newest first."""
        return self._dump("alerts", self._store().alerts())

    def rules(self) -> bytes:
        """Alert rules."""
        return self._dump("rules", self._store().rules())

    def silences(self) -> bytes:
        """Silences."""
        return self._dump("silences", self._store().silences())

    def add_rule(self, rule: RuleIn) -> bytes:
        """Add (or replace) a rule."""
        with self._lock:
            item = self._store().add_rule(rule.model_dump(by_alias=True, exclude_none=True))
        return schemas.Created(id=str(rule.name), item=jsonable(item)).model_dump_json().encode()

    def delete_rule(self, rule_id: str) -> bytes:
        """Delete a rule."""
        with self._lock:
            if not self._store().delete_rule(rule_id):
                raise NotFound(f"no rule {rule_id!r}")
        return schemas.Deleted(id=rule_id, deleted=True).model_dump_json().encode()

    def add_silence(self, silence: SilenceIn) -> bytes:
        """Add a silence."""
        with self._lock:
            item = self._store().add_silence(silence.model_dump())
        item = jsonable(item)
        return schemas.Created(id=str(item.get("id", "")), item=item).model_dump_json().encode()

    def delete_silence(self, silence_id: str) -> bytes:
        """End a silence."""
        with self._lock:
            if not self._store().delete_silence(silence_id):
                raise NotFound(f"no silence {silence_id!r}")
        return schemas.Deleted(id=silence_id, deleted=True).model_dump_json().encode()
