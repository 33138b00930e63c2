"""The alert lifecycle over the replay days: when each alert instance fires and resolves.

The engine (:mod:`spillwatch.alerts.engine`) moves an alert ``inactive → pending → firing →
resolved`` at each evaluation. The replay evaluates the rules once per business day, on the
evening's facts; the live monitor re-evaluates every few minutes on the same daily data, so
between two replay days the facts are taken as constant, and a rule's ``for`` is counted in
clock time:

* a day whose conditions hold starts the alert (``active_since`` = that evening) if it was not
  active; it fires on the first replay day ``i`` with ``active_since + for`` before the next
  replay day's evening — a ``for`` shorter than a day fires the same evening, ``for = "1d"``
  fires the next evening if the conditions still hold then (a Friday start fires during the
  weekend, which the replay books on the Friday);
* a day whose conditions do not hold resolves a firing alert and drops a pending one; with the
  rule's ``keep_firing_for`` a firing alert stays firing from the first such evening (when
  they stopped holding) until ``keep_firing_for`` has passed, counted in clock time as ``for``
  (it resolves on the replay day ``i`` whose next evening comes after that; ``"7d"`` holds
  it through five business days), and a day on which they hold again keeps it firing;
* a day on which a fact is unavailable (stale, not computed) resolves a firing alert and drops a
  pending one, as the engine does: an unknown condition is not one that holds;
* a day on which the instance is not evaluated at all (its series is not in the data yet, or no
  longer) resolves it, as the engine does for an instance that vanished.

``repeat_interval``, grouping and silences decide notifications, not states; they do not change
when an alert fires. Neither does an inhibition (``inhibited_by``): :func:`held_back` gives the
days a firing alert was held back, as the engine decides it on each evaluation, so the replay
can say which firings the monitor recorded and never told.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np

from spillwatch.alerts.rules import Rule

#: Activity codes of an instance on a replay day.
ACTIVE, INACTIVE, UNKNOWN, ABSENT = 1, 0, -1, -2


def firing_spans(active: np.ndarray, day_numbers: np.ndarray, for_: dt.timedelta,
                 keep_firing_for: dt.timedelta = dt.timedelta(0), *,
                 after_last: int | None = None,
                 ) -> tuple[np.ndarray, list[tuple[int, int | None]]]:
    """Firing state on each day and the firing spans of one alert instance.

    Parameters
    ----------
    active : ndarray of int8
        Per replay day: 1 the conditions hold, 0 they do not, -1 a fact is unavailable,
        -2 the instance is not evaluated.
    day_numbers : ndarray of int64
        The replay days (days since 1970-01-01), increasing.
    for_ : timedelta
        The rule's ``for``.
    keep_firing_for : timedelta, default 0
        The rule's ``keep_firing_for``.
    after_last : int, optional
        The day number of the evening after the last day's (default: the next calendar day).
        The full replay's next day is the next business day, so a weekend's firing or
        resolution is booked on the Friday; the state on the evening of a Sunday, read on a
        replay that ends on its Friday, takes the Monday.

    Returns
    -------
    firing : ndarray of bool
        Whether the alert is firing at the end of each day.
    spans : list of (int, int or None)
        ``(first firing day index, resolving day index or None while still firing)``.
    """
    n = len(active)
    firing = np.zeros(n, dtype=bool)
    spans: list[tuple[int, int | None]] = []
    wait = for_.total_seconds() / 86400.0
    keep = keep_firing_for.total_seconds() / 86400.0
    cleared: float | None = None
    last_next = (day_numbers[-1] + 1 if after_last is None else after_last) if n else 0
    nxt = np.append(day_numbers[1:], last_next).astype(float)
    state = "inactive"
    since = 0.0
    start = 0
    act = active.tolist()
    for i in range(n):
        a = act[i]
        if a == ACTIVE:
            cleared = None
            if state in ("inactive", "resolved"):
                state, since = "pending", float(day_numbers[i])
            if state == "pending" and since + wait < nxt[i]:
                state, start = "firing", i
        elif a in (INACTIVE, UNKNOWN, ABSENT):
            if state == "pending":
                state = "inactive"
            elif state == "firing":
                if a == INACTIVE and keep > 0:
                    cleared = float(day_numbers[i]) if cleared is None else cleared
                    if cleared + keep >= nxt[i]:
                        firing[i] = True
                        continue
                cleared = None
                state = "resolved"
                spans.append((start, i))
        firing[i] = state == "firing"
    if state == "firing":
        spans.append((start, None))
    return firing, spans


def held_back(rule: Rule, labels: Mapping[str, str],
              firing: Sequence[tuple[str, Mapping[str, str], np.ndarray]]) -> np.ndarray:
    """Per day, the alert that inhibits an alert of ``rule`` with ``labels`` (else ``None``).

    As the engine decides it (:func:`spillwatch.alerts.rules.inhibitor`, Alertmanager's
    inhibition): a firing alert of a rule that ``rule`` names in ``inhibited_by``, carrying
    the same ``equal`` labels, holds it back (recorded firing, not told) that evening; the
    first of its inhibitions that applies names it.

    Parameters
    ----------
    rule : Rule
        The rule of the alert.
    labels : mapping
        The alert's labels.
    firing : sequence of (rule name, labels, bool ndarray)
        Every alert instance of the replay: its rule, labels and firing state per day.

    Returns
    -------
    ndarray of object
        ``"btc_daily_drop for asset=btc"`` on the days an inhibitor fires, ``None`` on others
        (the alert's own state is the caller's: a day it is not firing holds nothing back).
    """
    n = len(firing[0][2]) if firing else 0
    held = np.full(n, None, dtype=object)
    free = np.ones(n, dtype=bool)
    for inh in rule.inhibited_by:
        for name, other, on in firing:
            by = inh.holds(labels, name, other)
            if by is not None:
                new = free & on
                held[new] = by
                free &= ~new
    return held
