"""The same closes under an own series' id give the same changes as the named coin (h_meta1).

TRUMP's closes imported as ``csv:MYTRUMP`` (``--positive``) read +18.1% on 2025-01-21 (MLK Day's
36.50 to Tuesday's 43.76) beside the 10-year's change from Friday 01-17: a series off the
standard calendar is summed onto it, and its first sum ran from its first close. ``trump``
itself, sampled on the calendar, has its first change on 01-22 (43.76 -> 36.86), so the same
prices gave 240 changes against 239 and another VaR (FHS 10.95 against 11.60 at the end of
2025)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from _cut_store import cut_files
from spillwatch.cli import app
from spillwatch.data.source import open_source
from spillwatch.service import risk
from spillwatch.service.workspace import Workspace

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

FILES = ("fred/DGS10.csv", "crypto/TRUMPUSDT.csv")


@pytest.fixture(scope="module")
def ws(shared_data, tmp_path_factory):
    """The 10-year and TRUMP (named, and again as the user's own series), by the import."""
    tmp = tmp_path_factory.mktemp("own_coin")
    folder = cut_files(shared_data, tmp, FILES, first="2024-11-01", last="2025-03-31")
    db = tmp / "store.duckdb"
    open_source(folder, db=db).close()
    own = tmp / "mytrump.csv"
    own.write_text((folder / "crypto" / "TRUMPUSDT.csv").read_text()
                   .replace("TRUMPUSDT", "mine", 1))
    res = CliRunner().invoke(app, ["import", str(own), "--db", str(db), "--map",
                                   "mine=csv:MYTRUMP", "--positive"])
    assert res.exit_code == 0, res.output
    w = Workspace(open_source(db, read_only=True))
    yield w
    w.close()


def test_an_own_coin_s_first_change_spans_the_calendar_s_day_as_the_named_coin_s(ws):
    panel = risk.risk_panel(ws, assets=("trump", "csv:MYTRUMP"))
    named, own = panel["trump_pct"], panel["csv_mytrump_pct"]
    # the named coin's first change: Tuesday 01-21's close 43.76 to Wednesday's 36.86
    first = named.first_valid_index()
    assert first == pd.Timestamp("2025-01-22")
    assert named[first] == pytest.approx(100.0 * math.log(36.86 / 43.76), rel=1e-9)
    # no change of the own series on 01-21 (MLK Day's close to Tuesday's, +18.1%)
    assert own.first_valid_index() == first
    np.testing.assert_array_equal(own.isna().to_numpy(), named.isna().to_numpy())
    np.testing.assert_allclose(own.dropna().to_numpy(), named.dropna().to_numpy(), rtol=1e-12)
