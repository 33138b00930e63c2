"""``stress --out`` writes each sub-index's percentile within its own history.

``stress``, its JSON, the API and the report gave each sub-index's own percentile
(``subindex_percentiles``); the CSV had the sub-indices without them. The columns
``<sub-index>_percentile`` follow the sub-indices, the last published row's equal ``--json``'s,
and none reads a later date's data: the export of a run ending on ``D`` is the full run's up
to ``D``.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from spillwatch.analytics.stress import FRAME_COLUMNS, SUBINDEX_COLUMNS
from spillwatch.cli import app

pytestmark = pytest.mark.slow     # the demo's stress index, twice

COLS = [f"{g}_percentile" for g in SUBINDEX_COLUMNS]


def _export(tmp_path, name, *args):
    out = tmp_path / f"{name}.csv"
    res = CliRunner().invoke(app, ["stress", "--demo", "--out", str(out), "--json", *args])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout), pd.read_csv(out, index_col="date")


def test_the_csv_gives_each_sub_index_s_own_percentile_without_later_data(tmp_path):
    doc, full = _export(tmp_path, "full")
    # the columns follow the sub-indices
    at = list(FRAME_COLUMNS).index(SUBINDEX_COLUMNS[-1]) + 1
    assert list(full.columns) == ["known_on", *FRAME_COLUMNS[:at], *COLS, *FRAME_COLUMNS[at:]]
    # the reading's row is --json's
    day = doc["latest"]["date"]
    pct = doc["latest"]["subindex_percentiles"]
    assert {"rates", "dollar", "equity_vol"} <= {g for g in SUBINDEX_COLUMNS if pct[g] is not None}
    for g in SUBINDEX_COLUMNS:
        got = full.at[day, f"{g}_percentile"]
        if pct[g] is None:
            assert np.isnan(got), g
        else:
            assert got == pytest.approx(pct[g], rel=1e-9) and 0.0 <= got <= 100.0, g
    # a value only where the sub-index has one on a published date
    v = full[COLS].to_numpy()
    sub = full[list(SUBINDEX_COLUMNS)].to_numpy()
    assert not (~np.isnan(v) & (np.isnan(sub) | full[["stress"]].isna().to_numpy())).any()
    assert (~np.isnan(v[:, 0])).sum() > 0.5 * len(v)
    # truncated half way: the same rows up to its end, to the digit
    end = full.index[full["rates_percentile"].notna()][len(full) // 4]
    doc_cut, cut = _export(tmp_path, "cut", "--end", end)
    assert cut.index[-1] == end == doc_cut["latest"]["date"]
    pd.testing.assert_frame_equal(cut[COLS], full.loc[:end, COLS])
    assert cut.at[end, "rates_percentile"] == pytest.approx(
        doc_cut["latest"]["subindex_percentiles"]["rates"], rel=1e-9)
