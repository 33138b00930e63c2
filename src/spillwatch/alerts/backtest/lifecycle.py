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
when an alert fires.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

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
