"""Event studies as the product shows them: the shipped events on the standard assets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from spillwatch import universe
from spillwatch.analytics.events import EventStudy, event_study, load_events, short_estimation
from spillwatch.exceptions import ConfigError
from spillwatch.service import defaults
from spillwatch.service._today import today_utc
from spillwatch.service.workspace import Workspace

ASSETS: tuple[str, ...] = ("ust10y", "usd_broad", "spx", "btc", "eth", "trump")
#: Events shown first (figures in the report).
FEATURED: tuple[str, ...] = ("liberation_day_tariffs", "tariff_pause")
BEFORE, AFTER, ESTIMATION = defaults.EVENT_BEFORE, defaults.EVENT_AFTER, defaults.EVENT_ESTIMATION
#: The market model's factors (:data:`spillwatch.analytics.events.DEFAULT_FACTORS`).
FACTOR_ASSETS: tuple[str, ...] = ("spx", "usd_broad")


def events(ws: Workspace, *, file: str | Path | None = None, only: list[str] | None = None,
           assets: tuple[str, ...] | None = None, before: int = BEFORE, after: int = AFTER,
           estimation: int = ESTIMATION) -> Any:
    """Abnormal moves and CARs around the events of ``file`` (default the shipped list)."""
    for name, v in (("--before", before), ("--after", after)):
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise ConfigError(f"{name} is a number of days >= 0; got {v!r}")
    spec = EventStudy()
    if isinstance(estimation, bool) or not isinstance(estimation, int) or \
            estimation < spec.min_estimation:
        raise ConfigError(f"--estimation must be at least {spec.min_estimation} days (the "
                          f"fewest a market model is fitted on); got {estimation!r}")

    cut = _evening(ws)

    def run() -> Any:
        evs = load_events(file)
        keys = tuple(assets or ASSETS)
        named = ws.panel(keys, transform="changes", explicit=assets is not None)
        # the market model's factors come along whatever the assets named (`--assets btc`
        # fell back to a constant-mean model: FTX's BTC CAR -20.4, t -1.8, against -30.1,
        # t -2.9, with the factors)
        extra = tuple(k for k in ws.have(list(FACTOR_ASSETS)) if k not in keys)
        panel = named if not extra else ws.panel(keys + extra, transform="changes",
                                                 explicit=assets is not None)
        res = event_study(panel, events=evs, only=only or None, window=(-before, after),
                          estimation=estimation, series=[str(c) for c in named.columns],
                          as_of=cut)
        if assets is None:   # the default list: an asset the data lack is named, not dropped
            res.absent = {universe.column(k): f"no data in {ws.label}" + (
                f"; {later}" if (later := ws.begins_later([k], advice=False)) else "")
                for k in keys if universe.column(k) not in named.columns}
        return res

    return ws.memo(("events", str(file), tuple(only or ()), assets, before, after, estimation,
                    cut), run)


def _evening(ws: Workspace) -> pd.Timestamp:
    """The evening the study is run on: a vintage's cut, else today (a replay's day).

    A report replayed on 2020-03-16 listed 2025's tariffs among 54 (event, series) pairs that
    "run past the last date": news nobody had on that evening.
    """
    cut = getattr(ws.source, "known_by", None)
    return pd.Timestamp(cut if cut is not None else today_utc()).normalize()


def summary(result: Any) -> dict[str, Any]:
    """CAR and t of each asset for the featured events (the numbers every interface shows)."""
    out: dict[str, Any] = {}
    for e in FEATURED:
        sub = result.car[result.car["event"] == e]
        # the move itself and, for a model fitted on fewer days than asked, the caveat with
        # the drift it carries (TRUMP's Liberation Day read CAR +6.38 where it fell 20.3%:
        # its 43 days after launch drifted -3.00%/day)
        rows = {str(r["series"]): {
            "car": float(r["car"]), "t": float(r["t"]), "raw": float(r["raw_sum"]),
            "estimation_days": int(r["n_est"]),
            **({"note": short_estimation(r, result.spec)}
               if int(r["n_est"]) < result.spec.estimation else {})}
            for _, r in sub.iterrows() if r["car"] == r["car"]}
        if rows:
            out[e] = rows
    return out
