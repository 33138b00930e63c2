"""Alert rules evaluated on every replay day at once, with the semantics of :class:`Rule`.

:meth:`spillwatch.alerts.rules.Rule.evaluate` makes one evaluation per alert instance on one
:class:`FactSet`: a ``*`` fact gives one instance per series carrying it (filtered by ``match``
on its labels), each condition compares a fact with a threshold or another fact (regimes by
their order, labels as strings, numbers as floats), an unavailable fact makes a condition
unknown, and the conditions combine with a three-valued AND. :func:`evaluate_rule` does the same
on :class:`~._facts.FactColumns`, one array per instance.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from spillwatch.alerts.backtest._facts import FactColumns
from spillwatch.alerts.backtest.lifecycle import ABSENT, ACTIVE, INACTIVE, UNKNOWN
from spillwatch.alerts.rules import Condition, Rule

_OPS = {">": np.greater, ">=": np.greater_equal, "<": np.less, "<=": np.less_equal,
        "==": np.equal, "!=": np.not_equal}


@dataclass
class Instance:
    """One alert instance of a rule over the replay days.

    Attributes
    ----------
    rule : Rule
    key : str
        The series of a ``*`` rule (``""`` otherwise).
    active : ndarray of int8
        :data:`~.lifecycle.ACTIVE`, ``INACTIVE``, ``UNKNOWN`` or ``ABSENT`` per day.
    values : dict of str to ndarray
        The facts its conditions read, per day (what the engine stores with a transition).
    """

    rule: Rule
    key: str
    active: np.ndarray
    values: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def labels(self) -> dict[str, str]:
        out = self.rule.fixed_labels
        if self.key:
            out["asset"] = self.key
        return out


def _missing(v: np.ndarray) -> np.ndarray:
    if v.dtype == object:
        return np.array([x is None or (isinstance(x, float) and x != x) for x in v],
                        dtype=bool)
    return np.isnan(v)


def _holds(c: Condition, left: np.ndarray, right: np.ndarray | Any, ok: np.ndarray
           ) -> np.ndarray:
    """``left op right`` where ``ok`` (both sides present), as Condition.holds."""
    out = np.zeros(len(left), dtype=bool)
    if not ok.any():
        return out
    r = right[ok] if isinstance(right, np.ndarray) else np.full(int(ok.sum()), right,
                                                                  dtype=object)
    lv = left[ok]
    if c.kind.kind == "ordered":
        order = {name: i for i, name in enumerate(c.kind.levels)}
        a = np.array([order[str(x)] for x in lv])
        b = np.array([order[str(x)] for x in r])
    elif c.kind.kind == "category":
        a = np.array([str(x) for x in lv], dtype=object)
        b = np.array([str(x) for x in r], dtype=object)
    else:
        a = lv.astype(float)
        b = r.astype(float)
    out[ok] = _OPS[c.op](a, b).astype(bool)
    return out


def _instance_keys(rule: Rule, facts: FactColumns) -> list[tuple[str, np.ndarray]]:
    """The instances of a rule: ``(key, days evaluated)``."""
    if not rule.wildcard:
        return [("", np.ones(facts.n, dtype=bool))]
    pattern = rule.conditions[0].fact
    out = []
    for name in sorted(facts.exists):
        if not fnmatch.fnmatchcase(name, pattern):
            continue
        seen = facts.exists[name].copy()
        # every fact of an asset carries its ``asset`` label in the monitor's FactSet (the
        # replay's columns give it to some only: a rule matching on asset had no instance)
        labels = {"asset": name.partition(".")[0], **facts.labels.get(name, {})}
        for k, want in rule.match.items():
            # a match value is one value or a list of them, as the engine reads it
            wanted = (want,) if isinstance(want, str) else tuple(want)
            got = labels.get(k)
            if isinstance(got, np.ndarray):
                seen &= np.array([g in wanted for g in got], dtype=bool)
            else:
                seen &= got in wanted
        if seen.any():
            out.append((name.partition(".")[0], seen))
    return out


def evaluate_rule(rule: Rule, facts: FactColumns) -> list[Instance]:
    """Every instance of ``rule`` on every replay day."""
    out = []
    for key, seen in _instance_keys(rule, facts):
        if key and rule.apart(key):
            # an H.10 series' instance ANDed with a daily change: not evaluated, as the monitor
            # and `alerts test` leave it (the replay fired USD/JPY's Friday with Thursday's
            # 10-year 347 times)
            result = np.where(seen, UNKNOWN, ABSENT).astype(np.int8)
            out.append(Instance(rule, key, result, {}))
            continue
        result = np.full(facts.n, ACTIVE, dtype=np.int8)
        unknown = np.zeros(facts.n, dtype=bool)
        false = np.zeros(facts.n, dtype=bool)
        values: dict[str, np.ndarray] = {}
        for c in rule.conditions:
            name, ref = c.resolve(key)
            left = facts.value(name)
            values[name] = left
            right: np.ndarray | Any = c.value
            ok = ~_missing(left)
            if ref is not None:
                right = facts.value(ref)
                values[ref] = right
                ok &= ~_missing(right)
            elif right is None:
                ok[:] = False
            holds = _holds(c, left, right, ok)
            unknown |= ~ok
            false |= ok & ~holds
        result[unknown] = UNKNOWN
        result[false] = INACTIVE           # one false condition decides (Kleene AND)
        result[~seen] = ABSENT
        out.append(Instance(rule, key, result, values))
    return out
