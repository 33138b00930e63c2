"""The headline's "Missing inputs" line says when the store holds an input from later on (h_ep15).

Replayed on a past evening (`run --as-of 2019-07-15` on ../shared/data) the headline read
"Missing inputs: crypto (trump) (none in store … as published by 2019-07-15)", as if a feed had
gaps, while its scenario line said of the same token "(the store's figures of it begin later:
trump 2025-01-19)". On the demo market TRUMP's figures begin 2025-01-20.
"""

from __future__ import annotations

import datetime as dt

import pytest

from _evening import evening
from spillwatch.data.source import open_source
from spillwatch.service import summary

pytestmark = pytest.mark.slow     # a demo store written, and its headline read on one evening


def test_missing_inputs_name_what_begins_later(tmp_path):
    db = tmp_path / "demo.duckdb"
    open_source("demo", db=db).close()
    day = dt.date(2024, 6, 3)
    with evening(db, day) as then:
        problems = summary.headline(then, today=day, scenarios=False).problems
    (line,) = [p for p in problems if p.startswith("Missing inputs: ")]
    assert "; crypto (trump); " in line    # the demo has no yuan, MOVE, credit or TIC
    assert line.endswith("as published by 2024-06-03; the store's figures of it begin later: "
                         "trump 2025-01-20).")
