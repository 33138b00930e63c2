"""Edges of the replay's ``inhibited_by``/``told`` that the engine decides (h_mut9).

Each case is checked against the engine itself, evaluated every evening (weekends included) on
the last business day's facts, as in :mod:`.test_inhibition_replay`:

* two inhibitors chained (the second listed fires first, the first takes over the evening it
  resolves): told the evening the later one resolves, not when the first-listed does;
* both inhibitors firing when the alert fires: the rule's first inhibition is named;
* an alert held back up to the replay's last day: never told (not "told on the last day");
* an alert kept firing (``keep_firing_for``) whose fact turns unknown is resolved that day, so an
  inhibitor resolving later never lets it be told.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from spillwatch.alerts.backtest._facts import FactColumns
from spillwatch.alerts.backtest._rules import evaluate_rule
from spillwatch.alerts.backtest.replay import _lifecycle
from spillwatch.alerts.engine import Engine
from spillwatch.alerts.facts import Fact, FactSet
from spillwatch.alerts.rules import parse_rules
from spillwatch.data.releases import days
from spillwatch.store import Store
from spillwatch.store.alerts import AlertTables

RULES_TEXT = """
[[rule]]
name = "drop_a"
fact = "btc.chg_1d_pct"
op = "<="
value = -8
labels = { asset = "btc" }

[[rule]]
name = "drop_b"
fact = "btc.chg_5d_pct"
op = "<="
value = -15
labels = { asset = "btc" }

[[rule]]
name = "shock"
fact = "*.z_1d"
op = "<="
value = -4
match = { block = "crypto" }
inhibited_by = [{ rule = "drop_a", equal = ["asset"] }, { rule = "drop_b", equal = ["asset"] }]
"""
RULES = parse_rules(RULES_TEXT)

DATES = pd.bdate_range("2025-03-03", periods=8)          # Monday 03-03 to Wednesday 03-12
LABELS = {"asset": "btc", "block": "crypto"}


def _both(a: list[float], b: list[float], z: list[float], rules=RULES):
    """The replay's shock row and the engine's (state, inhibited_by) of the shock per evening."""
    n = len(DATES)
    cols = FactColumns(n)
    on = np.ones(n, dtype=bool)
    cols.put("btc.chg_1d_pct", np.array(a, dtype=float), on)
    cols.put("btc.chg_5d_pct", np.array(b, dtype=float), on)
    cols.put("btc.z_1d", np.array(z, dtype=float), on, LABELS)
    inst = [x for r in rules.rules for x in evaluate_rule(r, cols)]
    _, frame = _lifecycle(inst, cols, DATES, days(DATES))
    rows = frame[frame["rule"] == "shock"]
    assert len(rows) == 1, frame
    evenings: dict[pd.Timestamp, tuple[bool, str | None]] = {}
    with Store() as store:
        engine = Engine(AlertTables(store), rules)
        t = DATES[0]
        while t <= DATES[-1]:
            i = int(np.searchsorted(DATES, t, side="right")) - 1
            engine.evaluate(FactSet([Fact("btc.chg_1d_pct", a[i]), Fact("btc.chg_5d_pct", b[i]),
                                     Fact("btc.z_1d", z[i], labels=LABELS)]),
                            t.to_pydatetime() + dt.timedelta(hours=20))
            st = AlertTables(store).frame("alert_state")
            st = st[st["rule"] == "shock"]
            if len(st):
                r = st.iloc[0]
                by = r["inhibited_by"] if isinstance(r["inhibited_by"], str) else None
                evenings[t] = (r["state"] == "firing", by)
            t += pd.Timedelta(days=1)
    return rows.iloc[0], evenings


def _told(row) -> pd.Timestamp | None:
    return None if pd.isna(row["told"]) else pd.Timestamp(row["told"])


def _engine_told(evenings, fired) -> pd.Timestamp | None:
    free = [d for d, (f, b) in sorted(evenings.items()) if d >= fired and f and b is None]
    return free[0] if free else None


def test_a_chain_of_inhibitors_tells_when_the_last_of_them_resolves():
    # shock Mon-Tue (idx 0..6); drop_b Mon-Tue (0,1), drop_a Wed-Thu (2,3): held back until
    # drop_a resolves on Friday (idx 4), although drop_b, the inhibition listed second and so
    # compared after drop_a's, resolved on Wednesday
    a = [-1.0, -1.0, -9.0, -9.0, -1.0, -1.0, -1.0, -1.0]
    b = [-20.0, -20.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0]
    z = [-5.0] * 7 + [-1.0]
    row, evenings = _both(a, b, z)
    assert _engine_told(evenings, DATES[0]) == DATES[4]
    assert _told(row) == DATES[4]
    assert row["inhibited_by"] == evenings[DATES[0]][1] == "drop_b for asset=btc"


def test_the_first_inhibition_listed_is_named_when_both_fire():
    a = [-9.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0]
    b = [-20.0, -20.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0]
    z = [-5.0] * 3 + [-1.0] * 5
    row, evenings = _both(a, b, z)
    assert evenings[DATES[0]][1] == "drop_a for asset=btc"
    assert row["inhibited_by"] == "drop_a for asset=btc"
    assert _told(row) == _engine_told(evenings, DATES[0]) == DATES[2]


def test_held_back_to_the_replay_s_end_is_never_told():
    a = [-1.0, -1.0, -1.0, -1.0, -1.0, -9.0, -9.0, -9.0]
    b = [-1.0] * 8
    z = [-1.0] * 5 + [-5.0] * 3
    row, evenings = _both(a, b, z)
    assert pd.isna(row["resolved"])
    assert row["inhibited_by"] == "drop_a for asset=btc"
    assert _engine_told(evenings, DATES[5]) is None
    assert _told(row) is None


def test_a_kept_alert_whose_fact_turns_unknown_ends_that_day():
    kept = parse_rules(RULES_TEXT.replace('match = { block = "crypto" }',
                                          'match = { block = "crypto" }\nkeep_firing_for = "3d"'))
    # shock fires Monday, is false Tuesday (kept), unknown Wednesday; drop_a fires Mon-Wed
    a = [-9.0, -9.0, -9.0, -1.0, -1.0, -1.0, -1.0, -1.0]
    b = [-1.0] * 8
    z = [-5.0, -1.0, float("nan"), -1.0, -1.0, -1.0, -1.0, -1.0]
    row, evenings = _both(a, b, z, kept)
    assert row["resolved"] == DATES[2]
    assert row["inhibited_by"] == "drop_a for asset=btc"
    assert _engine_told(evenings, DATES[0]) is None
    assert _told(row) is None
