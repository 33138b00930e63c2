"""Labelled stress episodes: a TOML file of dated episodes, validated with pydantic.

The packaged ``episodes.toml`` documents the format and the public source of every date::

    [[episode]]
    name = "lehman_2008"
    title = "Lehman bankruptcy and the global financial crisis"
    trigger = 2008-09-15        # the event that set the episode off
    peak = 2008-11-20           # the peak of stress, by the rule stated in the file
    kind = "credit"             # rates, dollar, equity, credit, crypto or sell_america

Dates may be TOML dates or ``"YYYY-MM-DD"`` strings. An error names ``file:line`` (the line of
the offending key), like the alert-rule loader (:mod:`spillwatch.alerts.rules`).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from spillwatch.alerts.rules import _Locator, toml_error_line
from spillwatch.exceptions import ConfigError

#: Kinds of episode, by the market where the stress started.
KINDS: tuple[str, ...] = ("rates", "dollar", "equity", "credit", "crypto", "sell_america")
EPISODES_FILE = "episodes.toml"


class EpisodeSpec(BaseModel):
    """One ``[[episode]]`` table."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z0-9_]{1,64}$",
                      description="Short id: lower-case letters, digits, underscores.")
    title: str = Field(default="", max_length=200)
    trigger: dt.date
    peak: dt.date
    kind: Literal["rates", "dollar", "equity", "credit", "crypto", "sell_america"]

    @model_validator(mode="after")
    def _ordered(self) -> EpisodeSpec:
        if self.peak < self.trigger:
            raise ValueError(f"peak {self.peak} is before trigger {self.trigger}; the peak of an "
                             "episode comes on or after the event that set it off")
        return self


@dataclass(frozen=True)
class Episode:
    """A dated stress episode.

    Attributes
    ----------
    name, title, kind : str
    trigger, peak : pandas.Timestamp
        The triggering event and the peak of stress.
    line : int
        Line of its table in the file it came from.
    """

    name: str
    title: str
    trigger: pd.Timestamp
    peak: pd.Timestamp
    kind: str
    line: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "kind": self.kind,
                "trigger": self.trigger.date().isoformat(),
                "peak": self.peak.date().isoformat()}


@dataclass(frozen=True)
class EpisodeSet:
    """Episodes in trigger order, and the file they came from."""

    episodes: tuple[Episode, ...]
    path: str = "<default episodes>"

    def __len__(self) -> int:
        return len(self.episodes)

    def __iter__(self) -> Any:
        return iter(self.episodes)

    def frame(self) -> pd.DataFrame:
        """One row per episode: ``name, title, kind, trigger, peak``."""
        return pd.DataFrame([{"name": e.name, "title": e.title, "kind": e.kind,
                              "trigger": e.trigger, "peak": e.peak} for e in self.episodes],
                            columns=["name", "title", "kind", "trigger", "peak"])


def _fail(path: str, line: int, message: str) -> ConfigError:
    return ConfigError(f"{path}:{line}: {message}", path=path, line=line)


def parse_episodes(text: str, *, path: str = "<string>") -> EpisodeSet:
    """Parse episode TOML text.

    Raises
    ------
    ConfigError
        ``"<path>:<line>: <what>"`` for a syntax error, an unknown field, a bad date or kind,
        a peak before its trigger, a duplicate name, or a file without episodes.
    """
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(path, toml_error_line(text, exc), f"not valid TOML: {exc}") from None
    loc = _Locator(text)
    for key in doc:
        if key != "episode":
            raise _fail(path, loc.line(key=key) if key not in {n for _, n in loc.headers}
                        else loc.line(key), f"unknown top-level field {key!r}; an episode "
                        "file holds [[episode]] tables only")
    raw = doc.get("episode", [])
    if not isinstance(raw, list):
        raise _fail(path, loc.line(key="episode"), "'episode' must be an array of tables "
                    "([[episode]])")
    if not raw:
        raise _fail(path, 1, "no [[episode]] table; an episode file needs at least one "
                    "(name, title, trigger, peak, kind)")
    out: list[Episode] = []
    seen: dict[str, int] = {}
    for i, table in enumerate(raw):
        head = loc.line("episode", i)
        if not isinstance(table, dict):
            raise _fail(path, head, f"episode #{i + 1} must be a table")
        what = f"episode {table.get('name', f'#{i + 1}')!r}"
        try:
            spec = EpisodeSpec.model_validate(table)
        except ValidationError as exc:
            err = exc.errors()[0]
            loc_ = [str(x) for x in err["loc"]]
            # the order check (a model validator) has no field: it is the peak's line
            key = loc_[0] if loc_ else ("peak" if "peak" in table else "")
            line = loc.line("episode", i, key) if key else head
            if err["type"] == "extra_forbidden":
                fields = sorted(EpisodeSpec.model_fields)
                msg = f"unknown field {key!r}; valid fields: {', '.join(fields)}"
            elif err["type"] == "literal_error":
                msg = f"kind must be one of {', '.join(KINDS)}; got {err['input']!r}"
            elif err["type"] == "missing":
                msg = f"missing field {key!r} (every episode has name, trigger, peak, kind)"
            elif key in ("trigger", "peak") and err["type"].startswith("date"):
                msg = f"{key} must be a date written YYYY-MM-DD; got {err['input']!r}"
            elif not loc_:
                msg = str(err["msg"]).removeprefix("Value error, ")
            else:
                msg = (f"{key + ': ' if key else ''}"
                       + str(err["msg"]).removeprefix("Value error, "))
            raise _fail(path, line, f"{what}: {msg}") from None
        if spec.name in seen:
            raise _fail(path, loc.line("episode", i, "name"), f"duplicate episode name "
                        f"{spec.name!r} (first at line {seen[spec.name]})")
        seen[spec.name] = head
        out.append(Episode(spec.name, spec.title, pd.Timestamp(spec.trigger),
                           pd.Timestamp(spec.peak), spec.kind, head))
    out.sort(key=lambda e: (e.trigger, e.peak, e.name))
    return EpisodeSet(tuple(out), path)


def default_episodes_text() -> str:
    """The packaged episode file."""
    return resources.files("spillwatch.alerts.backtest").joinpath(EPISODES_FILE).read_text(
        "utf-8")


def load_episodes(path: str | Path | None = None) -> EpisodeSet:
    """Load an episode file (default: the packaged one).

    Raises
    ------
    ConfigError
        No file at ``path``, or an invalid file (with ``file:line``).
    """
    if path is None:
        return parse_episodes(default_episodes_text(), path="<default episodes>")
    p = Path(path).expanduser()
    if not p.is_file():
        raise ConfigError(f"no episode file at {p}; start from the packaged one "
                          "(spillwatch/alerts/backtest/episodes.toml) or drop --episodes",
                          path=str(p))
    return parse_episodes(p.read_text("utf-8"), path=str(p))
