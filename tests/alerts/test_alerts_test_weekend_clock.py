"""`alerts test --as-of` a weekend evening reads the alerts' clocks at that evening, not at
the Friday's: a `for` or `keep_firing_for` that runs out over the weekend has run out."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from spillwatch.alerts.backtest.lifecycle import ACTIVE, INACTIVE, firing_spans
from spillwatch.cli import app

# Wed 2013-06-19, Thu 06-20, Fri 06-21 as days since 1970-01-01
WED, THU, FRI = 15875, 15876, 15877


def test_firing_spans_reads_the_last_day_at_the_evening_given():
    """Active from Thursday under `for = "2d"`: pending on the Friday evening, firing by the
    Saturday evening (the monitor runs on weekends too) and on the Sunday's; the default (the
    next calendar day) is unchanged."""
    active = np.array([INACTIVE, ACTIVE, ACTIVE], dtype=np.int8)
    d = np.array([WED, THU, FRI])
    two = dt.timedelta(days=2)
    assert not firing_spans(active, d, two)[0][-1]
    assert firing_spans(active, d, two, after_last=FRI + 2)[0][-1]     # Saturday's evening
    assert firing_spans(active, d, two, after_last=FRI + 3)[0][-1]     # Sunday's evening
    # a hold of 10 days from Wednesday 06-12 (its first day not met) runs to Saturday 06-22:
    # still firing on the Friday's evening, resolved by the Sunday's
    d = np.array([15867, 15868, 15869, 15870, 15873, 15874, 15875, 15876, 15877])  # 06-11..21
    active = np.array([ACTIVE] + [INACTIVE] * 8, dtype=np.int8)
    ten = dt.timedelta(days=10)
    assert firing_spans(active, d, dt.timedelta(0), ten)[0][-1]
    assert not firing_spans(active, d, dt.timedelta(0), ten, after_last=FRI + 3)[0][-1]


RULES = """
[defaults]
receivers = ["console"]

[[receiver]]
name = "console"
type = "console"

[[rule]]
name = "drop"
summary = "{asset} {value}"
fact = "*.chg_5d_pct"
op = "<="
value = -3
for = "2d"
keep_firing_for = "15d"
"""


@pytest.mark.slow
@pytest.mark.realdata
def test_a_sunday_evening_reads_a_two_day_for_met_since_thursday_as_firing(real_db, tmp_path):
    """Gold's five-day change was -7.27% on Thursday 2013-06-20 and -6.81% on Friday 06-21
    (the first days at or under -3%): under `for = "2d"` the monitor fired it on the Saturday
    evening, the backtest books it on the Friday, but `alerts test --as-of 2013-06-23` (a
    Sunday, read as the Friday's evening) said "pending"."""
    rules = tmp_path / "r.toml"
    rules.write_text(RULES)
    bt = CliRunner().invoke(app, ["backtest", "--db", str(real_db), "--rules", str(rules),
                                  "--start", "2013-06-03", "--end", "2013-06-28", "--json"])
    assert bt.exit_code == 0, bt.output
    gold = [f["fired"] for f in json.loads(bt.stdout)["firings"] if f["key"] == "gold"
            and f["fired"] >= "2013-06-17"]
    assert gold == ["2013-06-21"]
    for day, want in [("2013-06-21", "pending"), ("2013-06-22", "yes"), ("2013-06-23", "yes")]:
        res = CliRunner().invoke(app, ["alerts", "test", "--db", str(real_db), "--rules",
                                       str(rules), "--as-of", day, "--json"])
        assert res.exit_code == 0, res.output
        row = next(r for r in json.loads(res.stdout)["rows"] if r["asset"] == "gold")
        assert row["would_fire"] == want, (day, row)
