"""A day of an H.10 week that is not its last is a fact: the week's extreme 1-day changes."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from spillwatch.cli import app

pytestmark = pytest.mark.realdata

RULES = """
[[rule]]
name = "yen_day"
fact = "usdjpy.chg_1d_pct"
op = "<="
value = -2

[[rule]]
name = "yen_week_day"
fact = "usdjpy.min_chg_1d_pct_5d"
op = "<="
value = -2
"""


@pytest.mark.parametrize(("evening", "day"), [("2024-05-06", "2024-05-02"),
                                              ("2022-12-27", "2022-12-20")])
def test_a_yen_day_inside_a_published_week_is_seen(real_db, shared_data, tmp_path, evening,
                                                   day):
    """The H.10 comes out a week at a time and ``usdjpy.chg_1d_pct`` is its last day only: a
    rule on a 2% fall of USD/JPY never saw the intervention of Thursday 2024-05-02 (−2.46%) or
    the BoJ's band change of 2022-12-20 (−4.23%), each the week's before-last day (3 firings
    since 2019 where the file has 16 such days). ``usdjpy.min_chg_1d_pct_5d``, the lowest
    1-day change of the last five observations, is the published week read whole."""
    raw = pd.read_csv(shared_data / "fred" / "DEXJPUS.csv", parse_dates=["date"])
    col = next(c for c in raw.columns if c != "date")
    s = pd.to_numeric(raw.set_index("date")[col], errors="coerce").dropna()
    move = 100.0 * (s / s.shift(1) - 1.0)
    assert move.loc[day] <= -2.0                      # the day itself, from the raw file
    rules = tmp_path / "r.toml"
    rules.write_text(RULES)
    res = CliRunner().invoke(app, ["alerts", "test", "--rules", str(rules), "--db",
                                   str(real_db), "--as-of", evening, "--json"])
    assert res.exit_code == 0, res.output
    rows = {r["rule"]: r for r in json.loads(res.stdout[res.stdout.index("{"):])["rows"]}
    assert rows["yen_day"]["would_fire"] == "no"       # the week's last day only
    assert rows["yen_week_day"]["would_fire"] == "yes"
    assert rows["yen_week_day"]["value"] == pytest.approx(move.loc[day], abs=1e-9)
