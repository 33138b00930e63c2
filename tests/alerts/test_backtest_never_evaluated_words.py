"""The never-evaluated note's number agreement, on one rule and on two (h_mut24: with the
real-store test naming eleven rules, reading two as one survived)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from spillwatch.alerts.backtest import never_evaluated
from spillwatch.alerts.backtest.scores import Signal


def _rule(name: str, on: list[float]) -> Signal:
    return Signal(key=f"rule:{name}", label=f"rule {name}", kind="rule",
                  on=np.asarray(on, dtype=float))


def test_one_rule_and_two_rules_are_worded_as_such():
    dates = pd.bdate_range("2025-06-02", periods=3)
    nan = [np.nan] * 3
    sigs = [_rule("a", nan), _rule("b", [0.0, np.nan, 1.0]), _rule("c", nan)]
    assert never_evaluated(sigs, dates) == [
        "rules a, c: never evaluated on the 3 days replayed (none of their facts has a value "
        "on any of them: an input not in the data, or none published by 2025-06-04), so "
        "scored on no episode"]
    assert never_evaluated(sigs[:2], dates) == [
        "rule a: never evaluated on the 3 days replayed (none of its facts has a value on any "
        "of them: an input not in the data, or none published by 2025-06-04), so scored on no "
        "episode"]
    assert never_evaluated(sigs[1:2], dates) == []
