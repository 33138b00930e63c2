"""`alerts test --as-of D` says a rule with a `for` of days is pending, as the monitor is."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app

pytestmark = pytest.mark.realdata

RULES = """
[[rule]]
name = "stress_p90_3d"
summary = "stress percentile {stress.percentile:.1f}"
fact = "stress.percentile"
op = ">="
value = 90
for = "3d"
"""


@pytest.mark.slow
def test_a_rule_waiting_out_its_for_reads_pending(real_db, tmp_path):
    """The stress percentile read 89.1 on the evening of 2022-01-19 and 91.8 on 2022-01-20, its
    first evening at 90 or more: the backtest has the rule firing from 2022-01-21 (booked on the
    Friday, its three days passing over the weekend), but `alerts test --as-of 2022-01-20`
    said would_fire "yes" for a rule the monitor was still holding back."""
    rules = tmp_path / "r.toml"
    rules.write_text(RULES)
    bt = CliRunner().invoke(app, ["backtest", "--db", str(real_db), "--rules", str(rules),
                                  "--start", "2022-01-03", "--end", "2022-02-15", "--json"])
    assert bt.exit_code == 0, bt.output
    # and from 2022-02-14 since the yuan's rates held through China's Spring Festival stopped
    # counting as zero moves (the replayed percentile moves by tenths near its 90)
    assert [f["fired"] for f in json.loads(bt.stdout)["firings"]] == ["2022-01-21",
                                                                      "2022-02-14"]
    res = CliRunner().invoke(app, ["alerts", "test", "--db", str(real_db), "--rules",
                                   str(rules), "--as-of", "2022-01-20", "--json"])
    assert res.exit_code == 0, res.output
    row = json.loads(res.stdout)["rows"][0]
    # 91.93 before the yuan's held rates through China's holidays stopped counting as moves
    assert row["value"] == pytest.approx(91.79, abs=0.01)
    assert row["would_fire"] == "pending"
    assert row["summary"].startswith("pending that evening: fires once its conditions have "
                                     "held for 3d (for)")
