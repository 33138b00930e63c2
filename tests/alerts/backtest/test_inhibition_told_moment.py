"""The replay's ``told`` is the evening the engine first sends a held-back alert.

The replay's days sample each alert's state at their end; the engine decides an inhibition on
each evaluation. Two firings the replay said were never told the engine told:

* the inhibited rule kept firing two days (``keep_firing_for = "2d"``), its -8% day a Thursday:
  the -8% rule resolves on the Friday evening and the shock, kept until Saturday evening
  (booked resolved on the Friday), is sent that Friday evening;
* the inhibitor with ``for = "12h"``: on the evening of the -8% day it is pending, the shock
  fires and is sent at once; the inhibitor fires in the night.

The engine runs every three hours, weekends included, each time on the last replay day's facts.
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from spillwatch.alerts.backtest._facts import FactColumns
from spillwatch.alerts.backtest._rules import evaluate_rule
from spillwatch.alerts.backtest.replay import _lifecycle
from spillwatch.alerts.engine import Engine
from spillwatch.alerts.facts import Fact, FactSet
from spillwatch.alerts.rules import parse_rules
from spillwatch.data.releases import days
from spillwatch.store import Store
from spillwatch.store.alerts import AlertTables

from .._inhibition import RULES as PAIR

#: The shared pair (``drop`` inhibits ``shock`` on the same asset) with a receiver, each rule
#: taking its own extra lines (DROP, SHOCK).
RULES = """
[defaults]
receivers = ["hook"]

[[receiver]]
name = "hook"
type = "webhook"
url = "http://127.0.0.1:9/never-delivered"
""" + PAIR.replace('labels = { asset = "btc" }', 'labels = { asset = "btc" }\nDROP').replace(
    'equal = ["asset"] }]', 'equal = ["asset"] }]\nSHOCK')

DATES = pd.bdate_range("2025-03-03", periods=6)           # Monday 03-03 to Monday 03-10


def _facts(btc: float, z: float) -> FactSet:
    return FactSet([Fact("btc.chg_1d_pct", btc),
                    Fact("btc.z_1d", z, labels={"asset": "btc", "block": "crypto"})])


def _replay_told(rules, btc, z):
    cols = FactColumns(len(DATES))
    on = np.ones(len(DATES), dtype=bool)
    cols.put("btc.chg_1d_pct", np.array(btc, dtype=float), on)
    cols.put("btc.z_1d", np.array(z, dtype=float), on, {"asset": "btc", "block": "crypto"})
    inst = [i for r in rules.rules for i in evaluate_rule(r, cols)]
    _, frame = _lifecycle(inst, cols, DATES, days(DATES))
    row = frame[frame["rule"] == "shock"].iloc[0]
    return None if pd.isna(row["told"]) else pd.Timestamp(row["told"]).date()


def _engine_told(rules, btc, z):
    with Store() as store:
        engine = Engine(AlertTables(store), rules)
        t = DATES[0].to_pydatetime() + dt.timedelta(hours=18)
        end = DATES[-1].to_pydatetime() + dt.timedelta(days=1, hours=18)
        while t < end:
            i = int(np.searchsorted(DATES, pd.Timestamp(t.date()), side="right")) - 1
            engine.evaluate(_facts(btc[i], z[i]), t)
            t += dt.timedelta(hours=3)
        out = AlertTables(store).frame("alert_outbox").sort_values("created_at")
        for _, r in out.iterrows():
            if any(a["labels"]["rule"] == "shock" and a["status"] == "firing"
                   for a in json.loads(r["payload"])["alerts"]):
                return pd.Timestamp(r["created_at"]).date()
    return None


@pytest.mark.parametrize(("drop", "shock", "day", "told"), [
    ("", 'keep_firing_for = "2d"', 3, dt.date(2025, 3, 7)),    # Thursday: told Friday
    ("", 'keep_firing_for = "2d"', 1, dt.date(2025, 3, 5)),    # Tuesday: told Wednesday
    ('for = "12h"', "", 1, dt.date(2025, 3, 4)),               # told that evening
])
def test_told_is_the_evening_the_engine_sends_it(drop, shock, day, told):
    rules = parse_rules(RULES.replace("DROP", drop).replace("SHOCK", shock))
    btc, z = [-1.0] * len(DATES), [-1.0] * len(DATES)
    btc[day], z[day] = -9.0, -5.0
    assert _engine_told(rules, btc, z) == told
    assert _replay_told(rules, btc, z) == told
