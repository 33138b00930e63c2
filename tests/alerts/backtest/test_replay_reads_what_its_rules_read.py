"""The replays behind `alerts test --as-of` and `backtest` read only the fact groups their
rules read.

`alerts test --as-of D --rules stress.toml` computed the evening's facts of the stress group only
(``groups_named``), but the replay that says which alerts were held or pending that evening
(:func:`~spillwatch.alerts.backtest.replay.firing_on`) also replayed the spillover and the
foreign-demand gauge, which no rule of the file reads (about a third of the replay's time on the
real store); so did `backtest --rules stress.toml`. Their firings and record are the full
replay's.
"""

from __future__ import annotations

import pandas as pd
import pytest

from spillwatch.alerts.backtest import backtest
from spillwatch.alerts.backtest.replay import firing_on, replay
from spillwatch.alerts.facts import groups_named
from spillwatch.alerts.rules import parse_rules
from spillwatch.service.workspace import Workspace

RULES = parse_rules("""
[[rule]]
name = "slow_elevated"
fact = "stress.regime"
op = ">="
value = "elevated"
for = "3d"
keep_firing_for = "7d"
""", path="<stress rules>")


@pytest.mark.slow
def test_a_replay_of_stress_rules_leaves_out_spillover_and_demand(lagged_db):
    read = groups_named(RULES.fact_names())
    assert read == {"stress": True, "spillover": False, "demand": False}
    opened = [Workspace(str(lagged_db)) for _ in range(5)]
    full, every_ws, cli, part, card = opened
    try:
        last = full.panel(["ust10y"], transform="levels").index[-1]
        history = replay(full, RULES, start=last - pd.DateOffset(years=2))
        assert len(history.firings)
        # two business days after the last firing began: firing (or held) that evening
        day = pd.Timestamp(history.firings["fired"].iloc[-1]) + pd.offsets.BDay(2)
        every = replay(every_ws, RULES, start=day, end=day)
        assert len(every.firings)
        # the dry run's path: the same replay without the spillover's panel (nor the gauge)
        got = firing_on(cli, RULES, day, {"slow_elevated"})
        assert got and {rule for rule, _ in got} == {"slow_elevated"}
        assert set(cli.builds) < set(every_ws.builds)
        some = replay(part, RULES, start=day, end=day, read=read)
        assert set(part.builds) == set(cli.builds)
        groups = {n.partition(".")[0] for n in every.facts.values}
        assert {"spillover", "demand"} <= groups
        assert not {"spillover", "demand"} & {n.partition(".")[0] for n in some.facts.values}
        # what the rules read is the full replay's
        pd.testing.assert_frame_equal(some.firings, every.firings)
        pd.testing.assert_frame_equal(some.record, every.record)
        # the scorecard's replay too: the same firings as the full one, no spillover panel
        bt = backtest(card, rules=RULES, start=last - pd.DateOffset(years=2))
        pd.testing.assert_frame_equal(bt.replay.firings, history.firings)
        pd.testing.assert_frame_equal(bt.replay.record, history.record)
        only_full = set(every_ws.builds) - set(part.builds)     # the spillover's panel
        assert only_full and not only_full & set(card.builds)
    finally:
        for w in opened:
            w.close()
