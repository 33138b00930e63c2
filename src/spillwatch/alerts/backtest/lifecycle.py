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
when an alert fires. Neither does an inhibition (``inhibited_by``): :func:`told_at` gives the
moment the engine, deciding it on each evaluation, first tells a firing (from the moments
:func:`firing_spans` gives), so the replay can say which firings the monitor recorded and
never told.
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
                 times: list[tuple[float, float]] | None = None,
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
    times : list, optional
        Given, each span's moments are appended to it: ``(fired, resolved)`` in day numbers
        (``inf`` while firing), the clock times at which the monitor, evaluating every few
        minutes on the day's facts, moves the alert (a ``for`` of 12 hours fires at
        ``evening + 0.5``; a ``keep_firing_for`` of two days begun on a Thursday resolves on
        the Saturday although the span books it on the Friday).

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
    fired_at = 0.0
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
                fired_at = since + wait
        elif a in (INACTIVE, UNKNOWN, ABSENT):
            if state == "pending":
                state = "inactive"
            elif state == "firing":
                if a == INACTIVE and keep > 0:
                    cleared = float(day_numbers[i]) if cleared is None else cleared
                    if cleared + keep >= nxt[i]:
                        firing[i] = True
                        continue
                end_at = (cleared + keep if a == INACTIVE and keep > 0 and cleared is not None
                          else float(day_numbers[i]))
                cleared = None
                state = "resolved"
                spans.append((start, i))
                if times is not None:
                    times.append((fired_at, end_at))
        firing[i] = state == "firing"
    if state == "firing":
        spans.append((start, None))
        if times is not None:
            times.append((fired_at, float("inf")))
    return firing, spans


def told_at(rule: Rule, labels: Mapping[str, str], fired: float, resolved: float,
            firing: Sequence[tuple[str, Mapping[str, str], Sequence[tuple[float, float]]]]
            ) -> tuple[str | None, float | None]:
    """When the monitor first tells a firing of ``rule`` with ``labels``, and what held it back.

    The engine holds a firing alert back on each evaluation on which an alert its rule names in
    ``inhibited_by`` fires with the same ``equal`` labels, and tells it on the first one on
    which none does. The replay's days sample the states at their end: an inhibitor whose
    ``for`` runs out during the night fired after the alert was told that evening, and an
    alert whose ``keep_firing_for`` runs out on a Saturday, booked as resolved on the Friday,
    is told on the Friday evening its inhibitor resolved; so the moments are compared
    (``times`` of :func:`firing_spans`).

    Parameters
    ----------
    rule, labels
        The alert's rule and labels.
    fired, resolved : float
        The moments (day numbers) the firing began and ended (``inf`` while it fires).
    firing : sequence of (rule name, labels, list of (fired, resolved))
        Every alert instance of the replay with its firing moments.

    Returns
    -------
    (str or None, float or None)
        The inhibitor holding it back when it fired (``"btc_daily_drop for asset=btc"``, the
        first of its inhibitions that applies; ``None`` when told at once) and the moment it
        is told (``None``: never, it resolved while held back).
    """
    covers: list[tuple[float, float]] = []
    first = None
    for inh in rule.inhibited_by:
        for name, other, spans in firing:
            by = inh.holds(labels, name, other)
            if by is None:
                continue
            covers += spans
            if first is None and any(a <= fired < b for a, b in spans):
                first = by
    t = fired
    moved = True
    while moved:
        moved = False
        for a, b in covers:
            if a <= t < b:
                t, moved = b, True
    return first, (t if t < resolved else None)
