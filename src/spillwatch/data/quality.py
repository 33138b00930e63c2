"""Quality checks on ingest: points that fail go to quarantine with their reason.

:func:`check` runs on every provider batch before it reaches the store (the CSV importer applies
the same point rules while parsing, see :mod:`spillwatch.data.providers.csvfile`):

* non-finite values;
* values at or below zero in a series whose catalog entry says ``positive`` (prices, FX rates);
  yields, spreads and stress indices may be negative;
* one timestamp twice in a series with different values (all versions quarantined; identical
  repeats are merged).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from spillwatch.data.providers.csvfile import QUARANTINE_COLUMNS, SeriesSpec

if TYPE_CHECKING:
    from spillwatch.store import Store


def _rows(frame: pd.DataFrame, reason: str | list[str], source: str) -> pd.DataFrame:
    return pd.DataFrame({
        "series_id": frame["series_id"].to_numpy(),
        "source": source,
        "line": pd.array([pd.NA] * len(frame), dtype="Int64"),
        "column": frame["series_id"].to_numpy(),
        "raw_date": pd.to_datetime(frame["ts"]).dt.strftime("%Y-%m-%dT%H:%M:%S").to_numpy(),
        "raw_value": frame["value"].astype(str).to_numpy(),
        "reason": reason,
    })


def check(observations: pd.DataFrame, specs: Sequence[SeriesSpec], *, source: str,
          store: Store | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a batch into clean points and quarantined points.

    Parameters
    ----------
    observations : DataFrame
        ``series_id, ts, value``.
    specs : sequence of SeriesSpec
        Catalog entries (their ``positive`` flag decides the sign rule).
    source : str
        Recorded with each quarantined point.
    store : Store, optional
        The store the batch goes to (for checks that need history).

    Returns
    -------
    clean, quarantine : DataFrame, DataFrame
    """
    obs = observations[["series_id", "ts", "value"]].copy()
    obs["ts"] = pd.to_datetime(obs["ts"]).astype("datetime64[us]")
    obs["value"] = pd.to_numeric(obs["value"], errors="coerce").astype("float64")
    positive = {s.series_id for s in specs if s.positive}
    parts: list[pd.DataFrame] = []

    bad = ~np.isfinite(obs["value"].to_numpy())
    if bad.any():
        parts.append(_rows(obs[bad], "non-numeric value", source))
    obs = obs[~bad]

    nonpos = obs["series_id"].isin(positive).to_numpy() & (obs["value"].to_numpy() <= 0)
    if nonpos.any():
        parts.append(_rows(obs[nonpos], [f"non-positive price {v:g}" for v in
                                         obs.loc[nonpos, "value"]], source))
    obs = obs[~nonpos]

    key = ["series_id", "ts"]
    nunique = obs.groupby(key)["value"].transform("nunique")
    conflict = nunique > 1
    if conflict.any():
        parts.append(_rows(obs[conflict], "date twice with different values", source))
    obs = obs[~conflict].drop_duplicates(key)

    quarantine = (pd.concat(parts, ignore_index=True) if parts
                  else pd.DataFrame(columns=QUARANTINE_COLUMNS))
    return obs.reset_index(drop=True), quarantine
