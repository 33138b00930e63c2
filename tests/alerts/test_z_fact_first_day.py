"""``<key>.z_1d`` on the day before its first value and on that day.

TRUMP, listed 2025-01-19, has 60 daily changes by 2025-03-20: 59 before the last, one short of
the 60 the standardised move needs, so the fact is unavailable and says how many it has; on
2025-03-21 (60 before) it has its first value. The tests read 2025-02-15 (26 before), far from
the edge: the message for exactly 59 said "trump's changes before its last were all zero" under
a ``<`` for ``<=``, and nothing pinned the first valued day.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from spillwatch.cli import app


def _fact(real_db, day: str) -> dict:
    res = CliRunner().invoke(app, ["alerts", "facts", "trump.z_1d", "--db", str(real_db),
                                   "--as-of", day, "--json"])
    assert res.exit_code == 0, res.output
    (row,) = json.loads(res.stdout[res.stdout.index("{"):])["rows"]
    return row


@pytest.mark.slow
@pytest.mark.realdata
def test_the_day_before_sixty_prior_changes_says_so_and_the_next_has_its_value(real_db,
                                                                               shared_data):
    raw = pd.read_csv(shared_data / "crypto" / "TRUMPUSDT.csv", parse_dates=["date"])
    r = 100.0 * np.log(raw.set_index("date")["TRUMPUSDT"].astype(float)).diff().dropna()
    assert str(r.index[59].date()) == "2025-03-20" and str(r.index[60].date()) == "2025-03-21"
    # RiskMetrics by hand: start at the mean square of the first 30, then 60 updates
    v = r.to_numpy()
    var = float(np.mean(v[:30] ** 2))
    for x in v[:60]:
        var = 0.94 * var + 0.06 * x * x
    expected = v[60] / np.sqrt(var)

    before = _fact(real_db, "2025-03-20")
    assert before["value"] is None and before["date"] == "2025-03-20"
    assert " ".join(before["note"].split()) == ("trump has 59 changes before its last, needs 60 "
                                               "to read it against their volatility")
    first = _fact(real_db, "2025-03-21")
    assert first["date"] == "2025-03-21" and first["unit"] == "sd"
    assert first["value"] == pytest.approx(expected, abs=1e-9)
