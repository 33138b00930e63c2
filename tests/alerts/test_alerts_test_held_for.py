"""`alerts test --as-of D` reads the hold of a rule with a `for` as the monitor does."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app

pytestmark = pytest.mark.realdata

RULES = """
[defaults]
receivers = ["console"]

[[receiver]]
name = "console"
type = "console"

[[rule]]
name = "slow_elevated"
summary = "stress {stress.regime}"
fact = "stress.regime"
op = ">="
value = "elevated"
for = "10d"
keep_firing_for = "7d"
"""


@pytest.mark.slow
def test_a_hold_after_a_long_for_reads_held(real_db, tmp_path):
    """The replay behind 'held' began the hold's length (plus a week) before the evening: a
    rule that fires only after its conditions held 10 days was pending there and never fired,
    so `alerts test --as-of` read "no" while the backtest (and the monitor) had it firing.
    Here the regime was elevated or worse from 2025-04-01 to 04-30 (a month, longer than any
    fixed lead-in), calm 05-01 to 05-05, elevated 05-06 to 05-08 and calm from 05-09: firing from
    04-10, held a week after 05-09, resolved 05-16. The lead-in now reaches back until every
    timed alert has been reset in it."""
    rules = tmp_path / "r.toml"
    rules.write_text(RULES)
    bt = CliRunner().invoke(app, ["backtest", "--db", str(real_db), "--rules", str(rules),
                                  "--start", "2025-01-02", "--end", "2025-06-30", "--json"])
    assert bt.exit_code == 0, bt.output
    fired = [(f["fired"], f["resolved"]) for f in json.loads(bt.stdout)["firings"]]
    # 2025-03-03..05 read elevated (percentile 80.05 on 03-03) since the yuan's rates held
    # through China's holidays stopped counting as zero moves: ten days of it fire on 03-14
    assert fired == [("2025-03-14", "2025-03-24"), ("2025-04-10", "2025-05-16")]
    for day, want in [("2025-04-28", "yes"), ("2025-05-13", "held"), ("2025-05-15", "held"),
                      ("2025-05-16", "no")]:
        res = CliRunner().invoke(app, ["alerts", "test", "--db", str(real_db), "--rules",
                                       str(rules), "--as-of", day, "--json"])
        assert res.exit_code == 0, res.output
        row = json.loads(res.stdout)["rows"][0]
        assert row["would_fire"] == want, (day, row)
        if want == "held":
            assert row["summary"].startswith("firing that evening, held by keep_firing_for (7d)")
